"""Reads about consent; the engine asks these before processing anyone's data."""

from consent.models import ConsentRecord, PolicyVersion


def policy_current() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(published_at__isnull=False).order_by("-published_at", "-id").first()


def contact_consent_answer(*, contact, policy: PolicyVersion | None = None) -> str | None:
    """The contact's last answer for the policy in force: accepted, declined, revoked or None.

    A revocation counts whatever version it was made under; silence is never consent.
    """
    policy = policy or policy_current()
    last = ConsentRecord.objects.filter(contact=contact).order_by("-recorded_at", "-id").first()
    if last is None:
        return None
    if last.answer == ConsentRecord.Answer.REVOKED:
        return last.answer
    if policy is None or last.policy_version_id != policy.id:
        return None
    return last.answer


def contact_has_consent(*, contact) -> bool:
    return contact_consent_answer(contact=contact) == ConsentRecord.Answer.ACCEPTED

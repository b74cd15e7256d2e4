"""Reads about consent and data-rights requests; the engine asks these before processing anyone's data."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet, Subquery

from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from proalto.colombia import add_business_days

# Reclamos that dispute the customer's data: while one is open the data is "en trámite".
DISPUTING_KINDS = (
    DataRightsRequest.Kind.ACTUALIZAR,
    DataRightsRequest.Kind.RECTIFICAR,
    DataRightsRequest.Kind.SUPRIMIR,
)


def _policies_in_force_first() -> QuerySet:
    return PolicyVersion.objects.filter(published_at__isnull=False).order_by("-published_at", "-id")


def policy_current() -> PolicyVersion | None:
    return _policies_in_force_first().first()


def contact_last_consent(*, contact) -> ConsentRecord | None:
    """The contact's latest answer of any kind and version (records are append-only)."""
    return (
        ConsentRecord.objects.filter(contact=contact)
        .select_related("policy_version")
        .order_by("-recorded_at", "-id")
        .first()
    )


def contact_consent_answer(*, contact, policy: PolicyVersion | None = None) -> str | None:
    """The contact's last answer for the policy in force: accepted, declined, revoked or None.

    A revocation counts whatever version it was made under; silence is never consent.
    One query (the engine asks this on every message): the latest record, with the id of
    the policy in force alongside unless the caller has it.
    """
    records = ConsentRecord.objects.filter(contact=contact).order_by("-recorded_at", "-id")
    if policy is None:
        records = records.annotate(policy_in_force=Subquery(_policies_in_force_first().values("id")[:1]))
        last = records.values("answer", "policy_version_id", "policy_in_force").first()
    else:
        last = records.values("answer", "policy_version_id").first()
        if last is not None:
            last["policy_in_force"] = policy.id
    if last is None:
        return None
    if last["answer"] == ConsentRecord.Answer.REVOKED:
        return last["answer"]
    if last["policy_in_force"] is None or last["policy_version_id"] != last["policy_in_force"]:
        return None
    return last["answer"]


def contact_has_consent(*, contact) -> bool:
    return contact_consent_answer(contact=contact) == ConsentRecord.Answer.ACCEPTED


def contact_consent_outdated(*, contact, policy: PolicyVersion | None = None) -> bool:
    """Whether the contact's authorisation is for a policy version older than the one in force."""
    policy = policy or policy_current()
    last = contact_last_consent(contact=contact)
    return (
        policy is not None
        and last is not None
        and last.answer == ConsentRecord.Answer.ACCEPTED
        and last.policy_version_id != policy.id
    )


def contact_rights_request_needing_info(*, contact) -> DataRightsRequest | None:
    """The contact's oldest reclamo waiting for information from them, if any."""
    return (
        DataRightsRequest.objects.filter(contact=contact, status=DataRightsRequest.Status.NEEDS_INFO)
        .order_by("needs_info_since", "id")
        .first()
    )


def customer_has_open_credit_reclamo(*, customer) -> bool:
    """Whether a reclamo disputing the customer's data is still open ("reclamo en trámite")."""
    return DataRightsRequest.objects.filter(
        customer=customer, kind__in=DISPUTING_KINDS, status__in=DataRightsRequest.OPEN_STATUSES
    ).exists()


def rights_requests_open() -> QuerySet[DataRightsRequest]:
    """Open requests, the nearest legal deadline first (compliance's work list)."""
    return DataRightsRequest.objects.filter(status__in=DataRightsRequest.OPEN_STATUSES).order_by(
        "due_date", "received_at"
    )


def rights_requests_deadlines(*, today, soon_days: int) -> tuple[int, int]:
    """Open data-rights requests (overdue: past their legal deadline; due soon: due today or
    within ``soon_days`` days)."""
    open_requests = DataRightsRequest.objects.filter(status__in=DataRightsRequest.OPEN_STATUSES)
    counts = open_requests.aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=soon_days))),
    )
    return counts["overdue"], counts["soon"]


def policy_by_id(*, policy_id: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(pk=policy_id).first()


def rights_request_needing_info(*, contact, request_id: int) -> DataRightsRequest | None:
    """This contact's reclamo ``request_id`` if it is still waiting for information from them."""
    return DataRightsRequest.objects.filter(
        pk=request_id, contact=contact, status=DataRightsRequest.Status.NEEDS_INFO
    ).first()


# Compliance is warned this many business days before a request's legal deadline.
DUE_SOON_BUSINESS_DAYS = 2


def rights_requests_due_soon(*, today) -> QuerySet[DataRightsRequest]:
    """Open requests due within DUE_SOON_BUSINESS_DAYS business days (or already overdue)."""
    limit = add_business_days(today, DUE_SOON_BUSINESS_DAYS)
    return rights_requests_open().filter(due_date__lte=limit)


def rights_requests_attention_count(*, today) -> int:
    """Compliance's badge: requests nobody has started on yet, plus those due soon."""
    limit = add_business_days(today, DUE_SOON_BUSINESS_DAYS)
    return rights_requests_open().filter(Q(status=DataRightsRequest.Status.RECEIVED) | Q(due_date__lte=limit)).count()

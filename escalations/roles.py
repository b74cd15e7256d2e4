"""The back-office roles (Django groups) and exactly what each may do: least privilege.

Applied by the data migration and by `manage.py setup_roles` (idempotent: it sets each
group's permissions to this list, removing anything granted by hand). Permissions are
named by "app_label.codename"; ones whose model does not exist yet (another app still
to be migrated) are skipped and reported, so the command can simply be re-run later.

Who sees personal data in full (escalations/privacy.py):
- Asesor: masked cédula always; the full phone and the chat's messages only of a ticket they hold.
- Supervisor and Cumplimiento: full values (permission view_full_personal_data) and every
  chat (view_all_chats); every look is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADVISOR = "Asesor"
COMPLIANCE = "Cumplimiento"
SUPERVISOR = "Supervisor"

_ADVISOR_PERMISSIONS = [
    # Tickets, and the chats of the tickets they hold (escalations/privacy.py narrows the messages).
    "escalations.view_ticket",
    "escalations.take_ticket",
    "conversations.view_contact",
    "conversations.view_inboundmessage",
    "conversations.view_outboundmessage",
    # The documents of the chats they hold (escalations/privacy.py narrows it).
    "documents.view_document",
    # Who the customer is and what they owe, to answer them.
    "credits.view_customer",
    "credits.view_credit",
    "credits.view_application",
    # The saved replies ("Respuestas rápidas") they insert with /.
    "escalations.view_savedreply",
]

# Read-only on everything the back office shows, plus the Habeas Data models.
_COMPLIANCE_PERMISSIONS = [
    "escalations.view_ticket",
    "escalations.view_auditentry",
    "escalations.view_full_personal_data",
    "escalations.view_all_documents",
    "escalations.view_all_chats",
    "conversations.view_contact",
    "conversations.view_inboundmessage",
    "conversations.view_outboundmessage",
    "documents.view_document",
    "credits.view_customer",
    "credits.view_credit",
    "credits.view_application",
    "credits.view_applicationstagechange",
    "credits.view_renewalruleset",
    # Consent proof is append-only: view (and export, which needs only view), never change or delete.
    "consent.view_consentrecord",
    "consent.view_policyversion",
    "consent.add_policyversion",
    "consent.change_policyversion",
    # Data-rights requests (consultas y reclamos, Ley 1581) are handled by compliance.
    "consent.view_datarightsrequest",
    "consent.change_datarightsrequest",
    # The dashboard includes consents accepted/declined and data-rights figures.
    "escalations.view_metrics",
]

_SUPERVISOR_PERMISSIONS = _ADVISOR_PERMISSIONS + [
    "escalations.assign_ticket",
    "escalations.view_metrics",
    "escalations.view_auditentry",
    "escalations.view_full_personal_data",
    "escalations.view_all_documents",
    "escalations.view_all_chats",
    "credits.change_application",
    "credits.view_applicationstagechange",
    # Supervisors keep the team's saved replies.
    "escalations.add_savedreply",
    "escalations.change_savedreply",
    "escalations.delete_savedreply",
    # The internal API's client keys (create, revoke, expire), its audit, events and CRM deliveries.
    "api.view_clientkey",
    "api.add_clientkey",
    "api.change_clientkey",
    "api.view_apicall",
    "api.view_apievent",
    "api.view_leaddelivery",
    # Messages the bot did not understand (masked), to improve the lexicon (issue 15); change is
    # labelling what each meant, for the model's corpus (re-applied by conversations 0010).
    "conversations.view_unrecognisedmessage",
    "conversations.change_unrecognisedmessage",
    # The renewal rules: each change is a new version (credits.RenewalRuleSet).
    "credits.view_renewalruleset",
    "credits.add_renewalruleset",
]

ROLES: dict[str, list[str]] = {
    ADVISOR: _ADVISOR_PERMISSIONS,
    COMPLIANCE: _COMPLIANCE_PERMISSIONS,
    SUPERVISOR: _SUPERVISOR_PERMISSIONS,
}


@dataclass
class RolesResult:
    granted: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def roles_apply(*, group_model, permission_model) -> RolesResult:
    """Create the groups and set their permissions to ROLES (models passed in so the
    data migration can use its historical ones)."""
    result = RolesResult()
    for name, wanted in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for dotted in dict.fromkeys(wanted):
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                if dotted not in result.missing:
                    result.missing.append(dotted)
                continue
            permissions.append(permission)
        group.permissions.set(permissions)
        result.granted[name] = len(permissions)
    return result

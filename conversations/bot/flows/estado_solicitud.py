"""Estado de solicitud: the stage of the applicant's latest credit application, in words.

Only the applicant sees it: identity validation first, except for a lead this very chat
submitted ("Nuevo crédito"), which its prospect follows from the chat that sent it. While
the application is still moving, the bot offers to tell them when it changes stage (an
ApplicationSubscription, notified by credits.notifications); a rejected one is said kindly,
with an advisor offered. From the local copy the reply states the data's cut-off.
"""

from datetime import timedelta

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from conversations.bot.flows.intake import advisor_offer_answer, yes_no
from conversations.bot.flows.saldo import cutoff_text
from credits.models import FINAL_STAGES, Application
from credits.selectors import (
    application_for_customer,
    application_has_subscriber,
    contact_lead_application,
    customer_latest_application,
)
from proalto.colombia import format_date_long

STATUS = "estado_solicitud/status.txt"
LEAD = "lead"  # turn.data["application"]["kind"] of the chat's own lead
# The answer the study stage promises ("en las próximas 48 horas"): past it, the bot says
# it is taking longer and offers an advisor instead of promising again.
STUDY_PROMISE = timedelta(hours=48)


@register
class ApplicationStatusFlow(Flow):
    name = "estado_solicitud"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "notify": "Decide si quiere avisos de la solicitud",
        "rejected": "Solicitud negada: ofrece un asesor",
    }
    intents = ("estado_solicitud",)

    def enter_start(self, turn):
        if turn.customer is None and contact_lead_application(contact=turn.contact) is not None:
            turn.goto("lead")
            return
        turn.goto_validated("show")

    def enter_lead(self, turn):
        lead = contact_lead_application(contact=turn.contact)
        if lead is None:
            turn.goto_validated("show")
            return
        self._show(turn, number=lead.number, stage=lead.stage, updated_at=lead.updated_at, as_of=None, lead=True)

    def enter_show(self, turn):
        if turn.customer is None:  # validation did not finish: nothing is said about applications
            turn.end(resolved=False)
            return
        latest = customer_latest_application(customer=turn.customer)
        if not latest:
            turn.say("estado_solicitud/no_application.txt")
            turn.end()
            return
        application = latest[0]
        # A lead is the bot's own record, not a copy of the core's: no cut-off to state.
        as_of = None if application.origin == Application.Origin.WHATSAPP else latest.as_of
        self._show(
            turn,
            number=application.number,
            stage=application.stage,
            updated_at=application.updated_at,
            as_of=as_of,
            lead=False,
        )

    def _show(self, turn, *, number, stage, updated_at, as_of, lead: bool):
        subscribed = application_has_subscriber(number=number, contact=turn.contact)
        context = status_context(
            number=number,
            stage=stage,
            updated_at=updated_at,
            as_of=as_of,
            now=turn.now,
            offer_notify=False,
            subscribed=subscribed,
        )
        context["offer_notify"] = stage not in FINAL_STAGES and not subscribed and not context["overdue"]
        turn.say(STATUS, **context)
        offer_notify = context["offer_notify"]
        if stage == Application.Stage.RECHAZADA or context["overdue"]:
            turn.goto("rejected")
        elif offer_notify:
            turn.data["application"] = {"number": number, "kind": LEAD if lead else "customer"}
            turn.goto("notify")
        else:
            turn.end()

    def on_notify(self, turn):
        answer = yes_no(turn.incoming, yes=("notify_yes",), no=("notify_no",))
        if answer is None:
            turn.say("estado_solicitud/ask_notify_again.txt")
            turn.not_understood()
            return
        chosen = turn.data.get("application") or {}
        number = chosen.get("number", "") if isinstance(chosen, dict) else ""
        lead = isinstance(chosen, dict) and chosen.get("kind") == LEAD
        if not answer or not number:
            turn.say("estado_solicitud/not_subscribed.txt")
            turn.end()
            return
        if lead:
            own = contact_lead_application(contact=turn.contact)
            if own is None or own.number != number:
                turn.say("estado_solicitud/not_subscribed.txt")
                turn.end()
                return
            turn.effect(effects.ApplicationSubscribe(number=number))
        else:
            if turn.customer is None:  # the validation lapsed while they answered
                turn.goto_validated("show")
                return
            if application_for_customer(number=number, customer=turn.customer) is None:
                turn.say("estado_solicitud/not_subscribed.txt")
                turn.end()
                return
            turn.effect(effects.ApplicationSubscribe(number=number, customer_id=turn.customer.pk))
        turn.say("estado_solicitud/subscribed.txt", number=number)
        turn.end()

    def on_rejected(self, turn):
        advisor_offer_answer(turn, no="status_no", again="estado_solicitud/ask_advisor_again.txt")


def status_context(*, number, stage, updated_at, as_of, now, offer_notify: bool, subscribed: bool) -> dict:
    """What the status message says of one application (also the API's answer). A study
    stage older than its promise is ``overdue``: no promise again, an advisor offered."""
    return {
        "number": number,
        "stage": stage,
        "updated": format_date_long(updated_at),
        "offer_notify": offer_notify,
        "subscribed": subscribed,
        "overdue": stage == Application.Stage.ESTUDIO and now - updated_at > STUDY_PROMISE,
        "cutoff": cutoff_text(as_of),
    }

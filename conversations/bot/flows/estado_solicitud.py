"""Estado de solicitud: the stage of the applicant's latest credit application, in words.

Only the applicant sees it (identity validation first). While the application is still
moving, the bot offers to tell them when it changes stage (an ApplicationSubscription,
notified by credits.notifications); a rejected one is said kindly, with an advisor offered.
"""

from datetime import timedelta

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from conversations.bot.flows.intake import advisor_offer_answer, yes_no
from credits.models import FINAL_STAGES, Application
from credits.selectors import application_by_id, application_has_subscriber, customer_latest_application
from proalto.colombia import format_date_long

STATUS = "estado_solicitud/status.txt"
# The answer the study stage promises ("en las próximas 48 horas"): past it, the bot says
# it is taking longer and offers an advisor instead of promising again.
STUDY_PROMISE = timedelta(hours=48)


@register
class ApplicationStatusFlow(Flow):
    name = "estado_solicitud"
    intents = ("estado_solicitud",)

    def enter_start(self, turn):
        turn.goto_validated("show")

    def enter_show(self, turn):
        if turn.customer is None:  # validation did not finish: nothing is said about applications
            turn.end(resolved=False)
            return
        application = customer_latest_application(customer=turn.customer)
        if application is None:
            turn.say("estado_solicitud/no_application.txt")
            turn.end()
            return
        subscribed = application_has_subscriber(application=application, contact=turn.contact)
        overdue = application.stage == Application.Stage.ESTUDIO and turn.now - application.updated_at > STUDY_PROMISE
        offer_notify = application.stage not in FINAL_STAGES and not subscribed and not overdue
        turn.say(
            STATUS,
            number=application.number,
            stage=application.stage,
            updated=format_date_long(application.updated_at),
            offer_notify=offer_notify,
            subscribed=subscribed,
            overdue=overdue,
        )
        if application.stage == Application.Stage.RECHAZADA or overdue:
            turn.goto("rejected")
        elif offer_notify:
            turn.data["application"] = application.pk
            turn.goto("notify")
        else:
            turn.end()

    def on_notify(self, turn):
        answer = yes_no(turn.incoming, yes=("notify_yes",), no=("notify_no",))
        if answer is None:
            turn.say("estado_solicitud/ask_notify_again.txt")
            turn.not_understood()
            return
        if answer and turn.customer is None:  # the validation lapsed while they answered
            turn.goto_validated("show")
            return
        application = application_by_id(application_id=turn.data.get("application") or 0, customer=turn.customer)
        if not answer or application is None:
            turn.say("estado_solicitud/not_subscribed.txt")
            turn.end()
            return
        turn.effect(effects.ApplicationSubscribe(application_id=application.pk))
        turn.say("estado_solicitud/subscribed.txt", number=application.number)
        turn.end()

    def on_rejected(self, turn):
        advisor_offer_answer(turn, no="status_no", again="estado_solicitud/ask_advisor_again.txt")

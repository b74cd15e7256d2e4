"""Reads for the metrics dashboard (phase 5 of the brief): automatic resolution, first
response time, escalations, ticket SLA, consent answers and CSAT, per Bogotá day.

Definitions (also shown on the dashboard):
- a *request* is either answered by the bot (a ``ResolvedRequest``, from the
  ``flow_resolved`` signal) or handed to a person (an escalation ``Ticket``); the automatic
  resolution rate is bot / (bot + tickets);
- *first response time* runs from when the webhook delivered a customer's message to when
  the first reply to it was accepted by the Cloud API (``OutboundMessage.sent_at``); Meta's
  own timestamp is second-granular and from another clock, so it is not used;
- a ticket is *within SLA* when an advisor took it within TICKET_SLA_MINUTES of its
  creation; an open one still waiting past that is already over.

The small pure functions at the top do the arithmetic and are unit-tested on their own.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min

from consent.models import ConsentRecord
from conversations.bot.models import CsatSurvey, ResolvedRequest
from conversations.messaging.models import InboundMessage
from escalations.models import Ticket
from proalto.colombia import BOGOTA

# --- Pure helpers -----------------------------------------------------------------------------


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def local_day(moment: datetime) -> date:
    return moment.astimezone(BOGOTA).date()


def sla_state(*, created_at: datetime, taken_at: datetime | None, status: str, now: datetime, sla_minutes: int) -> str:
    """ "within", "over", "waiting" (open, still inside the SLA) or "untaken" (closed unattended)."""
    limit = timedelta(minutes=sla_minutes)
    if taken_at is not None:
        return "within" if taken_at - created_at <= limit else "over"
    if status == Ticket.Status.CLOSED:
        return "untaken"
    return "waiting" if now - created_at <= limit else "over"


def ratings_summary(ratings) -> dict:
    ratings = [r for r in ratings if r]
    distribution = Counter(ratings)
    return {
        "count": len(ratings),
        "average": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "distribution": [(score, distribution.get(score, 0)) for score in range(1, 6)],
        # Share of 4s and 5s, the usual CSAT score.
        "satisfied_share": round(sum(1 for r in ratings if r >= 4) / len(ratings), 3) if ratings else None,
    }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


# --- Period -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime
    days: tuple[date, ...]


def period_last_days(*, now: datetime, days: int = 30) -> Period:
    """The last ``days`` Bogotá calendar days, today included."""
    today = local_day(now)
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=BOGOTA)
    return Period(since=since, until=now, days=tuple(first + timedelta(days=i) for i in range(days)))


def _by_day(period: Period, moments) -> dict[date, int]:
    counts = Counter(local_day(m) for m in moments)
    return {day: counts.get(day, 0) for day in period.days}


# --- Selectors ---------------------------------------------------------------------------------


def resolution(*, period: Period) -> dict:

    bot = _by_day(
        period,
        ResolvedRequest.objects.filter(resolved_at__range=(period.since, period.until)).values_list(
            "resolved_at", flat=True
        ),
    )
    people = _by_day(
        period,
        Ticket.objects.filter(created_at__range=(period.since, period.until)).values_list("created_at", flat=True),
    )
    bot_total, people_total = sum(bot.values()), sum(people.values())
    return {
        "bot": bot_total,
        "escalated": people_total,
        "rate": rate(bot_total, bot_total + people_total),
        "daily": [{"day": day, "bot": bot[day], "escalated": people[day]} for day in period.days],
    }


def first_response(*, period: Period) -> dict:

    pairs = (
        InboundMessage.objects.filter(received_at__range=(period.since, period.until))
        .annotate(first_reply=Min("replies__sent_at"))
        .filter(first_reply__isnull=False)
        .values_list("received_at", "first_reply")
    )
    per_day: dict[date, list[float]] = {day: [] for day in period.days}
    seconds_all = []
    for received_at, first_reply in pairs:
        seconds = max((first_reply - received_at).total_seconds(), 0.0)
        seconds_all.append(seconds)
        per_day.setdefault(local_day(received_at), []).append(seconds)
    return {
        "count": len(seconds_all),
        "median": percentile(seconds_all, 50),
        "p90": percentile(seconds_all, 90),
        "daily": [
            {"day": day, "median": percentile(per_day[day], 50), "p90": percentile(per_day[day], 90)}
            for day in period.days
        ],
    }


def escalations_by_reason(*, period: Period) -> list[dict]:

    labels = dict(Ticket.Reason.choices)
    rows = (
        Ticket.objects.filter(created_at__range=(period.since, period.until))
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    )
    return [
        {"reason": row["reason"], "label": labels.get(row["reason"], row["reason"]), "count": row["n"]} for row in rows
    ]


def tickets_sla(*, period: Period, now: datetime, sla_minutes: int | None = None) -> dict:

    sla_minutes = sla_minutes if sla_minutes is not None else settings.TICKET_SLA_MINUTES
    status_labels = dict(Ticket.Status.choices)
    tickets = Ticket.objects.filter(created_at__range=(period.since, period.until)).values_list(
        "status", "created_at", "taken_at"
    )
    by_status: Counter = Counter()
    sla: Counter = Counter()
    wait_minutes = []
    for status, created_at, taken_at in tickets:
        by_status[status] += 1
        sla[sla_state(created_at=created_at, taken_at=taken_at, status=status, now=now, sla_minutes=sla_minutes)] += 1
        if taken_at is not None:
            wait_minutes.append((taken_at - created_at).total_seconds() / 60)
    attended = sla["within"] + sla["over"]
    return {
        "sla_minutes": sla_minutes,
        "by_status": [{"status": s, "label": status_labels[s], "count": by_status.get(s, 0)} for s in status_labels],
        "within": sla["within"],
        "over": sla["over"],
        "waiting": sla["waiting"],
        "untaken": sla["untaken"],
        "within_rate": rate(sla["within"], attended),
        "median_take_minutes": percentile(wait_minutes, 50),
    }


def consents(*, period: Period) -> dict:

    rows = ConsentRecord.objects.filter(recorded_at__range=(period.since, period.until)).values_list(
        "answer", "recorded_at"
    )
    daily = {day: Counter() for day in period.days}
    totals: Counter = Counter()
    for answer, recorded_at in rows:
        totals[answer] += 1
        daily.setdefault(local_day(recorded_at), Counter())[answer] += 1
    return {
        "accepted": totals["accepted"],
        "declined": totals["declined"],
        "revoked": totals["revoked"],
        "acceptance_rate": rate(totals["accepted"], totals["accepted"] + totals["declined"]),
        "daily": [
            {"day": day, "accepted": daily[day]["accepted"], "declined": daily[day]["declined"]} for day in period.days
        ],
    }


def csat(*, period: Period) -> dict:

    asked = CsatSurvey.objects.filter(asked_at__range=(period.since, period.until)).count()
    answered = list(
        CsatSurvey.objects.filter(answered_at__range=(period.since, period.until), rating__isnull=False).values_list(
            "answered_at", "rating", "trigger"
        )
    )
    per_day: dict[date, list[int]] = {day: [] for day in period.days}
    for answered_at, rating, _trigger in answered:
        per_day.setdefault(local_day(answered_at), []).append(rating)
    summary = ratings_summary(r for _, r, _ in answered)
    summary.update(
        asked=asked,
        response_rate=rate(len(answered), asked),
        by_trigger={
            trigger: ratings_summary(r for _, r, t in answered if t == trigger)["average"]
            for trigger in ("flow", "ticket")
        },
        daily=[
            {"day": day, "average": ratings_summary(per_day[day])["average"], "count": len(per_day[day])}
            for day in period.days
        ],
    )
    return summary


def dashboard(*, now: datetime, days: int = 30) -> dict:
    period = period_last_days(now=now, days=days)
    return {
        "period": period,
        "resolution": resolution(period=period),
        "first_response": first_response(period=period),
        "escalations": escalations_by_reason(period=period),
        "tickets": tickets_sla(period=period, now=now),
        "consents": consents(period=period),
        "csat": csat(period=period),
    }

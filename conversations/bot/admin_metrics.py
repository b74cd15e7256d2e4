"""The metrics dashboard at /admin/metrics/: the view, and server-side SVG bar charts.

No JavaScript, no CDN: the charts are inline SVG computed here, so the page works offline
and prints. Reads come from conversations.bot.metrics; this module only shapes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from conversations.bot.metrics import dashboard
from conversations.messaging import breaker
from conversations.messaging.models import OutboundMessage
from conversations.messaging.versions import RELEASED, retirement_date, version_problem
from credits.selectors import portfolio_health
from escalations.selectors import outcomes_count
from escalations.services import outcome_label
from proalto.colombia import format_date_long, format_time

PERMISSION = "escalations.view_metrics"
DAYS = 30
GREEN, ORANGE, BLUE, GREY = "#2e7d32", "#ef6c00", "#1565c0", "#9e9e9e"


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    max_value: float = 0
    unit: str = ""
    empty: bool = True


def bar_chart(
    *,
    title: str,
    days,
    series: list[tuple[str, str, list]],
    unit: str = "",
    max_value: float | None = None,
    width: int = 720,
    height: int = 180,
) -> Chart:
    """Stacked daily bars: ``series`` is [(name, colour, [value per day])]; None counts as 0."""
    top, bottom = 16, 22
    plot = height - top - bottom
    totals = [sum(values[i] or 0 for _, _, values in series) for i in range(len(days))]
    scale_max = max_value or max(totals + [0]) or 1
    slot = width / max(len(days), 1)
    chart = Chart(
        title=title,
        width=width,
        height=height,
        legend=[(name, colour) for name, colour, _ in series],
        max_value=round(scale_max, 1),
        unit=unit,
        empty=not any(totals),
    )
    for i, day in enumerate(days):
        base = top + plot
        for name, colour, values in series:
            value = values[i] or 0
            if value <= 0:
                continue
            bar_height = max(value / scale_max * plot, 1.0)
            base -= bar_height
            chart.bars.append(
                {
                    "x": round(i * slot + slot * 0.15, 1),
                    "y": round(base, 1),
                    "w": round(slot * 0.7, 1),
                    "h": round(bar_height, 1),
                    "colour": colour,
                    "tip": f"{day:%d/%m} · {name}: {_fmt(value)}{unit}",
                }
            )
        if i % 5 == 0 or i == len(days) - 1:
            anchor = "start" if i == 0 else "end" if i == len(days) - 1 else "middle"
            x = 0 if i == 0 else width if i == len(days) - 1 else round(i * slot + slot / 2, 1)
            chart.labels.append({"x": x, "y": height - 6, "text": f"{day:%d/%m}", "anchor": anchor})
    return chart


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def charts_for(data: dict) -> list[Chart]:
    days = data["period"].days
    resolution, response = data["resolution"]["daily"], data["first_response"]["daily"]
    csat, consents = data["csat"]["daily"], data["consents"]["daily"]
    return [
        bar_chart(
            title="Solicitudes por día: resueltas por el bot y escaladas",
            days=days,
            series=[
                ("Resueltas por el bot", GREEN, [d["bot"] for d in resolution]),
                ("Escaladas a un asesor", ORANGE, [d["escalated"] for d in resolution]),
            ],
        ),
        bar_chart(
            title="Tiempo de primera respuesta por día (mediana, segundos)",
            days=days,
            unit=" s",
            series=[
                ("Mediana", BLUE, [d["median"] for d in response]),
            ],
        ),
        bar_chart(
            title="CSAT promedio por día (1 a 5)",
            days=days,
            max_value=5,
            series=[
                ("Promedio", GREEN, [d["average"] for d in csat]),
            ],
        ),
        bar_chart(
            title="Respuestas a la autorización de datos por día",
            days=days,
            series=[
                ("Aceptó", GREEN, [d["accepted"] for d in consents]),
                ("No aceptó", GREY, [d["declined"] for d in consents]),
            ],
        ),
    ]


def _share_rows(rows: list[dict], key: str = "count") -> list[dict]:
    """Rows with a percentage of the largest, for CSS bars."""
    top = max((row[key] for row in rows), default=0) or 1
    return [{**row, "pct": round(row[key] / top * 100)} for row in rows]


def graph_version_health(*, today) -> dict | None:
    """The configured Graph API version when it needs attention (unknown, retired, or retiring
    within 60 days), for the dashboard's health notice; None when it is fine."""
    version = settings.WHATSAPP_API_VERSION
    if version_problem(version, today=today) is None:
        return None
    retires = retirement_date(version)
    return {
        "version": version,
        "known": version in RELEASED,
        "retires": format_date_long(retires) if retires else "",
        "days_left": (retires - today).days if retires else None,
    }


def circuit_health() -> dict | None:
    """Sends held by the circuit breaker (Meta throttling the number or refusing the token),
    for the dashboard's notice; None while sends go out."""
    state = breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)
    if state is None:
        return None
    opened = datetime.fromtimestamp(state["opened_at"], tz=dt_timezone.utc)
    return {
        "token": state["reason"] == breaker.TOKEN,
        "since": format_time(opened),
        "held": OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).count(),
    }


def _moment(value) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{format_date_long(moment)}, {format_time(moment)}"


def portfolio_display() -> dict:
    """The data's source and the core's health, in words for the dashboard."""
    health = portfolio_health()
    core = health["core"]
    error = core.get("last_error") or {}
    return {
        "source": health["source"],
        "core_configured": core["configured"],
        "core_state": core["state"],
        "core_last_ok": _moment(core.get("last_ok")),
        "core_last_error": _moment(error.get("at")),
        "local_cutoff": _moment(health["local_cutoff"]),
    }


def metrics_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    data = dashboard(now=timezone.now(), days=DAYS)
    csat_rows = [{"score": score, "count": count} for score, count in data["csat"]["distribution"]]
    context = {
        **admin.site.each_context(request),
        "title": "Métricas de atención",
        "days": DAYS,
        "m": data,
        "charts": charts_for(data),
        "escalation_rows": _share_rows(data["escalations"]),
        "status_rows": _share_rows(data["tickets"]["by_status"]),
        "csat_rows": _share_rows(csat_rows),
        "outcome_rows": _share_rows(
            [
                {"label": outcome_label(row["outcome"]), "count": row["count"]}
                for row in outcomes_count(since=data["period"].since)
            ]
        ),
        "graph_version": graph_version_health(today=timezone.localdate()),
        "circuit": circuit_health(),
        "portfolio": portfolio_display(),
    }
    return TemplateResponse(request, "admin/metrics.html", context)

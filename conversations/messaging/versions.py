"""Graph API versions and when Meta retires them.

Meta keeps a version for two years after the release of the version that follows it (v21.0,
followed by v22.0 on 21 January 2025, retires on 21 January 2027). The Cloud API client calls
``WHATSAPP_API_VERSION``; a retired version stops answering, so `check --deploy` warns 60 days
ahead (conversations.messaging.checks). Release dates from Meta's Graph API changelog; add a
line when Meta releases a version.
"""

from __future__ import annotations

from datetime import date, timedelta

RELEASED = {
    "v19.0": date(2024, 1, 23),
    "v20.0": date(2024, 5, 21),
    "v21.0": date(2024, 10, 2),
    "v22.0": date(2025, 1, 21),
    "v23.0": date(2025, 5, 29),
    "v24.0": date(2025, 10, 8),
    "v25.0": date(2026, 2, 18),
}
WARN_DAYS = 60


def retirement_date(version: str) -> date | None:
    """When Meta retires ``version``: two years after the next version's release; None while
    no later version is known (its retirement is then at least two years away)."""
    later = sorted(released for name, released in RELEASED.items() if released > RELEASED.get(version, date.max))
    return later[0].replace(year=later[0].year + 2) if later else None


def version_problem(version: str, *, today: date) -> str | None:
    """Why the configured version needs attention (retired, retiring within WARN_DAYS, or not a
    version known here), in words for operators; None when it is fine."""
    if version not in RELEASED:
        return f"Graph API version {version!r} is not a known version: check Meta's Graph API changelog."
    retires = retirement_date(version)
    if retires is None:
        return None
    if retires <= today:
        return f"Graph API version {version} was retired on {retires.isoformat()}: every call to Meta fails."
    if retires - today <= timedelta(days=WARN_DAYS):
        return f"Graph API version {version} is retired on {retires.isoformat()}, in {(retires - today).days} days."
    return None

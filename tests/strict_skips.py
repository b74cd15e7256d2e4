"""Nothing silently skipped: a pytest plugin (tests/conftest.py loads it).

- In the services pass (scripts/test-services sets PROALTO_REQUIRE_SERVICES=1) a test marked
  ``services`` that skips fails instead: a renamed variable or a missing server would
  otherwise turn the real-services tests into a green run that tested nothing.
- With CI=true a test marked ``browser`` that skips (Chromium or Playwright missing) fails.

The embedded pass does not skip the services tests: scripts/test-services deselects them
with ``-m "not services"``.
"""

from __future__ import annotations

import os

import pytest


def _enabled(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def _required_marker(item) -> str | None:
    if _enabled("PROALTO_REQUIRE_SERVICES") and item.get_closest_marker("services"):
        return "services"
    if _enabled("CI") and item.get_closest_marker("browser"):
        return "browser"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    marker = _required_marker(item)
    if marker is None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    where = "the services pass" if marker == "services" else "CI"
    report.outcome = "failed"
    report.longrepr = f"a '{marker}' test may not skip in {where}: {reason}"

"""Staff read where a message was not understood in Spanish: every step that awaits an answer
has its title (the list itself: tests/escalations/test_unrecognised_messages.py)."""

from conversations.bot.flows import FLOWS, _load


def test_every_step_awaiting_an_answer_has_a_spanish_title():
    _load()
    missing = {
        f"{name}.{attr[3:]}"
        for name, flow in FLOWS.items()
        for attr in dir(flow)
        if attr.startswith("on_") and attr[3:] not in flow.step_titles
    }
    assert not missing, f"steps without a title for staff (Flow.step_titles): {sorted(missing)}"
    stale = {
        f"{name}.{step}"
        for name, flow in FLOWS.items()
        for step in flow.step_titles
        if not hasattr(flow, f"on_{step}")
    }
    assert not stale, f"titles of steps that do not exist: {sorted(stale)}"

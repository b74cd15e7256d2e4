"""The flow registry: every conversational flow is one module in this package.

Adding a flow: a module here with a ``Flow`` subclass decorated with ``@register``, and
its copy in ``templates/bot/<flow>/``. The engine finds it by name and by intent.
"""

from __future__ import annotations

import importlib
import pkgutil

from conversations.bot.flows.base import Flow, Incoming, Media, Reply, Turn  # noqa: F401  (public API)

FLOWS: dict[str, Flow] = {}
_loaded = False


def register(cls: type[Flow]) -> type[Flow]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in FLOWS and type(FLOWS[cls.name]) is not cls:
        raise ValueError(f"two flows are named {cls.name!r}")
    FLOWS[cls.name] = cls()
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            if module.name != "base":
                importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True


def get_flow(name: str) -> Flow:
    _load()
    return FLOWS[name]


def flow_exists(name: str) -> bool:
    _load()
    return name in FLOWS


def flow_for_intent(intent: str) -> Flow | None:
    _load()
    for flow in FLOWS.values():
        if intent in flow.intents:
            return flow
    return None

"""The models of the conversations app, for Django: each lives in its layer's package.

Import them from there (``conversations.messaging.models``, ``conversations.bot.models``),
never from here: this module exists so that Django finds them under one app label.
"""

from conversations.bot.models import CsatSurvey, ResolvedRequest, UnrecognisedMessage  # noqa: F401
from conversations.messaging.models import Contact, ConversationSession, InboundMessage, OutboundMessage  # noqa: F401

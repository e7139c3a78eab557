"""The Slack bot (slack-bolt): threads as conversations, /ask, Block Kit answers; mounted by
`assistant.server`.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.slack.bot import SlackBot
from assistant.slack.events import mount_events

__all__ = ["SlackBot", "mount_events"]

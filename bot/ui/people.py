"""How a person named in a record is written in a message. Pure."""

from __future__ import annotations

from bot.storage.models import FORGOTTEN
from bot.ui.blocks import FORGOTTEN_NAME


def mention(user: str) -> str:
    """A Slack mention of the user, or a plain phrase for someone whose data was deleted (``forget``)."""
    return FORGOTTEN_NAME if user == FORGOTTEN else f"<@{user}>"

"""The documents behind the rules, as people read them: a short name that links to the source.

Rules cite the decision guide's bibliography by key ("OAI-ACC"); a key means nothing in Slack, so every source
the bot shows is its short name linking to the document, from the table kept with the rules
(``scoring.sources.SOURCE_DETAILS``). These functions are the only ways the bot renders a source.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bot.ui.blocks import mrkdwn_escape
from scoring.sources import SOURCE_DETAILS, SOURCES, Source


def source_for(key: str) -> Source | None:
    return SOURCE_DETAILS.get(key)


@cache
def source_link(key: str) -> str:
    """One source in mrkdwn: its short name linking to the document.

    A key only a team's own policy knows (no URL here) shows its title, or the key, unlinked.
    """
    source = source_for(key)
    if source is None:
        return mrkdwn_escape(SOURCES.get(key, key))
    return f"<{source.url}|{mrkdwn_escape(source.short)}>"


def source_links(keys: Iterable[str], limit: int | None = None) -> str:
    """Several sources in mrkdwn, separated by middle dots; the first ``limit`` of them."""
    shown = list(dict.fromkeys(keys))
    if limit is not None:
        shown = shown[:limit]
    return " · ".join(source_link(key) for key in shown)


@cache
def source_titled_link(key: str) -> str:
    """One source with its full title, linked: for lists of the evidence."""
    source = source_for(key)
    if source is None:
        return mrkdwn_escape(SOURCES.get(key, key))
    return f"<{source.url}|{mrkdwn_escape(source.title)}>"


@cache
def source_markdown(key: str) -> str:
    """One source as a Markdown link with its full title, for the exported decision record."""
    source = source_for(key)
    if source is None:
        return SOURCES.get(key, key)
    return f"[{source.title}]({source.url})"

"""Checks that a payload shows people's text as they typed it, and that nothing they typed can ping or link.

Walks any view or message payload (blocks, fallback ``text``, attachments, nested views). Slack shows
``plain_text`` objects and rich_text ``text``/``link`` labels exactly as sent; it formats ``mrkdwn`` objects
and a message's fallback ``text``, and reads ``<!channel>``, ``<@U…>`` and ``<url|label>`` there.

- ``shown_as_typed(payload, text)``: where ``text`` is not shown byte for byte in a plain or rich text
  element (a cut ending in "…" counts when what precedes it is exactly how the text starts), or where it sits
  raw in mrkdwn that would read its ``&``, ``<`` or ``>``. Empty when all is well.
- ``misread(payload, people)``: what in the payload would ping, link or alter: a broadcast (``<!channel>``,
  ``<!here>``, ``<!everyone>``), a mention of anyone not in ``people``, a link to a host the app never links
  to, or the look-alike characters (U+02CB, U+02CD, U+2217, U+223C) once used in place of `` ` _ * ~``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from scoring.sources import SOURCE_DETAILS

ELLIPSIS = "…"
LOOKALIKES = "\u02cb\u02cd\u2217\u223c"
_SPECIAL = re.compile(r"<([!@#][^<>|]*|[a-z][a-z0-9+.-]*:[^<>|]*)(?:\|[^<>]*)?>", re.IGNORECASE)
# The hosts the app links to: the evidence it cites, and Slack (permalinks, the workspace).
_LINKED_HOSTS = frozenset(urlparse(source.url).hostname or "" for source in SOURCE_DETAILS.values())


@dataclass(frozen=True)
class Shown:
    """One piece of text in a payload: where it is, and whether Slack shows it verbatim."""

    where: str
    text: str
    verbatim: bool  # plain_text, or a rich text element: never formatted


def pieces(payload: Any, where: str = "") -> Iterator[Shown]:
    """Every piece of text a payload carries."""
    if isinstance(payload, list):
        for index, item in enumerate(payload):
            yield from pieces(item, f"{where}[{index}]")
        return
    if not isinstance(payload, dict):
        return
    kind = payload.get("type")
    text = payload.get("text")
    if isinstance(text, str):
        if kind in {"plain_text", "text", "link"}:
            yield Shown(where, text, verbatim=True)
        elif kind == "mrkdwn" or kind is None or kind in {"modal", "home", "message"}:
            # A mrkdwn object, or a message's fallback text: Slack reads markup in both.
            yield Shown(f"{where}.text", text, verbatim=False)
    for key, value in payload.items():
        if key == "text" and isinstance(value, str):
            continue
        if isinstance(value, dict | list):
            yield from pieces(value, f"{where}.{key}" if where else key)
    if kind == "link" and isinstance(payload.get("url"), str):
        yield Shown(f"{where}.url", f"<{payload['url']}>", verbatim=False)


def _shows(piece: str, text: str) -> bool:
    if text in piece:
        return True
    if ELLIPSIS not in piece:
        return False
    # A cut: what precedes the ellipsis is how the text starts (after whitespace was made single spaces).
    single = " ".join(text.split())
    return any(
        cut.strip() and single.startswith(cut.rstrip()) and len(cut.strip()) >= 12
        for part in piece.split(ELLIPSIS)[:-1]
        for cut in _suffixes(part)
    )


def _suffixes(part: str) -> Iterable[str]:
    """Where a cut text may begin inside a piece: after our words, at each character."""
    return (part[start:] for start in range(len(part)))


def shown_as_typed(payload: Any, text: str) -> list[str]:
    """Where ``text`` is not shown as typed (empty when it is, somewhere, and raw nowhere markup is read)."""
    found = list(pieces(payload))
    problems = []
    if not any(shown.verbatim and _shows(shown.text, text) for shown in found):
        problems.append(f"{text!r} is shown nowhere verbatim (plain_text or a rich text element)")
    if set(text) & set("&<>"):
        problems += [
            f"{shown.where}: {text!r} raw in mrkdwn"
            for shown in found
            if not shown.verbatim and text in shown.text
        ]
    return problems


def misread(payload: Any, people: Iterable[str] = ()) -> list[str]:
    """What in the payload would ping someone, link somewhere the app never links, or alter a character."""
    known = set(people)
    problems = []
    for shown in pieces(payload):
        if any(character in shown.text for character in LOOKALIKES):
            problems.append(f"{shown.where}: look-alike characters in {shown.text[:80]!r}")
        if shown.verbatim:
            continue
        for match in _SPECIAL.finditer(shown.text):
            target = match.group(1)
            if target.startswith("!") and not target.startswith("!date^"):
                problems.append(f"{shown.where}: a broadcast {match.group(0)!r}")
            elif target.startswith("@") and target[1:] not in known:
                problems.append(f"{shown.where}: a mention of {target[1:]!r}")
            elif ":" in target and not target.startswith(("#", "@", "!")):
                host = urlparse(target).hostname or ""
                if host not in _LINKED_HOSTS and not host.endswith("slack.com"):
                    problems.append(f"{shown.where}: a link to {host!r}")
    problems += _user_elements(payload, known)
    return problems


def _user_elements(payload: Any, known: set[str], where: str = "") -> list[str]:
    """Rich text user and broadcast elements for anyone not in ``known``."""
    problems: list[str] = []
    if isinstance(payload, list):
        for index, item in enumerate(payload):
            problems += _user_elements(item, known, f"{where}[{index}]")
    elif isinstance(payload, dict):
        if payload.get("type") == "broadcast":
            problems.append(f"{where}: a broadcast element")
        if payload.get("type") == "user" and payload.get("user_id") not in known:
            problems.append(f"{where}: a user element for {payload.get('user_id')!r}")
        for key, value in payload.items():
            if isinstance(value, dict | list):
                problems += _user_elements(value, known, f"{where}.{key}")
    return problems

"""Small Block Kit building blocks shared by the modal, message and Home builders."""

from __future__ import annotations

import re
import time
from typing import Any

Block = dict[str, Any]
SECTION_LIMIT = 3000
# Headroom under Slack's 3000-character section limit for mrkdwn that Slack expands.
SECTION_BUDGET = 2900

# Slack's mrkdwn has no escape for its formatting characters, so a person's *, _, ~ and ` are shown as
# look-alikes that mrkdwn does not read: a project name with three backticks cannot close a code fence, and a
# `*` in it cannot turn the text around it bold.
_FORMATTING_LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def escape(text: str) -> str:
    """A person's text, safe to put in any mrkdwn: it shows as typed, pings nobody and formats nothing.

    ``&``, ``<`` and ``>`` become the entities Slack asks for, so ``<!channel>``, ``<@U123>`` or a
    ``<url|link>`` shows literally; the formatting characters become look-alikes. Used for every
    person-written string the bot posts (project names, use cases, rationales, what people said in a
    thread), fallbacks included.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.translate(_FORMATTING_LOOKALIKES)


def one_line(text: str) -> str:
    """A person's text on one line (a project name inside a sentence), escaped."""
    return escape(" ".join(text.split()))


def quote(text: str) -> str:
    """A person's text as a mrkdwn block quote, every line of it, escaped."""
    return "\n".join(f">{escape(line)}" for line in text.splitlines() or [""])


def local_time(
    timestamp: float, style: str = "{date_short_pretty} at {time}", fallback: str = "%Y-%m-%d %H:%M UTC"
) -> str:
    """A time every reader sees in their own time zone (Slack's date formatting), with a UTC fallback."""
    return f"<!date^{int(timestamp)}^{style}|{time.strftime(fallback, time.gmtime(timestamp))}>"


def local_day(timestamp: float) -> str:
    return local_time(timestamp, "{date_short_pretty}", "%Y-%m-%d")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary, with an ellipsis, when it is longer than ``limit``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    if cut.count("(") > cut.count(")"):  # never leave an aside open
        cut = cut[: cut.rfind("(")]
    return cut.rstrip(" ,;:—-") + "…"


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": mrkdwn(truncate(text, SECTION_LIMIT)), **extra}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(truncate(t, SECTION_LIMIT)) for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def confirm_dialog(
    title: str, text: str, confirm: str, deny: str = "Cancel", *, danger: bool = False
) -> Block:
    """Slack's own "are you sure?" dialog, shown before a destructive button's action is sent."""
    dialog: dict[str, Any] = {
        "title": plain(title, 100),
        "text": plain(text, 300),
        "confirm": plain(confirm, 30),
        "deny": plain(deny, 30),
    }
    if danger:
        dialog["style"] = "danger"
    return dialog


def button(
    text: str,
    action_id: str,
    value: str = "",
    style: str | None = None,
    *,
    label: str | None = None,
    confirm: Block | None = None,
) -> dict[str, Any]:
    """A button; ``label`` is what a screen reader says instead of the text (for emoji buttons)."""
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if label:
        element["accessibility_label"] = truncate(label, 75)
    if confirm:
        element["confirm"] = confirm
    return element


def overflow(action_id: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    """The ⋯ menu: (label, value) pairs, at most five."""
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": [{"text": plain(text, 75), "value": value} for text, value in options[:5]],
    }


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def sections_from_lines(title: str, lines: list[str]) -> list[Block]:
    """Lines under a bold title, split across as many sections as the 3000-character limit needs."""
    blocks: list[Block] = []
    current = f"*{title}*" if title else ""
    for raw in lines:
        line = truncate(raw, SECTION_BUDGET - 10)
        if current and len(current) + 1 + len(line) > SECTION_BUDGET:
            blocks.append(section(current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    blocks.append(section(current or " "))
    return blocks


_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def _seen(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if label is not None:
        return label
    if target.startswith("@"):
        return "@someone"
    if target.startswith("#"):
        return "#channel"
    return target


def _readable(text: str) -> str:
    """mrkdwn as a reader sees it: link labels instead of URLs, names for mentions, no markup characters."""
    text = _LINK.sub(_seen, text)
    text = re.sub(r"(?<!\w)[*_~]|[*_~](?!\w)|`", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def visible_text(message: dict[str, Any]) -> str:
    """What a person reads in a message's blocks (headers, sections, contexts, buttons), a piece a line.

    Menus' options are left out: they show only when opened.
    """
    pieces: list[str] = []
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind in {"header", "section"} and isinstance(block.get("text"), dict):
            pieces.append(_readable(str(block["text"].get("text", ""))))
        if kind == "section":
            pieces += [_readable(str(f.get("text", ""))) for f in block.get("fields") or []]
        if kind == "context":
            pieces += [_readable(str(e.get("text", ""))) for e in block.get("elements", []) if "text" in e]
        if kind == "actions":
            pieces += [
                str(e["text"].get("text", "")) for e in block.get("elements", []) if e.get("type") == "button"
            ]
    return "\n".join(pieces)


def visible_length(message: dict[str, Any]) -> int:
    """How many characters a person reads in a message's blocks (line breaks are layout, not text)."""
    return len(visible_text(message).replace("\n", ""))

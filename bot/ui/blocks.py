"""Small Block Kit building blocks shared by the modal, message and Home builders."""

from __future__ import annotations

import re
import time
from typing import Any

from bot.storage.models import FORGOTTEN

Block = dict[str, Any]
SECTION_LIMIT = 3000
# Headroom under Slack's 3000-character section limit for mrkdwn that Slack expands.
SECTION_BUDGET = 2900

# People's text (project names, use cases, rationales, what they said in a thread) is shown exactly as typed:
# in rich_text text elements (``said``) or plain_text, which Slack never formats and where ``<!channel>`` or
# ``<@U123>`` is only text. Where mrkdwn cannot be avoided (a fallback ``text``), ``mrkdwn_escape`` turns
# only & < > into the entities Slack asks for, so nothing pings or links and nothing else changes.
Element = dict[str, Any]
FORGOTTEN_NAME = "a former participant"
Piece = str | Element  # a str is our own words


def mrkdwn_escape(text: str) -> str:
    """Text for mrkdwn or a message's fallback ``text``: shows as typed, pings nobody, links nothing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styled(element: Element, *, bold: bool, italic: bool) -> Element:
    style = {name: True for name, on in (("bold", bold), ("italic", italic)) if on}
    return {**element, "style": style} if style else element


def said(text: str, *, bold: bool = False, italic: bool = False) -> Element:
    """What a person typed, as a rich text element: byte for byte, never formatted, never a mention."""
    return _styled({"type": "text", "text": text}, bold=bold, italic=italic)


def words(text: str, *, bold: bool = False, italic: bool = False) -> Element:
    """Our own words as a rich text element (beside something a person typed)."""
    return _styled({"type": "text", "text": text}, bold=bold, italic=italic)


def link(url: str, text: str, *, bold: bool = False) -> Element:
    """A link whose label is shown as given (a project name, say): the label cannot add a link of its own."""
    return _styled({"type": "link", "url": url, "text": text}, bold=bold, italic=False)


def person(user: str) -> Element:
    """A user in rich text, or words for someone whose data was deleted (``forget``: not a user id)."""
    return words(FORGOTTEN_NAME) if user == FORGOTTEN else {"type": "user", "user_id": user}


def when(timestamp: float, style: str = "{date_short_pretty} at {time}") -> Element:
    """A time each reader sees in their own time zone, with a UTC fallback."""
    fallback = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))
    return {"type": "date", "timestamp": int(timestamp), "format": style, "fallback": fallback}


def _elements(pieces: tuple[Piece, ...]) -> list[Element]:
    return [words(piece) if isinstance(piece, str) else piece for piece in pieces if piece != ""]


def paragraph(*pieces: Piece) -> Element:
    """One paragraph of a rich_text block: our words (str), and ``said``, ``link``, ``person``."""
    return {"type": "rich_text_section", "elements": _elements(pieces) or [words(" ")]}


def passage(text: str) -> Element:
    """What a person typed as a quoted paragraph of a rich_text block, line breaks kept."""
    return {"type": "rich_text_quote", "elements": [said(text or "—")]}


def rich_parts(*parts: Element, block_id: str | None = None) -> Block:
    """A rich_text block of several paragraphs and quotes (``paragraph``, ``passage``)."""
    block: Block = {"type": "rich_text", "elements": list(parts)}
    return {**block, "block_id": block_id} if block_id else block


def rich(*pieces: Piece, block_id: str | None = None) -> Block:
    """A rich_text block of one paragraph from pieces: our words (str), and ``said``, ``link``, ``person``."""
    return rich_parts(paragraph(*pieces), block_id=block_id)


def rich_quote(*pieces: Piece) -> Block:
    """A quote (a rationale, say) as a rich_text block: the quote bar, the text as typed."""
    return {"type": "rich_text", "elements": [{"type": "rich_text_quote", "elements": _elements(pieces)}]}


def typed(label: str, text: str, limit: int = SECTION_LIMIT) -> Block:
    """A bold label of ours, then what a person typed: "Use case: …"."""
    return rich(words(f"{label}: ", bold=True), said(shorten(text, limit)))


def local_time(
    timestamp: float, style: str = "{date_short_pretty} at {time}", fallback: str = "%Y-%m-%d %H:%M UTC"
) -> str:
    """A time every reader sees in their own time zone (Slack's date formatting), with a UTC fallback."""
    return f"<!date^{int(timestamp)}^{style}|{time.strftime(fallback, time.gmtime(timestamp))}>"


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


def _element_text(element: Element) -> str:
    kind = element.get("type")
    if kind == "user":
        return "@someone"
    if kind == "date":
        return str(element.get("fallback", ""))
    if kind == "link":
        return str(element.get("text") or element.get("url", ""))
    if kind == "emoji":
        return "·"
    return str(element.get("text", ""))


def rich_text_of(block: Block) -> str:
    """What a person reads in a rich_text block, its paragraphs a line each."""
    return "\n".join(
        "".join(_element_text(e) for e in part.get("elements", [])) for part in block.get("elements", [])
    )


def visible_text(message: dict[str, Any]) -> str:
    """What a person reads in a message's blocks (headers, sections, rich text, contexts, buttons), a piece a
    line.

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
        if kind == "rich_text":
            pieces.append(rich_text_of(block))
        if kind == "actions":
            pieces += [
                str(e["text"].get("text", "")) for e in block.get("elements", []) if e.get("type") == "button"
            ]
    return "\n".join(pieces)


def visible_length(message: dict[str, Any]) -> int:
    """How many characters a person reads in a message's blocks (line breaks are layout, not text)."""
    return len(visible_text(message).replace("\n", ""))

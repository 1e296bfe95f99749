"""Rich-text blocks for people's own words: what they typed is shown exactly as typed. Pure.

In a ``rich_text`` block a ``text`` element is never read as markup, so nothing a person types can format,
link or ping; mentions are ``user`` elements, never typed ``<@…>``. Used by the review and outcome surfaces.
"""

from __future__ import annotations

from typing import Any

from bot.ui.blocks import Block

Element = dict[str, Any]
# Slack's rich_text has no documented text limit of its own; kept within a section's 3000 like the rest.
RICH_TEXT_LIMIT = 3000


def text(value: str, *, bold: bool = False, italic: bool = False) -> Element:
    element: Element = {"type": "text", "text": value}
    style = {name: True for name, on in (("bold", bold), ("italic", italic)) if on}
    if style:
        element["style"] = style
    return element


def user(user_id: str) -> Element:
    return {"type": "user", "user_id": user_id}


def paragraph(*elements: Element) -> Element:
    return {"type": "rich_text_section", "elements": [e for e in elements if e.get("text") != ""]}


def quoted(words: str) -> Element:
    """A person's words as a block quote, line breaks kept."""
    return {"type": "rich_text_quote", "elements": [text(words[:RICH_TEXT_LIMIT])]}


def rich_text(*parts: Element) -> Block:
    return {"type": "rich_text", "elements": list(parts)}


def rich_text_length(message: dict[str, Any]) -> int:
    """Characters a person reads in a message's rich-text blocks (``blocks.visible_length`` counts the
    others)."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            if node.get("type") == "text":
                total += len(str(node.get("text", "")).replace("\n", ""))
            elif node.get("type") == "user":
                total += len("@someone")
            for value in node.values():
                if isinstance(value, list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk([b for b in message.get("blocks") or [] if b.get("type") == "rich_text"])
    return total

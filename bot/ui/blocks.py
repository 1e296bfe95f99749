"""Small Block Kit building blocks shared by the modal, message and Home builders."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]
SECTION_LIMIT = 3000
# Headroom under Slack's 3000-character section limit for mrkdwn that Slack expands.
SECTION_BUDGET = 2900


def escape(text: str) -> str:
    """Escape a person's text for mrkdwn, so <!channel> or <@U123> in a project name pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def sections_from_lines(title: str, lines: list[str]) -> list[Block]:
    """Lines under a bold title, split across as many sections as the 3000-character limit needs."""
    blocks: list[Block] = []
    current = f"*{title}*"
    for raw in lines:
        line = truncate(raw, SECTION_BUDGET - 10)
        if len(current) + 1 + len(line) > SECTION_BUDGET:
            blocks.append(section(current))
            current = line
        else:
            current = f"{current}\n{line}"
    blocks.append(section(current))
    return blocks

"""Block Kit rendered as plain text, so the demo can show a modal page or a message in a terminal."""

from __future__ import annotations

import re
import textwrap
from typing import Any

WIDTH = 96


def _mrkdwn(text: str) -> str:
    text = re.sub(r"<!date\^[^|>]*\|([^>]*)>", r"\1", text)  # a date in the reader's time: its fallback
    text = re.sub(r"<https?://[^|>]+\|([^>]*)>", r"\1", text)  # a link: its label
    text = re.sub(r"<@(\w+)>", r"@\1", text)
    text = re.sub(r"<#(\w+)(\|[^>]*)?>", r"#\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.replace("```", "")


def _rich_text(block: dict[str, Any]) -> str:
    """A rich_text block as read: people's text as typed, users and channels by id, dates by fallback."""
    shown = {"user": "@{user_id}", "channel": "#{channel_id}", "date": "{fallback}", "emoji": ":{name}:"}
    parts = []
    for part in block.get("elements", []):
        prefix = "> " if part.get("type") == "rich_text_quote" else ""
        pieces = [
            shown[e["type"]].format(**e) if e.get("type") in shown else str(e.get("text", ""))
            for e in part.get("elements", [])
        ]
        parts.append(prefix + "".join(pieces).replace("\n", "\n" + prefix))
    return "\n".join(parts)


def _wrap(text: str, indent: str = "  ", *, markup: bool = True) -> list[str]:
    lines: list[str] = []
    for raw in (_mrkdwn(text) if markup else text).splitlines() or [""]:
        if raw.startswith(("█", "░")) or "█" in raw or "░" in raw:
            lines.append(indent + raw)
            continue
        lines.extend(
            textwrap.wrap(raw, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]
        )
    return lines


def render_blocks(blocks: list[dict[str, Any]], selected: dict[str, str] | None = None) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines += ["", "  " + block["text"]["text"].upper(), "  " + "=" * len(block["text"]["text"])]
        elif kind == "section":
            lines += _wrap(block["text"]["text"])
        elif kind == "rich_text":
            lines += _wrap(_rich_text(block), markup=False)
        elif kind == "context":
            for element in block.get("elements", []):
                lines += _wrap(element.get("text", ""), "    ")
        elif kind == "divider":
            lines.append("  " + "-" * 40)
        elif kind == "actions":
            lines.append("  " + "  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
        elif kind == "input":
            optional = " (optional)" if block.get("optional") else ""
            lines.append(f"  {block['label']['text']}{optional}   <{block['block_id']}>")
            element = block["element"]
            chosen = (selected or {}).get(block["block_id"])
            if element["type"] in {"radio_buttons", "static_select"}:
                initial = (element.get("initial_option") or {}).get("value")
                for option in element["options"]:
                    mark = "(•)" if option["value"] in {chosen, initial} and (chosen or initial) else "( )"
                    if chosen and option["value"] != chosen:
                        mark = "( )"
                    lines.append(f"     {mark} {option['text']['text']}")
            else:
                lines.append(f"     [{chosen or element.get('initial_value', '')}]")
        lines.append("")
    return lines


def render_view(view: dict[str, Any], selected: dict[str, str] | None = None) -> str:
    title = view["title"]["text"]
    submit = view.get("submit", {}).get("text")
    top = f"+-- {title} " + "-" * max(4, 60 - len(title))
    bottom = (
        "+" + "-" * 40 + (f"  [{view.get('close', {}).get('text', 'Close')}]  [{submit}]" if submit else "")
    )
    return "\n".join([top, *render_blocks(view["blocks"], selected), bottom])


def render_message(message: dict[str, Any]) -> str:
    blocks = message.get("blocks") or []
    if not blocks:
        return "\n".join(_wrap(message.get("text", "")))
    return "\n".join(render_blocks(blocks))

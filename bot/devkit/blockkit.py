"""Checking views and messages against Block Kit's documented limits, as Slack would on receipt.

slack_sdk.models enforces most field lengths when a payload is parsed and re-serialised; the limits it does
not check (blocks per surface, unique block ids, option lengths inside radio buttons, view size) are
checked here. The stand-in Web API runs these checks, so an oversized payload fails in tests as it would in
Slack.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_VIEW_BYTES = 250_000
MAX_TEXT = 40_000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BUTTON_TEXT = 75


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _element_problems(blocks: list[Any]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        if not isinstance(block, dict):
            problems.append("a block is not an object")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in seen:
                problems.append(f"duplicate block_id {block_id!r}")
            seen.add(block_id)
    for node in _walk(blocks):
        if node.get("type") == "button" and len(node.get("text", {}).get("text", "")) > MAX_BUTTON_TEXT:
            problems.append(f"button text over {MAX_BUTTON_TEXT} characters")
        for option in node.get("options", []) if isinstance(node.get("options"), list) else []:
            if not isinstance(option, dict):
                continue
            if len(option.get("text", {}).get("text", "")) > MAX_OPTION_TEXT:
                problems.append(f"option text over {MAX_OPTION_TEXT} characters")
            if len(str(option.get("value", ""))) > MAX_OPTION_VALUE:
                problems.append(f"option value over {MAX_OPTION_VALUE} characters")
    return problems


def _parse_blocks(blocks: list[Any]) -> list[str]:
    problems: list[str] = []
    for index, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                problems.append(f"block {index}: unknown block type {raw.get('type')!r}")
                continue
            block.to_dict()
        except (SlackObjectFormationError, TypeError, AttributeError, KeyError) as error:
            problems.append(f"block {index} ({raw.get('type') if isinstance(raw, dict) else '?'}): {error}")
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    """Why Slack would refuse this modal or Home view; empty when it would not."""
    problems: list[str] = []
    blocks = view.get("blocks", [])
    if not isinstance(blocks, list) or not blocks:
        return ["a view needs at least one block"]
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks; a view allows {MAX_VIEW_BLOCKS}")
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        problems.append("view over 250 kB")
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as error:
        problems.append(str(error))
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if view.get("type") == "modal" and has_input and not view.get("submit"):
        problems.append("a modal with input blocks needs a submit button")
    return problems + _parse_blocks(blocks) + _element_problems(blocks)


def message_problems(message: dict[str, Any]) -> list[str]:
    """Why Slack would refuse this chat.postMessage / chat.update payload; empty when it would not."""
    problems: list[str] = []
    blocks = message.get("blocks") or []
    text = message.get("text") or ""
    if not blocks and not text:
        problems.append("a message needs text or blocks")
    if len(text) > MAX_TEXT:
        problems.append(f"text of {len(text)} characters; Slack truncates over {MAX_TEXT}")
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks; a message allows {MAX_MESSAGE_BLOCKS}")
    return problems + _parse_blocks(blocks) + _element_problems(blocks)

"""The App Home tab: start or resume, your recent assessments, the decisions you took part in. Pure.

Only what the person started, edited, voted on or decided is listed: the Home tab must never show what was
posted in a channel they cannot see.
"""

from __future__ import annotations

import time
from typing import Any

from bot import ids
from bot.storage.models import Draft, StoredAssessment
from bot.ui.blocks import Block, actions, button, context, divider, escape, header, section
from bot.ui.people import mention
from scoring import Approach


def permalink(workspace_url: str | None, channel: str, ts: str | None) -> str | None:
    if not workspace_url or not ts:
        return None
    return f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def _line(record: StoredAssessment, workspace_url: str | None) -> str:
    project = escape(record.answers.get("project_name", "Unnamed project"))
    link = permalink(workspace_url, record.channel, record.ts)
    title = f"<{link}|{project}>" if link else f"*{project}*"
    text = f"{title} — recommended *{record.result.approach.label}*"
    if record.decision:
        day = time.strftime("%Y-%m-%d", time.gmtime(record.decision.at))
        decided = Approach(record.decision.approach).label
        text += f" · decided *{decided}* by {mention(record.decision.by)} on {day}"
    return text


def home_view(
    draft: Draft | None,
    recent: list[StoredAssessment],
    decisions: list[StoredAssessment],
    workspace_url: str | None,
) -> dict[str, Any]:
    buttons = [button("New assessment", ids.HOME_NEW_ASSESSMENT, style="primary")]
    if draft is not None:
        buttons.append(button(f"Resume your draft (page {draft.page} of 4)", ids.HOME_RESUME))
    blocks: list[Block] = [
        header("LLM Approach"),
        section(
            "Prompt engineering, RAG, fine-tuning, or both? Answer four short pages about your project "
            "and get a "
            "recommendation with the evidence behind it. In a channel, type `/llm-approach`."
        ),
        actions("home_actions", *buttons),
        divider(),
        section("*Your recent assessments*"),
    ]
    blocks += [section(_line(r, workspace_url)) for r in recent] or [context("None yet.")]
    blocks += [divider(), section("*Decisions you took part in*")]
    blocks += [section(_line(r, workspace_url)) for r in decisions] or [context("No decisions recorded yet.")]
    return {"type": "home", "blocks": blocks[:100]}


def home_unavailable_view(error_id: str) -> dict[str, Any]:
    """The Home tab when storage cannot be read: starting still works, and it says why the lists are gone."""
    return {
        "type": "home",
        "blocks": [
            header("LLM Approach"),
            section(
                f":warning: I can't read your assessments right now (error id `{error_id}`). "
                "Open this tab again in a minute; `/llm-approach` in a channel still works."
            ),
            actions("home_actions", button("New assessment", ids.HOME_NEW_ASSESSMENT, style="primary")),
        ],
    }

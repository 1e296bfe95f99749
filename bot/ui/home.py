"""The App Home tab: start or resume, your recent assessments, the decisions you took part in. Pure.

Only what the person started, edited, voted on or decided is listed: the Home tab must never show what was
posted in a channel they cannot see.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.storage.models import Draft, StoredAssessment
from bot.ui.blocks import (
    Block,
    Piece,
    actions,
    button,
    context,
    divider,
    header,
    link,
    local_time,
    person,
    rich,
    said,
    section,
    when,
    words,
)
from bot.ui.outcome import home_outcome_suffix
from bot.ui.questionnaire import LAST_PAGE
from scoring import Approach

INTRO = (
    "Prompt engineering, RAG, fine-tuning, or both? Answer four short pages about your project and I'll "
    "post a recommendation, with the evidence behind it, in the channel you choose, for your team to "
    "discuss in its thread."
)


def permalink(workspace_url: str | None, channel: str, ts: str | None) -> str | None:
    if not workspace_url or not ts:
        return None
    return f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def _line(record: StoredAssessment, workspace_url: str | None) -> Block:
    """One assessment: its project's name as typed (linking to the result), and where it stands."""
    project = " ".join((record.answers.get("project_name") or "Unnamed project").split())
    url = permalink(workspace_url, record.channel, record.ts)
    title = link(url, project, bold=True) if url else said(project, bold=True)
    day = "{date_short_pretty}"
    if record.decision:
        decided = words(Approach(record.decision.approach).label, bold=True)
        return rich(
            title,
            ": decided ",
            decided,
            " by ",
            person(record.decision.by),
            " ",
            when(record.decision.at, day),
            home_outcome_suffix(record),
        )
    where: list[Piece] = (
        [" in ", {"type": "channel", "channel_id": record.channel}]
        if record.channel.startswith(("C", "G"))
        else []
    )
    recommended = words(record.result.approach.label, bold=True)
    return rich(title, ": recommended ", recommended, *where, " ", when(record.created, day))


def home_view(
    draft: Draft | None,
    recent: list[StoredAssessment],
    decisions: list[StoredAssessment],
    workspace_url: str | None,
    learning: list[Block] | None = None,
) -> dict[str, Any]:
    """``learning``: the workspace's outcome figures, for an admin (``report.home_learning_blocks``)."""
    buttons = [button("New assessment", ids.HOME_NEW_ASSESSMENT, style="primary")]
    blocks: list[Block] = [header("LLM Approach"), section(INTRO)]
    if draft is not None:
        saved = f", saved {local_time(draft.updated)}" if draft.updated else ""
        blocks.append(section(f":floppy_disk: You have a draft: page {draft.page} of {LAST_PAGE}{saved}."))
        buttons = [button("Resume your draft", ids.HOME_RESUME, style="primary")]
    blocks.append(actions(ids.HOME_ACTIONS_BLOCK, *buttons))
    blocks += [divider(), section("*Your recent assessments*")]
    blocks += [_line(r, workspace_url) for r in recent] or [
        context("None yet. Your assessments will show here, with a link to each result.")
    ]
    blocks += [divider(), section("*Decisions you took part in*")]
    blocks += [_line(r, workspace_url) for r in decisions] or [
        context("No decisions recorded yet. Press *Record decision* on a result once the team agrees.")
    ]
    if learning:
        blocks += [divider(), *learning]
    blocks.append(
        context(
            "In a channel, `/llm-approach` posts there. Mention me in a result's thread to ask “what if …”."
        )
    )
    return {"type": "home", "blocks": blocks[:100]}


def home_unavailable_view(error_id: str) -> dict[str, Any]:
    """The Home tab when storage cannot be read: says so once, and promises nothing that would fail too."""
    return {
        "type": "home",
        "blocks": [
            header("LLM Approach"),
            section(
                ":warning: I can't read your assessments right now: my storage is not answering, so starting "
                "or resuming an assessment won't work either. Open this tab again in a few minutes."
            ),
            context(f"Error id `{error_id}`: quote it if you report this."),
        ],
    }

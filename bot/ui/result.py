"""The result as posted in the channel (or by DM when the channel refuses it). Pure functions."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment
from bot.ui.blocks import (
    Block,
    actions,
    button,
    context,
    escape,
    header,
    section,
    sections_from_lines,
    truncate,
)
from bot.ui.people import mention
from scoring import Approach, Assessment
from scoring.models import APPROACHES, Reason
from scoring.text import (
    bar,
    describe_answer,
    describe_flip,
    points,
    separating,
    supporting,
)

SHORT = {
    Approach.PROMPT_ENGINEERING: "PE",
    Approach.RAG: "RAG",
    Approach.FINE_TUNING: "FT",
    Approach.HYBRID: "Hybrid",
}
TEXT_LIMIT = 3900
Message = dict[str, Any]


def cite(sources: tuple[str, ...]) -> str:
    return f" _[{', '.join(sources)}]_" if sources else ""


def effects_line(effects: Mapping[Approach, float]) -> str:
    moved = [f"{SHORT[a]} {effects[a]:+g}" for a in APPROACHES if effects[a]]
    return " · ".join(moved) if moved else "no effect"


def reason_line(reason: Reason) -> str:
    return f"• *{describe_answer(reason.question, reason.answer)}*: {reason.text}{cite(reason.sources)}"


def score_bars(result: Assessment) -> str:
    ranked = result.ranked()
    low, high = min(s for _, s in ranked), max(s for _, s in ranked)
    rows = [f"{a.label:<19} {bar(s, low, high, 16)} {s:+.1f}" for a, s in ranked]
    return "```" + "\n".join(rows) + "```"


def confidence_text(result: Assessment) -> str:
    c = result.confidence
    text = f"*Confidence: {c.level}* — {points(c.margin)} ahead of {c.runner_up.label}"
    if result.missing:
        text += f"; {c.answered} of {c.of} questions answered"
    return text


def tally(votes: Mapping[str, str]) -> str:
    agree = sum(1 for v in votes.values() if v == "agree")
    disagree = sum(1 for v in votes.values() if v == "disagree")
    return f"👍 {agree} agree · 👎 {disagree} disagree"


def decision_text(record: StoredAssessment) -> str | None:
    if record.decision is None:
        return None
    decided = Approach(record.decision.approach).label
    day = time.strftime("%Y-%m-%d", time.gmtime(record.decision.at))
    return f"*Decided: {decided}*, by {mention(record.decision.by)} on {day}"


def fallback_text(record: StoredAssessment) -> str:
    result = record.result
    project = record.answers.get("project_name", "this project")
    why = "; ".join(r.text for r in supporting(result)[:2])
    return truncate(
        f"{result.approach.label} recommended for {escape(project)} "
        f"(confidence {result.confidence.level}). Why: {escape(why)}",
        TEXT_LIMIT,
    )


def result_message(record: StoredAssessment, votes: Mapping[str, str] | None = None) -> Message:
    """The recommendation as posted in the channel (and as updated after edits, votes or a decision)."""
    result = record.result
    answers = record.answers
    project = escape(answers.get("project_name", "Unnamed project"))
    version = f" · version {record.version}" if record.version > 1 else ""
    blocks: list[Block] = [
        header(f"Recommended: {result.approach.label}"),
        section(f"*{project}* · asked by {mention(record.user)}{version}"),
    ]
    if answers.get("use_case"):
        blocks.append(context(f"_{escape(truncate(answers['use_case'], 300))}_"))
    blocks.append(sections_from_lines("Why", [reason_line(r) for r in supporting(result)[:3]])[0])
    blocks.append(section("*How the four approaches scored*\n" + score_bars(result)))
    blocks.append(context(confidence_text(result)))
    runner_up = result.confidence.runner_up
    shown = {r.rule for r in supporting(result)[:3]}
    separating_reasons = [r for r in separating(result) if r.rule not in shown][:2]
    if separating_reasons:
        blocks.append(
            sections_from_lines(f"Why not {runner_up.label}", [reason_line(r) for r in separating_reasons])[0]
        )
    if result.what_would_change:
        flips = [f"• {describe_flip(flip)}" for flip in result.what_would_change[:3]]
        blocks.append(sections_from_lines("What would change it", flips)[0])
    if result.caveats:
        caveats = [f"• {note.text}{cite(note.sources)}" for note in result.caveats[:2]]
        blocks.append(sections_from_lines("Watch out for", caveats)[0])
    steps = [f"{i}. {note.text}{cite(note.sources)}" for i, note in enumerate(result.next_steps[:3], start=1)]
    blocks.append(sections_from_lines("Next steps", steps)[0])
    status = [tally(votes or {})]
    decided = decision_text(record)
    if decided:
        status.insert(0, decided)
    blocks.append(context(*status))
    blocks.append(
        actions(
            ids.RESULT_ACTIONS_BLOCK,
            button("Edit answers", ids.EDIT_ANSWERS, record.id),
            button("New assessment", ids.NEW_ASSESSMENT, record.id),
            button("👍 Agree", ids.VOTE_AGREE, record.id),
            button("👎 Disagree", ids.VOTE_DISAGREE, record.id),
            button("Record decision", ids.RECORD_DECISION, record.id, style="primary"),
            button("Export decision record", ids.EXPORT_RECORD, record.id),
        )
    )
    blocks.append(
        context(
            "Every answer's contribution is in the thread. "
            "Mention me there to ask “what if …”, “why” or “help”."
        )
    )
    return {"text": fallback_text(record), "blocks": blocks}


def dm_fallback_message(message: Message, channel: str) -> Message:
    """The result sent by DM when the channel refused it, with how to let the bot in."""
    note = section(
        f":warning: I couldn't post this in <#{channel}>, so here it is. To get results in the channel, "
        "add me there: type `/invite @LLM Approach` in the channel, then run `/llm-approach` again."
    )
    return {"text": message["text"], "blocks": [note, *message["blocks"]][:50]}

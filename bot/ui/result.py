"""The result as posted in the channel: short, current, with the actions a team uses. Pure functions.

The channel message carries what a team needs to act (the recommendation, where to start, how sure, the
reasons that decided it, and the vote or the decision); everything else is in the thread (``thread``). It
always shows the current truth: once a decision is recorded it leads, votes count for the current version,
and an edit says who changed what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment
from bot.ui.blocks import (
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    header,
    local_time,
    mrkdwn_escape,
    overflow,
    person,
    rich,
    said,
    section,
    shorten,
    truncate,
    visible_length,
    when,
    words,
)
from bot.ui.outcome import outcome_on_result
from bot.ui.people import mention
from bot.ui.sources import source_for, source_links
from bot.ui.wording import (
    answer_phrase,
    confidence_words,
    conflict_questions,
    deciding_reasons,
    first_step,
    headline,
    without_asides,
)
from scoring import Approach
from scoring.models import Reason

TEXT_LIMIT = 3900
Message = dict[str, Any]
# Voters named on the message before "and N more".
NAMED_VOTERS = 3
# Characters of reading in the channel message (what people see: link labels, not URLs).
CHANNEL_TEXT_BUDGET = 900
RATIONALE_ON_MESSAGE = 120
PROJECT_ON_MESSAGE = 50
CONFIDENCE_ON_MESSAGE = 170


@dataclass(frozen=True)
class Fit:
    """How much of the reasons and the first step the message shows; the whole of both is in the thread."""

    reasons: int
    reason_line: int  # characters of a reason's line: about one line on a laptop
    step: int


# From roomy to tight: the first that keeps the message within CHANNEL_TEXT_BUDGET is used.
FITS = (Fit(3, 140, 150), Fit(2, 140, 150), Fit(2, 95, 100), Fit(2, 80, 80), Fit(1, 80, 80), Fit(1, 70, 60))


def project_name(record: StoredAssessment, limit: int = 80) -> str:
    """The project's name as typed, on one line (cut at ``limit``): for plain text or ``said``, not mrkdwn."""
    return shorten(" ".join((record.answers.get("project_name") or "Unnamed project").split()), limit)


def vote_button_value(record: StoredAssessment) -> str:
    """What a vote button carries: the assessment and the version the voter is looking at."""
    return f"{record.id}:{record.version}"


def read_vote_button(value: str) -> tuple[str, int | None]:
    """(assessment id, version seen) from a vote button; buttons posted before versioned votes carry no
    version."""
    assessment, _, version = value.partition(":")
    return assessment, int(version) if version.isdigit() else None


def menu_value(choice: str, record: StoredAssessment) -> str:
    return f"{choice}:{record.id}"


def read_menu_value(value: str) -> tuple[str, str]:
    """(choice, assessment id) from the ⋯ menu's selected option."""
    choice, _, assessment = value.partition(":")
    return choice, assessment


def _people(users: list[str]) -> str:
    named = ", ".join(mention(user) for user in users[:NAMED_VOTERS])
    more = len(users) - NAMED_VOTERS
    return named + (f" and {more} more" if more > 0 else "")


def votes_text(record: StoredAssessment, votes: Mapping[str, str]) -> str | None:
    """Who agrees and who disagrees with the current version's recommendation; None before anyone votes."""
    counted = record.counted_votes(votes)
    agree = [user for user, vote in counted.items() if vote == "agree"]
    disagree = [user for user, vote in counted.items() if vote == "disagree"]
    parts = []
    if agree:
        parts.append(f"👍 {_people(agree)} {'agrees' if len(agree) == 1 else 'agree'}")
    if disagree:
        parts.append(f"👎 {_people(disagree)} {'disagrees' if len(disagree) == 1 else 'disagree'}")
    return " · ".join(parts) or None


def edit_text(record: StoredAssessment) -> str | None:
    """Who changed the answers last, when, and what it did to the recommendation; None for version 1."""
    if len(record.versions) < 2:
        return None
    latest, before = record.versions[-1], record.versions[-2]
    now, was = Approach(latest.approach).label, Approach(before.approach).label
    afresh = "" if record.decision else "; the vote starts afresh"
    change = f"now *{now}* (was {was}){afresh}" if now != was else f"still *{now}*"
    if latest.team_answers:
        return (
            f"👥 The team's consensus of {latest.team_answers} answers, published by {mention(latest.by)} "
            f"{local_time(latest.at)}: {change}."
        )
    return f"✏️ {mention(latest.by)} edited it {local_time(latest.at)}: {change}."


def decision_block(record: StoredAssessment) -> Block:
    """The recorded decision: who, when, why (the rationale as typed), and whether it follows the
    recommendation."""
    assert record.decision is not None
    decision = record.decision
    recommended = record.result.approach
    rationale = shorten(" ".join(decision.rationale.split()), RATIONALE_ON_MESSAGE)
    pieces: list[str | dict[str, Any]] = ["✅ Recorded by ", person(decision.by), " ", when(decision.at)]
    if rationale:
        pieces += [": “", said(rationale), "”"]
    if Approach(decision.approach) is recommended:
        return rich(*pieces, ". It follows the recommendation.")
    level = record.result.confidence.level
    return rich(
        *pieces,
        ".\nIt differs from the recommendation: ",
        words(recommended.label, bold=True),
        f" ({level} confidence).",
    )


def reason_on_message(reason: Reason, line: int) -> str:
    """One reason on one line: the answer, the reason's first clause and its first source, linked."""
    answer = answer_phrase(reason.question, reason.answer)
    source = source_for(reason.sources[0]) if reason.sources else None
    link = f" ({source_links(reason.sources, limit=1)})" if reason.sources else ""
    room = line - len(answer) - (len(source.short) + 3 if source else 0)
    return f"• *{answer}* — {headline(reason.text, max(room, 30))}{link}"


def reasons_text(record: StoredAssessment, fit: Fit = FITS[0]) -> str:
    """The reasons that decided it, one line each, with their first source linked."""
    result = record.result
    decided_otherwise = (
        record.decision is not None and Approach(record.decision.approach) is not result.approach
    )
    title = (
        f"Why the recommendation was {result.approach.label}"
        if decided_otherwise
        else f"Why {result.approach.label}"
    )
    lines = [f"*{title}*"]
    # Once decided the decision leads, and two reasons are enough to remember why.
    lines += [reason_on_message(reason, fit.reason_line) for reason in deciding_reasons(result, fit.reasons)]
    if len(lines) == 1:
        lines.append("No answer given so far favours one approach: it is the cheapest place to start.")
    return "\n".join(lines)


def headline_text(record: StoredAssessment) -> str:
    if record.decision is not None:
        return f"Decided: {Approach(record.decision.approach).label}"
    return f"Recommended: {record.result.approach.label}"


def _project_line(record: StoredAssessment) -> Block:
    """Below the header: the project's name as typed, who asked, and the version."""
    version = f" · version {record.version}" if record.version > 1 else ""
    project = said(project_name(record, PROJECT_ON_MESSAGE), bold=True)
    return rich(project, " · asked by ", person(record.user), version)


def _summary(record: StoredAssessment, fit: Fit) -> str:
    """What the team decided (shown above) or where to start, and how sure it is."""
    result = record.result
    lines = []
    step = first_step(result)
    if record.decision is not None:
        if step and Approach(record.decision.approach) is result.approach:
            lines.append(f"*Start with*: {shorten(without_asides(step), fit.step)}")
        return "\n".join(lines)
    if step:
        lines.append(f"*Start with*: {shorten(without_asides(step), fit.step)}")
    lines.append(shorten(confidence_words(result), CONFIDENCE_ON_MESSAGE))
    if result.conflicts:
        lines.append(f"⚠️ *Re-check*: {conflict_questions(result)} contradict each other (see the thread).")
    return "\n".join(lines)


def _status(record: StoredAssessment, votes: Mapping[str, str]) -> str | None:
    """Who voted and who edited last, one line each; None when neither has happened."""
    lines = [line for line in (votes_text(record, votes), edit_text(record)) if line]
    return "\n".join(lines) or None


def _menu(record: StoredAssessment) -> dict[str, Any]:
    """The ⋯ menu, beside the summary: what a team does less often than voting and deciding."""
    return overflow(
        ids.RESULT_MENU,
        [
            ("Edit answers", menu_value(ids.MENU_EDIT, record)),
            ("Ask the team", menu_value(ids.MENU_ASK_TEAM, record)),
            ("Export decision record", menu_value(ids.MENU_EXPORT, record)),
        ],
    )


def _actions(record: StoredAssessment) -> Block:
    """Agree, Disagree and Record decision; once decided, only Change decision (which asks first)."""
    if record.decision is not None:
        decided = Approach(record.decision.approach).label
        change = button(
            "Change decision",
            ids.RECORD_DECISION,
            record.id,
            confirm=confirm_dialog(
                "Change the decision?",
                f"{decided} is recorded as the team's decision. A new decision replaces it on this message; "
                "the thread keeps a note of both.",
                "Change it",
            ),
        )
        return actions(ids.RESULT_ACTIONS_BLOCK, change)
    vote = vote_button_value(record)
    approach = record.result.approach.label
    return actions(
        ids.RESULT_ACTIONS_BLOCK,
        button("Agree", ids.VOTE_AGREE, vote, label=f"Agree with {approach}"),
        button("Disagree", ids.VOTE_DISAGREE, vote, label=f"Disagree with {approach}"),
        button("Record decision", ids.RECORD_DECISION, record.id, style="primary"),
    )


def in_dm(record: StoredAssessment) -> bool:
    """Posted somewhere other than a channel (a DM), where the bot never hears mentions."""
    return not record.channel.startswith(("C", "G"))


DM_NOTE = "In a DM I can't hear mentions: what-ifs and “why” need a channel I'm in."
THREAD_NOTE = "Scores, next steps and more in the thread. Mention me there: “what if …”, “why”."


def fallback_text(record: StoredAssessment) -> str:
    """The notification and screen-reader text: one sentence, the project's name as typed (Slack reads
    ``<!channel>`` in a fallback too, so & < > are escaped)."""
    result = record.result
    project = mrkdwn_escape(project_name(record))
    if record.decision is not None:
        decided = Approach(record.decision.approach)
        also = "" if decided is result.approach else f" (recommended: {result.approach.label})"
        return truncate(f"Decided: {decided.label} for {project}{also}", TEXT_LIMIT)
    return truncate(
        f"Recommended: {result.approach.label} for {project} ({result.confidence.level} confidence)",
        TEXT_LIMIT,
    )


def result_message(
    record: StoredAssessment, votes: Mapping[str, str] | None = None, *, refused_channel: str | None = None
) -> Message:
    """The recommendation as posted in the channel, and as updated after votes, edits or a decision.

    It keeps to CHANNEL_TEXT_BUDGET characters of reading: three reasons when they fit, two when the
    message also carries a decision, a long tally or an edit note. ``refused_channel`` is set when the
    channel refused the post and this goes to the person by DM instead.
    """
    # Once decided the decision leads, and two reasons are enough to remember why.
    fits = [fit for fit in FITS if fit.reasons <= 2] if record.decision else list(FITS)
    for fit in fits:
        message = _result_message(record, votes or {}, refused_channel, fit)
        if visible_length(message) <= CHANNEL_TEXT_BUDGET:
            break
    return message


def _result_message(
    record: StoredAssessment, votes: Mapping[str, str], refused_channel: str | None, fit: Fit
) -> Message:
    summary = _summary(record, fit)
    blocks: list[Block] = [header(headline_text(record)), _project_line(record)]
    if record.decision is not None:
        blocks.append(decision_block(record))
        if record.outcome is not None:
            blocks.append(outcome_on_result(record.outcome))
    # The ⋯ menu sits beside the first section (a rich_text block takes no accessory).
    blocks.append(section(summary or reasons_text(record, fit), accessory=_menu(record)))
    if refused_channel:
        # Said first, once: where it should have gone, and what a DM can't do.
        blocks.insert(
            0,
            section(
                f":warning: I'm not in <#{refused_channel}> (`/invite @llm-approach` there), so here it is. "
                + DM_NOTE
            ),
        )
    if summary:
        blocks.append(section(reasons_text(record, fit)))
    status = _status(record, votes)
    if status:
        blocks.append(context(status))
    blocks.append(_actions(record))
    if refused_channel is None:
        blocks.append(context(DM_NOTE if in_dm(record) else THREAD_NOTE))
    return {"text": fallback_text(record), "blocks": blocks}

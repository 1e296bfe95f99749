"""What the bot posts in a result's thread on its own: the detail, new versions and decisions. Pure.

The channel message is short; the first reply holds everything else: the scores, why not the runner-up,
what would change it, what to watch out for, the next steps, and every answer with what it did.
"""

from __future__ import annotations

from typing import Any

from bot.storage.models import StoredAssessment
from bot.ui.blocks import (
    Block,
    Piece,
    context,
    divider,
    local_time,
    mrkdwn_escape,
    person,
    rich,
    rich_quote,
    said,
    sections_from_lines,
    typed,
    when,
    words,
)
from bot.ui.people import mention
from bot.ui.result import Message, project_name
from bot.ui.sources import source_links
from bot.ui.wording import (
    answer_phrase,
    conflict_questions,
    deciding_reasons,
    effects_text,
    reason_line,
    scores_text,
    stage_text,
    what_would_change,
)
from scoring import Approach
from scoring.models import Reason
from scoring.questionnaire import PAGE_TITLES, PAGES, QUESTIONS_BY_ID, SCORED_IDS, questions_on_page
from scoring.text import answer_short, separating

MAX_BLOCKS = 50


def _summary_blocks(record: StoredAssessment) -> list[Block]:
    result = record.result
    runner_up = result.confidence.runner_up
    title = f"The detail behind {result.approach.label} for "
    blocks: list[Block] = [rich(words(title, bold=True), said(project_name(record), bold=True))]
    if record.answers.get("use_case"):
        blocks.append(typed("Use case", " ".join(record.answers["use_case"].split())))
    blocks += sections_from_lines("", [f"*Scores*: {scores_text(result)}"])
    if result.conflicts:
        blocks += sections_from_lines(
            "⚠️ Answers to re-check: they contradict each other",
            [f"• {mrkdwn_escape(conflict.text)}" for conflict in result.conflicts],
        )
    if result.path:
        blocks += sections_from_lines(
            "The path from here",
            [
                f"{number}. *{stage_text(stage)}*"
                + (f" ({source_links(stage.sources)})" if stage.sources else "")
                for number, stage in enumerate(result.path, start=1)
            ],
        )
    if result.confidence.basis:
        level = result.confidence.level.capitalize()
        blocks += sections_from_lines(
            f"{level} confidence: what it rests on", [f"• {basis}" for basis in result.confidence.basis]
        )
    if result.gates:
        blocks += sections_from_lines(
            "Ruled out",
            [
                f"• *{', '.join(a.label for a in gate.blocks)}*: {gate.text} ({source_links(gate.sources)})"
                for gate in result.gates
            ],
        )
    on_message = {reason.rule for reason in deciding_reasons(result)}
    against = [r for r in separating(result) if r.rule not in on_message][:2] or separating(result)[:2]
    # When gates rule out every alternative, "Ruled out" above already says why not the others.
    if against and runner_up not in result.excluded:
        blocks += sections_from_lines(
            f"Why not {runner_up.label}, the runner-up", [reason_line(r) for r in against]
        )
    levers, facts = what_would_change(result)
    if levers:
        blocks += sections_from_lines("Levers you can pull", levers)
    if facts:
        blocks += sections_from_lines("Facts that would change it", facts)
    if result.caveats:
        caveats = [f"• {note.text} ({source_links(note.sources)})" for note in result.caveats[:3]]
        blocks += sections_from_lines("Watch out for", caveats)
    if result.next_steps:
        steps = [
            f"{number}. {note.text}" + (f" ({source_links(note.sources)})" if note.sources else "")
            for number, note in enumerate(result.next_steps[:4], start=1)
        ]
        blocks += sections_from_lines("Next steps", steps)
    return blocks


def _answer_lines(record: StoredAssessment, page: int, by_question: dict[str, list[Reason]]) -> list[str]:
    lines: list[str] = []
    for question in questions_on_page(page):
        if question.is_free_text:
            continue
        chosen = record.answers.get(question.id)
        reasons = by_question.get(question.id, [])
        if not reasons:
            note = "unanswered" if chosen is None else "no effect on its own"
            lines.append(f"• *{answer_phrase(question.id, chosen)}*: {note}.")
            continue
        for reason in reasons:
            also = "".join(f" with {answer_phrase(q, o)}" for q, o in reason.related.items())
            sources = f" ({source_links(reason.sources)})" if reason.sources else ""
            lines.append(
                f"• *{answer_phrase(question.id, chosen)}*{also}: {effects_text(reason.effects)}. "
                f"{reason.text}{sources}"
            )
    return lines


def breakdown_message(record: StoredAssessment) -> Message:
    """The first reply in the result's thread: the detail, then every answer and what it did."""
    result = record.result
    by_question: dict[str, list[Reason]] = {}
    for reason in result.reasons:
        by_question.setdefault(reason.question, []).append(reason)
    blocks = _summary_blocks(record)
    blocks.append(divider())
    for page in PAGES:
        blocks += sections_from_lines(
            f"Answer by answer: {PAGE_TITLES[page]}", _answer_lines(record, page, by_question)
        )
    blocks.append(
        context(
            "Points are what each answer added to or took from each approach; related answers count once "
            "together, so a total can be less than the sum. The links are the evidence."
        )
    )
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], context("The rest is in the exported decision record (⋯ menu).")]
    return {"text": f"The detail behind the {result.approach.label} recommendation", "blocks": blocks}


def _answer(question_id: str, option_id: str | None) -> str:
    return answer_short(question_id, option_id) if option_id else "unanswered"


def changes_text(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The scored answers an edit changed, a line each (a renamed project: ``renamed``)."""
    lines = []
    for question_id in SCORED_IDS:
        old, new = before.get(question_id), after.get(question_id)
        if old == new:
            continue
        short = QUESTIONS_BY_ID[question_id].short
        lines.append(f"• *{short}*: {_answer(question_id, old)} → {_answer(question_id, new)}")
    return lines


def _one_line(text: str | None) -> str:
    return " ".join((text or "—").split())


def renamed(before: dict[str, str], after: dict[str, str]) -> Block | None:
    """The project's old and new names, as typed; None when it kept its name."""
    old, new = before.get("project_name"), after.get("project_name")
    if old == new:
        return None
    short = QUESTIONS_BY_ID["project_name"].short
    return rich(words(f"{short}: ", bold=True), said(_one_line(old)), " → ", said(_one_line(new)))


def version_note(before: StoredAssessment, after: StoredAssessment, editor: str) -> dict[str, Any]:
    """What an edit changed, verdict first: the recommendation, then the answers, then the scores; the
    project's old and new names as typed."""
    text = version_text(before, after, editor)
    rename = renamed(before.answers, after.answers)
    if rename is None:
        return {"text": text, "blocks": sections_from_lines("", text.split("\n"))}
    lead, _, rest = text.partition("\n")
    return {
        "text": text,
        "blocks": [*sections_from_lines("", [lead]), rename, *sections_from_lines("", rest.split("\n"))],
    }


def version_text(before: StoredAssessment, after: StoredAssessment, editor: str) -> str:
    """The version note's words (the fallback ``text``), the renamed project left to ``renamed``."""
    old, new = before.result, after.result
    if new.approach is old.approach:
        verdict = f"still *{new.approach.label}* ({new.confidence.level} confidence); the votes stand."
    else:
        verdict = (
            f"now *{new.approach.label}* ({new.confidence.level} confidence), was {old.approach.label}. "
            "Votes are for a recommendation, so the vote starts afresh."
        )
    changed = changes_text(before.answers, after.answers)
    if not changed and renamed(before.answers, after.answers) is None:
        changed = ["• No answers changed."]
    team = after.versions[-1].team_answers if after.versions else 0
    if team:
        lead = (
            f"👥 *Version {after.version}* is the team's consensus of {team} people's answers (round closed "
            f"by {mention(editor)}): {verdict}"
        )
        changed.append(f"_Confidence_: {mrkdwn_escape(new.confidence.summary)}")
        if new.conflicts:
            changed.append(
                f"⚠️ _The consensus answers contradict each other_: re-check {conflict_questions(new)} "
                "(the breakdown above says why)."
            )
    else:
        lead = f"✏️ *Version {after.version}* by {mention(editor)}: {verdict}"
    lines = [lead, "*What changed*", *changed]
    lines.append(f"*Scores now*: {scores_text(new)}")
    return "\n".join(lines)


def _follows(chosen: Approach, recommended: Approach) -> str:
    if chosen is recommended:
        return "It follows the recommendation."
    return f"It differs from the recommendation, {recommended.label}."


def decision_note(record: StoredAssessment) -> dict[str, Any]:
    """The thread reply when a decision is recorded, or changed (then what it replaces, by whom and when),
    with the rationale quoted as typed."""
    assert record.decision is not None
    chosen = Approach(record.decision.approach)
    recommended = record.result.approach
    follows = _follows(chosen, recommended)
    by = record.decision.by
    first: list[Piece]
    if len(record.decisions) < 2:
        first = ["✅ ", words(f"Decision recorded: {chosen.label}", bold=True), ", by ", person(by)]
    else:
        previous = record.decisions[-2]
        first = ["✅ ", words(f"Decision changed to {chosen.label}", bold=True), " by ", person(by)]
        first += [f" (was {Approach(previous.approach).label}, recorded by ", person(previous.by), " "]
        first += [when(previous.at), ")"]
    blocks = [rich(*first, f". {follows}")]
    if record.decision.rationale:
        blocks.append(rich_quote(said(record.decision.rationale)))
    return {"text": decision_text(record), "blocks": blocks}


def decision_text(record: StoredAssessment) -> str:
    """The decision note as fallback ``text``: the rationale's & < > escaped, nothing else changed."""
    assert record.decision is not None
    chosen = Approach(record.decision.approach)
    recommended = record.result.approach
    follows = _follows(chosen, recommended)
    if len(record.decisions) < 2:
        first = f"✅ *Decision recorded: {chosen.label}*, by {mention(record.decision.by)}. {follows}"
    else:
        previous = record.decisions[-2]
        first = (
            f"✅ *Decision changed to {chosen.label}* by {mention(record.decision.by)} "
            f"(was {Approach(previous.approach).label}, recorded by {mention(previous.by)} "
            f"{local_time(previous.at)}). {follows}"
        )
    rationale = record.decision.rationale
    return f"{first}\n{mrkdwn_escape(rationale)}" if rationale else first

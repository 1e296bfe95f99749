"""Replies the bot posts in a result's thread: the full breakdown, new versions and decisions. Pure."""

from __future__ import annotations

import time

from bot.storage.models import StoredAssessment
from bot.ui.blocks import Block, context, divider, escape, section, sections_from_lines
from bot.ui.people import mention
from bot.ui.result import Message, cite, effects_line
from scoring import Approach
from scoring.models import Reason
from scoring.questionnaire import PAGE_TITLES, PAGES, QUESTIONS_BY_ID, SCORED_IDS, questions_on_page
from scoring.text import answer_label, describe_answer


def breakdown_message(record: StoredAssessment) -> Message:
    """The first reply in the result's thread: every answer and what it did to each approach."""
    result = record.result
    by_question: dict[str, list[Reason]] = {}
    for reason in result.reasons:
        by_question.setdefault(reason.question, []).append(reason)
    blocks: list[Block] = [section("*Full breakdown*: every answer and the points it gave each approach.")]
    for page in PAGES:
        lines: list[str] = []
        for question in questions_on_page(page):
            if question.is_free_text:
                continue
            chosen = record.answers.get(question.id)
            reasons = by_question.get(question.id, [])
            if not reasons:
                note = "unanswered" if chosen is None else "no effect on its own"
                lines.append(f"• *{question.short}*: {answer_label(question.id, chosen)} — {note}")
                continue
            for reason in reasons:
                also = "".join(f" + {describe_answer(q, o)}" for q, o in reason.related.items())
                lines.append(
                    f"• *{question.short}*: {answer_label(question.id, chosen)}{also} — "
                    f"{effects_line(reason.effects)}. {reason.text}{cite(reason.sources)}"
                )
        blocks.extend(sections_from_lines(PAGE_TITLES[page], lines))
    totals = " · ".join(f"{a.label} {s:+.1f}" for a, s in result.ranked())
    blocks.append(divider())
    blocks.append(context(f"Totals: {totals}. Source keys refer to the decision guide's bibliography."))
    return {"text": f"Full breakdown of the {result.approach.label} recommendation", "blocks": blocks}


def changes_text(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for question_id in ("project_name", *SCORED_IDS):
        old, new = before.get(question_id), after.get(question_id)
        if old == new:
            continue
        short = QUESTIONS_BY_ID[question_id].short
        if question_id == "project_name":
            lines.append(f"• *{short}*: {escape(old or '—')} → {escape(new or '—')}")
        else:
            lines.append(f"• *{short}*: {answer_label(question_id, old)} → {answer_label(question_id, new)}")
    return lines


def version_note(before: StoredAssessment, after: StoredAssessment, editor: str) -> str:
    """What an edit changed: the answers, the recommendation and the scores."""
    old, new = before.result, after.result
    changed = changes_text(before.answers, after.answers) or ["• No answers changed."]
    verdict = (
        f"Recommendation unchanged: *{new.approach.label}*."
        if new.approach is old.approach
        else f"Recommendation changed: *{old.approach.label}* → *{new.approach.label}*."
    )
    moved = " · ".join(
        f"{a.label} {old.scores[a]:+.1f} → {new.scores[a]:+.1f}"
        for a in new.scores
        if new.scores[a] != old.scores.get(a)
    )
    text = f"*Version {after.version}*, edited by {mention(editor)}\n" + "\n".join(changed) + f"\n{verdict}"
    if moved:
        text += f"\nScores: {moved}"
    return text


def decision_note(record: StoredAssessment) -> str:
    """The thread reply when a decision is recorded, or changed (then what it replaces, by whom and when)."""
    assert record.decision is not None
    chosen = Approach(record.decision.approach)
    differs = (
        ""
        if chosen is record.result.approach
        else f" (the recommendation was {record.result.approach.label})"
    )
    verb = "recorded"
    replaced = ""
    if len(record.decisions) > 1:
        earlier = record.decisions[-2]
        verb = "changed"
        day = time.strftime("%Y-%m-%d", time.gmtime(earlier.at))
        replaced = (
            f"\nIt replaces *{Approach(earlier.approach).label}*, recorded by {mention(earlier.by)} on {day}."
        )
    text = f":white_check_mark: *Decision {verb}: {chosen.label}*{differs}, by {mention(record.decision.by)}."
    if record.decision.rationale:
        text += f"\n>{escape(record.decision.rationale)}"
    return text + replaced

"""The bot's replies in a result's thread: what-ifs, explanations, comparisons and help. Pure functions.

Replies speak the team's language: questions by their names, answers in words, approaches in full, and
examples that the phrase parser (``phrases``) is known to understand.
"""

from __future__ import annotations

import re
from functools import cache

from bot.storage.models import StoredAssessment
from bot.ui.blocks import (
    Block,
    Piece,
    context,
    mrkdwn_escape,
    rich,
    said,
    section,
    sections_from_lines,
    shorten,
    truncate,
    words,
)
from bot.ui.phrases import Compare, Intent, NotUnderstood, WhatIf, Why, parse
from bot.ui.result import Message
from bot.ui.sources import source_links, source_titled_link
from bot.ui.wording import answer_phrase, effects_text, reason_line, signed, stage_text
from scoring import Answers, Approach, Assessment, Engine
from scoring.models import Reason
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS, SCORED_QUESTIONS
from scoring.text import answer_short, opposing, separating, supporting

# What the help shows, in the words people use; a test checks that the parser reads each one as shown.
WHAT_IF_EXAMPLES = (
    "what if we had 5,000 labelled examples",
    "what if a larger model can produce the outputs",
    "what if we needed sub-second answers",
    "what if we must self-host",
    "what if the docs changed daily",
)
WHY_EXAMPLES = ("why", "explain labelled examples")
COMPARE_EXAMPLE = "compare RAG and fine-tuning"


def _message(text: str, blocks: list[Block]) -> Message:
    return {"text": truncate(text, 3900), "blocks": blocks[:50]}


def _quoted(examples: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"“{example}”" for example in examples)


@cache
def example_for(question_id: str, option_id: str) -> str | None:
    """A what-if in words that the parser reads as exactly this answer, or None when words don't do it."""
    question = QUESTIONS_BY_ID[question_id]
    answer = answer_short(question_id, option_id).lower()
    names = [question.short.lower()]
    names += sorted((w for w in re.findall(r"[a-z-]{4,}", names[0]) if w != names[0]), key=len, reverse=True)
    for name in names:
        for spelled in (answer, answer.replace(",", "")):
            candidate = f"what if {name} is {spelled}"
            intent = parse(candidate)
            if (
                isinstance(intent, WhatIf)
                and not intent.not_understood
                and [(c.question, c.option) for c in intent.changes] == [(question_id, option_id)]
            ):
                return candidate
    return None


def _scores_moved(before: Assessment, after: Assessment) -> str:
    parts = []
    for approach, score in after.ranked():
        old = before.scores[approach]
        parts.append(
            f"{approach.label} {signed(old)} → {signed(score)}"
            if old != score
            else f"{approach.label} {signed(score)}"
        )
    return " · ".join(parts)


def what_if_reply(record: StoredAssessment, intent: WhatIf, engine: Engine) -> Message:
    """The verdict first ("Still RAG" / "Would change to Fine-tuning"), then what changed and why."""
    current = record.answers
    applied = {c.question: c.option for c in intent.changes if current.get(c.question) != c.option}
    already = [c for c in intent.changes if current.get(c.question) == c.option]
    before = record.result
    lines: list[str] = []
    if not applied:
        verdict = f"Still {before.approach.label}"
        lines.append("Those answers are what this assessment already says, so nothing changes.")
    else:
        after = engine.assess(Answers.parse({**current, **applied}))
        level = after.confidence.level
        verdict = (
            f"Still {after.approach.label}"
            if after.approach is before.approach
            else f"Would change to {after.approach.label}"
        )
        verdict += f", {level} confidence"
        changed = "; ".join(
            f"{answer_phrase(q, o)} (now {answer_short(q, current.get(q)).lower()})"
            for q, o in applied.items()
        )
        lines.append(f"*If* {changed}.")
        if after.path and after.path[0].approach is not after.approach:
            lines.append(f"*It would start with*: {stage_text(after.path[0])}")
        if after.conflicts and not before.conflicts:
            lines.append(f"⚠️ Those answers would contradict others: {after.conflicts[0].text}")
        lines.append(f"*Scores*: {_scores_moved(before, after)}")
        moved = [r for r in after.reasons if r.question in applied or set(r.related) & set(applied)]
        if moved:
            lines.append("*What moved them*")
            lines += [
                f"• *{answer_phrase(r.question, r.answer)}*: {r.text} ({effects_text(r.effects)})"
                for r in moved[:5]
            ]
    lines += [f"{answer_phrase(c.question, c.option)} is already the answer." for c in already]
    blocks = sections_from_lines(verdict, lines)
    if intent.not_understood:
        blocks.append(_not_understood_block(intent.not_understood))
    blocks.append(
        context(
            "A what-if changes nothing posted. To make it the new version: ⋯ on the result → *Edit answers*."
        )
    )
    return _message(verdict + ". " + " ".join(lines), blocks)


def _not_understood_block(phrases: tuple[str, ...]) -> Block:
    """What the parser left out, quoted as the person wrote it."""
    quoted: list[Piece] = []
    for number, phrase in enumerate(phrases):
        quoted += [", “" if number else "“", said(shorten(phrase, 120)), "”"]
    return rich("I didn't understand ", *quoted, ", so I left it out. Say “help” for what I understand.")


def _evidence_line(reason: Reason) -> str:
    """A reason with what it did to each approach and the documents behind it, by their titles."""
    evidence = ", ".join(source_titled_link(key) for key in reason.sources)
    text = (
        f"• *{answer_phrase(reason.question, reason.answer)}* ({effects_text(reason.effects)}). {reason.text}"
    )
    return text + (f"\n   _Evidence_: {evidence}" if evidence else "")


def why_reply(record: StoredAssessment, intent: Why, engine: Engine) -> Message:
    if intent.question is not None:
        return explain_reply(record, intent.question, engine)
    result = record.result
    runner_up = result.confidence.runner_up
    margin = result.scores[result.approach] - result.scores[runner_up]
    if runner_up in result.excluded:
        title = f"Why {result.approach.label}: the others are ruled out"
        lead = f"Your answers rule out every alternative to {result.approach.label} (below)."
    else:
        title = f"Why {result.approach.label} and not {runner_up.label}"
        points_word = "point" if margin == 1 else "points"
        lead = f"{result.approach.label} leads {runner_up.label} by {margin:g} {points_word}."
    lines = [f"{lead} The evidence behind the answers that decided it:"]
    lines += [_evidence_line(r) for r in (separating(result) or supporting(result))[:3]]
    against = opposing(result)[:2]
    if against:
        lines.append(f"*What counts against {result.approach.label}*")
        lines += [_evidence_line(r) for r in against]
    if result.gates:
        lines.append("*Ruled out, whatever the scores*")
        lines += [
            f"• *{', '.join(a.label for a in gate.blocks)}*: {gate.text} ({source_links(gate.sources)})"
            for gate in result.gates
        ]
    blocks = sections_from_lines(title, lines)
    blocks.append(context("About one answer: “explain labelled examples”, or any other question's name."))
    return _message(title + ". " + lines[0], blocks)


def explain_reply(record: StoredAssessment, question_id: str, engine: Engine) -> Message:
    result = record.result
    question = QUESTIONS_BY_ID[question_id]
    chosen = record.answers.get(question.id)
    reasons = [r for r in result.reasons if r.question == question.id or question.id in r.related]
    lines = [
        f"_{question.label}_ Your answer: *{answer_short(question.id, chosen) if chosen else 'unanswered'}*."
    ]
    if not reasons:
        lines.append("With these answers it has no effect on its own." if chosen else "It was not answered.")
    lines += [_evidence_line(r) for r in reasons]
    alternatives = []
    for option in question.option_ids:
        if option == chosen:
            continue
        approach = engine.assess(
            Answers.parse({**record.answers, question.id: option}), explore_changes=False
        ).approach
        alternatives.append(f"{answer_short(question.id, option)} → {approach.label}")
    lines.append("*With another answer*: " + "; ".join(alternatives))
    title = f"Explain {question.short.lower()}"
    return _message(f"{title}. " + " ".join(lines), sections_from_lines(title, lines))


def compare_reply(record: StoredAssessment, intent: Compare, engine: Engine) -> Message:
    result = record.result
    a, b = intent.first, intent.second
    if a is b:
        return help_reply()
    lead, trail = (a, b) if result.scores[a] >= result.scores[b] else (b, a)
    gap = result.scores[lead] - result.scores[trail]
    lines = [
        f"{a.label} {signed(result.scores[a])}, {b.label} {signed(result.scores[b])}: "
        f"{lead.label} leads by {gap:g} point{'s' if gap != 1 else ''} for these answers."
    ]
    for favoured, other in ((a, b), (b, a)):
        reasons = sorted(
            (r for r in result.reasons if r.effects[favoured] > r.effects[other]),
            key=lambda r: -(r.effects[favoured] - r.effects[other]),
        )[:3]
        lines.append(f"*For {favoured.label}*")
        lines += [reason_line(r) for r in reasons] or ["• Nothing in these answers favours it."]
    flips = _changes_putting_ahead(record, trail, lead, engine)
    if flips:
        lines.append(f"*What would put {trail.label} ahead*")
        lines += [f"• {flip}" for flip in flips]
    title = f"{a.label} vs {b.label}"
    return _message(f"{title}. {lines[0]}", sections_from_lines(title, lines))


def _changes_putting_ahead(
    record: StoredAssessment, trail: Approach, lead: Approach, engine: Engine
) -> list[str]:
    found: list[tuple[float, str]] = []
    for question_id in SCORED_IDS:
        for option in QUESTIONS_BY_ID[question_id].option_ids:
            if record.answers.get(question_id) == option:
                continue
            scores = engine.assess(
                Answers.parse({**record.answers, question_id: option}), explore_changes=False
            ).scores
            if scores[trail] > scores[lead]:
                found.append((scores[trail] - scores[lead], answer_phrase(question_id, option)))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found[:3]]


def help_reply() -> Message:
    topics = ", ".join(q.short.lower() for q in SCORED_QUESTIONS)
    lines = [
        "Mention me in this thread and I'll answer here.",
        f"• *What if*: change answers in your own words and see whether the recommendation holds. "
        f"For example {_quoted(WHAT_IF_EXAMPLES)}. Several changes at once work too: join them with “and”.",
        f"• *Why*: the evidence behind the recommendation ({_quoted(WHY_EXAMPLES)}).",
        f"• *Compare*: two approaches side by side (“{COMPARE_EXAMPLE}”).",
        f"I know about: {topics}.",
    ]
    return _message("What I understand. " + " ".join(lines), sections_from_lines("What I understand", lines))


def _suggestion(question_id: str, current: str | None) -> str:
    """A question near what was asked: its answers in words, and a what-if the parser is known to read."""
    question = QUESTIONS_BY_ID[question_id]
    answers = [answer_short(question_id, o).lower() for o in question.option_ids]
    listed = ", ".join(answers[:-1]) + f" or {answers[-1]}" if len(answers) > 1 else answers[0]
    examples = [example_for(question_id, o) for o in reversed(question.option_ids) if o != current]
    example = next((e for e in examples if e), None)
    return f"• *{question.short}*: {listed}." + (f" Try “{example}”." if example else "")


def not_understood_reply(intent: NotUnderstood, record: StoredAssessment | None = None) -> Message:
    asked = shorten(" ".join(intent.text.split()), 200)
    lines = []
    if intent.suggestions:
        answers = record.answers if record else {}
        lines.append("Did you mean one of these?")
        lines += [_suggestion(q, answers.get(q)) for q in intent.suggestions]
    else:
        lines.append("Say “help” for what I understand.")
    unmatched = ("I couldn't match “", "” to a question, so I won't guess.")
    blocks = [
        rich(words("Not understood\n", bold=True), unmatched[0], said(asked), unmatched[1]),
        *sections_from_lines("", lines),
    ]
    text = mrkdwn_escape(asked).join(unmatched)
    return _message(" ".join([text, *lines]), blocks)


def reply_to(intent: Intent, record: StoredAssessment, engine: Engine) -> Message:
    if isinstance(intent, WhatIf):
        return what_if_reply(record, intent, engine)
    if isinstance(intent, Why):
        return why_reply(record, intent, engine)
    if isinstance(intent, Compare):
        return compare_reply(record, intent, engine)
    if isinstance(intent, NotUnderstood):
        return not_understood_reply(intent, record)
    return help_reply()


def outside_result_reply() -> Message:
    text = (
        "Run `/llm-approach` to assess a project. Then mention me in the result's thread to ask "
        "“what if …”, “why” or “compare RAG and fine-tuning”."
    )
    return _message(text, [section(text)])

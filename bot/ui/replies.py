"""The bot's replies in a result's thread: what-ifs, explanations, comparisons and help. Pure functions."""

from __future__ import annotations

from bot.storage.models import StoredAssessment
from bot.ui.blocks import Block, context, escape, section, sections_from_lines, truncate
from bot.ui.phrases import Compare, Intent, NotUnderstood, WhatIf, Why
from bot.ui.result import Message, cite, effects_line, reason_line
from scoring import Answers, Approach, Assessment, Engine
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.text import answer_label, describe_answer, points, separating, supporting

EXAMPLES = (
    "`what if labeled_examples is 5000_plus`",
    "`what if we had 5000 labelled examples and latency is strict`",
    "`what if we must self-host`",
    "`why` or `explain knowledge_need`",
    "`compare rag and fine-tuning`",
)


def _message(text: str, blocks: list[Block]) -> Message:
    return {"text": truncate(text, 3900), "blocks": blocks[:50]}


def _scores_line(before: Assessment, after: Assessment) -> str:
    parts = []
    for approach, score in after.ranked():
        old = before.scores[approach]
        parts.append(
            f"{approach.label} {old:+.1f} → {score:+.1f}"
            if old != score
            else f"{approach.label} {score:+.1f}"
        )
    return " · ".join(parts)


def what_if_reply(record: StoredAssessment, intent: WhatIf, engine: Engine) -> Message:
    current = record.answers
    applied = {c.question: c.option for c in intent.changes if current.get(c.question) != c.option}
    already = [c for c in intent.changes if current.get(c.question) == c.option]
    lines: list[str] = []
    if not applied:
        lines.append("Those answers are what this assessment already says, so nothing changes.")
    else:
        asked = "; ".join(
            f"{QUESTIONS_BY_ID[q].short} → {answer_label(q, o)} (now {answer_label(q, current.get(q))})"
            for q, o in applied.items()
        )
        before = record.result
        after = engine.assess(Answers.parse({**current, **applied}))
        if after.approach is before.approach:
            verdict = f"The recommendation would stay *{after.approach.label}*."
        else:
            verdict = (
                f"The recommendation would change: *{before.approach.label}* → *{after.approach.label}*."
            )
        lines += [f"Changing {asked}:", verdict]
        lines.append(
            f"Confidence {after.confidence.level}: {points(after.confidence.margin)} ahead of "
            f"{after.confidence.runner_up.label}."
        )
        lines.append(f"Scores: {_scores_line(before, after)}")
        moved = [r for r in after.reasons if r.question in applied or set(r.related) & set(applied)]
        if moved:
            lines.append("*Why the scores moved*")
            lines += [f"• {effects_line(r.effects)}: {reason_line(r).removeprefix('• ')}" for r in moved[:5]]
    lines += [
        f"{QUESTIONS_BY_ID[c.question].short} is already {answer_label(c.question, c.option)}."
        for c in already
    ]
    blocks = sections_from_lines("What if", lines)
    if intent.not_understood:
        blocks.append(section(_not_understood_text(intent.not_understood)))
    blocks.append(
        context(
            "A what-if changes nothing posted. Press *Edit answers* on the result to make it the new version."
        )
    )
    return _message("\n".join(lines), blocks)


def _not_understood_text(phrases: tuple[str, ...]) -> str:
    quoted = ", ".join(f"“{escape(p)}”" for p in phrases)
    return f"I didn't understand {quoted}, so I left it out. Say `help` for what I understand."


def why_reply(record: StoredAssessment, intent: Why, engine: Engine) -> Message:
    result = record.result
    if intent.question is None:
        lines = [
            f"*{result.approach.label}* leads with {points(result.confidence.margin)} over "
            f"{result.confidence.runner_up.label}. The answers that counted most:"
        ]
        lines += [reason_line(r) for r in supporting(result)[:5]]
        gaps = separating(result)[:2]
        if gaps:
            lines.append(f"*Why not {result.confidence.runner_up.label}*")
            lines += [reason_line(r) for r in gaps]
        return _message("\n".join(lines), sections_from_lines("Why", lines))
    question = QUESTIONS_BY_ID[intent.question]
    chosen = record.answers.get(question.id)
    reasons = [r for r in result.reasons if r.question == question.id or question.id in r.related]
    lines = [f"*{question.short}*: {answer_label(question.id, chosen)}"]
    if not reasons:
        lines.append("With these answers it has no effect on its own." if chosen else "It was not answered.")
    for reason in reasons:
        also = "".join(
            f" (with {describe_answer(q, o)})" for q, o in reason.related.items() if q != question.id
        )
        lines.append(f"• {effects_line(reason.effects)}{also}. {reason.text}{cite(reason.sources)}")
    alternatives = []
    for option in question.option_ids:
        if option == chosen:
            continue
        approach = engine.assess(
            Answers.parse({**record.answers, question.id: option}), explore_changes=False
        ).approach
        alternatives.append(f"{answer_label(question.id, option)} → {approach.label}")
    lines.append("*With another answer*: " + "; ".join(alternatives))
    return _message("\n".join(lines), sections_from_lines(f"Explain {question.short}", lines))


def compare_reply(record: StoredAssessment, intent: Compare, engine: Engine) -> Message:
    result = record.result
    a, b = intent.first, intent.second
    if a is b:
        return help_reply()
    lead, trail = (a, b) if result.scores[a] >= result.scores[b] else (b, a)
    lines = [
        f"*{a.label}* {result.scores[a]:+.1f} vs *{b.label}* {result.scores[b]:+.1f}: "
        f"{lead.label} leads by {points(result.scores[lead] - result.scores[trail])} for these answers."
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
        lines.append(f"*What would put {trail.label} ahead of {lead.label}*")
        lines += [f"• {flip}" for flip in flips]
    return _message("\n".join(lines), sections_from_lines(f"{a.label} vs {b.label}", lines))


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
                found.append((scores[trail] - scores[lead], describe_answer(question_id, option)))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found[:3]]


def help_reply() -> Message:
    lines = [
        "Mention me in this thread and I'll answer here. I understand:",
        "• *What if*: change one or more answers, by id or in words, and see the new recommendation.",
        "• *Why*: what drove the recommendation, or `explain <question>` for one answer.",
        "• *Compare*: two approaches side by side for these answers.",
        "Examples: " + ", ".join(EXAMPLES),
        "Question ids: " + ", ".join(f"`{q}`" for q in SCORED_IDS),
    ]
    return _message("\n".join(lines), sections_from_lines("What I understand", lines))


def not_understood_reply(intent: NotUnderstood) -> Message:
    lines = [f"I couldn't match “{escape(truncate(intent.text, 200))}” to a question, so I won't guess."]
    if intent.suggestions:
        lines.append("The nearest questions and their options:")
        lines += [
            f"• `{q}` ({QUESTIONS_BY_ID[q].short}): "
            + ", ".join(f"`{o}`" for o in QUESTIONS_BY_ID[q].option_ids)
            for q in intent.suggestions
        ]
        first = intent.suggestions[0]
        lines.append(f"For example: `what if {first} is {QUESTIONS_BY_ID[first].option_ids[-1]}`, or `help`.")
    else:
        lines.append("Say `help` for what I understand.")
    return _message("\n".join(lines), sections_from_lines("Not understood", lines))


def reply_to(intent: Intent, record: StoredAssessment, engine: Engine) -> Message:
    if isinstance(intent, WhatIf):
        return what_if_reply(record, intent, engine)
    if isinstance(intent, Why):
        return why_reply(record, intent, engine)
    if isinstance(intent, Compare):
        return compare_reply(record, intent, engine)
    if isinstance(intent, NotUnderstood):
        return not_understood_reply(intent)
    return help_reply()


def outside_result_reply() -> Message:
    text = (
        "Run `/llm-approach` to assess a project. Then mention me in the result's thread to ask "
        "what-if questions, `why`, or `compare rag and fine-tuning`."
    )
    return _message(text, [section(text)])

"""Plain-text rendering of an assessment, for terminals and for message fallbacks."""

from __future__ import annotations

from scoring.models import Answers, Assessment, Flip, Reason
from scoring.questionnaire import QUESTIONS_BY_ID, questions_on_page

BAR_WIDTH = 20


def bar(score: float, low: float, high: float, width: int = BAR_WIDTH) -> str:
    """A bar whose length places the score between the lowest and highest of the four."""
    if high <= low:
        return "█" * width
    filled = round((score - low) / (high - low) * width)
    return "█" * filled + "░" * (width - filled)


def answer_label(question_id: str, option_id: str | None) -> str:
    if option_id is None:
        return "(unanswered)"
    return QUESTIONS_BY_ID[question_id].option_label(option_id)


def answer_short(question_id: str, option_id: str | None) -> str:
    """An option's label without its explanation: "Knowledge" for "Knowledge: it lacks or misstates facts"."""
    return answer_label(question_id, option_id).split(":")[0]


def describe_answer(question_id: str, option_id: str | None) -> str:
    return f"{QUESTIONS_BY_ID[question_id].short}: {answer_short(question_id, option_id)}"


def describe_reason(reason: Reason) -> str:
    return f"{describe_answer(reason.question, reason.answer)}. {reason.text}"


def describe_flip(flip: Flip) -> str:
    changes = " + ".join(
        f"{QUESTIONS_BY_ID[c.question].short} “{answer_short(c.question, c.after)}”"
        + (" (unanswered now)" if c.before is None else "")
        for c in flip.changes
    )
    return f"{changes} → {flip.approach.label}"


def supporting(assessment: Assessment) -> list[Reason]:
    """Reasons that raised the recommendation's score, strongest first."""
    return [r for r in assessment.reasons if r.weight > 0]


def opposing(assessment: Assessment) -> list[Reason]:
    """Reasons that lowered the recommendation's score, strongest first."""
    return sorted((r for r in assessment.reasons if r.weight < 0), key=lambda r: r.weight)


def separating(assessment: Assessment) -> list[Reason]:
    """Reasons that most separate the recommendation from the runner-up."""
    winner, runner = assessment.approach, assessment.confidence.runner_up
    gaps = sorted(
        (r for r in assessment.reasons if r.effects[winner] - r.effects[runner] > 0),
        key=lambda r: -(r.effects[winner] - r.effects[runner]),
    )
    return gaps


def points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def sources_suffix(sources: tuple[str, ...]) -> str:
    return f" [{', '.join(sources)}]" if sources else ""


def confidence_line(assessment: Assessment) -> str:
    confidence = assessment.confidence
    line = (
        f"Confidence: {confidence.level} — {points(confidence.margin)} ahead of "
        f"{confidence.runner_up.label}; {confidence.answered} of {confidence.of} questions answered"
    )
    return line


def render(assessment: Assessment, answers: Answers | None = None, *, top_reasons: int = 6) -> str:
    lines: list[str] = []
    if answers is not None and answers.project_name:
        lines.append(f"Project: {answers.project_name}")
    lines.append(f"Recommendation: {assessment.approach.label}")
    lines.append(confidence_line(assessment))
    lines.append("")
    lines.append("Scores")
    ranked = assessment.ranked()
    low, high = min(s for _, s in ranked), max(s for _, s in ranked)
    for approach, score in ranked:
        lines.append(f"  {approach.label:<19} {bar(score, low, high)} {score:+.1f}")
    lines.append("")
    lines.append("Why")
    for index, reason in enumerate(supporting(assessment)[:top_reasons]):
        lines.append(f"  {index + 1}. {describe_reason(reason)}{sources_suffix(reason.sources)}")
    runner_up = assessment.confidence.runner_up
    lines.append("")
    lines.append(f"Why not {runner_up.label}, the runner-up")
    lines.extend(f"  - {describe_reason(r)}{sources_suffix(r.sources)}" for r in separating(assessment)[:2])
    against = opposing(assessment)[:3]
    if against:
        lines.append("")
        lines.append("Against it")
        lines.extend(f"  - {describe_reason(r)}{sources_suffix(r.sources)}" for r in against)
    if assessment.what_would_change:
        lines.append("")
        lines.append("What would change it")
        lines.extend(f"  - {describe_flip(flip)}" for flip in assessment.what_would_change)
    if assessment.caveats:
        lines.append("")
        lines.append("Caveats")
        lines.extend(f"  - {note.text}{sources_suffix(note.sources)}" for note in assessment.caveats)
    if assessment.next_steps:
        lines.append("")
        lines.append("Next steps")
        lines.extend(
            f"  {i + 1}. {note.text}{sources_suffix(note.sources)}"
            for i, note in enumerate(assessment.next_steps)
        )
    return "\n".join(lines) + "\n"


def render_questionnaire() -> str:
    lines: list[str] = []
    page = 0
    for question in (q for p in range(1, 5) for q in questions_on_page(p)):
        if question.page != page:
            page = question.page
            lines.append(f"Page {page}")
        optional = "" if question.required else " (optional)"
        lines.append(f"  {question.id} ({question.short}): {question.label}{optional}")
        lines.append(f"    {question.help}")
        if question.is_free_text:
            lines.append(f"    free text, at most {question.max_length} characters")
        for option in question.options:
            lines.append(f"    - {option.id}: {option.label}")
    return "\n".join(lines) + "\n"

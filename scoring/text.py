"""Plain-text rendering of an assessment, for terminals and for message fallbacks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from scoring.models import Answers, Assessment, Flip, Reason
from scoring.questionnaire import PAGES, QUESTIONS_BY_ID, questions_on_page

BAR_WIDTH = 20

# How a forward move of each lever is worded, as something to do (README, "Levers and facts"): the action,
# and for a measurement, what it must find.
LEVER_ACTIONS: Final[dict[str, dict[str, tuple[str, str | None]]]] = {
    "labeled_examples": {
        "lt_50": ("collect your first labelled examples", None),
        "50_499": ("collect 50 or more labelled examples", None),
        "500_4999": ("collect 500 or more labelled examples", None),
        "5000_plus": ("collect 5,000 or more labelled examples", None),
    },
    "ml_expertise": {
        "some": ("bring in some ML expertise", None),
        "strong": ("bring in strong ML expertise (people who have trained models)", None),
    },
    "compute_budget": {
        "medium": ("budget for some training or hosting", None),
        "high": ("budget for training runs and dedicated hosting", None),
    },
    "time_to_first_version": {
        "weeks": ("allow weeks for the first version", None),
        "months": ("allow months for the first version", None),
    },
    "prompt_baseline": {
        "meets_target": ("measure a prompt baseline", "it meets the target"),
        "close_to_target": ("measure a prompt baseline", "it comes within a few points of target"),
        "plateaued_below_target": ("measure a prompt baseline", "it plateaus below target"),
    },
    "teacher_model": {
        "yes": ("check whether a larger model can write the outputs", "one can"),
        "no": ("check whether a larger model can write the outputs", "none can"),
    },
}
# The order a team pulls levers in: measure first, then check a teacher, then gather resources.
_LEVER_ORDER: Final[tuple[str, ...]] = (
    "prompt_baseline",
    "teacher_model",
    "labeled_examples",
    "ml_expertise",
    "compute_budget",
    "time_to_first_version",
)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


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
    """One entry of what would change the recommendation: an action for levers ("Collect 500 or more
    labelled examples → Fine-tuning"), a condition for facts ("If failure mode were “Behaviour” → …")."""
    if flip.actionable:
        ordered = sorted(
            flip.changes, key=lambda c: _LEVER_ORDER.index(c.question) if c.question in _LEVER_ORDER else 9
        )
        actions: list[str] = []
        conditions: list[str] = []
        for change in ordered:
            action, condition = LEVER_ACTIONS.get(change.question, {}).get(change.after) or (
                f"change {QUESTIONS_BY_ID[change.question].short.lower()} to "
                f"“{answer_short(change.question, change.after)}”",
                None,
            )
            actions.append(action)
            if condition:
                conditions.append(condition)
        words = _joined(actions) + (f": if {_joined(conditions)}" if conditions else "")
        return f"{words[0].upper()}{words[1:]} → {flip.approach.label}"
    facts = " and ".join(
        f"{QUESTIONS_BY_ID[c.question].short.lower()} were “{answer_short(c.question, c.after)}”"
        + (" (unanswered now)" if c.before is None else "")
        for c in flip.changes
    )
    return f"If {facts} → {flip.approach.label}"


def _one_per_answer(reasons: Iterable[Reason]) -> list[Reason]:
    """The first (strongest) reason for each answer: a list a person reads names each answer once, even where
    several rules read it (the breakdown keeps every rule)."""
    seen: set[str] = set()
    kept: list[Reason] = []
    for reason in reasons:
        if reason.question not in seen:
            seen.add(reason.question)
            kept.append(reason)
    return kept


def supporting(assessment: Assessment) -> list[Reason]:
    """Answers that raised the recommendation's score, each with its strongest reason, strongest first."""
    return _one_per_answer(r for r in assessment.reasons if r.weight > 0)


def opposing(assessment: Assessment) -> list[Reason]:
    """Answers that lowered the recommendation's score, each with its strongest reason, strongest first."""
    return _one_per_answer(sorted((r for r in assessment.reasons if r.weight < 0), key=lambda r: r.weight))


def separating(assessment: Assessment) -> list[Reason]:
    """Answers that most separate the recommendation from the runner-up, each with its strongest reason."""
    winner, runner = assessment.approach, assessment.confidence.runner_up
    gaps = sorted(
        (r for r in assessment.reasons if r.effects[winner] - r.effects[runner] > 0),
        key=lambda r: -(r.effects[winner] - r.effects[runner]),
    )
    return _one_per_answer(gaps)


def points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def sources_suffix(sources: tuple[str, ...]) -> str:
    return f" [{', '.join(sources)}]" if sources else ""


def confidence_line(assessment: Assessment) -> str:
    """The level and, in words, what it rests on (the first release's margin wording when the assessment
    was stored before confidence had a summary)."""
    confidence = assessment.confidence
    if confidence.summary:
        words = confidence.summary.split(": ", 1)[-1]
        line = f"Confidence: {confidence.level}. {words[:1].upper()}{words[1:]}"
    else:
        line = (
            f"Confidence: {confidence.level} — {points(confidence.margin)} ahead of "
            f"{confidence.runner_up.label}"
        )
    return f"{line} ({confidence.answered} of {confidence.of} questions answered)"


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *lines] if lines else []


def _head(assessment: Assessment, answers: Answers | None) -> list[str]:
    lines: list[str] = []
    if answers is not None and answers.project_name:
        lines.append(f"Project: {answers.project_name}")
    lines.append(f"Recommendation: {assessment.approach.label}")
    if assessment.path:
        lines.append(f"Start now: {assessment.path[0].approach.label}")
    lines.append(confidence_line(assessment))
    lines.extend(f"  - {basis}" for basis in assessment.confidence.basis)
    return lines


def _scores(assessment: Assessment) -> list[str]:
    ranked = assessment.ranked()
    low, high = min(s for _, s in ranked), max(s for _, s in ranked)
    excluded = set(assessment.excluded)
    return [
        f"  {approach.label:<19} {bar(score, low, high)} {score:+.1f}"
        + ("  (ruled out)" if approach in excluded else "")
        for approach, score in ranked
    ]


def render(assessment: Assessment, answers: Answers | None = None, *, top_reasons: int = 6) -> str:
    """The assessment for a person: the recommendation, where to start and how sure it is; the path, the
    conflicting answers, what gates ruled out; the scores and reasons; what you can do that would change it,
    apart from the facts that would; caveats and next steps."""

    def cited(text: str, sources: tuple[str, ...]) -> str:
        return f"{text}{sources_suffix(sources)}"

    lines = _head(assessment, answers)
    lines += _section(
        "Path",
        [
            f"  {i}. {stage.approach.label}: {cited(stage.when, stage.sources)}"
            for i, stage in enumerate(assessment.path, start=1)
        ],
    )
    lines += _section(
        "Conflicting answers (re-check them)", [f"  - {conflict.text}" for conflict in assessment.conflicts]
    )
    lines += _section(
        "Ruled out as the destination",
        [
            f"  - {', '.join(a.label for a in gate.blocks)}: {cited(gate.text, gate.sources)}"
            for gate in assessment.gates
        ],
    )
    lines += _section("Scores", _scores(assessment))
    lines += _section(
        "Why",
        [
            f"  {i}. {cited(describe_reason(reason), reason.sources)}"
            for i, reason in enumerate(supporting(assessment)[:top_reasons], start=1)
        ],
    )
    lines += [
        "",
        f"Why not {assessment.confidence.runner_up.label}, the runner-up",
        *(f"  - {cited(describe_reason(r), r.sources)}" for r in separating(assessment)[:2]),
    ]
    lines += _section(
        "Against it", [f"  - {cited(describe_reason(r), r.sources)}" for r in opposing(assessment)[:3]]
    )
    lines += _section(
        "What you can do that would change it",
        [f"  - {describe_flip(flip)}" for flip in assessment.actionable_changes],
    )
    lines += _section(
        "Facts that would change it (if they were different)",
        [f"  - {describe_flip(flip)}" for flip in assessment.fact_changes],
    )
    lines += _section("Caveats", [f"  - {cited(note.text, note.sources)}" for note in assessment.caveats])
    lines += _section(
        "Next steps",
        [f"  {i}. {cited(note.text, note.sources)}" for i, note in enumerate(assessment.next_steps, start=1)],
    )
    return "\n".join(lines) + "\n"


def render_questionnaire() -> str:
    lines: list[str] = []
    page = 0
    for question in (q for p in PAGES for q in questions_on_page(p)):
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

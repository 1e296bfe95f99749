"""The engine's result put into words, the same way on every surface. Pure.

Where the decision core's output grows (a path of stages, a confidence that says what it rests on, changes
marked as levers or facts), only the functions here need to read the new fields: ``first_step``,
``confidence_words``, ``is_lever_move`` and ``what_would_change``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.ui.blocks import shorten
from bot.ui.sources import source_links
from scoring import Approach, Assessment
from scoring.models import APPROACHES, Flip, Reason
from scoring.questionnaire import QUESTIONS_BY_ID
from scoring.text import answer_short, separating, supporting

HEADLINE_LIMIT = 85

# The answers a team can change, and which way is forward (the contract's "levers"); every other answer
# describes the project. A move along one of these orders, away from its start, is a lever pulled.
LEVERS: Mapping[str, tuple[str, ...]] = {
    "labeled_examples": ("none", "lt_50", "50_499", "500_4999", "5000_plus"),
    "ml_expertise": ("none", "some", "strong"),
    "compute_budget": ("low", "medium", "high"),
    "time_to_first_version": ("days", "weeks", "months"),
}
# Levers whose only forward move is leaving an "unknown" state, to any other answer.
UNKNOWN_STARTS: Mapping[str, str] = {"prompt_baseline": "not_tried", "teacher_model": "not_checked"}


def first_step(result: Assessment) -> str | None:
    """Where the team starts: the first of the recommendation's next steps.

    When the engine gives a path of stages, this is the path's first stage.
    """
    return result.next_steps[0].text if result.next_steps else None


_CONFIDENCE_LEAD = {
    "high": "clearly ahead of {runner_up}",
    "medium": "ahead of {runner_up}, the runner-up",
    "low": "only just ahead of {runner_up}; one answer could flip it",
}


def confidence_words(result: Assessment) -> str:
    """The confidence in words: how sure, against what, and what it lacks."""
    confidence = result.confidence
    lead = _CONFIDENCE_LEAD.get(confidence.level, "ahead of {runner_up}")
    if result.missing:
        lead = "ahead of {runner_up}"  # the unanswered questions are what it lacks
    text = (
        f"*{confidence.level.capitalize()} confidence*: {lead.format(runner_up=confidence.runner_up.label)}"
    )
    unanswered = len(result.missing)
    if unanswered:
        text += f"; {unanswered} question{'s' if unanswered != 1 else ''} unanswered"
    return text + "."


def deciding_reasons(result: Assessment, count: int = 3) -> list[Reason]:
    """The reasons that decided it: the answers that counted most for the recommendation, and the one that
    most separates it from the runner-up (why this and not the close alternative)."""
    chosen = supporting(result)[: count - 1]
    against_runner_up = [r for r in separating(result) if r not in chosen]
    chosen += against_runner_up[:1]
    chosen += [r for r in supporting(result) if r not in chosen][: count - len(chosen)]
    return chosen[:count]


def answer_phrase(question_id: str, option_id: str | None) -> str:
    """An answer as a reader says it: "Knowledge need: our own documents or a large corpus"."""
    answer = answer_short(question_id, option_id)
    return f"{QUESTIONS_BY_ID[question_id].short}: {answer[:1].lower()}{answer[1:]}"


def without_asides(text: str) -> str:
    """Text without its parenthesised asides ("(LoRA adds no inference latency)" and the like)."""
    return re.sub(r"\s*\([^)]*\)", "", text)


def headline(text: str, limit: int = HEADLINE_LIMIT) -> str:
    """A reason's first clause without its asides, for one line in the channel; the whole reason is in the
    thread."""
    first = re.split(r": |; | — |\. ", text, maxsplit=1)[0]
    if len(first) < 25:
        first = text
    first = without_asides(first)
    if len(first) > limit:
        main = re.split(r", (?:but|so|which|where|while|and) ", first, maxsplit=1)[0]
        first = main if len(main) >= 25 else first
    return shorten(first.rstrip("."), limit)


def signed(value: float) -> str:
    """A number of points with its sign, as a screen reader and a person read it: "+3", "−1.5", "0"."""
    return f"{value:+g}".replace("-", "−") if value else "0"


def effects_text(effects: Mapping[Approach, float]) -> str:
    """How one reason moved each approach, with the approaches named in full."""
    moved = [f"{a.label} {signed(effects[a])}" for a in APPROACHES if effects.get(a)]
    return " · ".join(moved) if moved else "no effect"


def reason_line(reason: Reason) -> str:
    """A reason in full, with its sources linked: for the thread."""
    sources = f" ({source_links(reason.sources)})" if reason.sources else ""
    return f"• *{answer_phrase(reason.question, reason.answer)}*. {reason.text}{sources}"


def scores_text(result: Assessment) -> str:
    """Every approach's score, in words a screen reader can read, best first."""
    return " · ".join(f"{approach.label} {signed(score)}" for approach, score in result.ranked())


def is_lever_move(flip: Flip) -> bool:
    """True when every change in the flip is something the team can do (a lever moved forward).

    When the engine marks this itself (``actionable``), this reads that instead.
    """
    for change in flip.changes:
        if change.before is None:
            return False  # answering an unanswered question states a fact; it pulls no lever
        order = LEVERS.get(change.question)
        if order is not None:
            if change.before not in order or change.after not in order:
                return False
            if order.index(change.after) <= order.index(change.before):
                return False
        elif UNKNOWN_STARTS.get(change.question) != change.before:
            return False
    return True


def change_text(flip: Flip) -> str:
    changes = " and ".join(
        answer_phrase(c.question, c.after) + (" (unanswered now)" if c.before is None else "")
        for c in flip.changes
    )
    return f"{changes} → *{flip.approach.label}*"


def what_would_change(result: Assessment) -> tuple[list[str], list[str]]:
    """The changes that would flip the recommendation, split into (levers the team can pull, facts that
    would change it)."""
    levers = [f"• {change_text(flip)}" for flip in result.what_would_change if is_lever_move(flip)]
    facts = [f"• {change_text(flip)}" for flip in result.what_would_change if not is_lever_move(flip)]
    return levers, facts

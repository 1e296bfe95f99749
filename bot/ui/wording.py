"""The engine's result put into words, the same way on every surface. Pure.

The path, the worded confidence and the levers come from the engine; these functions are where the Slack
surfaces read them (and fall back to what assessments stored by the first release hold).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.ui.blocks import shorten
from bot.ui.sources import source_links
from scoring import Approach, Assessment
from scoring.models import APPROACHES, Flip, Reason, Stage
from scoring.questionnaire import QUESTIONS_BY_ID
from scoring.text import answer_short, describe_flip, separating, supporting

HEADLINE_LIMIT = 85


def stage_text(stage: Stage) -> str:
    """One stage of the path: the approach, then when to take it ("Now: …" becomes the plain action)."""
    when = stage.when.removeprefix("Now: ").removeprefix("Now, ")
    return f"{stage.approach.label}: {when[:1].lower()}{when[1:]}" if when else stage.approach.label


def first_step(result: Assessment) -> str | None:
    """Where the team starts: the path's first stage (for assessments stored before the engine gave a path,
    the first next step)."""
    if result.path:
        return stage_text(result.path[0])
    return result.next_steps[0].text if result.next_steps else None


_CONFIDENCE_LEAD = {
    "high": "clearly ahead of {runner_up}",
    "medium": "ahead of {runner_up}, the runner-up",
    "low": "only just ahead of {runner_up}; one answer could flip it",
}


def confidence_words(result: Assessment) -> str:
    """The confidence in words: how sure, and what that rests on."""
    confidence = result.confidence
    level = f"*{confidence.level.capitalize()} confidence*"
    if confidence.summary:
        words = confidence.summary.split(": ", 1)[-1].rstrip(".")
        return f"{level}: {words[:1].lower()}{words[1:]}."
    # Stored by the first release: its confidence was the lead over the runner-up.
    lead = _CONFIDENCE_LEAD.get(confidence.level, "ahead of {runner_up}")
    if result.missing:
        lead = "ahead of {runner_up}"
    text = f"{level}: {lead.format(runner_up=confidence.runner_up.label)}"
    unanswered = len(result.missing)
    if unanswered:
        text += f"; {unanswered} question{'s' if unanswered != 1 else ''} unanswered"
    return text + "."


def deciding_reasons(result: Assessment, count: int = 3) -> list[Reason]:
    """The reasons that decided it: the answers that counted most for the recommendation, and the one that
    most separates it from the runner-up (why this and not the close alternative)."""
    # Reasons are told apart by identity: each is one object of the result, and comparing pydantic models
    # field by field was a measurable share of posting a result.
    chosen = supporting(result)[: count - 1]
    taken = {id(r) for r in chosen}
    chosen += [r for r in separating(result) if id(r) not in taken][:1]
    taken = {id(r) for r in chosen}
    chosen += [r for r in supporting(result) if id(r) not in taken][: count - len(chosen)]
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


def change_text(flip: Flip) -> str:
    """One entry of what would change it, as the engine words it (an action for a lever, a condition for a
    fact), with the approach it leads to in bold."""
    words = describe_flip(flip).rsplit(" → ", 1)[0]
    return f"{words} → *{flip.approach.label}*"


def what_would_change(result: Assessment) -> tuple[list[str], list[str]]:
    """The changes that would flip the recommendation, split into (levers the team can pull, facts that
    would change it)."""
    levers = [f"• {change_text(flip)}" for flip in result.actionable_changes]
    facts = [f"• {change_text(flip)}" for flip in result.fact_changes]
    return levers, facts


def conflict_questions(result: Assessment) -> str:
    """The answers to re-check, named as readers know them: "Knowledge need and Failure mode"."""
    questions = list(dict.fromkeys(q for conflict in result.conflicts for q in conflict.questions))
    names = [QUESTIONS_BY_ID[q].short for q in questions]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)

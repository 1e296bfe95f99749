"""Confidence from robustness: how sure the engine is, and what that rests on, in words.

The engine measures (``Robustness``); this module judges. The level is (thresholds in rules.toml,
[confidence], so a policy can change them):

- **low** when the lead over the best feasible alternative is under ``medium`` points, or
  ``changes_for_low`` plausible one-step changes of the least certain answers would change the
  recommendation, or ``conflicts_for_low`` pairs of answers contradict each other, or more than
  ``missing_for_low`` first-release questions are unanswered;
- **high** only when none of that holds and also: the lead is at least ``high`` points (or gates rule out
  every alternative), at least ``high_min_agreeing`` independent groups of evidence favour the
  recommendation and at most ``high_max_disagreeing`` favour an alternative, no plausible change moves it,
  no answers contradict each other and every first-release question is answered;
- **medium** otherwise;
- then no higher than any cap that applies (a missing or shaky prerequisite of the recommendation).

Every ingredient only gets worse as a fact turns against the recommendation (a smaller lead, fewer
agreeing groups, more plausible changes that move it, more caps), which is what keeps "an adverse fact never
raises confidence" true; tests/unit/scoring checks it over the answer space.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

from scoring.models import LEVELS, AnswerChange, Approach, Confidence, Conflict, trusted
from scoring.questionnaire import FIRST_RELEASE_IDS, QUESTIONS_BY_ID, SCORED_IDS
from scoring.ruleset import Cap, ConfidenceSettings

_FIRST_RELEASE = frozenset(FIRST_RELEASE_IDS)


class Fragile(NamedTuple):
    """A plausible one-step change that would change the recommendation."""

    question: str
    before: str | None
    after: str
    approach: Approach


class Robustness(NamedTuple):
    """What the engine measured about how robust its answer is."""

    approach: Approach
    runner_up: Approach
    margin: float  # points ahead of the runner-up, never negative
    lead: float | None  # over the best feasible alternative; None when gates rule out every alternative
    agreeing: tuple[str, ...]  # ids of the groups favouring the recommendation over every feasible one
    disagreeing: tuple[str, ...]  # ids of the groups favouring a feasible alternative
    checked: int  # plausible one-step changes tried
    fragile: tuple[Fragile, ...]
    conflicts: tuple[Conflict, ...]
    missing: tuple[str, ...]
    caps: tuple[Cap, ...]  # caps that apply to the recommendation


def level(settings: ConfidenceSettings, robust: Robustness) -> tuple[str, int]:
    """The level, and the rank (0 low, 1 medium, 2 high) robustness alone would give before caps."""
    missing = sum(1 for qid in robust.missing if qid in _FIRST_RELEASE) if robust.missing else 0
    lead = robust.lead
    if (
        (lead is not None and lead < settings.medium)
        or len(robust.fragile) >= settings.changes_for_low
        or len(robust.conflicts) >= settings.conflicts_for_low
        or missing > settings.missing_for_low
    ):
        rank = 0
    elif (
        (lead is None or lead >= settings.high)
        and len(robust.agreeing) >= settings.high_min_agreeing
        and len(robust.disagreeing) <= settings.high_max_disagreeing
        and not robust.fragile
        and not robust.conflicts
        and not missing
    ):
        rank = 2
    else:
        rank = 1
    capped = min((LEVELS.index(cap.level) for cap in robust.caps), default=2)
    return LEVELS[min(rank, capped)], rank


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


@cache
def _change(fragile: Fragile) -> str:
    question = QUESTIONS_BY_ID[fragile.question]
    label = question.option_label(fragile.after).split(":")[0]
    return f"{question.short.lower()} “{label}” → {fragile.approach.label}"


@cache
def _fragile_line(checked: int, fragile: tuple[Fragile, ...]) -> str:
    if not checked:
        return "No uncertain answers to re-check"
    if not fragile:
        return f"Holds under all {checked} plausible one-step changes of the least sure answers"
    shown = "; ".join([_change(f) for f in fragile[:3]])
    more = f" and {len(fragile) - 3} more" if len(fragile) > 3 else ""
    return f"{len(fragile)} of {checked} plausible one-step changes would change it: {shown}{more}"


@cache
def _conflicts_line(conflicts: tuple[Conflict, ...]) -> str:
    if not conflicts:
        return "No answers contradict each other"
    questions = sorted({q for c in conflicts for q in c.questions}, key=SCORED_IDS.index)
    return f"{_plural(len(conflicts), 'contradiction')} in the answers: re-check " + ", ".join(
        [QUESTIONS_BY_ID[q].short.lower() for q in questions]
    )


@cache
def _missing_line(missing: tuple[str, ...]) -> str:
    if not missing:
        return "Every question answered"
    return f"{_plural(len(missing), 'question')} unanswered: " + ", ".join(
        [QUESTIONS_BY_ID[q].short.lower() for q in missing]
    )


def _cap_line(cap: Cap) -> str:
    return f"At most {cap.level}: {cap.text}"


class Titles:
    """The evidence groups' titles, and the sentences naming them, built once per rule set."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        self._titles = dict(titles)
        self._lines: dict[tuple[Approach, tuple[str, ...], tuple[str, ...]], str] = {}

    def groups_line(self, approach: Approach, agreeing: tuple[str, ...], disagreeing: tuple[str, ...]) -> str:
        key = (approach, agreeing, disagreeing)
        line = self._lines.get(key)
        if line is None:
            names = self._titles
            line = f"{len(agreeing)} of {len(names)} groups of evidence favour {approach.label}"
            if agreeing:
                line += " (" + ", ".join([names[g] for g in agreeing]) + ")"
            if disagreeing:
                line += (
                    f"; {len(disagreeing)} favour an alternative ("
                    + ", ".join([names[g] for g in disagreeing])
                    + ")"
                )
            self._lines[key] = line
        return line


def basis(robust: Robustness, titles: Titles) -> tuple[str, ...]:
    """Short statements the level rests on, one per ingredient."""
    lines: list[str] = []
    if robust.lead is None:
        lines.append(f"Gates rule out every alternative to {robust.approach.label}")
    else:
        lines.append(titles.groups_line(robust.approach, robust.agreeing, robust.disagreeing))
        lines.append(f"{robust.lead:g} points ahead of {robust.runner_up.label}, the best feasible one")
    lines.append(_fragile_line(robust.checked, robust.fragile))
    lines.append(_conflicts_line(robust.conflicts))
    lines.append(_missing_line(robust.missing))
    lines.extend(_cap_line(cap) for cap in robust.caps)
    return tuple(lines)


def summary(robust: Robustness, level_: str, rank: int) -> str:
    """One sentence: the level and the main things it rests on."""
    if level_ == "high":
        lead = (
            f"it leads {robust.runner_up.label} by {robust.lead:g} points"
            if robust.lead is not None
            else "gates rule out the alternatives"
        )
        return (
            f"High: {len(robust.agreeing)} independent groups of evidence favour {robust.approach.label}, "
            f"{lead} and no plausible change of the uncertain answers moves it."
        )
    limits: list[str] = []
    lowest = min(robust.caps, key=lambda cap: LEVELS.index(cap.level), default=None)
    if lowest is not None and LEVELS.index(lowest.level) < rank:
        limits.append(lowest.text[0].lower() + lowest.text[1:].rstrip("."))
    if robust.conflicts:
        limits.append(f"{_plural(len(robust.conflicts), 'pair')} of answers contradict each other")
    if robust.fragile:
        changes = _plural(len(robust.fragile), "plausible change")
        limits.append(f"{changes} of an uncertain answer would change it")
    if robust.missing:
        limits.append(f"{_plural(len(robust.missing), 'answer')} missing")
    if robust.lead is not None and not limits:
        limits.append(f"it leads {robust.runner_up.label} by only {robust.lead:g} points")
    if not limits:
        limits.append(f"only {_plural(len(robust.agreeing), 'group')} of evidence clearly favour it")
    return f"{level_.capitalize()}: " + "; ".join(limits[:2]) + "."


def judge(
    settings: ConfidenceSettings,
    robust: Robustness,
    titles: Titles,
    changes: tuple[AnswerChange, ...],
    answered: int,
) -> Confidence:
    """The confidence object: level, the first release's fields, and what it rests on."""
    found, rank = level(settings, robust)
    return trusted(
        Confidence,
        level=found,
        margin=robust.margin,
        runner_up=robust.runner_up,
        answered=answered,
        of=len(SCORED_IDS),
        summary=summary(robust, found, rank),
        basis=basis(robust, titles),
        agreeing=robust.agreeing,
        disagreeing=robust.disagreeing,
        checked=robust.checked,
        fragile=changes,
        caps=tuple(cap.id for cap in robust.caps),
    )

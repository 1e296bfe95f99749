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


class Limit(NamedTuple):
    """One reason the level is no higher: the most it allows (0 low, 1 medium) and what it is, in words."""

    id: str
    allows: int
    text: str


def limits(settings: ConfidenceSettings, robust: Robustness) -> tuple[Limit, ...]:
    """Every reason the confidence is below high, each with the highest level it allows, strongest first.

    A lead over the best feasible alternative and the groups of evidence for and against matter only where
    there is a feasible alternative; when gates rule out every alternative, robustness rests on whether
    plausible changes, contradictions or missing answers could move it, and on the caps.
    """
    found: list[Limit] = []
    lead = robust.lead
    other = robust.runner_up.label
    missing = sum(1 for qid in robust.missing if qid in _FIRST_RELEASE) if robust.missing else 0
    if lead is not None and lead < settings.high:
        allows = 0 if lead < settings.medium else 1
        found.append(Limit("lead", allows, f"it leads {other} by only {lead:g} points"))
    if lead is not None and len(robust.disagreeing) > settings.high_max_disagreeing:
        count = len(robust.disagreeing)
        found.append(Limit("disagreeing", 1, f"{_plural(count, 'group')} of evidence favour an alternative"))
    if lead is not None and len(robust.agreeing) < settings.high_min_agreeing:
        count = len(robust.agreeing)
        verb = "favours" if count == 1 else "favour"
        found.append(Limit("agreeing", 1, f"only {_plural(count, 'group')} of evidence clearly {verb} it"))
    if robust.fragile:
        allows = 0 if len(robust.fragile) >= settings.changes_for_low else 1
        changes = _plural(len(robust.fragile), "plausible change")
        found.append(Limit("fragile", allows, f"{changes} of an uncertain answer would change it"))
    if robust.conflicts:
        allows = 0 if len(robust.conflicts) >= settings.conflicts_for_low else 1
        pairs = _plural(len(robust.conflicts), "pair")
        found.append(Limit("conflicts", allows, f"{pairs} of answers contradict each other"))
    if missing:
        allows = 0 if missing > settings.missing_for_low else 1
        found.append(Limit("missing", allows, f"{_plural(missing, 'answer')} missing"))
    for cap in robust.caps:
        text = cap.text[0].lower() + cap.text[1:].rstrip(".")
        found.append(Limit(f"cap:{cap.id}", LEVELS.index(cap.level), text))
    return tuple(sorted(found, key=lambda limit: limit.allows))


def level(settings: ConfidenceSettings, robust: Robustness) -> tuple[str, tuple[Limit, ...]]:
    """The level, and the limits that set it (those allowing no more than it; none when it is high)."""
    found = limits(settings, robust)
    rank = min((limit.allows for limit in found), default=2)
    return LEVELS[rank], tuple(limit for limit in found if limit.allows == rank)


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


def summary(robust: Robustness, level_: str, binding: tuple[Limit, ...]) -> str:
    """One sentence: the level and what sets it (the limits that bind, the evidence groups' limits last)."""
    if level_ == "high":
        if robust.lead is None:
            lead = "gates rule out every alternative"
        else:
            lead = (
                f"{len(robust.agreeing)} independent groups of evidence favour {robust.approach.label}, "
                f"it leads {robust.runner_up.label} by {robust.lead:g} points"
            )
        return f"High: {lead} and no plausible change of the uncertain answers moves it."
    order = ("conflicts", "fragile", "missing", "lead", "disagreeing", "agreeing")
    shown = sorted(binding, key=lambda limit: order.index(limit.id) if limit.id in order else -1)
    return f"{level_.capitalize()}: " + "; ".join(limit.text for limit in shown[:2]) + "."


def judge(
    settings: ConfidenceSettings,
    robust: Robustness,
    titles: Titles,
    changes: tuple[AnswerChange, ...],
    answered: int,
) -> Confidence:
    """The confidence object: level, the first release's fields, and what it rests on."""
    found, binding = level(settings, robust)
    return trusted(
        Confidence,
        level=found,
        margin=robust.margin,
        runner_up=robust.runner_up,
        answered=answered,
        of=len(SCORED_IDS),
        summary=summary(robust, found, binding),
        basis=basis(robust, titles),
        agreeing=robust.agreeing,
        disagreeing=robust.disagreeing,
        checked=robust.checked,
        fragile=changes,
        caps=tuple(cap.id for cap in robust.caps),
        limits=tuple(limit.id for limit in binding),
    )

"""Conditions on answers, compiled, and the four-number vectors the engine adds up. Pure.

A condition is ``when`` (every answer listed must be one of its options) and ``unless`` (no alternative may
match in full), as rules.toml writes them. ``unanswered`` in an option list matches a question left blank;
without it, a blank never matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from scoring.models import APPROACHES, Approach
from scoring.ruleset import UNANSWERED, Conditions

Vector = tuple[float, float, float, float]  # one number per approach, in APPROACHES order
ZERO: Final[Vector] = (0.0, 0.0, 0.0, 0.0)
# One question's accepted answers: option ids, and None for a blank where ``unanswered`` is listed.
Accepted = frozenset[str | None]
Clause = tuple[tuple[str, Accepted], ...]
Choices = Mapping[str, str]


def add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def sub(a: Vector, b: Vector) -> Vector:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3])


def absolute(a: Vector) -> Vector:
    return (abs(a[0]), abs(a[1]), abs(a[2]), abs(a[3]))


def widest(bounds: list[Vector]) -> Vector:
    """The largest of several bounds, per approach."""
    found = ZERO
    for b in bounds:
        found = (max(found[0], b[0]), max(found[1], b[1]), max(found[2], b[2]), max(found[3], b[3]))
    return found


def mask(approaches: tuple[Approach, ...]) -> int:
    """Approaches as a bit mask: bit i for APPROACHES[i]."""
    bits = 0
    for approach in approaches:
        bits |= 1 << APPROACHES.index(approach)
    return bits


def clause(conditions: Conditions) -> Clause:
    return tuple(
        (qid, frozenset(None if option == UNANSWERED else option for option in options))
        for qid, options in conditions.items()
    )


@dataclass(frozen=True, slots=True)
class Condition:
    """``when`` and ``unless``, compiled; ``questions`` are every answer either reads."""

    when: Clause
    unless: tuple[Clause, ...]
    questions: frozenset[str]

    @classmethod
    def of(cls, when: Conditions, unless: tuple[Conditions, ...] = ()) -> Condition:
        questions = set(when)
        for alternative in unless:
            questions.update(alternative)
        return cls(clause(when), tuple(clause(alternative) for alternative in unless), frozenset(questions))

    def holds(self, choices: Choices) -> bool:
        get = choices.get
        # Plain loops: this runs for every joint rule and gate on every scoring.
        for question_id, options in self.when:
            if get(question_id) not in options:
                return False
        for alternative in self.unless:
            for question_id, options in alternative:
                if get(question_id) not in options:
                    break
            else:
                return False
        return True

    def holds_with(self, choices: Choices, changed: str, option: str) -> bool:
        """``holds`` with one answer replaced, without copying the answers."""
        get = choices.get
        for question_id, options in self.when:
            if (option if question_id == changed else get(question_id)) not in options:
                return False
        for alternative in self.unless:
            for question_id, options in alternative:
                if (option if question_id == changed else get(question_id)) not in options:
                    break
            else:
                return False
        return True

    def may_toggle(self, question_id: str, before: str | None, after: str) -> bool:
        """Whether changing this answer from ``before`` to ``after`` can change whether it holds."""
        for alternative in (self.when, *self.unless):
            for qid, options in alternative:
                if qid == question_id and (before in options) != (after in options):
                    return True
        return False

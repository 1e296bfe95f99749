"""The recommendation engine: answers in, an explained assessment out. Pure and deterministic.

Every score is a sum of rule effects (rules.toml), so each answer's contribution can be shown on its own
and every "what would change" entry can be checked by scoring the changed answers again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from scoring.models import (
    APPROACHES,
    AnswerChange,
    Answers,
    Approach,
    Assessment,
    Confidence,
    Flip,
    Note,
    Reason,
)
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.ruleset import Guidance, Rule, RuleSet, default_ruleset

Vector = tuple[float, float, float, float]
Choices = Mapping[str, str]
_ZERO: Vector = (0.0, 0.0, 0.0, 0.0)
# How many single changes per target approach are combined into pairs when no single change flips.
_PAIR_CANDIDATES = 6
_FLIPS_PER_APPROACH = 2


def _vector(rule: Rule) -> Vector:
    return (
        rule.effect(APPROACHES[0]),
        rule.effect(APPROACHES[1]),
        rule.effect(APPROACHES[2]),
        rule.effect(APPROACHES[3]),
    )


def _add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def _sub(a: Vector, b: Vector) -> Vector:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3])


def _matches(when: Mapping[str, tuple[str, ...]], choices: Choices) -> bool:
    return all(choices.get(question_id) in option_ids for question_id, option_ids in when.items())


@dataclass(frozen=True, slots=True)
class _Joint:
    """A rule that reads more than one answer."""

    index: int
    conditions: tuple[tuple[str, frozenset[str]], ...]
    vector: Vector

    def fires(self, choices: Choices) -> bool:
        # A plain loop: this runs for every joint rule on every scoring, and all() over a generator is slower.
        for question_id, options in self.conditions:  # noqa: SIM110
            if choices.get(question_id) not in options:
                return False
        return True


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The raw outcome of scoring: totals per approach (in APPROACHES order) and the rules that fired."""

    totals: Vector
    fired: tuple[int, ...]  # indices into the rule set's rules
    winner: int
    runner_up: int


class Engine:
    """A rule set compiled for fast scoring. Build once per rule set (``engine_for``)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._tie_rank = tuple(ruleset.tie_break.index(approach) for approach in APPROACHES)
        rules = ruleset.rules
        singles: dict[str, dict[str, list[int]]] = {qid: {} for qid in SCORED_IDS}
        joints: list[_Joint] = []
        for index, rule in enumerate(rules):
            if len(rule.when) == 1:
                ((question_id, option_ids),) = rule.when.items()
                for option_id in option_ids:
                    singles[question_id].setdefault(option_id, []).append(index)
            else:
                conditions = tuple((qid, frozenset(options)) for qid, options in rule.when.items())
                joints.append(_Joint(index, conditions, _vector(rule)))
        self._single: dict[str, dict[str, tuple[Vector, tuple[int, ...]]]] = {}
        for question_id, by_option in singles.items():
            self._single[question_id] = {}
            for option_id, indices in by_option.items():
                total = _ZERO
                for index in indices:
                    total = _add(total, _vector(rules[index]))
                self._single[question_id][option_id] = (total, tuple(indices))
        # Per winner, the order reasons are listed in (see _reasons).
        self._sort_keys = tuple(
            tuple(
                (-rule.effect(approach), -_favour(rule, approach), index) for index, rule in enumerate(rules)
            )
            for approach in APPROACHES
        )
        # Reasons and notes are immutable and depend only on the rule, the answers it read and the winner.
        self._reason_cache: dict[tuple[object, ...], Reason] = {}
        self._note_cache: dict[str, Note] = {}
        self._joints = tuple(joints)
        self._joints_by_question: dict[str, tuple[_Joint, ...]] = {
            qid: tuple(joint for joint in joints if any(q == qid for q, _ in joint.conditions))
            for qid in SCORED_IDS
        }

    # --- scoring ---------------------------------------------------------------------------------------

    def _single_vector(self, question_id: str, option_id: str | None) -> Vector:
        if option_id is None:
            return _ZERO
        entry = self._single[question_id].get(option_id)
        return entry[0] if entry else _ZERO

    def _score(self, choices: Choices) -> tuple[Vector, list[int]]:
        """Totals per approach and the indices of the rules that fired, in one pass (the hot path)."""
        pe = rag = ft = hybrid = 0.0
        fired: list[int] = []
        single = self._single
        for question_id in SCORED_IDS:
            option_id = choices.get(question_id)
            if option_id is None:
                continue
            entry = single[question_id].get(option_id)
            if entry is not None:
                vector = entry[0]
                pe += vector[0]
                rag += vector[1]
                ft += vector[2]
                hybrid += vector[3]
                fired.extend(entry[1])
        for joint in self._joints:
            if joint.fires(choices):
                vector = joint.vector
                pe += vector[0]
                rag += vector[1]
                ft += vector[2]
                hybrid += vector[3]
                fired.append(joint.index)
        return (pe, rag, ft, hybrid), fired

    def _totals(self, choices: Choices) -> Vector:
        return self._score(choices)[0]

    def _rank(self, totals: Vector) -> tuple[int, int]:
        order = sorted(range(len(APPROACHES)), key=lambda i: (-totals[i], self._tie_rank[i]))
        return order[0], order[1]

    def scorecard(self, choices: Choices) -> Scorecard:
        totals, fired = self._score(choices)
        winner, runner_up = self._rank(totals)
        return Scorecard(totals, tuple(fired), winner, runner_up)

    # --- explanation -----------------------------------------------------------------------------------

    def _reason(self, rule_index: int, winner: int, choices: Choices) -> Reason:
        rule = self.ruleset.rules[rule_index]
        key = (rule_index, winner, *(choices[qid] for qid in rule.when))
        reason = self._reason_cache.get(key)
        if reason is None:
            approach = APPROACHES[winner]
            reason = Reason(
                rule=rule.id,
                question=rule.question,
                answer=choices[rule.question],
                related={qid: choices[qid] for qid in rule.when if qid != rule.question},
                effects={a: rule.effect(a) for a in APPROACHES},
                weight=rule.effect(approach),
                text=rule.text,
                sources=rule.sources,
            )
            self._reason_cache[key] = reason
        return reason

    def _reasons(self, card: Scorecard, choices: Choices) -> tuple[Reason, ...]:
        """Fired rules, most points added to the recommendation first; ties by how much the rule
        favoured it over the other three, then in rules.toml order."""
        sort_keys = self._sort_keys[card.winner]
        fired = sorted(card.fired, key=sort_keys.__getitem__)
        return tuple(self._reason(index, card.winner, choices) for index in fired)

    def _confidence(self, card: Scorecard, answered: int) -> Confidence:
        margin = card.totals[card.winner] - card.totals[card.runner_up]
        effective = margin * answered / len(SCORED_IDS)
        thresholds = self.ruleset.confidence
        level = (
            "high" if effective >= thresholds.high else "medium" if effective >= thresholds.medium else "low"
        )
        return Confidence(
            level=level,
            margin=round(margin, 2),
            runner_up=APPROACHES[card.runner_up],
            answered=answered,
            of=len(SCORED_IDS),
        )

    def _notes(self, entries: tuple[Guidance, ...], approach: Approach, choices: Choices) -> tuple[Note, ...]:
        return tuple(
            self._note(entry)
            for entry in entries
            if (not entry.approaches or approach in entry.approaches) and _matches(entry.when, choices)
        )

    def _note(self, entry: Guidance) -> Note:
        note = self._note_cache.get(entry.id)
        if note is None:
            note = self._note_cache[entry.id] = Note(id=entry.id, text=entry.text, sources=entry.sources)
        return note

    # --- what would change -----------------------------------------------------------------------------

    def _joint_delta(self, choices: Choices, question_id: str, option_id: str) -> Vector:
        delta = _ZERO
        changed = {**choices, question_id: option_id}
        for joint in self._joints_by_question[question_id]:
            before, after = joint.fires(choices), joint.fires(changed)
            if before and not after:
                delta = _sub(delta, joint.vector)
            elif after and not before:
                delta = _add(delta, joint.vector)
        return delta

    def what_would_change(self, choices: Choices, card: Scorecard | None = None) -> tuple[Flip, ...]:
        """The smallest changes of answers that flip the recommendation, at most two per approach.

        Single changes are tried first; for an approach no single change reaches, pairs of the changes
        that move it furthest towards the lead are tried. Every flip is confirmed by a full rescoring.
        """
        card = card or self.scorecard(choices)
        totals, winner = card.totals, card.winner
        singles: list[tuple[str, str, Vector]] = []
        for question_id in SCORED_IDS:
            current = choices.get(question_id)
            base = _sub(totals, self._single_vector(question_id, current))
            for option_id in QUESTIONS_BY_ID[question_id].option_ids:
                if option_id == current:
                    continue
                changed = _add(
                    _add(base, self._single_vector(question_id, option_id)),
                    self._joint_delta(choices, question_id, option_id),
                )
                singles.append((question_id, option_id, changed))

        found: dict[int, list[tuple[tuple[tuple[str, str], ...], float, int]]] = {}
        for question_id, option_id, changed in singles:
            new_winner, new_runner = self._rank(changed)
            if new_winner != winner:
                found.setdefault(new_winner, []).append(
                    (((question_id, option_id),), changed[new_winner] - changed[new_runner], 0)
                )

        for target in range(len(APPROACHES)):
            if target == winner or target in found:
                continue
            gains = sorted(
                ((changed[target] - changed[winner], qid, oid) for qid, oid, changed in singles),
                key=lambda item: -item[0],
            )
            best: dict[str, tuple[float, str, str]] = {}
            for gain, qid, oid in gains:
                if qid not in best and len(best) < _PAIR_CANDIDATES:
                    best[qid] = (gain, qid, oid)
            for (_, q1, o1), (_, q2, o2) in combinations(best.values(), 2):
                changed_choices = {**choices, q1: o1, q2: o2}
                changed = self._totals(changed_choices)
                new_winner, new_runner = self._rank(changed)
                if new_winner == target:
                    found.setdefault(target, []).append(
                        (((q1, o1), (q2, o2)), changed[new_winner] - changed[new_runner], 0)
                    )

        flips: list[Flip] = []
        for target in sorted(found, key=lambda i: self._tie_rank[i]):
            candidates = found[target]
            candidates.sort(key=lambda c: (len(c[0]), self._distance(choices, c[0]), -c[1], c[0]))
            kept: list[Flip] = []
            seen_questions: set[tuple[str, ...]] = set()
            for changes, _, _ in candidates:
                questions = tuple(qid for qid, _ in changes)
                if questions in seen_questions:
                    continue
                applied = {**choices, **dict(changes)}
                confirmed = self.scorecard(applied)
                if confirmed.winner != target:
                    continue
                seen_questions.add(questions)
                kept.append(
                    Flip(
                        changes=tuple(
                            AnswerChange(question=qid, before=choices.get(qid), after=oid)
                            for qid, oid in changes
                        ),
                        approach=APPROACHES[target],
                        margin=round(
                            confirmed.totals[confirmed.winner] - confirmed.totals[confirmed.runner_up], 2
                        ),
                    )
                )
                if len(kept) == _FLIPS_PER_APPROACH:
                    break
            flips.extend(kept)
        flips.sort(key=lambda flip: (len(flip.changes), self._distance(choices, _pairs(flip)), -flip.margin))
        return tuple(flips)

    @staticmethod
    def _distance(choices: Choices, changes: tuple[tuple[str, str], ...]) -> int:
        """How far the answers move: steps along each question's ordered options (answering counts 1)."""
        total = 0
        for question_id, option_id in changes:
            options = QUESTIONS_BY_ID[question_id].option_ids
            current = choices.get(question_id)
            total += 1 if current is None else abs(options.index(option_id) - options.index(current))
        return total

    # --- the whole assessment --------------------------------------------------------------------------

    def assess(self, answers: Answers, *, explore_changes: bool = True) -> Assessment:
        choices = answers.choices
        card = self.scorecard(choices)
        approach = APPROACHES[card.winner]
        next_steps = self._notes(self.ruleset.next_steps, approach, choices)
        if answers.missing:
            next_steps = (_answer_the_rest(answers.missing), *next_steps)
        return Assessment(
            approach=approach,
            scores={a: round(card.totals[i], 2) for i, a in enumerate(APPROACHES)},
            confidence=self._confidence(card, len(SCORED_IDS) - len(answers.missing)),
            reasons=self._reasons(card, choices),
            caveats=self._notes(self.ruleset.caveats, approach, choices),
            next_steps=next_steps,
            what_would_change=self.what_would_change(choices, card) if explore_changes else (),
            missing=answers.missing,
        )


def _answer_the_rest(missing: tuple[str, ...]) -> Note:
    labels = "; ".join(QUESTIONS_BY_ID[qid].label for qid in missing)
    return Note(
        id="answer_missing",
        text=f"Answer the {len(missing)} unanswered question(s) to firm up this result: {labels}",
        sources=(),
    )


def _favour(rule: Rule, approach: Approach) -> float:
    """How much a rule favoured one approach over the average of the other three."""
    others = [rule.effect(other) for other in APPROACHES if other != approach]
    return round(rule.effect(approach) - sum(others) / len(others), 2)


def _pairs(flip: Flip) -> tuple[tuple[str, str], ...]:
    return tuple((change.question, change.after) for change in flip.changes)


@cache
def _default_engine() -> Engine:
    return Engine(default_ruleset())


def engine_for(ruleset: RuleSet | None = None) -> Engine:
    return _default_engine() if ruleset is None else Engine(ruleset)


def assess(answers: Answers, ruleset: RuleSet | None = None) -> Assessment:
    """Score answers with the default rules (or the given rule set) and explain the result."""
    return engine_for(ruleset).assess(answers)

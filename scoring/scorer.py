"""Scoring: an answer set's points per approach, what gates rule out and the winner; and the same with one
or two answers changed, re-scored incrementally. Pure; the hot path of every assessment.

A group's points depend only on the answers its rules read, so each group's result is memoised on those
answers (a few hundred combinations for most groups; the memo is bounded). A one-answer change is re-scored
by looking up only the groups that read that answer under the changed answers and evaluating only the gates
whose verdict it can change; a cached bound on how far that answer can move any total (``Delta``) dismisses
most changes without re-scoring at all. The explorer (scoring/explore.py) and the robustness measure
(scoring/robustness.py) are built on these primitives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from scoring.compiled import Choices, Compiled, CompiledRules
from scoring.conditions import ZERO, Vector, absolute, add, sub
from scoring.models import APPROACHES, GroupScore, Reason, trusted
from scoring.questionnaire import SCORED_IDS
from scoring.ruleset import RuleSet

Pair = tuple[str, str]  # (question id, option id)

# One group scored: raw points, clamped points, what the result shows of it (None when it gave no points and
# hit no limit), every rule of it that fired, and, filled in when first needed, its reasons per recommended
# approach (scoring/explain.py) and its verdict per recommended approach and feasible set
# (scoring/robustness.py).
GroupEntry = tuple[
    Vector,
    Vector,
    GroupScore | None,
    tuple[int, ...],
    list[tuple[tuple[int, Reason], ...] | None],
    dict[int, int],
]
# Memoised group results kept per group before the memo starts again (bounds memory in a long-lived process).
MEMO_LIMIT = 50_000


class Scorecard(NamedTuple):
    """The raw outcome of scoring one answer set.

    ``raw`` and ``clamped`` are per group (in the rule set's group order); ``totals`` per approach are the
    sums of the clamped group totals. ``blocked`` is a bit mask of the approaches gates rule out (bit i for
    APPROACHES[i]). ``runner_up`` is the best other feasible approach, or the best other approach of all
    when gates rule out every alternative (``runner_up_feasible`` False).
    """

    raw: Sequence[Vector]
    clamped: Sequence[Vector]
    totals: Vector
    gates: tuple[int, ...]  # indices of the gates that fired
    blocked: int
    winner: int
    runner_up: int
    runner_up_feasible: bool
    evidence: tuple[GroupScore, ...]  # the groups that gave points or hit their limit, for the result
    groups: tuple[GroupEntry, ...]  # each group's memoised result
    keys: tuple[tuple[str | None, ...], ...]  # each group's memo key: the answers its rules read


class Delta(NamedTuple):
    """What changing one answer from one option to another can do, whatever the other answers are."""

    # How far any approach's total can move: the single-answer rules' change plus every joint rule whose
    # condition on this answer differs between the two options (clamping to a group's limits only shrinks it).
    bound: Vector
    total: Vector  # the single-answer rules' change, summed (a cheap estimate, for ranking pairs)
    gates: tuple[Compiled, ...]  # gates whose condition on this answer differs between the options
    gate_indices: frozenset[int]  # their indices


class Change(NamedTuple):
    """One answer changed, re-scored incrementally."""

    question: str
    option: str
    totals: Vector
    blocked: int
    winner: int


class Scorer(CompiledRules):
    """Scores answer sets against a compiled rule set, memoising each group's points."""

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__(ruleset)
        self._group_memo: tuple[dict[tuple[str | None, ...], GroupEntry], ...] = tuple(
            {} for _ in ruleset.groups
        )
        self._delta_cache: dict[tuple[str, str | None, str], Delta] = {}

    def pick(self, totals: Vector, blocked: int) -> tuple[int, int, bool]:
        """The winner and the runner-up among approaches no gate blocks (ties in tie-break order), and
        whether the runner-up is feasible. If gates blocked every approach (only a policy's own gates can),
        they are ignored."""
        best = second = -1
        for index in self.order:
            if blocked >> index & 1:
                continue
            if best < 0 or totals[index] > totals[best]:
                second, best = best, index
            elif second < 0 or totals[index] > totals[second]:
                second = index
        if best < 0:
            return self.pick(totals, 0)
        if second >= 0:
            return best, second, True
        for index in self.order:
            if index != best and (second < 0 or totals[index] > totals[second]):
                second = index
        return best, second, False

    def winner_of(self, totals: Vector, blocked: int) -> int:
        best = -1
        for index in self.order:
            if not blocked >> index & 1 and (best < 0 or totals[index] > totals[best]):
                best = index
        return best if best >= 0 else self.winner_of(totals, 0)

    def _score_group(self, group: int, choices: Choices) -> GroupEntry:
        """One group's raw and clamped points per approach, what the result shows of it and the rules of it
        that fired."""
        a = b = c = d = 0.0
        rules: list[int] = []
        get = choices.get
        for question_id, table in self.group_singles[group]:
            option = get(question_id)
            vector = table.get(option)  # type: ignore[arg-type]
            if vector is not None:
                rules.extend(self.group_single_rules[group][question_id][option])  # type: ignore[index]
                a += vector[0]
                b += vector[1]
                c += vector[2]
                d += vector[3]
        for joint in self.group_joints[group]:
            if get(joint.first) in joint.first_options and joint.condition.holds(choices):
                rules.append(joint.index)
                vector = joint.vector
                a += vector[0]
                b += vector[1]
                c += vector[2]
                d += vector[3]
        lo, hi = self.lo[group], self.hi[group]
        raw = (a, b, c, d)
        clamped = (
            hi if a > hi else lo if a < lo else a,
            hi if b > hi else lo if b < lo else b,
            hi if c > hi else lo if c < lo else c,
            hi if d > hi else lo if d < lo else d,
        )
        capped = clamped != raw
        shown = None
        if capped or clamped != ZERO:
            entry = self.ruleset.groups[group]
            shown = trusted(
                GroupScore,
                group=entry.id,
                title=entry.title,
                points={approach: clamped[i] for i, approach in enumerate(APPROACHES)},
                capped=capped,
            )
        return raw, clamped, shown, tuple(rules), [None] * len(APPROACHES), {}

    def _entry(self, group: int, key: tuple[str | None, ...], choices: Choices) -> GroupEntry:
        memo = self._group_memo[group]
        entry = memo.get(key)
        if entry is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            entry = memo[key] = self._score_group(group, choices)
        return entry

    def scorecard(self, choices: Choices) -> Scorecard:
        """Score one answer set in full."""
        raws: list[Vector] = []
        clamped: list[Vector] = []
        evidence: list[GroupScore] = []
        entries: list[GroupEntry] = []
        keys: list[tuple[str | None, ...]] = []
        t0 = t1 = t2 = t3 = 0.0
        get = choices.get
        answers = tuple(map(get, SCORED_IDS))
        memos = self._group_memo
        for group, read in enumerate(self.group_readers):
            key = read(answers)
            entry = memos[group].get(key) or self._entry(group, key, choices)
            entries.append(entry)
            keys.append(key)
            raw, points, shown = entry[0], entry[1], entry[2]
            raws.append(raw)
            clamped.append(points)
            if shown is not None:
                evidence.append(shown)
            t0 += points[0]
            t1 += points[1]
            t2 += points[2]
            t3 += points[3]
        blocked = 0
        gates: list[int] = []
        for gate, first, options in self.gate_firsts:
            if get(first) in options and gate.condition.holds(choices):
                blocked |= gate.mask
                gates.append(gate.index)
        totals = (t0, t1, t2, t3)
        winner, runner_up, feasible = self.pick(totals, blocked)
        return Scorecard(
            raws,
            clamped,
            totals,
            tuple(gates),
            blocked,
            winner,
            runner_up,
            feasible,
            tuple(evidence),
            tuple(entries),
            tuple(keys),
        )

    def rescore(
        self, choices: Choices, card: Scorecard, changes: tuple[Pair, ...]
    ) -> tuple[Vector, int, int]:
        """Totals, blocked approaches and winner with some answers changed: every group that reads a changed
        answer is looked up in its memo under the changed answers (scored from scratch on a miss), and every
        gate that reads one is evaluated again; the rest is taken from ``card``."""
        patched = {**choices, **dict(changes)}
        keys: dict[int, tuple[str | None, ...]] = {}
        changed: set[str] = set()
        for question_id, option_id in changes:
            changed.add(question_id)
            for group, position in self.q_positions[question_id]:
                changed_key = list(keys.get(group, card.keys[group]))
                changed_key[position] = option_id
                keys[group] = tuple(changed_key)
        t0, t1, t2, t3 = card.totals
        for group, key in keys.items():
            new, old = self._entry(group, key, patched)[1], card.clamped[group]
            t0 += new[0] - old[0]
            t1 += new[1] - old[1]
            t2 += new[2] - old[2]
            t3 += new[3] - old[3]
        blocked = 0
        for gate in self.gates:
            if changed & gate.condition.questions:
                if gate.condition.holds(patched):
                    blocked |= gate.mask
            elif gate.index in card.gates:
                blocked |= gate.mask
        totals = (t0, t1, t2, t3)
        return totals, blocked, self.winner_of(totals, blocked)

    # --- one answer changed ----------------------------------------------------------------------------

    def delta(self, question_id: str, before: str | None, after: str) -> Delta:
        key = (question_id, before, after)
        found = self._delta_cache.get(key)
        if found is None:
            summed = bound = ZERO
            for _, table in self.q_singles[question_id]:
                old = table.get(before, ZERO) if before is not None else ZERO
                change = sub(table.get(after, ZERO), old)
                summed = add(summed, change)
                bound = add(bound, absolute(change))
            for joint in self.q_joints[question_id]:
                if joint.condition.may_toggle(question_id, before, after):
                    bound = add(bound, absolute(joint.vector))
            gates = tuple(
                g for g in self.q_gates[question_id] if g.condition.may_toggle(question_id, before, after)
            )
            found = self._delta_cache[key] = Delta(bound, summed, gates, frozenset(g.index for g in gates))
        return found

    def armed(self, choices: Choices, question_id: str) -> bool:
        """Whether changing this answer can change any gate's verdict: only a gate whose conditions on the
        other answers hold can (it fires now, or fires once this answer matches)."""
        get = choices.get
        for others in self.q_gate_others[question_id]:
            for qid, options in others:
                if get(qid) not in options:
                    break
            else:
                return True
        return False

    def blocked_by(
        self, choices: Choices, card: Scorecard, question_id: str, option_id: str, delta: Delta
    ) -> int:
        """Blocked approaches with one answer changed: only the gates whose condition on that answer
        differs between its old and new option are evaluated again; every other gate keeps its state."""
        if not delta.gates:
            return card.blocked
        reading = self.q_gate_indices[question_id]
        blocked = 0
        for index in card.gates:
            if index not in reading:
                blocked |= self.gates[index].mask
        toggling = delta.gate_indices
        for gate in self.q_gates[question_id]:
            if gate.index in toggling:
                if gate.condition.holds_with(choices, question_id, option_id):
                    blocked |= gate.mask
            elif gate.index in card.gates:
                blocked |= gate.mask
        return blocked

    def changed_totals(self, choices: Choices, card: Scorecard, question_id: str, option_id: str) -> Vector:
        """The totals with one answer changed: each group reading that answer is looked up in its memo under
        the changed answers (scored on a miss), and its change in clamped points applied."""
        t0, t1, t2, t3 = card.totals
        keys, clamps = card.keys, card.clamped
        for group, position in self.q_positions[question_id]:
            changed = list(keys[group])
            changed[position] = option_id
            key = tuple(changed)
            entry = self._group_memo[group].get(key) or self._entry(
                group, key, {**choices, question_id: option_id}
            )
            new, old = entry[1], clamps[group]
            t0 += new[0] - old[0]
            t1 += new[1] - old[1]
            t2 += new[2] - old[2]
            t3 += new[3] - old[3]
        return (t0, t1, t2, t3)

    @staticmethod
    def stays(card: Scorecard, bound: Vector, blocked: int) -> bool:
        """True when the winner provably survives a change that moves each total by at most ``bound``."""
        winner = card.winner
        if blocked >> winner & 1:
            return False
        totals = card.totals
        floor = totals[winner] - bound[winner]
        for index in range(4):
            if index != winner and not blocked >> index & 1 and totals[index] + bound[index] >= floor:
                return False
        return True

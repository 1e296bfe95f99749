"""The recommendation engine: answers in, an explained assessment out. Pure and deterministic.

Three layers, in this order (rules.toml lays them out the same way):

1. Feasibility. A gate that fires rules approaches out, with a sourced reason; the recommendation is the
   best approach no gate blocks. A gate is not a weight: no pile of evidence outvotes it.
2. Preference. Rules add points to each approach. Every rule belongs to a named group of correlated
   signals, and each group's total per approach is clamped to [-max_against, +max_for], so one underlying
   fact cannot be counted five times.
3. Confidence from robustness (scoring/confidence.py): how many groups agree, the lead over the best
   feasible alternative, whether plausible one-step changes of the least certain answers move the
   recommendation, contradicting answers, missing answers, and caps for missing prerequisites.

Then the path from where the team is now (scoring/path.py), and what would change the recommendation:
levers moved forward first, facts after.

Speed: a group's points depend only on the answers its rules read, so each group's result is memoised on
those answers (the memo is bounded). A one-answer change is re-scored by looking up only the groups that read
that answer under the changed answers and evaluating only the gates whose verdict it can change; a cached
bound on how far that answer can move any total dismisses most changes without re-scoring at all.
Confidence (a handful of plausible changes) and ``what_would_change`` (every change of one answer) both use
this path. tests/unit/scoring/test_reference.py checks every result against a plain reading of the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from operator import itemgetter
from typing import NamedTuple

from scoring.confidence import Fragile, Robustness, Titles, judge
from scoring.models import (
    APPROACHES,
    AnswerChange,
    Answers,
    Approach,
    Assessment,
    Confidence,
    Conflict,
    Flip,
    Gate,
    GroupScore,
    Note,
    Reason,
    Stage,
    trusted,
)
from scoring.path import journey
from scoring.questionnaire import FIRST_RELEASE_IDS, LEVERS, QUESTIONS_BY_ID, SCORED_IDS, move_direction
from scoring.ruleset import Conditions, Guidance, Rule, RuleSet, default_ruleset

Vector = tuple[float, float, float, float]  # one number per approach, in APPROACHES order
Choices = Mapping[str, str]
Pair = tuple[str, str]  # (question id, option id)
_ZERO: Vector = (0.0, 0.0, 0.0, 0.0)
_FIRST_RELEASE = frozenset(FIRST_RELEASE_IDS)
# what_would_change: facts listed per approach; pairs tried from this many best single changes; pairs kept.
_FACTS_PER_APPROACH = 2
_PAIR_CANDIDATES = 4
# A pair whose changes, added up, would leave the target more than this many points behind is not tried
# (points interact only through group limits and joint rules, which rarely make up that much).
_PAIR_SLACK = 3.0
_PAIRS_PER_APPROACH = 1


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


def _abs(a: Vector) -> Vector:
    return (abs(a[0]), abs(a[1]), abs(a[2]), abs(a[3]))


def _mask(approaches: tuple[Approach, ...]) -> int:
    """Approaches as a bit mask: bit i for APPROACHES[i]."""
    bits = 0
    for approach in approaches:
        bits |= 1 << APPROACHES.index(approach)
    return bits


def _items(conditions: Conditions) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((qid, frozenset(options)) for qid, options in conditions.items())


@dataclass(frozen=True, slots=True)
class _Condition:
    """``when`` (every answer listed must match) and ``unless`` (no alternative may match in full).
    An unanswered question never matches."""

    when: tuple[tuple[str, frozenset[str]], ...]
    unless: tuple[tuple[tuple[str, frozenset[str]], ...], ...]
    questions: frozenset[str]

    @classmethod
    def of(cls, when: Conditions, unless: tuple[Conditions, ...] = ()) -> _Condition:
        questions = set(when)
        for alternative in unless:
            questions.update(alternative)
        return cls(_items(when), tuple(_items(alternative) for alternative in unless), frozenset(questions))

    def holds(self, choices: Choices) -> bool:
        # Plain loops: this runs for every joint rule and gate on every scoring.
        for question_id, options in self.when:
            if choices.get(question_id) not in options:
                return False
        for alternative in self.unless:
            for question_id, options in alternative:
                if choices.get(question_id) not in options:
                    break
            else:
                return False
        return True

    def holds_with(self, choices: Choices, changed: str, option: str) -> bool:
        """``holds`` with one answer replaced, without copying the answers."""
        for question_id, options in self.when:
            if (option if question_id == changed else choices.get(question_id)) not in options:
                return False
        for alternative in self.unless:
            for question_id, options in alternative:
                if (option if question_id == changed else choices.get(question_id)) not in options:
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


@dataclass(frozen=True, slots=True)
class _Joint:
    """A rule that reads more than one answer, or has exceptions."""

    index: int  # into the rule set's rules
    group: int
    condition: _Condition
    vector: Vector
    first: str  # the first answer it reads, checked inline before the full condition
    first_options: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A gate, cap or conflict, compiled: its condition and the approaches it concerns as a bit mask."""

    index: int
    condition: _Condition
    mask: int


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
    groups: tuple[_GroupScore, ...]  # each group's memoised result (its reasons are cached there)
    keys: tuple[tuple[str | None, ...], ...]  # each group's memo key: the answers its rules read


class _Delta(NamedTuple):
    """What changing one answer from one option to another can do, whatever the other answers are."""

    # How far any approach's total can move: the single-answer rules' change plus every joint rule whose
    # condition on this answer differs between the two options (clamping to a group's limits only shrinks it).
    bound: Vector
    total: Vector  # the single-answer rules' change, summed (a cheap estimate, for ranking pairs)
    gates: tuple[_Compiled, ...]  # gates whose condition on this answer differs between the options
    gate_indices: frozenset[int]  # their indices


class _Change(NamedTuple):
    """One answer changed, re-scored incrementally."""

    question: str
    option: str
    totals: Vector
    blocked: int
    winner: int


# Every one-answer change, in questionnaire and option order: (question, option, the change re-scored or
# None where the recommendation provably stays, its direction as a lever move).
_Table = list[tuple[str, str, _Change | None, str | None]]
# A single change as a candidate half of a pair: (minus its rank, question, option, direction as a lever move,
# points it brings the target nearer, whether it changes what gates rule out).
_Half = tuple[float, str, str, str | None, float, bool]
# One group scored: raw points, clamped points, what the result shows of it, every rule of it that fired, and
# (filled in when first needed) its reasons per recommended approach and its verdict per recommended approach
# and feasible set (see Engine._verdict).
_GroupScore = tuple[
    Vector,
    Vector,
    GroupScore | None,
    tuple[int, ...],
    list[tuple[tuple[int, Reason], ...] | None],
    dict[int, int],
]
# Memoised group results kept per group before the memo starts again (bounds memory in a long-lived process).
_MEMO_LIMIT = 50_000
# The plausible changes of one answer (option, what changing to it can do), and the widest bound among them.
_Steps = tuple[tuple[tuple[str, _Delta], ...], Vector]
# A caveat or next step compiled: the note, its first condition, the full condition (None if only one).
_NoteRule = tuple[Note, str, frozenset[str], _Condition | None]


class Engine:
    """A rule set compiled for fast scoring. Build once per rule set (``engine_for``)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._tie_rank = tuple(ruleset.tie_break.index(approach) for approach in APPROACHES)
        self._order = tuple(sorted(range(len(APPROACHES)), key=self._tie_rank.__getitem__))
        self._compile_rules(ruleset)
        self._compile_gates_caps_and_conflicts(ruleset)
        self._caveats = self._compile_notes(ruleset.caveats)
        self._next_steps = self._compile_notes(ruleset.next_steps)
        settings = ruleset.confidence
        self._plausible = settings.plausible
        self._plausible_questions = tuple(qid for qid in SCORED_IDS if qid in self._plausible)
        self._group_ids = tuple(group.id for group in ruleset.groups)
        self._group_titles = Titles({group.id: group.title.lower() for group in ruleset.groups})
        # Immutable parts of results and per-answer facts, built once and reused.
        self._reason_cache: dict[tuple[object, ...], tuple[int, Reason]] = {}
        self._gate_cache: dict[tuple[object, ...], Gate] = {}
        self._conflict_cache: dict[int, Conflict] = {}
        self._change_cache: dict[tuple[str, str | None, str], AnswerChange] = {}
        self._delta_cache: dict[tuple[str, str | None, str], _Delta] = {}
        self._plausible_cache: dict[tuple[str, str | None], _Steps] = {}
        self._all_steps_cache: dict[
            tuple[str, str | None], tuple[tuple[tuple[str, _Delta, str | None], ...], Vector]
        ] = {}

    def _compile_rules(self, ruleset: RuleSet) -> None:
        groups = ruleset.groups
        group_index = {group.id: index for index, group in enumerate(groups)}
        self._lo = tuple(-group.max_against for group in groups)
        self._hi = tuple(group.max_for for group in groups)
        rules = ruleset.rules
        # Single-answer rules without exceptions are summed per group, question and option in advance.
        by_group: list[dict[str, dict[str, list[int]]]] = [{} for _ in groups]
        joints: list[_Joint] = []
        for index, rule in enumerate(rules):
            group = group_index[rule.group]
            if len(rule.when) == 1 and not rule.unless:
                ((question_id, option_ids),) = rule.when.items()
                for option_id in option_ids:
                    by_group[group].setdefault(question_id, {}).setdefault(option_id, []).append(index)
            else:
                condition = _Condition.of(rule.when, rule.unless)
                first, first_options = condition.when[0]
                joints.append(_Joint(index, group, condition, _vector(rule), first, first_options))

        def total(indices: list[int]) -> Vector:
            summed = _ZERO
            for index in indices:
                summed = _add(summed, _vector(rules[index]))
            return summed

        self._group_singles = tuple(
            tuple(
                (question_id, {option: total(indices) for option, indices in options.items()})
                for question_id, options in questions.items()
            )
            for questions in by_group
        )
        self._group_single_rules = tuple(
            {
                question_id: {option: tuple(indices) for option, indices in options.items()}
                for question_id, options in questions.items()
            }
            for questions in by_group
        )
        self._q_singles = {
            qid: tuple(
                (group, table)
                for group, singles in enumerate(self._group_singles)
                for question_id, table in singles
                if question_id == qid
            )
            for qid in SCORED_IDS
        }
        self._group_joints = tuple(
            tuple(j for j in joints if j.group == group) for group in range(len(groups))
        )
        self._q_joints = {qid: tuple(j for j in joints if qid in j.condition.questions) for qid in SCORED_IDS}
        # The answers each group's rules read, in questionnaire order (the key of its memo in scorecard).
        self._group_reads = tuple(
            tuple(
                qid
                for qid in SCORED_IDS
                if any(q == qid for q, _ in self._group_singles[group])
                or any(qid in j.condition.questions for j in self._group_joints[group])
            )
            for group in range(len(groups))
        )
        self._group_memo: tuple[dict[tuple[str | None, ...], _GroupScore], ...] = tuple({} for _ in groups)
        # Each group's memo key taken from the answers as one tuple in questionnaire order.
        self._group_readers = tuple(
            _tuple_reader(tuple(SCORED_IDS.index(qid) for qid in reads)) for reads in self._group_reads
        )
        # Per question, the groups reading it and its position in their memo keys.
        self._q_positions = {
            qid: tuple(
                (group, reads.index(qid)) for group, reads in enumerate(self._group_reads) if qid in reads
            )
            for qid in SCORED_IDS
        }
        # Reasons are listed most points for the recommendation first, then by how much the rule favoured
        # it over the other three, then in rules.toml order.
        self._sort_keys = tuple(
            tuple(
                (-rule.effect(approach), -_favour(rule, approach), index) for index, rule in enumerate(rules)
            )
            for approach in APPROACHES
        )
        # The same order as one integer per rule (a rank), which sorts faster.
        self._ranks: tuple[tuple[int, ...], ...] = tuple(
            tuple(sorted(range(len(rules)), key=keys.__getitem__).index(index) for index in range(len(rules)))
            for keys in self._sort_keys
        )
        self._answers_read = tuple(_reader(tuple(rule.when)) for rule in rules)

    def _compile_gates_caps_and_conflicts(self, ruleset: RuleSet) -> None:
        self._gates = tuple(
            _Compiled(index, _Condition.of(gate.when, gate.unless), _mask(gate.blocks))
            for index, gate in enumerate(ruleset.gates)
        )
        self._gate_firsts = tuple((gate, *gate.condition.when[0]) for gate in self._gates)
        self._q_gates = {
            qid: tuple(gate for gate in self._gates if qid in gate.condition.questions) for qid in SCORED_IDS
        }
        # Per question, each gate reading it: the gate's `when` conditions on the other questions.
        self._q_gate_others = {
            qid: tuple(tuple((q, o) for q, o in gate.condition.when if q != qid) for gate in gates)
            for qid, gates in self._q_gates.items()
        }
        self._q_gate_indices = {
            qid: frozenset(gate.index for gate in gates) for qid, gates in self._q_gates.items()
        }
        # Per winner, the caps that can apply to it, with their first condition for an inline check.
        self._caps_for = tuple(
            tuple(
                (cap, _Condition.of(cap.when, cap.unless), *next(iter(_items(cap.when))))
                for cap in ruleset.caps
                if cap.approaches and APPROACHES[winner] in cap.approaches
            )
            for winner in range(len(APPROACHES))
        )
        self._conflicts = tuple(
            _Compiled(index, _Condition.of(conflict.when), 0)
            for index, conflict in enumerate(ruleset.conflicts)
        )

    @staticmethod
    def _compile_notes(entries: tuple[Guidance, ...]) -> tuple[tuple[_NoteRule, ...], ...]:
        """Per approach, the notes that can apply to it."""
        compiled: list[tuple[_NoteRule, ...]] = []
        for approach in APPROACHES:
            notes: list[_NoteRule] = []
            for entry in entries:
                if entry.approaches and approach not in entry.approaches:
                    continue
                note = trusted(Note, id=entry.id, text=entry.text, sources=entry.sources)
                condition = _Condition.of(entry.when)
                if not condition.when:
                    notes.append((note, "", frozenset(), None))
                    continue
                first, options = condition.when[0]
                notes.append((note, first, options, condition if len(condition.when) > 1 else None))
            compiled.append(tuple(notes))
        return tuple(compiled)

    # --- scoring ---------------------------------------------------------------------------------------

    def _pick(self, totals: Vector, blocked: int) -> tuple[int, int, bool]:
        """The winner and the runner-up among approaches no gate blocks (ties in tie-break order), and
        whether the runner-up is feasible. If gates blocked every approach (only a policy's own gates can),
        they are ignored."""
        best = second = -1
        for index in self._order:
            if blocked >> index & 1:
                continue
            if best < 0 or totals[index] > totals[best]:
                second, best = best, index
            elif second < 0 or totals[index] > totals[second]:
                second = index
        if best < 0:
            return self._pick(totals, 0)
        if second >= 0:
            return best, second, True
        for index in self._order:
            if index != best and (second < 0 or totals[index] > totals[second]):
                second = index
        return best, second, False

    def _winner(self, totals: Vector, blocked: int) -> int:
        best = -1
        for index in self._order:
            if not blocked >> index & 1 and (best < 0 or totals[index] > totals[best]):
                best = index
        return best if best >= 0 else self._winner(totals, 0)

    def _score_group(self, group: int, choices: Choices, *, explain: bool = False) -> _GroupScore:
        """One group's raw and clamped points per approach, what the result shows of it (None when it gave
        no points and hit no limit) and the rules of it that fired."""
        a = b = c = d = 0.0
        rules: list[int] = []
        get = choices.get
        for question_id, table in self._group_singles[group]:
            option = get(question_id)
            vector = table.get(option)  # type: ignore[arg-type]
            if vector is not None:
                rules.extend(self._group_single_rules[group][question_id][option])  # type: ignore[index]
                a += vector[0]
                b += vector[1]
                c += vector[2]
                d += vector[3]
        for joint in self._group_joints[group]:
            if get(joint.first) in joint.first_options and joint.condition.holds(choices):
                rules.append(joint.index)
                vector = joint.vector
                a += vector[0]
                b += vector[1]
                c += vector[2]
                d += vector[3]
        lo, hi = self._lo[group], self._hi[group]
        raw = (a, b, c, d)
        clamped = (
            hi if a > hi else lo if a < lo else a,
            hi if b > hi else lo if b < lo else b,
            hi if c > hi else lo if c < lo else c,
            hi if d > hi else lo if d < lo else d,
        )
        capped = clamped != raw
        shown = None
        if capped or clamped != _ZERO:
            entry = self.ruleset.groups[group]
            shown = trusted(
                GroupScore,
                group=entry.id,
                title=entry.title,
                points={approach: clamped[i] for i, approach in enumerate(APPROACHES)},
                capped=capped,
            )
        # The group's share of the reasons, for each approach it could be explaining: built with an entry a
        # full scoring needs (once per combination of answers); for one only a changed answer reached, later
        # and only if a full scoring comes to need it.
        reasons: list[tuple[tuple[int, Reason], ...] | None] = [None] * len(APPROACHES)
        if explain:
            for winner in range(len(APPROACHES)):
                reasons[winner] = tuple(self._reason(index, winner, choices) for index in rules)
        return raw, clamped, shown, tuple(rules), reasons, {}

    def scorecard(self, choices: Choices) -> Scorecard:
        """Score one answer set in full: the hot path of every assessment.

        A group's points depend only on the answers its rules read, so each group's result is memoised on
        those answers (a few hundred combinations for most groups; the memo is bounded)."""
        raws: list[Vector] = []
        clamped: list[Vector] = []
        evidence: list[GroupScore] = []
        entries: list[_GroupScore] = []
        keys: list[tuple[str | None, ...]] = []
        t0 = t1 = t2 = t3 = 0.0
        get = choices.get
        answers = tuple(map(get, SCORED_IDS))
        for group, read in enumerate(self._group_readers):
            memo = self._group_memo[group]
            key = read(answers)
            entry = memo.get(key)
            if entry is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                entry = memo[key] = self._score_group(group, choices, explain=True)
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
        for gate, first, options in self._gate_firsts:
            if get(first) in options and gate.condition.holds(choices):
                blocked |= gate.mask
                gates.append(gate.index)
        totals = (t0, t1, t2, t3)
        winner, runner_up, feasible = self._pick(totals, blocked)
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

    def _rescore(
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
            for group, position in self._q_positions[question_id]:
                changed_key = list(keys.get(group, card.keys[group]))
                changed_key[position] = option_id
                keys[group] = tuple(changed_key)
        t0, t1, t2, t3 = card.totals
        for group, key in keys.items():
            memo = self._group_memo[group]
            entry = memo.get(key)
            if entry is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                entry = memo[key] = self._score_group(group, patched)
            new, old = entry[1], card.clamped[group]
            t0 += new[0] - old[0]
            t1 += new[1] - old[1]
            t2 += new[2] - old[2]
            t3 += new[3] - old[3]
        blocked = 0
        for gate in self._gates:
            if changed & gate.condition.questions:
                if gate.condition.holds(patched):
                    blocked |= gate.mask
            elif gate.index in card.gates:
                blocked |= gate.mask
        totals = (t0, t1, t2, t3)
        return totals, blocked, self._winner(totals, blocked)

    # --- one answer changed ----------------------------------------------------------------------------

    def _delta(self, question_id: str, before: str | None, after: str) -> _Delta:
        key = (question_id, before, after)
        delta = self._delta_cache.get(key)
        if delta is None:
            summed = bound = _ZERO
            for _, table in self._q_singles[question_id]:
                old = table.get(before, _ZERO) if before is not None else _ZERO
                change = _sub(table.get(after, _ZERO), old)
                summed = _add(summed, change)
                bound = _add(bound, _abs(change))
            for joint in self._q_joints[question_id]:
                if joint.condition.may_toggle(question_id, before, after):
                    bound = _add(bound, _abs(joint.vector))
            gates = tuple(
                g for g in self._q_gates[question_id] if g.condition.may_toggle(question_id, before, after)
            )
            delta = self._delta_cache[key] = _Delta(bound, summed, gates, frozenset(g.index for g in gates))
        return delta

    def _armed(self, choices: Choices, question_id: str) -> bool:
        """Whether changing this answer can change any gate's verdict: only a gate whose conditions on the
        other answers hold can (it fires now, or fires once this answer matches)."""
        get = choices.get
        for others in self._q_gate_others[question_id]:
            for qid, options in others:
                if get(qid) not in options:
                    break
            else:
                return True
        return False

    def _blocked_by(
        self, choices: Choices, card: Scorecard, question_id: str, option_id: str, delta: _Delta
    ) -> int:
        """Blocked approaches with one answer changed: only the gates whose condition on that answer
        differs between its old and new option are evaluated again; every other gate keeps its state."""
        if not delta.gates:
            return card.blocked
        reading = self._q_gate_indices[question_id]
        blocked = 0
        for index in card.gates:
            if index not in reading:
                blocked |= self._gates[index].mask
        toggling = delta.gate_indices
        for gate in self._q_gates[question_id]:
            if gate.index in toggling:
                if gate.condition.holds_with(choices, question_id, option_id):
                    blocked |= gate.mask
            elif gate.index in card.gates:
                blocked |= gate.mask
        return blocked

    def _changed_totals(self, choices: Choices, card: Scorecard, question_id: str, option_id: str) -> Vector:
        """The totals with one answer changed: each group reading that answer is looked up in its memo under
        the changed answers (scored on a miss), and its change in clamped points applied."""
        t0, t1, t2, t3 = card.totals
        keys, clamps = card.keys, card.clamped
        for group, position in self._q_positions[question_id]:
            changed = list(keys[group])
            changed[position] = option_id
            key = tuple(changed)
            memo = self._group_memo[group]
            entry = memo.get(key)
            if entry is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                entry = memo[key] = self._score_group(group, {**choices, question_id: option_id})
            new, old = entry[1], clamps[group]
            t0 += new[0] - old[0]
            t1 += new[1] - old[1]
            t2 += new[2] - old[2]
            t3 += new[3] - old[3]
        return (t0, t1, t2, t3)

    def _stays(self, card: Scorecard, bound: Vector, blocked: int) -> bool:
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

    def _change(self, choices: Choices, card: Scorecard, question_id: str, option_id: str) -> _Change | None:
        """One answer changed, re-scored incrementally; None when the recommendation provably stays."""
        delta = self._delta(question_id, choices.get(question_id), option_id)
        blocked = self._blocked_by(choices, card, question_id, option_id, delta)
        if self._stays(card, delta.bound, blocked):
            return None
        totals = self._changed_totals(choices, card, question_id, option_id)
        return _Change(question_id, option_id, totals, blocked, self._winner(totals, blocked))

    def _change_table(self, choices: Choices, card: Scorecard) -> _Table:
        """Every change of one answer, in questionnaire and option order. A question none of whose options
        can move the recommendation (by the cached bound, with no gate able to change) is settled at once."""
        table: _Table = []
        winner, totals = card.winner, card.totals
        others = [i for i in range(4) if i != winner and not card.blocked >> i & 1]
        for question_id in SCORED_IDS:
            current = choices.get(question_id)
            steps, widest = self._all_steps(question_id, current)
            armed = self._armed(choices, question_id)
            if not armed:
                floor = totals[winner] - widest[winner]
                for index in others:
                    if totals[index] + widest[index] >= floor:
                        break
                else:
                    table.extend(
                        (question_id, option_id, None, direction) for option_id, _, direction in steps
                    )
                    continue
            for option_id, delta, direction in steps:
                blocked = (
                    self._blocked_by(choices, card, question_id, option_id, delta)
                    if armed and delta.gates
                    else card.blocked
                )
                change = None
                if not self._stays(card, delta.bound, blocked):
                    moved = self._changed_totals(choices, card, question_id, option_id)
                    change = _Change(question_id, option_id, moved, blocked, self._winner(moved, blocked))
                table.append((question_id, option_id, change, direction))
        return table

    def _all_steps(
        self, question_id: str, current: str | None
    ) -> tuple[tuple[tuple[str, _Delta, str | None], ...], Vector]:
        """Every other option of one answer with what changing to it can do and its direction as a lever
        move, and the widest bound among them (gates aside)."""
        key = (question_id, current)
        steps = self._all_steps_cache.get(key)
        if steps is None:
            found = tuple(
                (
                    option,
                    self._delta(question_id, current, option),
                    move_direction(question_id, current, option),
                )
                for option in QUESTIONS_BY_ID[question_id].option_ids
                if option != current
            )
            steps = self._all_steps_cache[key] = (found, _widest([delta for _, delta, _ in found]))
        return steps

    # --- explanation -----------------------------------------------------------------------------------

    def _reason(self, rule_index: int, winner: int, choices: Choices) -> tuple[int, Reason]:
        rule = self.ruleset.rules[rule_index]
        key = (rule_index, winner, self._answers_read[rule_index](choices))
        entry = self._reason_cache.get(key)
        if entry is None:
            reason = trusted(
                Reason,
                rule=rule.id,
                question=rule.question,
                answer=choices[rule.question],
                related={qid: choices[qid] for qid in rule.when if qid != rule.question},
                effects={a: rule.effect(a) for a in APPROACHES},
                weight=rule.effect(APPROACHES[winner]),
                text=rule.text,
                sources=rule.sources,
                group=rule.group,
            )
            entry = self._reason_cache[key] = (self._ranks[winner][rule_index], reason)
        return entry

    def _reasons(self, card: Scorecard, choices: Choices) -> tuple[Reason, ...]:
        """Every rule that fired, in the order of ``_sort_keys`` (each group's share is cached with it)."""
        winner = card.winner
        entries: list[tuple[int, Reason]] = []
        for group in card.groups:
            found = group[4][winner]
            if found is None:
                found = group[4][winner] = tuple(self._reason(index, winner, choices) for index in group[3])
            entries.extend(found)
        entries.sort()  # ranks are unique, so reasons are never compared
        return tuple([reason for _, reason in entries])

    @staticmethod
    def _notes(
        compiled: tuple[tuple[_NoteRule, ...], ...], winner: int, choices: Choices
    ) -> tuple[Note, ...]:
        get = choices.get
        found: list[Note] = []
        for note, first, options, condition in compiled[winner]:
            if first and get(first) not in options:
                continue
            if condition is None or condition.holds(choices):
                found.append(note)
        return tuple(found)

    def _gate_results(self, card: Scorecard, choices: Choices) -> tuple[Gate, ...]:
        results = []
        for index in card.gates:
            gate = self.ruleset.gates[index]
            answers = tuple((qid, choices[qid]) for qid in gate.when)
            key = (index, answers)
            result = self._gate_cache.get(key)
            if result is None:
                result = self._gate_cache[key] = trusted(
                    Gate,
                    id=gate.id,
                    blocks=gate.blocks,
                    answers=dict(answers),
                    text=gate.text,
                    sources=gate.sources,
                )
            results.append(result)
        return tuple(results)

    def conflicts(self, choices: Choices) -> tuple[Conflict, ...]:
        """The pairs of answers that contradict each other (rules.toml, [[conflict]])."""
        found = []
        for compiled in self._conflicts:
            if compiled.condition.holds(choices):
                conflict = self._conflict_cache.get(compiled.index)
                if conflict is None:
                    entry = self.ruleset.conflicts[compiled.index]
                    conflict = self._conflict_cache[compiled.index] = trusted(
                        Conflict, id=entry.id, questions=tuple(entry.when), text=entry.text
                    )
                found.append(conflict)
        return tuple(found)

    def _answer_change(self, question_id: str, before: str | None, after: str) -> AnswerChange:
        key = (question_id, before, after)
        change = self._change_cache.get(key)
        if change is None:
            change = self._change_cache[key] = trusted(
                AnswerChange, question=question_id, before=before, after=after
            )
        return change

    # --- confidence ------------------------------------------------------------------------------------

    def _plausible_options(self, question_id: str, current: str | None) -> tuple[str, ...]:
        """The options a person unsure of this answer might have meant (rules.toml, [confidence.plausible]);
        every option for an unanswered question."""
        options = QUESTIONS_BY_ID[question_id].option_ids
        kind = self._plausible.get(question_id)
        if current is None:
            return options
        if kind is None:
            return ()
        if isinstance(kind, dict):
            return tuple(kind.get(current, ()))
        if kind == "any":
            return tuple(option for option in options if option != current)
        index = options.index(current)
        if kind == "adjacent":
            return options[max(0, index - 1) : index] + options[index + 1 : index + 2]
        return options[1:] if index == 0 else ()  # "unchecked": only while still at the first option

    def _plausible_steps(self, question_id: str, current: str | None) -> _Steps:
        """The plausible changes of one answer, with what each can do, and the most any of them can move
        each total (gates aside)."""
        key = (question_id, current)
        steps = self._plausible_cache.get(key)
        if steps is None:
            found = tuple(
                (option, self._delta(question_id, current, option))
                for option in self._plausible_options(question_id, current)
            )
            steps = self._plausible_cache[key] = (found, _widest([delta for _, delta in found]))
        return steps

    def _fragile(
        self, choices: Choices, card: Scorecard, table: _Table | None, questions: tuple[str, ...]
    ) -> tuple[int, list[_Change]]:
        """How many plausible one-step changes were tried, and those that change the recommendation.

        The hot path of a plain assessment, so ``_change`` is inlined: most plausible changes provably leave
        the recommendation where it is (often all of one question's at once) and are never re-scored."""
        checked = 0
        fragile: list[_Change] = []
        winner = card.winner
        totals = card.totals
        base_blocked = card.blocked
        lookup = {(q, o): change for q, o, change, _ in table} if table is not None else None
        others = [i for i in range(4) if i != winner and not base_blocked >> i & 1]
        for question_id in questions:
            current = choices.get(question_id)
            steps, widest = self._plausible_cache.get((question_id, current)) or self._plausible_steps(
                question_id, current
            )
            armed = self._armed(choices, question_id)
            if lookup is None and not armed:
                floor = totals[winner] - widest[winner]
                for index in others:
                    if totals[index] + widest[index] >= floor:
                        break
                else:
                    checked += len(steps)
                    continue  # no plausible change of this answer can move the recommendation
            for option_id, delta in steps:
                checked += 1
                if lookup is not None:
                    found = lookup[question_id, option_id]
                    if found is not None and found.winner != winner:
                        fragile.append(found)
                    continue
                blocked = (
                    self._blocked_by(choices, card, question_id, option_id, delta)
                    if armed and delta.gates
                    else base_blocked
                )
                if not blocked >> winner & 1:
                    bound = delta.bound
                    floor = totals[winner] - bound[winner]
                    for index in range(4):
                        if (
                            index != winner
                            and not blocked >> index & 1
                            and totals[index] + bound[index] >= floor
                        ):
                            break
                    else:
                        continue  # provably stays
                changed = self._changed_totals(choices, card, question_id, option_id)
                moved = self._winner(changed, blocked)
                if moved != winner:
                    fragile.append(_Change(question_id, option_id, changed, blocked, moved))
        return checked, fragile

    def _verdict(self, clamped: Vector, winner: int, blocked: int) -> int:
        """1 when a group's points favour the recommendation over every feasible alternative by at least
        ``group_lead``, -1 when they favour a feasible alternative by that much, 0 otherwise. With no
        feasible alternative, 1 when the group gives the recommendation at least ``group_lead``."""
        lead = self.ruleset.confidence.group_lead
        others = [clamped[i] for i in range(4) if i != winner and not blocked >> i & 1]
        mine = clamped[winner]
        if not others:
            return 1 if mine >= lead else 0
        best = max(others)
        return 1 if mine - best >= lead else -1 if best - mine >= lead else 0

    def _confidence(
        self,
        choices: Choices,
        card: Scorecard,
        missing: tuple[str, ...],
        conflicts: tuple[Conflict, ...],
        table: _Table | None,
    ) -> Confidence:
        """Measure robustness (scoring/confidence.py judges it)."""
        settings = self.ruleset.confidence
        winner, runner = card.winner, card.runner_up
        totals = card.totals
        # Each group's verdict (favours the recommendation, an alternative, or neither) depends only on its
        # points, the recommendation and which approaches are feasible: cached with the group's memo entry.
        verdict_key = winner * 16 + card.blocked
        agreeing: list[str] = []
        disagreeing: list[str] = []
        for index, group in enumerate(card.groups):
            verdicts = group[5]
            verdict = verdicts.get(verdict_key)
            if verdict is None:
                verdict = verdicts[verdict_key] = self._verdict(group[1], winner, card.blocked)
            if verdict > 0:
                agreeing.append(self._group_ids[index])
            elif verdict < 0:
                disagreeing.append(self._group_ids[index])
        questions = self._plausible_questions
        if missing:
            questions = tuple(q for q in SCORED_IDS if q in self._plausible or q not in choices)
        checked, fragile = self._fragile(choices, card, table, questions)
        get = choices.get
        caps = tuple(
            cap
            for cap, condition, first, options in self._caps_for[winner]
            if get(first) in options and condition.holds(choices)
        )
        robust = Robustness(
            approach=APPROACHES[winner],
            runner_up=APPROACHES[runner],
            margin=round(max(0.0, totals[winner] - totals[runner]), 2),
            lead=totals[winner] - totals[runner] if card.runner_up_feasible else None,
            agreeing=tuple(agreeing),
            disagreeing=tuple(disagreeing),
            checked=checked,
            fragile=tuple(
                Fragile(c.question, get(c.question), c.option, APPROACHES[c.winner]) for c in fragile
            ),
            conflicts=conflicts,
            missing=missing,
            caps=caps,
        )
        changes = tuple(self._answer_change(f.question, f.before, f.after) for f in robust.fragile)
        return judge(settings, robust, self._group_titles, changes, len(SCORED_IDS) - len(missing))

    # --- the path ----------------------------------------------------------------------------------------

    @staticmethod
    def path(choices: Choices, approach: Approach) -> tuple[Stage, ...]:
        """Where to start now and the stages to ``approach`` (scoring/path.py)."""
        return journey(
            choices.get("prompt_baseline"),
            choices.get("time_to_first_version"),
            choices.get("teacher_model"),
            approach,
        )

    # --- what would change -----------------------------------------------------------------------------

    def what_would_change(
        self, choices: Choices, card: Scorecard | None = None, table: _Table | None = None
    ) -> tuple[Flip, ...]:
        """The smallest changes of answers that change the recommendation, levers first.

        Actionable entries move levers forward only (README, "Levers and facts"): for each lever and each
        approach it can reach, the nearest forward option that reaches it (every option, for a lever still at
        its start), so every one-step forward move that changes the result is listed; where no single lever
        move reaches an approach, a pair of forward lever moves. Then the facts: at most two single changes
        per approach, and a pair where no single change reaches it. Backward moves of levers are never
        suggested. Every entry comes from re-scoring its changed answers (incrementally, for single changes).
        """
        card = card or self.scorecard(choices)
        table = table if table is not None else self._change_table(choices, card)
        winner = card.winner
        # (actionable, changes, target, totals and blocked approaches with the changes made)
        entries: list[tuple[bool, tuple[Pair, ...], int, Vector, int]] = []

        reached_by_lever: set[int] = set()
        seen: set[tuple[str, int]] = set()
        for question_id, option_id, change, direction in table:
            if direction != "forward" or change is None or change.winner == winner:
                continue
            if LEVERS[question_id].kind == "ordered" and (question_id, change.winner) in seen:
                continue  # a nearer option of this lever already reaches that approach
            seen.add((question_id, change.winner))
            reached_by_lever.add(change.winner)
            entries.append((True, ((question_id, option_id),), change.winner, change.totals, change.blocked))
        ranked = self._ranked_halves(choices, card, table)
        for target in range(4):
            if target != winner and target not in reached_by_lever:
                for pair, totals, blocked in self._pairs(
                    choices, card, ranked[target], target, levers_only=True
                ):
                    entries.append((True, pair, target, totals, blocked))

        reached_by_one = set(reached_by_lever)
        facts = sorted(
            (_distance(choices, ((q, o),)), -_lead(c.totals, c.winner, c.blocked), q, o, c)
            for q, o, c, direction in table
            if direction is None and c is not None and c.winner != winner
        )
        kept: dict[int, int] = {}
        for _, _, question_id, option_id, change in facts:
            target = change.winner
            if kept.get(target, 0) < _FACTS_PER_APPROACH:
                kept[target] = kept.get(target, 0) + 1
                reached_by_one.add(target)
                entries.append((False, ((question_id, option_id),), target, change.totals, change.blocked))
        for target in range(4):
            if target != winner and target not in reached_by_one:
                for pair, totals, blocked in self._pairs(choices, card, ranked[target], target):
                    entries.append((False, pair, target, totals, blocked))

        flips: list[tuple[tuple[object, ...], Flip]] = []
        for actionable, changes, target, totals, blocked in entries:
            flip = trusted(
                Flip,
                changes=tuple(self._answer_change(q, choices.get(q), o) for q, o in changes),
                approach=APPROACHES[target],
                margin=round(max(0.0, _lead(totals, target, blocked)), 2),
                actionable=actionable,
            )
            order = (
                not actionable,
                len(changes),
                _distance(choices, changes),
                self._tie_rank[target],
                changes,
            )
            flips.append((order, flip))
        flips.sort(key=_order_of)
        return tuple(flip for _, flip in flips)

    def _ranked_halves(self, choices: Choices, card: Scorecard, table: _Table) -> list[list[_Half]]:
        """Per target approach, the single changes a pair for it may be made of, most promising first.

        A change counts when it brings the target nearer: in points (the table's exact totals where it has
        them, else the single rules' change alone, which is only used to rank), by letting it through a gate,
        or by ruling the current recommendation out. A change that rules the target out, or a backward lever
        move, never counts."""
        winner, base, base_blocked = card.winner, card.totals, card.blocked
        ranked: list[list[_Half]] = [[] for _ in range(4)]
        targets = [t for t in range(4) if t != winner]
        for question_id, option_id, change, direction in table:
            if direction == "backward":
                continue
            if change is not None:
                totals, blocked = change.totals, change.blocked
            else:
                delta = self._delta(question_id, choices.get(question_id), option_id)
                totals = _add(base, delta.total)
                blocked = (
                    self._blocked_by(choices, card, question_id, option_id, delta)
                    if delta.gates
                    else base_blocked
                )
            gates = blocked != base_blocked
            for target in targets:
                if blocked >> target & 1 and not base_blocked >> target & 1:
                    continue  # it rules the target out
                gain = totals[target] - totals[winner] - (base[target] - base[winner])
                rank = gain + (100.0 if gates else 0.0)
                if rank > 0:
                    ranked[target].append((-rank, question_id, option_id, direction, gain, gates))
        for halves in ranked:
            halves.sort()
        return ranked

    def _pairs(
        self,
        choices: Choices,
        card: Scorecard,
        halves: list[_Half],
        target: int,
        *,
        levers_only: bool = False,
    ) -> list[tuple[tuple[Pair, ...], Vector, int]]:
        """Pairs of changes on two questions that make ``target`` the recommendation, made of the most
        promising changes (``_ranked_halves``): at most _PAIRS_PER_APPROACH, nearest first. With
        ``levers_only``, forward lever moves only; otherwise pairs of two lever moves are left out (they were
        tried as levers)."""
        base_gap = card.totals[target] - card.totals[card.winner]
        best: dict[str, tuple[str, str | None, float, bool]] = {}
        for _, question_id, option_id, direction, gain, gates in halves:
            if levers_only and direction != "forward":
                continue
            if question_id not in best:
                best[question_id] = (option_id, direction, gain, gates)
                if len(best) == _PAIR_CANDIDATES:
                    break
        found: list[tuple[int, tuple[Pair, ...], Vector, int]] = []
        for (q1, (o1, d1, g1, x1)), (q2, (o2, d2, g2, x2)) in combinations(best.items(), 2):
            if not levers_only and d1 == d2 == "forward":
                continue  # tried as a pair of levers already
            if not (x1 or x2) and base_gap + g1 + g2 < -_PAIR_SLACK:
                continue  # together they would still leave the target far behind
            changes = ((q1, o1), (q2, o2))
            totals, blocked, moved = self._rescore(choices, card, changes)
            if moved == target:
                found.append((_distance(choices, changes), changes, totals, blocked))
        found.sort(key=_distance_and_changes)
        return [(changes, totals, blocked) for _, changes, totals, blocked in found[:_PAIRS_PER_APPROACH]]

    # --- the whole assessment --------------------------------------------------------------------------

    def assess(self, answers: Answers, *, explore_changes: bool = True) -> Assessment:
        choices = answers.choices
        card = self.scorecard(choices)
        winner = card.winner
        approach = APPROACHES[winner]
        missing = answers.missing
        table = self._change_table(choices, card) if explore_changes else None
        conflicts = self.conflicts(choices)
        next_steps = self._notes(self._next_steps, winner, choices)
        if missing:
            # Unanswered first-release questions come first; the optional added ones go last.
            if any(qid in _FIRST_RELEASE for qid in missing):
                next_steps = (_answer_the_rest(missing), *next_steps)
            else:
                next_steps = (*next_steps, _answer_the_rest(missing))
        totals = card.totals
        return trusted(
            Assessment,
            approach=approach,
            scores={
                APPROACHES[0]: round(totals[0], 2),
                APPROACHES[1]: round(totals[1], 2),
                APPROACHES[2]: round(totals[2], 2),
                APPROACHES[3]: round(totals[3], 2),
            },
            confidence=self._confidence(choices, card, missing, conflicts, table),
            reasons=self._reasons(card, choices),
            caveats=self._notes(self._caveats, winner, choices),
            next_steps=next_steps,
            what_would_change=self.what_would_change(choices, card, table) if table is not None else (),
            missing=missing,
            path=self.path(choices, approach),
            conflicts=conflicts,
            gates=self._gate_results(card, choices),
            evidence=card.evidence,
        )


def _widest(deltas: list[_Delta]) -> Vector:
    """The largest bound of several changes, per approach (gates aside)."""
    widest = _ZERO
    for delta in deltas:
        b = delta.bound
        widest = (max(widest[0], b[0]), max(widest[1], b[1]), max(widest[2], b[2]), max(widest[3], b[3]))
    return widest


def _distance_and_changes(item: tuple[int, tuple[Pair, ...], Vector, int]) -> tuple[int, tuple[Pair, ...]]:
    return item[0], item[1]


def _order_of(item: tuple[tuple[object, ...], Flip]) -> tuple[object, ...]:
    return item[0]


def _tuple_reader(positions: tuple[int, ...]) -> Callable[[tuple[str | None, ...]], tuple[str | None, ...]]:
    """Picks these positions out of a tuple, as a tuple."""
    if not positions:
        return lambda values: ()
    getter = itemgetter(*positions)
    return getter if len(positions) > 1 else lambda values: (getter(values),)


def _reader(question_ids: tuple[str, ...]) -> Callable[[Choices], object]:
    """The answers to these questions as one hashable value."""
    getter = itemgetter(*question_ids)
    return getter if len(question_ids) > 1 else lambda choices: (getter(choices),)


def _lead(totals: Vector, winner: int, blocked: int) -> float:
    others = [totals[i] for i in range(4) if i != winner and not blocked >> i & 1]
    return totals[winner] - max(others) if others else 0.0


def _distance(choices: Choices, changes: tuple[Pair, ...]) -> int:
    """How far the answers move: steps along each question's options (answering counts 1)."""
    total = 0
    for question_id, option_id in changes:
        options = QUESTIONS_BY_ID[question_id].option_ids
        current = choices.get(question_id)
        total += 1 if current is None else abs(options.index(option_id) - options.index(current))
    return total


def _answer_the_rest(missing: tuple[str, ...]) -> Note:
    labels = "; ".join(QUESTIONS_BY_ID[qid].label for qid in missing)
    return trusted(
        Note,
        id="answer_missing",
        text=f"Answer the {len(missing)} unanswered question(s) to firm up this result: {labels}",
        sources=(),
    )


def _favour(rule: Rule, approach: Approach) -> float:
    """How much a rule favoured one approach over the average of the other three."""
    others = [rule.effect(other) for other in APPROACHES if other != approach]
    return round(rule.effect(approach) - sum(others) / len(others), 2)


@cache
def _default_engine() -> Engine:
    return Engine(default_ruleset())


def engine_for(ruleset: RuleSet | None = None) -> Engine:
    return _default_engine() if ruleset is None else Engine(ruleset)


def assess(answers: Answers, ruleset: RuleSet | None = None) -> Assessment:
    """Score answers with the default rules (or the given rule set) and explain the result."""
    return engine_for(ruleset).assess(answers)

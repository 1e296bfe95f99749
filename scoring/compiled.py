"""A rule set compiled into the lookup tables the engine scores with. Pure; built once per rule set.

Nothing here scores: it only arranges rules.toml's data for speed. Single-answer rules without exceptions
are summed per group, question and option in advance; every other rule is a "joint" rule checked in full.
Each group records the answers its rules read, which key its memo (scoring/scorer.py). Gates, caps,
conflicts and notes are compiled to conditions with a first clause checked inline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter

from scoring.conditions import ZERO, Accepted, Condition, Vector, add, clause, mask
from scoring.models import APPROACHES, Approach, Note, trusted
from scoring.questionnaire import SCORED_IDS
from scoring.ruleset import Cap, Guidance, Rule, RuleSet

Choices = Mapping[str, str]


def rule_vector(rule: Rule) -> Vector:
    return (
        rule.effect(APPROACHES[0]),
        rule.effect(APPROACHES[1]),
        rule.effect(APPROACHES[2]),
        rule.effect(APPROACHES[3]),
    )


@dataclass(frozen=True, slots=True)
class Joint:
    """A rule that reads more than one answer, or has exceptions."""

    index: int  # into the rule set's rules
    group: int
    condition: Condition
    vector: Vector
    first: str  # the first answer it reads, checked inline before the full condition
    first_options: Accepted


@dataclass(frozen=True, slots=True)
class Compiled:
    """A gate or conflict, compiled: its condition and the approaches it concerns as a bit mask."""

    index: int
    condition: Condition
    mask: int


@dataclass(frozen=True, slots=True)
class NoteRule:
    """A caveat or next step, compiled: the note, its first clause (checked inline) and the full condition
    (None when the first clause is all of it)."""

    note: Note
    first: str
    first_options: Accepted
    condition: Condition | None


@dataclass(frozen=True, slots=True)
class CapRule:
    cap: Cap
    condition: Condition
    first: str
    first_options: Accepted


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


def _favour(rule: Rule, approach: Approach) -> float:
    """How much a rule favoured one approach over the average of the other three."""
    others = [rule.effect(other) for other in APPROACHES if other != approach]
    return round(rule.effect(approach) - sum(others) / len(others), 2)


class CompiledRules:
    """The rule set's tables. Attributes are read by the scorer, the explorer and the explainer."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.tie_rank = tuple(ruleset.tie_break.index(approach) for approach in APPROACHES)
        # Approach indices in tie-break order: a tie goes to the first.
        self.order = tuple(sorted(range(len(APPROACHES)), key=self.tie_rank.__getitem__))
        self._compile_rules(ruleset)
        self._compile_gates_caps_and_conflicts(ruleset)
        self.caveats = self._compile_notes(ruleset.caveats)
        self.next_steps = self._compile_notes(ruleset.next_steps)
        self.group_ids = tuple(group.id for group in ruleset.groups)

    def _compile_rules(self, ruleset: RuleSet) -> None:
        groups = ruleset.groups
        group_index = {group.id: index for index, group in enumerate(groups)}
        self.lo = tuple(-group.max_against for group in groups)
        self.hi = tuple(group.max_for for group in groups)
        rules = ruleset.rules
        by_group: list[dict[str, dict[str, list[int]]]] = [{} for _ in groups]
        joints: list[Joint] = []
        for index, rule in enumerate(rules):
            group = group_index[rule.group]
            if len(rule.when) == 1 and not rule.unless:
                ((question_id, option_ids),) = rule.when.items()
                for option_id in option_ids:
                    by_group[group].setdefault(question_id, {}).setdefault(option_id, []).append(index)
            else:
                condition = Condition.of(rule.when, rule.unless)
                first, first_options = condition.when[0]
                joints.append(Joint(index, group, condition, rule_vector(rule), first, first_options))

        def total(indices: list[int]) -> Vector:
            summed = ZERO
            for index in indices:
                summed = add(summed, rule_vector(rules[index]))
            return summed

        # Per group, per question: option -> the summed vector of its single-answer rules, and their indices.
        self.group_singles = tuple(
            tuple(
                (question_id, {option: total(indices) for option, indices in options.items()})
                for question_id, options in questions.items()
            )
            for questions in by_group
        )
        self.group_single_rules = tuple(
            {
                question_id: {option: tuple(indices) for option, indices in options.items()}
                for question_id, options in questions.items()
            }
            for questions in by_group
        )
        self.q_singles = {
            qid: tuple(
                (group, table)
                for group, singles in enumerate(self.group_singles)
                for question_id, table in singles
                if question_id == qid
            )
            for qid in SCORED_IDS
        }
        self.group_joints = tuple(
            tuple(j for j in joints if j.group == group) for group in range(len(groups))
        )
        self.q_joints = {qid: tuple(j for j in joints if qid in j.condition.questions) for qid in SCORED_IDS}
        # The answers each group's rules read, in questionnaire order (the key of its memo).
        self.group_reads = tuple(
            tuple(
                qid
                for qid in SCORED_IDS
                if any(q == qid for q, _ in self.group_singles[group])
                or any(qid in j.condition.questions for j in self.group_joints[group])
            )
            for group in range(len(groups))
        )
        # Each group's memo key taken from the answers as one tuple in questionnaire order.
        self.group_readers = tuple(
            _tuple_reader(tuple(SCORED_IDS.index(qid) for qid in reads)) for reads in self.group_reads
        )
        # Per question, the groups reading it and its position in their memo keys.
        self.q_positions = {
            qid: tuple(
                (group, reads.index(qid)) for group, reads in enumerate(self.group_reads) if qid in reads
            )
            for qid in SCORED_IDS
        }
        # Reasons are listed most points for the recommendation first, then by how much the rule favoured
        # it over the other three, then in rules.toml order: one integer rank per rule and approach.
        sort_keys = tuple(
            tuple(
                (-rule.effect(approach), -_favour(rule, approach), index) for index, rule in enumerate(rules)
            )
            for approach in APPROACHES
        )
        self.ranks: tuple[tuple[int, ...], ...] = tuple(
            tuple(sorted(range(len(rules)), key=keys.__getitem__).index(index) for index in range(len(rules)))
            for keys in sort_keys
        )
        self.answers_read = tuple(_reader(tuple(rule.when)) for rule in rules)

    def _compile_gates_caps_and_conflicts(self, ruleset: RuleSet) -> None:
        self.gates = tuple(
            Compiled(index, Condition.of(gate.when, gate.unless), mask(gate.blocks))
            for index, gate in enumerate(ruleset.gates)
        )
        self.gate_firsts = tuple((gate, *gate.condition.when[0]) for gate in self.gates)
        self.q_gates = {
            qid: tuple(gate for gate in self.gates if qid in gate.condition.questions) for qid in SCORED_IDS
        }
        # Per question, each gate reading it: the gate's `when` clause on the other questions.
        self.q_gate_others = {
            qid: tuple(tuple((q, o) for q, o in gate.condition.when if q != qid) for gate in gates)
            for qid, gates in self.q_gates.items()
        }
        self.q_gate_indices = {
            qid: frozenset(gate.index for gate in gates) for qid, gates in self.q_gates.items()
        }
        # Per winner, the caps that can apply to it.
        self.caps_for = tuple(
            tuple(
                CapRule(cap, Condition.of(cap.when, cap.unless), *clause(cap.when)[0])
                for cap in ruleset.caps
                if APPROACHES[winner] in cap.approaches
            )
            for winner in range(len(APPROACHES))
        )
        self.conflicts = tuple(
            Compiled(index, Condition.of(conflict.when), 0)
            for index, conflict in enumerate(ruleset.conflicts)
        )

    @staticmethod
    def _compile_notes(entries: tuple[Guidance, ...]) -> tuple[tuple[NoteRule, ...], ...]:
        """Per approach, the notes that can apply to it, in rules.toml order."""
        compiled: list[tuple[NoteRule, ...]] = []
        for approach in APPROACHES:
            notes: list[NoteRule] = []
            for entry in entries:
                if entry.approaches and approach not in entry.approaches:
                    continue
                note = trusted(Note, id=entry.id, text=entry.text, sources=entry.sources)
                condition = Condition.of(entry.when, entry.unless)
                if not condition.when:
                    notes.append(NoteRule(note, "", frozenset(), condition if condition.unless else None))
                    continue
                first, options = condition.when[0]
                whole = condition if len(condition.when) > 1 or condition.unless else None
                notes.append(NoteRule(note, first, options, whole))
            compiled.append(tuple(notes))
        return tuple(compiled)

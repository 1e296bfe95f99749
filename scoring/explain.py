"""The words of a result: the reasons behind the points, the caveats and next steps that apply, what the
gates that fired say, the contradictions between answers. Pure.

Every piece is immutable and built once per combination of the answers it depends on, then reused.
"""

from __future__ import annotations

from scoring.compiled import Choices, CompiledRules, NoteRule
from scoring.models import APPROACHES, AnswerChange, Conflict, Gate, Note, Reason, trusted
from scoring.scorer import Scorecard


class Explainer:
    def __init__(self, rules: CompiledRules) -> None:
        self.rules = rules
        self._reason_cache: dict[tuple[object, ...], tuple[int, Reason]] = {}
        self._gate_cache: dict[tuple[object, ...], Gate] = {}
        self._conflict_cache: dict[int, Conflict] = {}
        self._change_cache: dict[tuple[str, str | None, str], AnswerChange] = {}

    def _reason(self, rule_index: int, winner: int, choices: Choices) -> tuple[int, Reason]:
        rule = self.rules.ruleset.rules[rule_index]
        key = (rule_index, winner, self.rules.answers_read[rule_index](choices))
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
            entry = self._reason_cache[key] = (self.rules.ranks[winner][rule_index], reason)
        return entry

    def reasons(self, card: Scorecard, choices: Choices) -> tuple[Reason, ...]:
        """Every rule that fired, most points for the recommendation first (compiled.py's ranks); each
        group's share is cached with its memo entry, since it depends only on the answers the group reads."""
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
    def notes(compiled: tuple[tuple[NoteRule, ...], ...], winner: int, choices: Choices) -> tuple[Note, ...]:
        """The caveats or next steps that apply to this recommendation and these answers, in order."""
        get = choices.get
        found: list[Note] = []
        for rule in compiled[winner]:
            if rule.first and get(rule.first) not in rule.first_options:
                continue
            if rule.condition is None or rule.condition.holds(choices):
                found.append(rule.note)
        return tuple(found)

    def gates(self, card: Scorecard, choices: Choices) -> tuple[Gate, ...]:
        """The gates that fired, each with the answers that made it fire (blanks are not answers)."""
        results = []
        for index in card.gates:
            gate = self.rules.ruleset.gates[index]
            answers = tuple((qid, choices[qid]) for qid in gate.when if qid in choices)
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
        """The answers that contradict each other (rules.toml, [[conflict]])."""
        found = []
        for compiled in self.rules.conflicts:
            if compiled.condition.holds(choices):
                conflict = self._conflict_cache.get(compiled.index)
                if conflict is None:
                    entry = self.rules.ruleset.conflicts[compiled.index]
                    conflict = self._conflict_cache[compiled.index] = trusted(
                        Conflict, id=entry.id, questions=tuple(entry.when), text=entry.text
                    )
                found.append(conflict)
        return tuple(found)

    def answer_change(self, question_id: str, before: str | None, after: str) -> AnswerChange:
        key = (question_id, before, after)
        change = self._change_cache.get(key)
        if change is None:
            change = self._change_cache[key] = trusted(
                AnswerChange, question=question_id, before=before, after=after
            )
        return change

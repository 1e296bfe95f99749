"""How robust a recommendation is: which evidence groups agree, the lead over the best feasible alternative,
and whether plausible one-step changes of the answers people are least sure of move it. Pure.

This measures; scoring/confidence.py judges the measurement into a level and words.
"""

from __future__ import annotations

from itertools import product

from scoring.compiled import Choices
from scoring.conditions import ZERO, Condition, Vector, add, widest
from scoring.confidence import Fragile, Robustness
from scoring.explore import Table
from scoring.models import APPROACHES, Conflict
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS
from scoring.ruleset import Cap, Conditions
from scoring.scorer import Change, Delta, Scorecard, Scorer

# The plausible changes of one answer (option, what changing to it can do), and the widest bound among them.
_Steps = tuple[tuple[tuple[str, Delta], ...], Vector]


class RobustnessMeter:
    """Measures a scored answer set's robustness with a scorer's incremental primitives."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        settings = scorer.ruleset.confidence
        self._group_lead = settings.group_lead
        self._plausible = settings.plausible
        self._plausible_questions = tuple(qid for qid in SCORED_IDS if qid in self._plausible)
        self._not_plausible = {
            qid: tuple(Condition.of(conditions) for conditions in unless)
            for qid, unless in settings.plausible_unless.items()
        }
        self._plausible_cache: dict[tuple[str, str | None], _Steps] = {}
        self._settled_caps: dict[str, Cap] = {}

    def plausible_options(self, question_id: str, current: str | None) -> tuple[str, ...]:
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
            delta = self.scorer.delta
            found = tuple(
                (option, delta(question_id, current, option))
                for option in self.plausible_options(question_id, current)
            )
            steps = self._plausible_cache[key] = (found, widest([d.bound for _, d in found]))
        return steps

    def fragile(
        self, choices: Choices, card: Scorecard, table: Table | None, questions: tuple[str, ...]
    ) -> tuple[int, list[Change]]:
        """How many plausible one-step changes were tried, and those that change the recommendation.

        The hot path of a plain assessment, so the scorer's one-change steps are inlined: most plausible
        changes provably leave the recommendation where it is (often all of one question's at once) and are
        never re-scored."""
        scorer = self.scorer
        checked = 0
        found: list[Change] = []
        winner = card.winner
        totals = card.totals
        base_blocked = card.blocked
        lookup = {(q, o): change for q, o, change, _ in table} if table is not None else None
        others = [i for i in range(4) if i != winner and not base_blocked >> i & 1]
        cache = self._plausible_cache
        for question_id in questions:
            current = choices.get(question_id)
            steps, bound = cache.get((question_id, current)) or self._plausible_steps(question_id, current)
            armed = scorer.armed(choices, question_id)
            if lookup is None and not armed:
                floor = totals[winner] - bound[winner]
                for index in others:
                    if totals[index] + bound[index] >= floor:
                        break
                else:
                    checked += len(steps)
                    continue  # no plausible change of this answer can move the recommendation
            for option_id, delta in steps:
                checked += 1
                if lookup is not None:
                    change = lookup[question_id, option_id]
                    if change is not None and change.winner != winner:
                        found.append(change)
                    continue
                blocked = (
                    scorer.blocked_by(choices, card, question_id, option_id, delta)
                    if armed and delta.gates
                    else base_blocked
                )
                if not blocked >> winner & 1:
                    step = delta.bound
                    floor = totals[winner] - step[winner]
                    for index in range(4):
                        if (
                            index != winner
                            and not blocked >> index & 1
                            and totals[index] + step[index] >= floor
                        ):
                            break
                    else:
                        continue  # provably stays
                changed = scorer.changed_totals(choices, card, question_id, option_id)
                moved = scorer.winner_of(changed, blocked)
                if moved != winner:
                    found.append(Change(question_id, option_id, changed, blocked, moved))
        return checked, found

    def _verdict(self, clamped: Vector, winner: int, blocked: int) -> int:
        """1 when a group's points favour the recommendation over every feasible alternative by at least
        ``group_lead``, -1 when they favour a feasible alternative by that much, 0 otherwise. With no
        feasible alternative, 1 when the group gives the recommendation at least ``group_lead``."""
        lead = self._group_lead
        others = [clamped[i] for i in range(4) if i != winner and not blocked >> i & 1]
        mine = clamped[winner]
        if not others:
            return 1 if mine >= lead else 0
        best = max(others)
        return 1 if mine - best >= lead else -1 if best - mine >= lead else 0

    def measure(
        self,
        choices: Choices,
        card: Scorecard,
        missing: tuple[str, ...],
        conflicts: tuple[Conflict, ...],
        table: Table | None,
    ) -> Robustness:
        scorer = self.scorer
        winner, runner = card.winner, card.runner_up
        totals = card.totals
        # Each group's verdict depends only on its points, the recommendation and which approaches are
        # feasible: cached with the group's memo entry.
        verdict_key = winner * 16 + card.blocked
        agreeing: list[str] = []
        disagreeing: list[str] = []
        group_ids = scorer.group_ids
        for index, group in enumerate(card.groups):
            verdicts = group[5]
            verdict = verdicts.get(verdict_key)
            if verdict is None:
                verdict = verdicts[verdict_key] = self._verdict(group[1], winner, card.blocked)
            if verdict > 0:
                agreeing.append(group_ids[index])
            elif verdict < 0:
                disagreeing.append(group_ids[index])
        questions = self._plausible_questions
        if missing:
            questions = tuple(q for q in SCORED_IDS if q in self._plausible or q not in choices)
        if self._not_plausible:
            questions = tuple(
                q for q in questions if q not in self._not_plausible or not self._no_slip(q, choices)
            )
        checked, fragile = self.fragile(choices, card, table, questions)
        if fragile:
            # A change that would make the answers contradict each other is not a plausible slip.
            kept = [c for c in fragile if not self._contradicts(choices, c.question, c.option)]
            checked -= len(fragile) - len(kept)
            fragile = kept
        get = choices.get
        caps = tuple(
            self._as_found(rule.cap, choices, card)
            for rule in scorer.caps_for[winner]
            if get(rule.first) in rule.first_options and rule.condition.holds(choices)
        )
        return Robustness(
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

    def _as_found(self, cap: Cap, choices: Choices, card: Scorecard) -> Cap:
        """The cap with the reason that is true here: its settled wording when no answers to the questions
        still to be found out would change the recommendation."""
        if not cap.settled_by or not self.settled(choices, card, cap.settled_by):
            return cap
        settled = self._settled_caps.get(cap.id)
        if settled is None:
            settled = self._settled_caps[cap.id] = cap.model_copy(update={"text": cap.settled_text})
        return settled

    def settled(self, choices: Choices, card: Scorecard, outcomes: tuple[Conditions, ...]) -> bool:
        """Whether every way these answers could turn out (each outcome: questions and the options to try
        together) leaves the recommendation where it is.

        A combination whose changes toggle no gate and whose summed bounds cannot close the lead provably
        leaves it (each bound holds whatever the other answers are); only the rest are re-scored."""
        scorer = self.scorer
        delta, winner, get = scorer.delta, card.winner, choices.get
        for outcome in outcomes:
            questions = tuple(outcome)
            for combination in product(*outcome.values()):
                bound, gates = ZERO, False
                for question_id, option_id in zip(questions, combination, strict=True):
                    if get(question_id) != option_id:
                        step = delta(question_id, get(question_id), option_id)
                        bound, gates = add(bound, step.bound), gates or bool(step.gates)
                changes = tuple(zip(questions, combination, strict=True))
                blocked = self._blocked_with(choices, card, changes) if gates else card.blocked
                if scorer.stays(card, bound, blocked):
                    continue
                if scorer.rescore(choices, card, changes)[2] != winner:
                    return False
        return True

    def _blocked_with(self, choices: Choices, card: Scorecard, changes: tuple[tuple[str, str], ...]) -> int:
        """The approaches gates block with these answers changed: only the gates that read them are
        evaluated again."""
        scorer = self.scorer
        patched = {**choices, **dict(changes)}
        reading: set[int] = set()
        for question_id, _ in changes:
            reading.update(scorer.q_gate_indices[question_id])
        blocked = 0
        for gate in scorer.gates:
            if gate.index in reading:
                if gate.condition.holds(patched):
                    blocked |= gate.mask
            elif gate.index in card.gates:
                blocked |= gate.mask
        return blocked

    def _no_slip(self, question_id: str, choices: Choices) -> bool:
        """Whether the answers rule out a slip in this one (rules.toml, [confidence.plausible_unless])."""
        return any(condition.holds(choices) for condition in self._not_plausible.get(question_id, ()))

    def _contradicts(self, choices: Choices, question_id: str, option_id: str) -> bool:
        """Whether changing this answer would make two answers contradict each other that did not."""
        patched = {**choices, question_id: option_id}
        return any(
            question_id in conflict.condition.questions
            and conflict.condition.holds(patched)
            and not conflict.condition.holds(choices)
            for conflict in self.scorer.conflicts
        )

"""What would change the recommendation: every change of one answer re-scored, and the smallest changes that
reach each other approach, levers a team can pull first, facts after. Pure.

Actionable entries move levers forward only (README, "Levers and facts") and in the order a team can pull
them: while no prompt baseline is measured, a lever toward training is offered only together with measuring
the baseline, which comes first; and when what fails is facts, no lever leads to training (fine-tuning is
for form, not facts; only a fact about the failure would). For each lever and each approach it can reach,
the nearest forward option that reaches it is offered (every option, for a lever still at its start); where
no single lever move reaches an approach, a pair of forward lever moves. Then the facts: at most two single
changes per approach, and a pair where no single change reaches it. Backward moves of levers are never
suggested. Every entry comes from re-scoring its changed answers (incrementally, for single changes).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from scoring.compiled import Choices
from scoring.conditions import Vector, add, widest
from scoring.models import APPROACHES, AnswerChange, Approach, Flip, trusted
from scoring.questionnaire import LEVERS, QUESTIONS_BY_ID, SCORED_IDS, move_direction
from scoring.scorer import Change, Delta, Pair, Scorecard, Scorer

# Every one-answer change, in questionnaire and option order: (question, option, the change re-scored or None
# where the recommendation provably stays, its direction as a lever move).
Table = list[tuple[str, str, Change | None, str | None]]
# A single change as a candidate half of a pair: (minus its rank, question, option, direction as a lever move,
# points it brings the target nearer, whether it changes what gates rule out).
_Half = tuple[float, str, str, str | None, float, bool]
# Facts listed per approach; pairs tried from this many best single changes; pairs kept per approach.
_FACTS_PER_APPROACH = 2
_PAIR_CANDIDATES = 4
_PAIRS_PER_APPROACH = 1
# A pair whose changes, added up, would leave the target more than this many points behind is not tried
# (points interact only through group limits and joint rules, which rarely make up that much).
_PAIR_SLACK = 3.0
_TRAINING = frozenset(APPROACHES.index(a) for a in (Approach.FINE_TUNING, Approach.HYBRID))
_UNMEASURED = frozenset({None, "not_tried"})


def _lead(totals: Vector, winner: int, blocked: int) -> float:
    others = [totals[i] for i in range(4) if i != winner and not blocked >> i & 1]
    return totals[winner] - max(others) if others else 0.0


def distance(choices: Choices, changes: tuple[Pair, ...]) -> int:
    """How far the answers move: steps along each question's options (answering counts 1)."""
    total = 0
    for question_id, option_id in changes:
        options = QUESTIONS_BY_ID[question_id].option_ids
        current = choices.get(question_id)
        total += 1 if current is None else abs(options.index(option_id) - options.index(current))
    return total


class Explorer:
    """Re-scores changes of answers with a scorer's incremental primitives."""

    def __init__(self, scorer: Scorer, answer_change: Callable[[str, str | None, str], AnswerChange]) -> None:
        self.scorer = scorer
        self._answer_change = answer_change
        self._all_steps_cache: dict[
            tuple[str, str | None], tuple[tuple[tuple[str, Delta, str | None], ...], Vector]
        ] = {}

    def all_steps(
        self, question_id: str, current: str | None
    ) -> tuple[tuple[tuple[str, Delta, str | None], ...], Vector]:
        """Every other option of one answer with what changing to it can do and its direction as a lever
        move, and the widest bound among them (gates aside)."""
        key = (question_id, current)
        steps = self._all_steps_cache.get(key)
        if steps is None:
            delta = self.scorer.delta
            found = tuple(
                (option, delta(question_id, current, option), move_direction(question_id, current, option))
                for option in QUESTIONS_BY_ID[question_id].option_ids
                if option != current
            )
            steps = self._all_steps_cache[key] = (found, widest([d.bound for _, d, _ in found]))
        return steps

    def change_table(self, choices: Choices, card: Scorecard) -> Table:
        """Every change of one answer, in questionnaire and option order. A question none of whose options
        can move the recommendation (by the cached bound, with no gate able to change) is settled at once."""
        scorer = self.scorer
        table: Table = []
        winner, totals = card.winner, card.totals
        others = [i for i in range(4) if i != winner and not card.blocked >> i & 1]
        for question_id in SCORED_IDS:
            current = choices.get(question_id)
            steps, bound = self.all_steps(question_id, current)
            armed = scorer.armed(choices, question_id)
            if not armed:
                floor = totals[winner] - bound[winner]
                for index in others:
                    if totals[index] + bound[index] >= floor:
                        break
                else:
                    table.extend(
                        (question_id, option_id, None, direction) for option_id, _, direction in steps
                    )
                    continue
            for option_id, delta, direction in steps:
                blocked = (
                    scorer.blocked_by(choices, card, question_id, option_id, delta)
                    if armed and delta.gates
                    else card.blocked
                )
                change = None
                if not scorer.stays(card, delta.bound, blocked):
                    moved = scorer.changed_totals(choices, card, question_id, option_id)
                    change = Change(question_id, option_id, moved, blocked, scorer.winner_of(moved, blocked))
                table.append((question_id, option_id, change, direction))
        return table

    def what_would_change(self, choices: Choices, card: Scorecard, table: Table) -> tuple[Flip, ...]:
        """The smallest changes of answers that change the recommendation, levers first (module docstring)."""
        winner = card.winner
        # A lever toward training before any prompt baseline is out of order: measuring it comes first.
        baseline_first = choices.get("prompt_baseline") in _UNMEASURED
        facts_fail = choices.get("primary_failure_mode") == "knowledge"
        # (actionable, changes, target, totals and blocked approaches with the changes made)
        entries: list[tuple[bool, tuple[Pair, ...], int, Vector, int]] = []

        reached_by_lever: set[int] = set()
        seen: set[tuple[str, int]] = set()
        for question_id, option_id, change, direction in table:
            if direction != "forward" or change is None or change.winner == winner:
                continue
            if baseline_first and change.winner in _TRAINING and question_id != "prompt_baseline":
                continue
            if facts_fail and change.winner in _TRAINING:
                continue  # no lever a team pulls turns a failure of facts into one training fixes
            if LEVERS[question_id].kind == "ordered" and (question_id, change.winner) in seen:
                continue  # a nearer option of this lever already reaches that approach
            seen.add((question_id, change.winner))
            reached_by_lever.add(change.winner)
            entries.append((True, ((question_id, option_id),), change.winner, change.totals, change.blocked))
        ranked = self._ranked_halves(choices, card, table)
        for target in range(4):
            if (
                target != winner
                and target not in reached_by_lever
                and not (facts_fail and target in _TRAINING)
            ):
                first = "prompt_baseline" if baseline_first and target in _TRAINING else None
                for pair, totals, blocked in self._pairs(
                    choices, card, ranked[target], target, levers_only=True, including=first
                ):
                    entries.append((True, pair, target, totals, blocked))

        reached_by_one = set(reached_by_lever)
        facts = sorted(
            (distance(choices, ((q, o),)), -_lead(c.totals, c.winner, c.blocked), q, o, c)
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
                # A lever toward training left out above (out of order, or for a failure of facts) is no
                # fact either: pairs of facts leave it out, or a pair would hold a change that flips alone.
                no_levers = (baseline_first or facts_fail) and target in _TRAINING
                for pair, totals, blocked in self._pairs(
                    choices, card, ranked[target], target, without_levers=no_levers
                ):
                    entries.append((False, pair, target, totals, blocked))

        tie_rank = self.scorer.tie_rank
        flips: list[tuple[tuple[object, ...], Flip]] = []
        for actionable, changes, target, totals, blocked in entries:
            flip = trusted(
                Flip,
                changes=tuple(self._answer_change(q, choices.get(q), o) for q, o in changes),
                approach=APPROACHES[target],
                margin=round(max(0.0, _lead(totals, target, blocked)), 2),
                actionable=actionable,
            )
            order = (not actionable, len(changes), distance(choices, changes), tie_rank[target], changes)
            flips.append((order, flip))
        flips.sort(key=_first)
        return tuple(flip for _, flip in flips)

    def _ranked_halves(self, choices: Choices, card: Scorecard, table: Table) -> list[list[_Half]]:
        """Per target approach, the single changes a pair for it may be made of, most promising first.

        A change counts when it brings the target nearer: in points (the table's exact totals where it has
        them, else the single rules' change alone, which is only used to rank), by letting it through a gate,
        or by ruling the current recommendation out. A change that rules the target out, or a backward lever
        move, never counts."""
        scorer = self.scorer
        winner, base, base_blocked = card.winner, card.totals, card.blocked
        ranked: list[list[_Half]] = [[] for _ in range(4)]
        targets = [t for t in range(4) if t != winner]
        for question_id, option_id, change, direction in table:
            if direction == "backward":
                continue
            if change is not None:
                totals, blocked = change.totals, change.blocked
            else:
                delta = scorer.delta(question_id, choices.get(question_id), option_id)
                totals = add(base, delta.total)
                blocked = (
                    scorer.blocked_by(choices, card, question_id, option_id, delta)
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
        including: str | None = None,
        without_levers: bool = False,
    ) -> list[tuple[tuple[Pair, ...], Vector, int]]:
        """Pairs of changes on two questions that make ``target`` the recommendation, made of the most
        promising changes (``_ranked_halves``): at most _PAIRS_PER_APPROACH, nearest first. With
        ``levers_only``, forward lever moves only; otherwise pairs of two lever moves are left out (they were
        tried as levers). With ``including``, only pairs that change that question; with ``without_levers``,
        no forward lever move other than measuring the prompt baseline."""
        base_gap = card.totals[target] - card.totals[card.winner]
        best: dict[str, tuple[str, str | None, float, bool]] = {}
        for _, question_id, option_id, direction, gain, gates in halves:
            if levers_only and direction != "forward":
                continue
            if without_levers and direction == "forward" and question_id != "prompt_baseline":
                continue
            if question_id not in best:
                best[question_id] = (option_id, direction, gain, gates)
                if len(best) == _PAIR_CANDIDATES:
                    break
        if including is not None and including not in best:
            for _, question_id, option_id, direction, gain, gates in halves:
                if question_id == including and (direction == "forward" or not levers_only):
                    best[question_id] = (option_id, direction, gain, gates)
                    break
            else:
                return []
        found: list[tuple[int, tuple[Pair, ...], Vector, int]] = []
        for (q1, (o1, d1, g1, x1)), (q2, (o2, d2, g2, x2)) in combinations(best.items(), 2):
            if including is not None and including not in (q1, q2):
                continue
            if not levers_only and d1 == d2 == "forward":
                continue  # tried as a pair of levers already
            if not (x1 or x2) and base_gap + g1 + g2 < -_PAIR_SLACK:
                continue  # together they would still leave the target far behind
            changes = ((q1, o1), (q2, o2))
            totals, blocked, moved = self.scorer.rescore(choices, card, changes)
            if moved == target:
                found.append((distance(choices, changes), changes, totals, blocked))
        found.sort(key=_distance_and_changes)
        return [(changes, totals, blocked) for _, changes, totals, blocked in found[:_PAIRS_PER_APPROACH]]


def _distance_and_changes(item: tuple[int, tuple[Pair, ...], Vector, int]) -> tuple[int, tuple[Pair, ...]]:
    return item[0], item[1]


def _first(item: tuple[tuple[object, ...], Flip]) -> tuple[object, ...]:
    return item[0]

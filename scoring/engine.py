"""The recommendation engine: answers in, an explained assessment out. Pure and deterministic.

Three layers, in this order (rules.toml lays them out the same way):

1. Feasibility. A gate that fires rules approaches out, with a sourced reason; the recommendation is the
   best approach no gate blocks. A gate is not a weight: no pile of evidence outvotes it.
2. Preference. Rules add points to each approach. Every rule belongs to a named group of correlated
   signals, and each group's total per approach is clamped to [-max_against, +max_for], so one underlying
   fact cannot be counted five times.
3. Confidence from robustness: how many groups agree, the lead over the best feasible alternative, whether
   plausible one-step changes of the least certain answers move the recommendation, contradicting answers,
   missing answers, and caps for missing prerequisites.

Then the path from where the team is now, the caveats and next steps that apply, and what would change the
recommendation: levers moved forward first, facts after.

Each part lives in a module of its own, one job each:

- scoring/compiled.py arranges the rule set into lookup tables (nothing there scores);
- scoring/scorer.py scores an answer set, and re-scores it with answers changed, incrementally;
- scoring/explore.py finds what would change the recommendation;
- scoring/robustness.py measures how robust it is, and scoring/confidence.py judges that into words;
- scoring/explain.py words the reasons, gates, conflicts, caveats and next steps; scoring/path.py the path.

tests/unit/scoring/test_reference.py checks every result against a plain reading of the rules.
"""

from __future__ import annotations

from functools import cache

from scoring.compiled import Choices
from scoring.confidence import Titles, judge
from scoring.explain import Explainer
from scoring.explore import Explorer, Table
from scoring.models import APPROACHES, Answers, Approach, Assessment, Conflict, Flip, Note, Stage, trusted
from scoring.path import Journeys
from scoring.questionnaire import FIRST_RELEASE_IDS, QUESTIONS_BY_ID, SCORED_IDS
from scoring.robustness import RobustnessMeter
from scoring.ruleset import RuleSet, default_ruleset
from scoring.scorer import Scorecard, Scorer

_FIRST_RELEASE = frozenset(FIRST_RELEASE_IDS)


class Engine:
    """A rule set compiled for fast scoring. Build once per rule set (``engine_for``)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.scorer = Scorer(ruleset)
        self.explainer = Explainer(self.scorer)
        self.explorer = Explorer(self.scorer, self.explainer.answer_change)
        self.meter = RobustnessMeter(self.scorer)
        self.journeys = Journeys(ruleset)
        self._titles = Titles({group.id: group.title.lower() for group in ruleset.groups})

    def scorecard(self, choices: Choices) -> Scorecard:
        return self.scorer.scorecard(choices)

    def conflicts(self, choices: Choices) -> tuple[Conflict, ...]:
        return self.explainer.conflicts(choices)

    def path(self, choices: Choices, approach: Approach) -> tuple[Stage, ...]:
        """Where to start now and the stages to ``approach`` (scoring/path.py)."""
        return self.journeys.journey(choices, approach)

    def what_would_change(
        self, choices: Choices, card: Scorecard | None = None, table: Table | None = None
    ) -> tuple[Flip, ...]:
        """The smallest changes of answers that change the recommendation, levers first (explore.py)."""
        card = card or self.scorer.scorecard(choices)
        table = table if table is not None else self.explorer.change_table(choices, card)
        return self.explorer.what_would_change(choices, card, table)

    def assess(self, answers: Answers, *, explore_changes: bool = True) -> Assessment:
        choices = answers.choices
        card = self.scorer.scorecard(choices)
        winner = card.winner
        approach = APPROACHES[winner]
        missing = answers.missing
        table = self.explorer.change_table(choices, card) if explore_changes else None
        explainer = self.explainer
        conflicts = explainer.conflicts(choices)
        next_steps = explainer.notes(self.scorer.next_steps, winner, choices)
        if missing:
            # Unanswered first-release questions come first; the optional added ones go last.
            if any(qid in _FIRST_RELEASE for qid in missing):
                next_steps = (_answer_the_rest(missing), *next_steps)
            else:
                next_steps = (*next_steps, _answer_the_rest(missing))
        robust = self.meter.measure(choices, card, missing, conflicts, table)
        fragile = tuple(explainer.answer_change(f.question, f.before, f.after) for f in robust.fragile)
        confidence = judge(
            self.ruleset.confidence, robust, self._titles, fragile, len(SCORED_IDS) - len(missing)
        )
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
            confidence=confidence,
            reasons=explainer.reasons(card, choices),
            caveats=explainer.notes(self.scorer.caveats, winner, choices),
            next_steps=next_steps,
            what_would_change=self.explorer.what_would_change(choices, card, table)
            if table is not None
            else (),
            missing=missing,
            path=self.journeys.journey(choices, approach),
            conflicts=conflicts,
            gates=explainer.gates(card, choices),
            evidence=card.evidence,
        )


def _answer_the_rest(missing: tuple[str, ...]) -> Note:
    labels = "; ".join(QUESTIONS_BY_ID[qid].label for qid in missing)
    return trusted(
        Note,
        id="answer_missing",
        text=f"Answer the {_questions(len(missing))} left blank, which this result could not weigh: {labels}",
        sources=(),
    )


def _questions(count: int) -> str:
    return "question" if count == 1 else f"{count} questions"


@cache
def _default_engine() -> Engine:
    return Engine(default_ruleset())


def engine_for(ruleset: RuleSet | None = None) -> Engine:
    return _default_engine() if ruleset is None else Engine(ruleset)


def assess(answers: Answers, ruleset: RuleSet | None = None) -> Assessment:
    """Score answers with the default rules (or the given rule set) and explain the result."""
    return engine_for(ruleset).assess(answers)

"""The path: where a team starts now and the stages to the recommendation, each with what moves it on. Pure.

It follows the vendors' journey: a baseline with prompting and evals first, retrieval for knowledge, then
fine-tuning for behaviour, and distillation for cost and latency [OAI-ACC][OAI-FT][AZ-FT][GCP-TUNE]. The
stages and their wording are data (rules.toml, [[stage]]): up to three steps, in order (start, retrieval,
tuning), each filled by the first stage whose destinations include the recommendation and whose conditions
hold. The last stage is the recommendation; the first is what to do now. No two consecutive stages share
an approach (a start stage for a prompting destination is the whole path).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from scoring.conditions import Condition
from scoring.models import APPROACHES, Approach, Stage, trusted
from scoring.questionnaire import SCORED_IDS
from scoring.ruleset import RuleSet

STEPS: Final[tuple[str, ...]] = ("start", "retrieval", "tuning")
# Stage texts kept per destination before the memo starts again (bounds memory in a long-lived process).
_MEMO_LIMIT = 50_000


def _approach(step: str, destination: Approach) -> Approach:
    if step == "start":
        return Approach.PROMPT_ENGINEERING
    if step == "retrieval":
        return Approach.RAG
    return destination  # tuning leads to fine-tuning or to the hybrid


class Journeys:
    """The rule set's path stages, compiled per destination; each path is memoised on the answers the stages
    read."""

    def __init__(self, ruleset: RuleSet) -> None:
        read: set[str] = set()
        # Per destination, per step: (condition, the stage as it reads first, as it reads after another).
        self._options: dict[Approach, list[list[tuple[Condition, Stage, Stage | None]]]] = {}
        for destination in APPROACHES:
            steps: list[list[tuple[Condition, Stage, Stage | None]]] = [[] for _ in STEPS]
            for entry in ruleset.stages:
                if destination not in entry.destinations:
                    continue
                condition = Condition.of(entry.when, entry.unless)
                read.update(condition.questions)
                approach = _approach(entry.step, destination)
                first = trusted(Stage, approach=approach, when=entry.now, sources=entry.sources)
                after = (
                    trusted(Stage, approach=approach, when=entry.then, sources=entry.sources)
                    if entry.then
                    else None
                )
                steps[STEPS.index(entry.step)].append((condition, first, after))
            self._options[destination] = steps
        self._reads = tuple(qid for qid in SCORED_IDS if qid in read)
        self._memo: dict[tuple[object, ...], tuple[Stage, ...]] = {}

    def journey(self, choices: Mapping[str, str], destination: Approach) -> tuple[Stage, ...]:
        get = choices.get
        key = (destination, *[get(qid) for qid in self._reads])
        path = self._memo.get(key)
        if path is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            path = self._memo[key] = self._build(choices, destination)
        return path

    def _build(self, choices: Mapping[str, str], destination: Approach) -> tuple[Stage, ...]:
        path: list[Stage] = []
        for options in self._options[destination]:
            for condition, first, after in options:
                if not condition.holds(choices):
                    continue
                stage = first if not path or after is None else after
                if not path or path[-1].approach is not stage.approach:
                    path.append(stage)
                break
        return tuple(path)

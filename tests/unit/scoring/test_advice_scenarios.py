"""The advice scenarios (tests/advice_scenarios.py): the approach the evidence supports, every line of the
result signable (tests/advice.py finds nothing), and what each story says the result must and must not say."""

from __future__ import annotations

import pytest

from scoring import Answers, Assessment, assess
from scoring.models import LEVELS
from scoring.ruleset import default_ruleset
from scoring.sources import SOURCES
from tests import advice
from tests.advice_scenarios import ADVICE_SCENARIOS, AdviceScenario


def _ids(result: Assessment) -> set[str]:
    """Every named piece of a result: next steps, caveats, gates, conflicts, caps and reasons."""
    return {
        *(note.id for note in result.next_steps),
        *(note.id for note in result.caveats),
        *(gate.id for gate in result.gates),
        *(conflict.id for conflict in result.conflicts),
        *result.confidence.caps,
        *(reason.rule for reason in result.reasons),
    }


def _stage_ids(result: Assessment) -> set[str]:
    texts = {stage.when for stage in result.path}
    return {s.id for s in default_ruleset().stages if s.now in texts or s.then in texts}


def test_every_class_has_a_scenario_from_known_sources() -> None:
    checks = {check.__name__ for check in advice.CHECKS}
    covered = {scenario.check for scenario in ADVICE_SCENARIOS}
    assert covered == {"confidence" if c == "confidence_words" else c for c in checks}
    for scenario in ADVICE_SCENARIOS:
        assert scenario.sources and set(scenario.sources) <= set(SOURCES), scenario.id
    assert len({s.id for s in ADVICE_SCENARIOS}) == len(ADVICE_SCENARIOS)


@pytest.mark.parametrize("scenario", ADVICE_SCENARIOS, ids=lambda s: s.id)
def test_the_whole_result_is_what_the_story_says(scenario: AdviceScenario) -> None:
    answers = scenario.answers
    result = assess(Answers.parse(answers))
    assert result.approach.value in scenario.expected, (scenario.story, result.approach)
    findings = advice.review(answers, result)
    assert not findings, [f.text for f in findings]
    present = _ids(result) | _stage_ids(result)
    missing = [piece for piece in scenario.must if piece not in present]
    assert not missing, (missing, sorted(present))
    readable = " ".join(advice.everything(result))
    for words in scenario.must_not:
        assert words.lower() not in readable.lower(), words
    assert LEVELS.index(result.confidence.level) <= LEVELS.index(scenario.max_level), (
        result.confidence.summary
    )

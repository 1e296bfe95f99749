"""The recommendations agree with the evidence on realistic projects drawn from the decision guide."""

import pytest

from scoring import Answers, assess
from scoring.sources import SOURCES
from tests.scenarios import SCENARIOS


def test_the_scenarios_cover_every_approach_and_cite_known_sources() -> None:
    assert len(SCENARIOS) >= 25
    assert {approach for s in SCENARIOS for approach in s.expected} == {
        "prompt_engineering",
        "rag",
        "fine_tuning",
        "hybrid",
    }
    for scenario in SCENARIOS:
        assert scenario.sources, scenario.id
        assert set(scenario.sources) <= set(SOURCES), scenario.id
        assert len(scenario.answers) == 18, scenario.id


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_recommendation_follows_the_evidence(scenario) -> None:  # type: ignore[no-untyped-def]
    result = assess(Answers.parse(scenario.answers))
    assert result.approach.value in scenario.expected, (
        f"{scenario.story}\nexpected {sorted(scenario.expected)}, got {result.approach.value} "
        f"with scores {result.scores}"
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_the_top_reason_supports_the_recommendation(scenario) -> None:  # type: ignore[no-untyped-def]
    result = assess(Answers.parse(scenario.answers))
    top = result.reasons[0]
    assert top.effects[result.approach] > 0
    assert top.sources

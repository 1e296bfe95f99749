"""The recommendations agree with the evidence on realistic projects drawn from the decision guide."""

from collections import Counter

import pytest

from scoring import Answers, Assessment, assess
from scoring.models import APPROACHES, LEVELS
from scoring.questionnaire import FIRST_RELEASE_IDS, SCORED_IDS
from scoring.sources import SOURCES
from tests.scenarios import SCENARIOS, Scenario

RESULTS: dict[str, Assessment] = {s.id: assess(Answers.parse(s.answers)) for s in SCENARIOS}
# The keys §8 of the decision guide added; the suite must draw on them, not only on the first sources.
NEW_EVIDENCE = {
    "AWS-DISTILL",
    "OAI-DISTILL",
    "OAI-LAT",
    "DSS",
    "SETFIT",
    "HF-SYNTH",
    "ANYSCALE-FF",
    "ANYSCALE-L2",
    "MANYSHOT",
    "LIMA",
    "GCP-GSEARCH",
    "COH-RAG",
    "ANT-CR",
    "CHIPNEMO",
    "GORILLA",
    "OAI-MS",
    "OAI-HARVEY",
    "DOORDASH",
    "REPLIT",
}


def test_the_suite_is_large_cites_known_sources_and_answers_what_a_story_can() -> None:
    assert len(SCENARIOS) >= 60
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)
    assert {approach for s in SCENARIOS for approach in s.expected} == {a.value for a in APPROACHES}
    for scenario in SCENARIOS:
        assert scenario.story and scenario.sources, scenario.id
        assert set(scenario.sources) <= set(SOURCES), scenario.id
        assert scenario.expected <= {a.value for a in APPROACHES}, scenario.id
        assert scenario.max_level in LEVELS, scenario.id
        # Every first-release question is one any story can answer; the added ones only where it says.
        assert set(FIRST_RELEASE_IDS) <= set(scenario.answers) <= set(SCORED_IDS), scenario.id
        Answers.parse(scenario.answers)


def test_the_suite_draws_on_the_new_evidence_and_uses_the_new_questions() -> None:
    cited = {key for s in SCENARIOS for key in s.sources}
    assert cited >= NEW_EVIDENCE
    task_types = Counter(s.answers.get("task_type") for s in SCENARIOS)
    assert set(task_types) >= {"classify_extract", "generate", "answer_questions", "assistant_agent"}
    teachers = Counter(s.answers.get("teacher_model") for s in SCENARIOS)
    assert set(teachers) >= {"yes", "no", "not_checked"}
    baselines = Counter(s.answers["prompt_baseline"] for s in SCENARIOS)
    assert baselines["close_to_target"] >= 2


def _where(predicate: object) -> list[Scenario]:
    return [s for s in SCENARIOS if predicate(s, RESULTS[s.id])]  # type: ignore[operator]


def test_the_suite_covers_every_class_of_wrong_advice() -> None:
    # 1. Gates beat weights: a ruled-out approach outscores the recommendation.
    assert _where(lambda s, r: any(r.scores[a] > r.scores[r.approach] for a in r.excluded))
    # 2. Retrieval is not training: a team with no ML, a per-token budget or a deadline in days gets RAG.
    assert _where(
        lambda s, r: (
            r.approach.value == "rag"
            and s.answers["ml_expertise"] == "none"
            and s.answers["compute_budget"] == "low"
        )
    )
    assert _where(lambda s, r: r.approach.value == "rag" and s.answers["time_to_first_version"] == "days")
    # 3. The new questions matter: distillation without labels, a small classifier under 50 examples, a
    #    baseline close to target.
    assert _where(
        lambda s, r: (
            r.approach.value == "fine_tuning"
            and s.answers["labeled_examples"] == "none"
            and s.answers.get("teacher_model") == "yes"
        )
    )
    assert _where(
        lambda s, r: (
            r.approach.value == "fine_tuning"
            and s.answers["labeled_examples"] == "lt_50"
            and s.answers.get("task_type") == "classify_extract"
        )
    )
    assert _where(
        lambda s, r: (
            r.approach.value == "prompt_engineering" and s.answers["prompt_baseline"] == "close_to_target"
        )
    )
    # 4. Confidence is earned: stories where the evidence allows less than "high".
    assert len([s for s in SCENARIOS if s.max_level != "high"]) >= 10
    # 5. Levers: actionable changes are offered.
    assert _where(lambda s, r: any(flip.actionable for flip in r.what_would_change))
    # 6. A path of several stages, starting with prompting before a training destination.
    assert _where(lambda s, r: len(r.path) > 1 and r.approach.value == "fine_tuning")
    # 7. Contradictions: realistic stories have none (see test_realistic_answers_do_not_contradict).
    assert all(not r.conflicts for r in RESULTS.values())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_recommendation_follows_the_evidence(scenario: Scenario) -> None:
    result = RESULTS[scenario.id]
    assert result.approach.value in scenario.expected, (
        f"{scenario.story}\nexpected {sorted(scenario.expected)}, got {result.approach.value} "
        f"with scores {result.scores}, gates {[g.id for g in result.gates]}"
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_confidence_stays_within_what_the_evidence_allows(scenario: Scenario) -> None:
    result = RESULTS[scenario.id]
    assert LEVELS.index(result.confidence.level) <= LEVELS.index(scenario.max_level), (
        f"{scenario.story}\n{result.confidence.summary}\n" + "\n".join(result.confidence.basis)
    )
    assert result.confidence.summary.lower().startswith(result.confidence.level)
    assert result.confidence.basis


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_the_path_starts_where_the_story_says_and_ends_at_the_recommendation(scenario: Scenario) -> None:
    path = RESULTS[scenario.id].path
    assert path[-1].approach is RESULTS[scenario.id].approach
    if scenario.path_first is not None:
        assert path[0].approach.value == scenario.path_first


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_the_top_reason_supports_the_recommendation(scenario: Scenario) -> None:
    result = RESULTS[scenario.id]
    top = result.reasons[0]
    assert top.effects[result.approach] > 0
    assert top.sources


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_realistic_answers_do_not_contradict_each_other(scenario: Scenario) -> None:
    """The conflict rules flag only real contradictions: no realistic story trips one."""
    assert not RESULTS[scenario.id].conflicts, [c.text for c in RESULTS[scenario.id].conflicts]

"""What the engine says beyond the winner: reasons, caveats, next steps, confidence and missing answers."""

from scoring import Answers, Approach, assess
from tests.scenarios import SCENARIOS

BY_ID = {s.id: s for s in SCENARIOS}


def _assess(scenario_id: str, **changes: str):  # type: ignore[no-untyped-def]
    return assess(Answers.parse({**BY_ID[scenario_id].answers, **changes}))


def test_reasons_name_question_answer_effects_and_sources() -> None:
    result = _assess("support_bot_weekly_docs")
    knowledge = next(r for r in result.reasons if r.question == "knowledge_need")
    assert knowledge.answer == "proprietary_or_large_corpus"
    assert set(knowledge.effects) == set(Approach)
    assert knowledge.effects[Approach.RAG] > knowledge.effects[Approach.FINE_TUNING]
    assert "OVADIA" in knowledge.sources
    weights = [r.weight for r in result.reasons]
    assert weights == sorted(weights, reverse=True)


def test_long_term_reason_says_where_the_source_article_is_wrong() -> None:
    result = _assess("article_rule_long_term_new_facts")
    texts = " ".join(r.text for r in result.reasons if r.question == "project_lifetime")
    assert "source article" in texts
    assert result.approach is Approach.RAG


def test_fine_tuning_with_few_examples_warns_of_overfitting_and_retirement() -> None:
    result = _assess("strict_json_no_knowledge")
    assert result.approach is Approach.FINE_TUNING
    caveats = {note.id for note in result.caveats}
    assert {"overfitting_small_dataset", "base_model_retirement"} <= caveats
    steps = {note.id for note in result.next_steps}
    assert "fine_tuning_pilot" in steps


def test_no_prompt_baseline_puts_an_eval_set_first() -> None:
    result = _assess("docs_assistant_not_yet_prompted")
    assert result.next_steps[0].id == "build_eval_set"
    assert "20" in result.next_steps[0].text


def test_strict_latency_on_rag_warns_about_retrieval_latency() -> None:
    result = _assess("support_bot_weekly_docs", latency_requirement="strict")
    assert result.approach is Approach.RAG
    assert "retrieval_latency" in {note.id for note in result.caveats}


def test_missing_answers_are_listed_and_lower_confidence() -> None:
    full = _assess("canva_design_guidelines")
    answers = dict(BY_ID["canva_design_guidelines"].answers)
    for question in (
        "compute_budget",
        "ml_expertise",
        "request_volume",
        "latency_requirement",
        "privacy_self_host",
    ):
        del answers[question]
    partial = assess(Answers.parse(answers))
    assert partial.missing == (
        "compute_budget",
        "ml_expertise",
        "request_volume",
        "latency_requirement",
        "privacy_self_host",
    )
    assert partial.confidence.answered == 13
    assert partial.next_steps[0].id == "answer_missing"
    levels = ["low", "medium", "high"]
    assert full.confidence.level == "high"
    assert levels.index(partial.confidence.level) <= levels.index(full.confidence.level)


def test_an_empty_answer_set_still_gives_a_low_confidence_result() -> None:
    result = assess(Answers.parse({}))
    assert result.confidence.level == "low"
    assert len(result.missing) == 18
    assert result.what_would_change


def test_close_call_has_low_confidence_and_a_single_flip() -> None:
    result = _assess("behaviour_problem_few_examples")
    assert result.approach is Approach.PROMPT_ENGINEERING
    assert result.confidence.level == "low"
    flips = {
        (flip.changes[0].question, flip.changes[0].after): flip.approach
        for flip in result.what_would_change
        if len(flip.changes) == 1
    }
    assert flips[("labeled_examples", "50_499")] is Approach.FINE_TUNING


def test_what_would_change_prefers_single_then_nearest_changes() -> None:
    result = _assess("devday_two_knowledge_bases")
    sizes = [len(flip.changes) for flip in result.what_would_change]
    assert sizes == sorted(sizes)
    assert all(flip.approach is not result.approach for flip in result.what_would_change)

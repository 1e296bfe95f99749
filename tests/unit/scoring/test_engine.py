"""What the engine says beyond the winner: gates, reasons, groups, confidence, path, conflicts, levers."""

import json

from scoring import Answers, Approach, Assessment, assess
from scoring.models import LEVELS
from scoring.questionnaire import (
    ADDED_IDS,
    FIRST_RELEASE_IDS,
    QUESTIONS,
    QUESTIONS_BY_ID,
    SCORED_IDS,
    questions_on_page,
)
from scoring.sources import SOURCE_DETAILS, SOURCES
from scoring.text import describe_flip, render
from tests.scenarios import SCENARIOS

BY_ID = {s.id: s for s in SCENARIOS}


def _assess(scenario_id: str, **changes: str) -> Assessment:
    return assess(Answers.parse({**BY_ID[scenario_id].answers, **changes}))


# --- reasons, notes and groups ---------------------------------------------------------------------------


def test_reasons_name_question_answer_effects_group_and_sources() -> None:
    result = _assess("support_bot_weekly_docs")
    knowledge = next(r for r in result.reasons if r.question == "knowledge_need")
    assert knowledge.answer == "proprietary_or_large_corpus"
    assert knowledge.group == "knowledge"
    assert set(knowledge.effects) == set(Approach)
    assert knowledge.effects[Approach.RAG] > knowledge.effects[Approach.FINE_TUNING]
    assert "OVADIA" in knowledge.sources
    weights = [r.weight for r in result.reasons]
    assert weights == sorted(weights, reverse=True)


def test_correlated_signals_count_once_per_group() -> None:
    """Proprietary knowledge, weekly changes and citations are one argument about knowledge: the group's
    points for RAG stop at its limit, below the sum of its rules."""
    result = _assess("support_bot_weekly_docs")
    knowledge = next(g for g in result.evidence if g.group == "knowledge")
    rules = sum(r.effects[Approach.RAG] for r in result.reasons if r.group == "knowledge")
    assert knowledge.capped
    assert knowledge.points[Approach.RAG] == 6.0 < rules


def test_long_term_reason_names_the_claim_it_corrects_without_an_article_the_reader_never_saw() -> None:
    result = _assess("article_rule_long_term_new_facts")
    texts = " ".join(r.text for r in result.reasons if r.question == "project_lifetime")
    assert "'long-term → fine-tune' is often wrong" in texts
    assert "new facts belong in an index" in texts
    assert "article" not in texts
    assert result.approach is Approach.RAG


def test_fine_tuning_with_few_examples_warns_of_overfitting_and_retirement() -> None:
    result = _assess("strict_json_no_knowledge")
    assert result.approach is Approach.FINE_TUNING
    caveats = {note.id for note in result.caveats}
    assert {"overfitting_small_dataset", "base_model_retirement"} <= caveats
    steps = {note.id for note in result.next_steps}
    assert {"fine_tuning_pilot", "small_classifier_for_few_labels"} <= steps


def test_no_prompt_baseline_puts_an_eval_set_first() -> None:
    result = _assess("docs_assistant_not_yet_prompted")
    assert result.next_steps[0].id == "build_eval_set"
    assert "20" in result.next_steps[0].text


def test_strict_latency_on_rag_warns_about_retrieval_latency() -> None:
    result = _assess("voice_catalogue_strict_latency")
    assert result.approach is Approach.RAG
    assert "retrieval_latency" in {note.id for note in result.caveats}


# --- gates -----------------------------------------------------------------------------------------------


def test_a_gate_rules_out_an_approach_the_points_favour_and_says_why() -> None:
    result = _assess("one_off_contract_review")
    assert result.approach is Approach.PROMPT_ENGINEERING
    assert result.scores[Approach.FINE_TUNING] > result.scores[Approach.PROMPT_ENGINEERING]
    gate = next(g for g in result.gates if g.id == "one_off_cannot_repay_training")
    assert set(gate.blocks) == {Approach.FINE_TUNING, Approach.HYBRID}
    assert gate.answers == {"project_lifetime": "one_off"}
    assert gate.sources
    assert result.ranked()[0][0] is Approach.PROMPT_ENGINEERING
    assert "(ruled out)" in render(result)


def test_a_teacher_model_opens_training_without_labels() -> None:
    without = _assess("bedrock_distillation_without_labels", teacher_model="not_checked")
    assert without.approach is Approach.PROMPT_ENGINEERING
    assert "nothing_to_train_on" in {g.id for g in without.gates}
    check = [f for f in without.what_would_change if f.actionable and f.approach is Approach.FINE_TUNING]
    assert [(c.question, c.after) for c in check[0].changes] == [("teacher_model", "yes")]
    assert describe_flip(check[0]).startswith("Check whether a larger model can write the outputs")
    with_teacher = _assess("bedrock_distillation_without_labels")
    assert with_teacher.approach is Approach.FINE_TUNING
    assert "distillation_without_an_eval_set" in with_teacher.confidence.caps
    assert "distil" in {note.id for note in with_teacher.next_steps}


def test_a_small_classifier_trains_on_fewer_than_50_examples_but_a_generator_does_not() -> None:
    classifier = _assess("setfit_sentiment_on_prem")
    assert classifier.approach is Approach.FINE_TUNING
    assert classifier.confidence.level != "high"
    generator = _assess("setfit_sentiment_on_prem", task_type="generate")
    assert generator.approach is not Approach.FINE_TUNING
    assert "too_few_examples_for_generative_tuning" in {g.id for g in generator.gates}


def test_retrieval_is_not_penalised_like_training() -> None:
    """A two-person team with no ML, a per-token budget and days to ship still gets retrieval for fresh,
    cited knowledge, and those answers cost retrieval nothing."""
    result = _assess("grounded_news_bot_small_team")
    assert result.approach is Approach.RAG
    assert [stage.approach for stage in result.path] == [Approach.PROMPT_ENGINEERING, Approach.RAG]
    easier = _assess(
        "grounded_news_bot_small_team",
        ml_expertise="strong",
        compute_budget="high",
        time_to_first_version="months",
    )
    assert easier.scores[Approach.RAG] == result.scores[Approach.RAG]


# --- confidence ------------------------------------------------------------------------------------------


def test_confidence_says_in_words_what_it_rests_on() -> None:
    result = _assess("canva_design_guidelines")
    confidence = result.confidence
    assert confidence.level == "high"
    assert confidence.summary.startswith("High:")
    assert len(confidence.agreeing) >= 3
    assert confidence.checked > 0 and not confidence.fragile
    assert any("groups of evidence favour Fine-tuning" in line for line in confidence.basis)
    assert any("plausible one-step changes" in line for line in confidence.basis)


def test_plausible_changes_that_move_the_result_are_named_and_lower_confidence() -> None:
    result = _assess("behaviour_problem_few_examples")
    assert result.approach is Approach.PROMPT_ENGINEERING
    assert result.confidence.level == "low"
    assert result.confidence.fragile
    assert any("would change it" in line for line in result.confidence.basis)
    flips = {
        (flip.changes[0].question, flip.changes[0].after): flip.approach
        for flip in result.what_would_change
        if flip.actionable and len(flip.changes) == 1
    }
    assert flips[("labeled_examples", "50_499")] is Approach.FINE_TUNING


def test_no_ml_expertise_never_raises_training_confidence() -> None:
    """The first release made a fine-tuning margin larger when expertise went away."""
    strong = _assess("strict_json_no_knowledge", ml_expertise="some")
    none = _assess("strict_json_no_knowledge", ml_expertise="none")
    assert none.approach is strong.approach is Approach.FINE_TUNING
    assert LEVELS.index(none.confidence.level) <= LEVELS.index("medium")
    assert "training_without_ml_expertise" in none.confidence.caps


def test_missing_answers_are_listed_and_lower_confidence() -> None:
    full = _assess("canva_design_guidelines")
    answers = dict(BY_ID["canva_design_guidelines"].answers)
    removed = ("compute_budget", "ml_expertise", "request_volume", "latency_requirement", "privacy_self_host")
    for question in removed:
        del answers[question]
    partial = assess(Answers.parse(answers))
    assert partial.missing == removed
    assert partial.confidence.answered == len(SCORED_IDS) - 5
    assert partial.next_steps[0].id == "answer_missing"
    assert full.confidence.level == "high"
    assert LEVELS.index(partial.confidence.level) < LEVELS.index(full.confidence.level)


def test_old_answer_sets_without_the_added_questions_still_assess() -> None:
    answers = {qid: BY_ID["support_bot_weekly_docs"].answers[qid] for qid in FIRST_RELEASE_IDS}
    result = assess(Answers.parse(answers))
    assert result.approach is Approach.RAG
    assert set(result.missing) == set(ADDED_IDS)


def test_an_empty_answer_set_still_gives_a_low_confidence_result() -> None:
    result = assess(Answers.parse({}))
    assert result.confidence.level == "low"
    assert len(result.missing) == len(SCORED_IDS)
    assert result.what_would_change
    assert result.path[0].approach is Approach.PROMPT_ENGINEERING


def test_assessments_stored_by_the_first_release_still_validate() -> None:
    """Assessments in Redis were written before path, conflicts, gates, evidence and the new confidence
    fields existed; they must still load."""
    current = _assess("support_bot_weekly_docs").model_dump(mode="json")
    stored = {
        key: current[key] for key in ("approach", "scores", "reasons", "caveats", "next_steps", "missing")
    }
    stored["confidence"] = {
        k: current["confidence"][k] for k in ("level", "margin", "runner_up", "answered", "of")
    }
    stored["reasons"] = [{k: v for k, v in r.items() if k != "group"} for r in stored["reasons"]]
    stored["what_would_change"] = [
        {
            "changes": [{"question": "knowledge_need", "before": "general", "after": "none"}],
            "approach": "fine_tuning",
            "margin": 2.0,
        }
    ]
    old = Assessment.model_validate_json(json.dumps(stored))
    assert old.path == () and old.conflicts == () and old.gates == ()
    assert old.confidence.summary == "" and not old.what_would_change[0].actionable
    assert old.ranked()[0][0] is old.approach


# --- the path --------------------------------------------------------------------------------------------


def test_the_path_follows_the_vendors_journey() -> None:
    def stages(scenario_id: str) -> list[Approach]:
        return [stage.approach for stage in _assess(scenario_id).path]

    assert stages("help_centre_not_yet_prompted") == [Approach.PROMPT_ENGINEERING, Approach.RAG]
    assert stages("agriculture_assistant") == [Approach.RAG, Approach.HYBRID]
    assert stages("router_live_in_days_then_years") == [Approach.PROMPT_ENGINEERING, Approach.FINE_TUNING]
    assert stages("canva_design_guidelines") == [Approach.FINE_TUNING]
    replit = _assess("replit_code_repair").path
    assert [s.approach for s in replit] == [Approach.PROMPT_ENGINEERING, Approach.FINE_TUNING]
    assert replit[0].when.startswith("Now:")
    assert "distil" in replit[1].when
    untried = _assess("labels_but_no_baseline", prompt_baseline="not_tried").path
    assert untried[0].approach is Approach.PROMPT_ENGINEERING


# --- conflicts -------------------------------------------------------------------------------------------


def test_contradicting_answers_are_reported_with_what_to_recheck() -> None:
    result = _assess("canva_design_guidelines", primary_failure_mode="knowledge")
    (conflict,) = result.conflicts
    assert set(conflict.questions) == {"knowledge_need", "primary_failure_mode"}
    assert "Re-check the knowledge need and the failure mode" in conflict.text
    assert result.confidence.level != "high"
    assert any("contradiction" in line for line in result.confidence.basis)
    assert "Conflicting answers" in render(result)


# --- what would change -----------------------------------------------------------------------------------


def test_levers_come_first_and_facts_are_worded_as_facts() -> None:
    result = _assess("tone_problem_nothing_to_train_on")
    kinds = [flip.actionable for flip in result.what_would_change]
    assert kinds == sorted(kinds, reverse=True) and True in kinds and False in kinds
    texts = [describe_flip(flip) for flip in result.what_would_change]
    assert any(text.startswith("Collect 50 or more labelled examples") for text in texts)
    facts = [describe_flip(flip) for flip in result.fact_changes]
    assert all(text.startswith("If ") for text in facts)
    assert all(flip.approach is not result.approach for flip in result.what_would_change)


# --- the questionnaire and the bibliography -------------------------------------------------------------


def test_the_added_questions_are_where_the_contract_puts_them() -> None:
    assert [q.id for q in questions_on_page(1)][-1] == "task_type"
    assert [q.id for q in questions_on_page(3)][-1] == "teacher_model"
    assert QUESTIONS_BY_ID["task_type"].page == 1 and QUESTIONS_BY_ID["teacher_model"].page == 3
    assert set(ADDED_IDS) <= set(SCORED_IDS) and not set(ADDED_IDS) & set(FIRST_RELEASE_IDS)
    assert QUESTIONS_BY_ID["task_type"].option_ids == (
        "classify_extract",
        "generate",
        "answer_questions",
        "assistant_agent",
    )
    assert QUESTIONS_BY_ID["teacher_model"].option_ids == ("not_checked", "yes", "no")
    assert QUESTIONS_BY_ID["prompt_baseline"].option_ids == (
        "not_tried",
        "meets_target",
        "close_to_target",
        "plateaued_below_target",
    )
    for question_id in ADDED_IDS:
        assert not QUESTIONS_BY_ID[question_id].required


def test_labels_fit_slack_and_hints_do_not_repeat_their_options() -> None:
    for question in QUESTIONS:
        hint = question.help.lower()
        for option in question.options:
            assert len(option.label) <= 75, option.label
            name, _, explanation = option.label.lower().partition(":")
            assert not explanation or explanation.strip() not in hint, (question.id, option.id)
            assert len(name.split()) < 2 or name not in hint, (question.id, option.id)


def test_every_source_has_a_title_a_short_name_and_a_link() -> None:
    assert set(SOURCES) == set(SOURCE_DETAILS)
    for key, source in SOURCE_DETAILS.items():
        assert source.key == key
        assert SOURCES[key] == source.title
        assert source.short and len(source.short) <= 40
        assert source.url.startswith("https://")
    for key in ("AWS-DISTILL", "SETFIT", "MANYSHOT", "GCP-GSEARCH", "DOORDASH", "REPLIT", "HOTZ", "MANNING"):
        assert key in SOURCE_DETAILS
    assert SOURCE_DETAILS["OVADIA"].url == "https://arxiv.org/abs/2312.05934"

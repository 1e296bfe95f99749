"""Advice a senior ML engineer signs word for word: one property per class of unsignable advice, over the
engine's whole result (path, reasons, gates, caveats, next steps, what would change it, the confidence
sentence), on complete and partial answer sets and on the corners random sets rarely reach.

The checks themselves are in tests/advice.py, shared with ``python -m bench.advice``, which counts each class
over 20,000 random answer sets run through ``python -m scoring assess --batch``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Answers, Assessment, assess
from scoring.models import LEVELS, Approach
from scoring.questionnaire import SCORED_QUESTIONS
from scoring.ruleset import default_ruleset
from scoring.text import render
from tests import advice

UNTIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

complete = st.fixed_dictionaries({q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS})
partial = st.fixed_dictionaries({}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS})


def leaning(**fixed: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    """Answer sets with some questions held to the given options, others anything or blank: the corners of
    one class of advice, which uniform random sets reach too rarely to test."""
    return st.fixed_dictionaries(
        {q.id: st.sampled_from(fixed[q.id]) for q in SCORED_QUESTIONS if q.id in fixed},
        optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS if q.id not in fixed},
    )


def sets(**fixed: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    return st.one_of(complete, partial, leaning(**fixed))


def _result(answers: dict[str, str]) -> Assessment:
    return assess(Answers.parse(answers))


def _clean(check: advice.Check, answers: dict[str, str]) -> Assessment:
    result = _result(answers)
    findings = check(answers, result)
    assert not findings, [f.text for f in findings]
    return result


TRAINING_READY = {
    "prompt_baseline": ("plateaued_below_target", "close_to_target", "meets_target"),
    "primary_failure_mode": ("behavior", "both"),
    "labeled_examples": ("500_4999", "5000_plus"),
    "compute_budget": ("medium", "high"),
    "ml_expertise": ("some", "strong"),
    "project_lifetime": ("long_term",),
}


# --- 1. self-hosting is a constraint on every line ---------------------------------------------------


@UNTIMED
@given(sets(privacy_self_host=("yes",)))
def test_self_hosting_rules_out_every_third_party_service(answers: dict[str, str]) -> None:
    _clean(advice.self_hosting, answers)


@UNTIMED
@given(leaning(privacy_self_host=("yes",), **TRAINING_READY))
def test_a_self_hosting_team_ready_to_train_is_told_what_to_host(answers: dict[str, str]) -> None:
    result = _clean(advice.self_hosting, answers)
    steps = {note.id for note in result.next_steps}
    if result.approach in advice.TRAINING:
        assert "peft" in steps
    if result.approach in advice.RETRIEVAL:
        assert "self_hosted_retrieval" in steps


# --- 2. knowledge problems get retrieval ---------------------------------------------------------------


@UNTIMED
@given(
    sets(
        knowledge_need=("proprietary_or_large_corpus", "fresh_external"),
        prompt_baseline=("not_tried", "close_to_target", "plateaued_below_target"),
    )
)
def test_answers_from_your_own_or_fresh_knowledge_get_retrieval(answers: dict[str, str]) -> None:
    _clean(advice.knowledge, answers)


@UNTIMED
@given(sets(knowledge_need=("fresh_external",), citations_needed=("no",)))
def test_fresh_outside_knowledge_needs_retrieval_even_without_citations(answers: dict[str, str]) -> None:
    result = _clean(advice.knowledge, answers)
    if answers.get("knowledge_need") == "fresh_external" and answers.get("prompt_baseline") != "meets_target":
        assert result.approach in advice.RETRIEVAL


# --- 3. volume and latency shape the prompt advice -----------------------------------------------------


@UNTIMED
@given(sets(request_volume=("high",), latency_requirement=("strict",)))
def test_at_high_volume_and_sub_second_latency_the_route_is_a_small_model(answers: dict[str, str]) -> None:
    _clean(advice.volume_latency, answers)


# --- 4. distillation only from a teacher that works ---------------------------------------------------


@UNTIMED
@given(st.one_of(sets(teacher_model=("no",)), leaning(teacher_model=("no",), **TRAINING_READY)))
def test_no_distillation_without_a_teacher_that_works(answers: dict[str, str]) -> None:
    _clean(advice.distillation, answers)


@UNTIMED
@given(
    leaning(
        teacher_model=("yes",),
        request_volume=("low",),
        latency_requirement=("relaxed", "moderate"),
        privacy_self_host=("no",),
        **{k: v for k, v in TRAINING_READY.items() if k != "prompt_baseline"},
    )
)
def test_a_larger_model_that_works_at_low_volume_is_switched_to_not_trained(answers: dict[str, str]) -> None:
    result = _clean(advice.distillation, answers)
    assert result.approach not in advice.TRAINING


# --- 5. levers a team can actually pull, in order ------------------------------------------------------


@UNTIMED
@given(
    st.one_of(
        sets(prompt_baseline=("not_tried",)),
        leaning(prompt_baseline=("not_tried",), primary_failure_mode=("behavior", "both")),
        sets(primary_failure_mode=("knowledge",)),
    )
)
def test_levers_are_offered_in_an_order_a_team_can_pull_them(answers: dict[str, str]) -> None:
    _clean(advice.levers, answers)


# --- 6. evaluation rigour scales with the stakes -------------------------------------------------------


@UNTIMED
@given(
    st.one_of(
        sets(accuracy_requirement=("critical",), prompt_baseline=("not_tried",)),
        sets(labeled_examples=("500_4999", "5000_plus")),
    )
)
def test_the_eval_advice_is_sized_to_the_stakes_and_the_data(answers: dict[str, str]) -> None:
    result = _clean(advice.evaluation, answers)
    if answers.get("accuracy_requirement") == "critical" and answers.get("prompt_baseline", "not_tried") == (
        "not_tried"
    ):
        assert result.confidence.level != "high"


# --- 7. confidence words match their numbers ------------------------------------------------------------


def _check_confidence_words(result: Assessment) -> None:
    settings_ = default_ruleset().confidence
    confidence = result.confidence
    findings = advice.confidence_words({}, result, settings_.high)
    assert not findings, [f.text for f in findings]
    if confidence.level == "high":
        assert not confidence.limits
        return
    # Every limit the level states is true by the numbers.
    assert confidence.limits, confidence.summary
    for limit in confidence.limits:
        if limit == "lead":
            lead = result.scores[result.approach] - result.scores[confidence.runner_up]
            assert lead < settings_.high
        elif limit == "agreeing":
            assert len(confidence.agreeing) < settings_.high_min_agreeing
        elif limit == "disagreeing":
            assert len(confidence.disagreeing) > settings_.high_max_disagreeing
        elif limit == "fragile":
            assert confidence.fragile
        elif limit == "conflicts":
            assert result.conflicts
        elif limit == "missing":
            assert result.missing
        else:
            assert limit.removeprefix("cap:") in confidence.caps
    # And nothing it leaves unstated sets a lower level: no cap allows less than the level given.
    level = LEVELS.index(confidence.level)
    for cap in default_ruleset().caps:
        assert not (cap.id in confidence.caps and LEVELS.index(cap.level) < level), cap.id


@UNTIMED
@given(st.one_of(complete, partial, leaning(**TRAINING_READY)))
def test_the_confidence_sentence_states_the_real_reason(answers: dict[str, str]) -> None:
    _check_confidence_words(_result(answers))


# --- 8. no advice from a blank -----------------------------------------------------------------------------


@UNTIMED
@given(
    st.one_of(
        partial, leaning(citations_needed=("yes",), knowledge_change_frequency=("weekly", "daily"))
    ).map(lambda a: {k: v for k, v in a.items() if k != "knowledge_need"})
)
def test_retrieval_is_not_advised_while_the_knowledge_question_is_blank(answers: dict[str, str]) -> None:
    result = _clean(advice.blanks, answers)
    assert result.next_steps[0].id in {"answer_missing", "answer_the_knowledge_question"}
    assert "answer_the_knowledge_question" in {note.id for note in result.next_steps}


# --- 9. no generic or self-contradicting lines -----------------------------------------------------------


@UNTIMED
@given(sets(task_type=("classify_extract",), format_style_consistency_need=("high",)))
def test_no_line_contradicts_the_answers(answers: dict[str, str]) -> None:
    _clean(advice.coherence, answers)


@UNTIMED
@given(st.one_of(complete, partial))
def test_the_reasons_a_person_reads_name_each_answer_once(answers: dict[str, str]) -> None:
    text = render(_result(answers))
    why = text.split("\nWhy\n", 1)[1].split("\n\n", 1)[0] if "\nWhy\n" in text else ""
    labels = [line.split(". ", 1)[1].split(":", 1)[0] for line in why.splitlines() if line.strip()]
    assert len(labels) == len(set(labels)), why


# --- 10. claims true to their sources ----------------------------------------------------------------------


@UNTIMED
@given(st.one_of(complete, partial, leaning(knowledge_need=("proprietary_or_large_corpus",))))
def test_every_figure_is_cited_in_its_sources_context(answers: dict[str, str]) -> None:
    _clean(advice.claims, answers)


# --- all of it at once ------------------------------------------------------------------------------------


@UNTIMED
@given(st.one_of(complete, partial, leaning(**TRAINING_READY)))
def test_a_whole_result_passes_every_check(answers: dict[str, str]) -> None:
    result = _result(answers)
    findings = advice.review(answers, result)
    assert not findings, [f.text for f in findings]


# --- 12. what a senior reviewer of whole results still struck ------------------------------------------


@UNTIMED
@given(
    sets(
        knowledge_need=("proprietary_or_large_corpus", "fresh_external"),
        citations_needed=("yes", "no"),
        privacy_self_host=("yes", "no"),
    )
)
def test_retrieval_the_answers_need_is_a_step_not_a_contingency(answers: dict[str, str]) -> None:
    result = _clean(advice.reviewed, answers)
    if result.approach in advice.RETRIEVAL and answers.get("knowledge_need") in advice.OWN_OR_FRESH:
        assert (
            any(stage.approach is Approach.RAG for stage in result.path[:2])
            or result.approach is Approach.HYBRID
        )


@UNTIMED
@given(sets(request_volume=("high",), latency_requirement=("strict", "moderate"), teacher_model=("yes",)))
def test_distillation_at_volume_is_not_spoken_of_as_a_future_contingency(answers: dict[str, str]) -> None:
    _clean(advice.reviewed, answers)


@UNTIMED
@given(st.one_of(leaning(**TRAINING_READY), leaning(task_type=("classify_extract",), **TRAINING_READY)))
def test_one_training_pilot_and_a_classifier_sized_to_the_labels(answers: dict[str, str]) -> None:
    _clean(advice.reviewed, answers)


@UNTIMED
@given(sets(prompt_baseline=("not_tried",), accuracy_requirement=("low", "medium", "high")))
def test_an_unmeasured_baseline_is_said_to_matter_only_where_it_would(answers: dict[str, str]) -> None:
    result = _clean(advice.reviewed, answers)
    if result.confidence.limits == ("cap:nothing_measured_yet",):
        assert "no prompt baseline has been measured yet" in result.confidence.summary.lower()


@UNTIMED
@given(sets(prompt_baseline=("meets_target",)))
def test_a_prompt_that_meets_its_target_has_no_failure_mode_slip(answers: dict[str, str]) -> None:
    _clean(advice.reviewed, answers)


@UNTIMED
@given(
    leaning(
        primary_failure_mode=("knowledge",),
        teacher_model=("yes",),
        prompt_baseline=("close_to_target", "plateaued_below_target"),
    )
)
def test_missing_facts_are_not_met_first_with_a_larger_model(answers: dict[str, str]) -> None:
    _clean(advice.reviewed, answers)

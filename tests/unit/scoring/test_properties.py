"""Properties over the whole answer space, partial answer sets and added questions included (hypothesis)."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Answers, Approach, Assessment, assess
from scoring.engine import Engine, engine_for
from scoring.models import LEVELS
from scoring.questionnaire import (
    LEVERS,
    QUESTIONS_BY_ID,
    SCORED_QUESTIONS,
    forward_steps,
    move_direction,
)
from scoring.ruleset import default_ruleset
from tests.hypothesis_profiles import examples

complete_answers = st.fixed_dictionaries({q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS})
partial_answers = st.fixed_dictionaries(
    {}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}
)
any_answers = st.one_of(complete_answers, partial_answers)


def _leaning(**allowed: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    """Complete answer sets with some questions limited to the given options: random sets rarely reach
    some corners (training is recommended for about one in eight), so properties about them need these."""
    return st.fixed_dictionaries(
        {q.id: st.sampled_from(allowed.get(q.id, q.option_ids)) for q in SCORED_QUESTIONS}
    )


# Answer sets where training is a real contender: a measured baseline, behaviour failures, examples.
training_leaning = _leaning(
    prompt_baseline=("plateaued_below_target", "meets_target", "close_to_target"),
    primary_failure_mode=("behavior", "both"),
    labeled_examples=("lt_50", "50_499", "500_4999", "5000_plus"),
    distinct_tasks=("one", "few"),
    project_lifetime=("short_term", "long_term"),
    format_style_consistency_need=("medium", "high"),
)
TRAINING = {Approach.FINE_TUNING, Approach.HYBRID}
RETRIEVAL = {Approach.RAG, Approach.HYBRID}
SLOW = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
# No test here is timed: the machine is shared, and speed is the benchmark's job (bench/scoring.py).
UNTIMED = settings(deadline=None)

# Adverse facts, per approach: moving one of these answers one step the named way argues against the
# approach, so it must never raise that approach's confidence. From the contract's levers: fewer examples,
# less expertise, a lower budget, an earlier deadline, a shorter lifetime all argue against training.
ADVERSE: dict[Approach, dict[str, tuple[str, ...]]] = {
    approach: {
        "labeled_examples": ("none", "lt_50", "50_499", "500_4999", "5000_plus"),
        "ml_expertise": ("none", "some", "strong"),
        "compute_budget": ("low", "medium", "high"),
        "time_to_first_version": ("days", "weeks", "months"),
        "project_lifetime": ("one_off", "short_term", "long_term"),
    }
    for approach in TRAINING
}


def _assess(answers: dict[str, str], **changes: str) -> Assessment:
    return assess(Answers.parse({**answers, **changes}))


def _is_exception(answers: dict[str, str]) -> bool:
    """The one-off exception: a huge one-off classification batch with labels or a teacher model."""
    return (
        answers.get("task_type") == "classify_extract"
        and answers.get("request_volume") == "high"
        and (
            answers.get("labeled_examples") in {"50_499", "500_4999", "5000_plus"}
            or answers.get("teacher_model") == "yes"
        )
    )


# --- every result is valid, deterministic and a faithful model ----------------------------------------


@UNTIMED
@given(any_answers)
def test_every_answer_set_gets_a_valid_result(answers: dict[str, str]) -> None:
    result = _assess(answers)
    assert result.approach not in result.excluded
    feasible = [a for a in Approach if a not in result.excluded]
    assert result.scores[result.approach] == max(result.scores[a] for a in feasible)
    assert set(result.scores) == set(Approach)
    assert result.confidence.level in LEVELS
    assert result.confidence.margin >= 0
    assert result.confidence.answered + len(result.missing) == result.confidence.of == len(SCORED_QUESTIONS)
    assert result.next_steps
    assert set(result.missing) == {q.id for q in SCORED_QUESTIONS} - set(answers)
    for reason in result.reasons:
        assert reason.sources and reason.group
        assert answers[reason.question] == reason.answer
    for gate in result.gates:
        assert gate.sources and gate.blocks
    # The engine builds results without validation; each must equal its own validated JSON round trip.
    assert Assessment.model_validate_json(result.model_dump_json()) == result


@UNTIMED
@given(any_answers)
def test_assessment_is_deterministic(answers: dict[str, str]) -> None:
    first = _assess(answers)
    again = Engine(default_ruleset()).assess(Answers.parse(dict(reversed(list(answers.items())))))
    assert first == again


# --- gates and caps ----------------------------------------------------------------------------------


@UNTIMED
@given(st.one_of(any_answers, training_leaning), st.sampled_from(["not_checked", "no", None]))
def test_no_training_without_examples_or_a_teacher(answers: dict[str, str], teacher: str | None) -> None:
    answers = {**answers, "labeled_examples": "none"}
    answers.pop("teacher_model", None)
    if teacher is not None:
        answers["teacher_model"] = teacher
    assert _assess(answers).approach not in TRAINING


@UNTIMED
@given(st.one_of(any_answers, training_leaning))
def test_no_training_for_a_one_off_beyond_the_exception_and_never_with_high_confidence(
    answers: dict[str, str],
) -> None:
    answers = {**answers, "project_lifetime": "one_off"}
    result = _assess(answers)
    if result.approach in TRAINING:
        assert result.approach is Approach.FINE_TUNING
        assert _is_exception(answers)
        assert result.confidence.level != "high"
        assert "one_off_exception" in {note.id for note in result.caveats}


@UNTIMED
@given(
    any_answers,
    st.sampled_from(["proprietary_or_large_corpus", "fresh_external"]),
    st.sampled_from(["weekly", "daily"]),
)
def test_weekly_or_faster_cited_knowledge_that_is_ours_or_fresh_needs_retrieval(
    answers: dict[str, str], knowledge: str, frequency: str
) -> None:
    changed = {
        **answers,
        "knowledge_need": knowledge,
        "knowledge_change_frequency": frequency,
        "citations_needed": "yes",
    }
    assert _assess(changed).approach in RETRIEVAL
    # Each half on its own is also a requirement: cited sources, or facts that change weekly or faster.
    assert _assess({**changed, "citations_needed": "no"}).approach in RETRIEVAL
    assert _assess({**changed, "knowledge_change_frequency": "static"}).approach in RETRIEVAL


@UNTIMED
@given(st.one_of(any_answers, training_leaning))
def test_no_high_confidence_for_training_without_a_team_and_a_budget(answers: dict[str, str]) -> None:
    result = _assess(answers, ml_expertise="none", compute_budget="low")
    if result.approach in TRAINING:
        assert result.confidence.level == "low"


def _check_adverse_moves(engine: Engine, answers: dict[str, str]) -> int:
    """Every one-step adverse move of the recommendation that keeps it: the level must not rise. Returns
    how many moves were checked."""
    result = engine.assess(Answers.parse(answers), explore_changes=False)
    checked = 0
    for question, order in ADVERSE.get(result.approach, {}).items():
        index = order.index(answers[question])
        if index == 0:
            continue
        worse = engine.assess(Answers.parse({**answers, question: order[index - 1]}), explore_changes=False)
        if worse.approach is result.approach:
            checked += 1
            assert LEVELS.index(worse.confidence.level) <= LEVELS.index(result.confidence.level), (
                question,
                order[index - 1],
                result.confidence.basis,
                worse.confidence.basis,
            )
    return checked


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(complete_answers, training_leaning, training_leaning))
def test_an_adverse_fact_never_raises_the_recommendations_confidence(answers: dict[str, str]) -> None:
    _check_adverse_moves(engine_for(), answers)


def test_an_adverse_fact_never_raises_confidence_over_a_fixed_sweep() -> None:
    """The same property over a seeded sweep of answer sets where training is a contender, checking every
    adverse move of each: violations are rare corners (one asymmetric weight shows up in about 0.3% of
    moves), which a sweep of thousands finds reliably."""
    rng = random.Random(8)
    engine = engine_for()
    checked = 0
    for _ in range(2500):
        answers = {q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS}
        answers["primary_failure_mode"] = rng.choice(["behavior", "both"])
        answers["prompt_baseline"] = rng.choice(["plateaued_below_target", "meets_target", "close_to_target"])
        checked += _check_adverse_moves(engine, answers)
    assert checked > 1000


# --- the path ------------------------------------------------------------------------------------------


@UNTIMED
@given(any_answers)
def test_the_path_ends_at_the_recommendation_and_starts_with_prompting_when_untried(
    answers: dict[str, str],
) -> None:
    result = _assess(answers)
    assert result.path
    assert result.path[-1].approach is result.approach
    if answers.get("prompt_baseline", "not_tried") == "not_tried":
        assert result.path[0].approach is Approach.PROMPT_ENGINEERING
    for first, second in zip(result.path, result.path[1:], strict=False):
        assert first.approach is not second.approach
    for stage in result.path:
        assert stage.when and stage.sources


@UNTIMED
@given(any_answers.filter(lambda a: a.get("time_to_first_version") == "days"))
def test_a_deadline_in_days_never_starts_with_training(answers: dict[str, str]) -> None:
    assert _assess(answers).path[0].approach not in TRAINING


# --- what would change ---------------------------------------------------------------------------------


def _single_changes(answers: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """Every change of one answer that is not a backward lever move: (question, option, direction)."""
    found = []
    for question in SCORED_QUESTIONS:
        for option in question.option_ids:
            if answers.get(question.id) == option:
                continue
            direction = move_direction(question.id, answers.get(question.id), option)
            if direction != "backward":
                found.append((question.id, option, direction))
    return found


@SLOW
@given(any_answers)
def test_what_would_change_moves_levers_forward_only_and_every_entry_flips(answers: dict[str, str]) -> None:
    result = _assess(answers)
    seen_fact = False
    for flip in result.what_would_change:
        directions = [move_direction(c.question, c.before, c.after) for c in flip.changes]
        assert "backward" not in directions
        assert flip.actionable == all(d == "forward" for d in directions)
        seen_fact = seen_fact or not flip.actionable
        assert not (flip.actionable and seen_fact), "actionable entries are listed first"
        assert flip.approach is not result.approach
        for change in flip.changes:
            assert change.before == answers.get(change.question)
        changed = _assess(answers, **{c.question: c.after for c in flip.changes})
        assert changed.approach is flip.approach


def _out_of_order(answers: dict[str, str], question: str, approach: Approach) -> bool:
    """A lever toward training while no prompt baseline is measured, other than measuring it (measuring the
    baseline comes first, so such a move is offered only together with it), or any lever toward training
    when what fails is facts (none is offered)."""
    untried = answers.get("prompt_baseline", "not_tried") == "not_tried"
    facts = answers.get("primary_failure_mode") == "knowledge"
    return approach in TRAINING and (facts or (untried and question != "prompt_baseline"))


@SLOW
@given(any_answers)
def test_every_forward_step_of_a_lever_that_changes_the_result_is_offered(answers: dict[str, str]) -> None:
    result = _assess(answers)
    offered = {
        (flip.changes[0].question, flip.changes[0].after): flip.approach
        for flip in result.what_would_change
        if flip.actionable and len(flip.changes) == 1
    }
    for question in LEVERS:
        for option in forward_steps(question, answers.get(question)):
            approach = _assess(answers, **{question: option}).approach
            if approach is not result.approach and not _out_of_order(answers, question, approach):
                assert offered.get((question, option)) is approach, (question, option, approach)
            if _out_of_order(answers, question, approach):
                assert (question, option) not in offered, (question, option, approach)


@SLOW
@given(any_answers)
def test_what_would_change_is_minimal(answers: dict[str, str]) -> None:
    """No entry holds a change it does not need; a lever is moved no further than needed; a pair is offered
    only for an approach no single change of its kind reaches; every approach one change reaches has a
    single-change entry."""
    result = _assess(answers)
    by_one: dict[str, set[Approach]] = {"forward": set(), "any": set()}
    nearest: dict[tuple[str, Approach], str] = {}
    for question, option, direction in _single_changes(answers):
        approach = _assess(answers, **{question: option}).approach
        if approach is result.approach:
            continue
        if direction == "forward" and _out_of_order(answers, question, approach):
            continue  # offered only after measuring the baseline, in a pair with it
        by_one["any"].add(approach)
        if direction == "forward":
            by_one["forward"].add(approach)
            nearest.setdefault((question, approach), option)
    for flip in result.what_would_change:
        if len(flip.changes) == 2:
            for change in flip.changes:
                if flip.actionable and _out_of_order(answers, change.question, flip.approach):
                    continue  # it would reach the approach alone, but only after the baseline is measured
                alone = _assess(answers, **{change.question: change.after}).approach
                assert alone is not flip.approach
            assert flip.approach not in by_one["forward" if flip.actionable else "any"]
        elif flip.actionable and LEVERS[flip.changes[0].question].kind == "ordered":
            change = flip.changes[0]
            assert nearest[change.question, flip.approach] == change.after
    singles = {flip.approach for flip in result.what_would_change if len(flip.changes) == 1}
    assert by_one["any"] <= singles


# --- contradictions ------------------------------------------------------------------------------------


@UNTIMED
@given(any_answers)
def test_contradictions_are_reported_and_lower_confidence(answers: dict[str, str]) -> None:
    result = _assess(answers)
    reported = {conflict.id for conflict in result.conflicts}
    for rule in default_ruleset().conflicts:
        holds = all(answers.get(q) in options for q, options in rule.when.items())
        assert (rule.id in reported) == holds
    if result.conflicts:
        assert result.confidence.level != "high"
        for conflict in result.conflicts:
            assert all(q in answers for q in conflict.questions)
            assert "Re-check" in conflict.text


@UNTIMED
@given(any_answers)
def test_the_input_holding_everything_contradicts_failing_on_facts_or_citing_sources(
    answers: dict[str, str],
) -> None:
    facts = _assess(answers, knowledge_need="none", primary_failure_mode="knowledge")
    assert {"knowledge_need", "primary_failure_mode"} in [set(c.questions) for c in facts.conflicts]
    cites = _assess(answers, knowledge_need="none", citations_needed="yes")
    assert {"knowledge_need", "citations_needed"} in [set(c.questions) for c in cites.conflicts]


# --- retrieval is not training; monotonicity -------------------------------------------------------------


@UNTIMED
@given(any_answers)
def test_a_small_budget_no_ml_team_or_a_deadline_in_days_never_lowers_retrieval(
    answers: dict[str, str],
) -> None:
    for question, worse, better in (
        ("compute_budget", "low", "medium"),
        ("ml_expertise", "none", "some"),
        ("time_to_first_version", "days", "weeks"),
    ):
        assert (
            _assess(answers, **{question: worse}).scores[Approach.RAG]
            >= _assess(answers, **{question: better}).scores[Approach.RAG]
        )


def _monotone(answers: dict[str, str], question: str, order: tuple[str, ...], approach: Approach) -> None:
    scores = [_assess(answers, **{question: option}).scores[approach] for option in order]
    assert scores == sorted(scores), f"{approach} over {question} {order}: {scores}"


@UNTIMED
@given(any_answers)
def test_more_labelled_examples_never_lower_fine_tuning(answers: dict[str, str]) -> None:
    _monotone(
        answers, "labeled_examples", QUESTIONS_BY_ID["labeled_examples"].option_ids, Approach.FINE_TUNING
    )


@UNTIMED
@given(any_answers)
def test_fresher_knowledge_never_lowers_rag(answers: dict[str, str]) -> None:
    order = QUESTIONS_BY_ID["knowledge_change_frequency"].option_ids
    _monotone(answers, "knowledge_change_frequency", order, Approach.RAG)


@UNTIMED
@given(any_answers)
def test_more_proprietary_or_fresher_knowledge_never_lowers_rag(answers: dict[str, str]) -> None:
    order = ("none", "general", "small_static_reference", "proprietary_or_large_corpus", "fresh_external")
    _monotone(answers, "knowledge_need", order, Approach.RAG)


@UNTIMED
@given(any_answers)
def test_needing_citations_never_lowers_rag(answers: dict[str, str]) -> None:
    _monotone(answers, "citations_needed", ("no", "yes"), Approach.RAG)


@UNTIMED
@given(any_answers)
def test_knowledge_failures_never_favour_fine_tuning_over_rag_more_than_behaviour_does(
    answers: dict[str, str],
) -> None:
    knowledge = _assess(answers, primary_failure_mode="knowledge").scores
    behaviour = _assess(answers, primary_failure_mode="behavior").scores
    assert knowledge[Approach.RAG] - knowledge[Approach.FINE_TUNING] > (
        behaviour[Approach.RAG] - behaviour[Approach.FINE_TUNING]
    )


# --- how often "high" is said ----------------------------------------------------------------------------


def test_high_confidence_is_earned_on_a_fixed_sample_of_random_answer_sets() -> None:
    """Random complete answer sets are mostly incoherent projects, so few should earn "high". The bound is
    the issue's "a fifth or less"; the engine gives about 15% (20,000 sets; bench.scoring prints it). And
    "high" must stay reachable: a coherent project deserves it."""
    rng = random.Random(20260508)
    engine = engine_for()
    levels = [
        engine.assess(
            Answers.parse({q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS}),
            explore_changes=False,
        ).confidence.level
        for _ in range(3000)
    ]
    share = levels.count("high") / len(levels)
    assert 0.05 <= share <= 0.20, share
    assert levels.count("low") / len(levels) >= 0.2

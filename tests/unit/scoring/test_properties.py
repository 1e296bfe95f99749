"""Properties over all answer sets (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Answers, Approach, assess
from scoring.engine import Engine
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_QUESTIONS
from scoring.ruleset import default_ruleset

complete_answers = st.fixed_dictionaries({q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS})
partial_answers = st.fixed_dictionaries(
    {}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}
)
any_answers = st.one_of(complete_answers, partial_answers)


def _score(answers: dict[str, str], approach: Approach, **changes: str) -> float:
    return assess(Answers.parse({**answers, **changes})).scores[approach]


@given(any_answers)
def test_every_answer_set_gets_a_valid_result(answers: dict[str, str]) -> None:
    result = assess(Answers.parse(answers))
    assert result.approach in Approach
    assert set(result.scores) == set(Approach)
    assert result.scores[result.approach] == max(result.scores.values())
    assert result.confidence.level in {"low", "medium", "high"}
    assert result.confidence.margin >= 0
    assert result.next_steps
    assert set(result.missing) == {q.id for q in SCORED_QUESTIONS} - set(answers)
    for reason in result.reasons:
        assert reason.sources
        assert answers[reason.question] == reason.answer


@given(any_answers)
def test_assessment_is_deterministic(answers: dict[str, str]) -> None:
    first = assess(Answers.parse(answers))
    again = Engine(default_ruleset()).assess(Answers.parse(dict(reversed(list(answers.items())))))
    assert first == again


@settings(max_examples=300)
@given(any_answers)
def test_every_what_would_change_entry_really_flips(answers: dict[str, str]) -> None:
    parsed = Answers.parse(answers)
    result = assess(parsed)
    for flip in result.what_would_change:
        changed = parsed.with_changes({c.question: c.after for c in flip.changes})
        assert assess(changed).approach is flip.approach
        assert flip.approach is not result.approach
        for change in flip.changes:
            assert change.before == answers.get(change.question)


@settings(max_examples=300)
@given(any_answers)
def test_what_would_change_is_minimal(answers: dict[str, str]) -> None:
    """A two-answer change is offered only for an approach no single change reaches."""
    parsed = Answers.parse(answers)
    result = assess(parsed)
    reachable_by_one = set()
    for question in SCORED_QUESTIONS:
        for option in question.option_ids:
            if answers.get(question.id) != option:
                approach = assess(parsed.with_changes({question.id: option})).approach
                if approach is not result.approach:
                    reachable_by_one.add(approach)
    for flip in result.what_would_change:
        if len(flip.changes) == 2:
            assert flip.approach not in reachable_by_one
    assert reachable_by_one <= {flip.approach for flip in result.what_would_change if len(flip.changes) == 1}


def _monotone(answers: dict[str, str], question: str, order: tuple[str, ...], approach: Approach) -> None:
    scores = [_score(answers, approach, **{question: option}) for option in order]
    assert scores == sorted(scores), f"{approach} over {question} {order}: {scores}"


@given(any_answers)
def test_more_labelled_examples_never_lower_fine_tuning(answers: dict[str, str]) -> None:
    _monotone(
        answers, "labeled_examples", QUESTIONS_BY_ID["labeled_examples"].option_ids, Approach.FINE_TUNING
    )


@given(any_answers)
def test_fresher_knowledge_never_lowers_rag(answers: dict[str, str]) -> None:
    order = QUESTIONS_BY_ID["knowledge_change_frequency"].option_ids
    _monotone(answers, "knowledge_change_frequency", order, Approach.RAG)


@given(any_answers)
def test_more_proprietary_or_fresher_knowledge_never_lowers_rag(answers: dict[str, str]) -> None:
    order = ("none", "general", "small_static_reference", "proprietary_or_large_corpus", "fresh_external")
    _monotone(answers, "knowledge_need", order, Approach.RAG)


@given(any_answers)
def test_needing_citations_never_lowers_rag(answers: dict[str, str]) -> None:
    _monotone(answers, "citations_needed", ("no", "yes"), Approach.RAG)


@given(any_answers)
def test_knowledge_failures_never_favour_fine_tuning_over_rag_more_than_behaviour_does(
    answers: dict[str, str],
) -> None:
    knowledge = assess(Answers.parse({**answers, "primary_failure_mode": "knowledge"})).scores
    behaviour = assess(Answers.parse({**answers, "primary_failure_mode": "behavior"})).scores
    assert knowledge[Approach.RAG] - knowledge[Approach.FINE_TUNING] > (
        behaviour[Approach.RAG] - behaviour[Approach.FINE_TUNING]
    )

"""A team's answers: consensus, disagreements, and whether each one changes the result."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Answers, assess
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_QUESTIONS
from scoring.team import FACTS, ORDERED, analyse, consensus_answers
from scoring.team_text import confirm_text, ties_text
from tests.hypothesis_profiles import examples
from tests.scenarios import SCENARIOS

CANVA = next(s for s in SCENARIOS if s.id == "canva_design_guidelines").answers
SUPPORT = next(s for s in SCENARIOS if s.id == "support_bot_weekly_docs").answers


def _team(**members: dict[str, str]) -> dict[str, Answers]:
    return {name: Answers.parse(answers) for name, answers in members.items()}


def test_a_team_that_agrees_has_no_disagreements_and_its_own_result() -> None:
    analysis = analyse(_team(Ana=SUPPORT, Ben=SUPPORT))
    assert analysis.disagreements == ()
    assert analysis.answers == SUPPORT
    assert analysis.consensus.approach is assess(Answers.parse(SUPPORT)).approach
    assert [m.name for m in analysis.members] == ["Ana", "Ben"]


def test_two_teammates_split_on_an_ordered_question_tie_to_the_lower_answer_and_name_the_tie() -> None:
    analysis = analyse(_team(Ana=CANVA, Ben={**CANVA, "request_volume": "low"}))
    entry = next(e for e in analysis.consensus_answers if e.question == "request_volume")
    assert entry.answer == "low" and entry.tied_with == (CANVA["request_volume"],)
    assert not entry.safe_side and not entry.confirm_with
    disagreement = next(d for d in analysis.disagreements if d.question == "request_volume")
    assert disagreement.answers == {"low": 1, CANVA["request_volume"]: 1}
    assert disagreement.by_answer == {"low": ("Ben",), CANVA["request_volume"]: ("Ana",)}


def test_if_ben_is_right_the_result_changes_and_the_analysis_says_so() -> None:
    # A project where one answer decides the result: a scenario and a single change that flips it.
    project, question, answer, becomes = next(
        (scenario.answers, q.id, option, changed)
        for scenario in SCENARIOS
        for q in SCORED_QUESTIONS
        for option in q.option_ids
        if (changed := assess(Answers.parse({**scenario.answers, q.id: option})).approach)
        is not assess(Answers.parse(scenario.answers)).approach
    )
    analysis = analyse(_team(Ana=project, Ben={**project, question: answer}, Cat=project))
    assert analysis.consensus.approach is assess(Answers.parse(project)).approach
    first = analysis.disagreements[0]  # those that change the result come first
    assert (first.question, first.changes_result) == (question, True)
    assert [(f.answer, f.approach, f.members) for f in first.flips] == [(answer, becomes, ("Ben",))]


def test_five_teammates_take_the_median_of_an_ordered_question_and_the_mode_of_the_others() -> None:
    volumes = ["low", "low", "medium", "high", "high"]
    kinds = ["generate", "generate", "classify_extract", "answer_questions", "generate"]
    team = {
        name: {**CANVA, "request_volume": v, "task_type": k}
        for name, v, k in zip(["Ana", "Ben", "Cat", "Dan", "Eve"], volumes, kinds, strict=True)
    }
    answers = {e.question: e for e in consensus_answers(_team(**team))}
    assert answers["request_volume"].answer == "medium" and answers["request_volume"].tied_with == ()
    assert answers["task_type"].answer == "generate"


def test_a_tie_on_an_unordered_question_takes_the_earlier_option_and_names_the_other() -> None:
    team = _team(Ana={**SUPPORT, "task_type": "assistant_agent"}, Ben={**SUPPORT, "task_type": "generate"})
    entry = next(e for e in consensus_answers(team) if e.question == "task_type")
    order = QUESTIONS_BY_ID["task_type"].option_ids
    assert entry.answer == min("assistant_agent", "generate", key=order.index)
    assert entry.tied_with == (max("assistant_agent", "generate", key=order.index),)


def test_questions_someone_left_unanswered_count_only_those_who_answered() -> None:
    partial = {k: v for k, v in CANVA.items() if k not in {"compute_budget", "ml_expertise"}}
    analysis = analyse(_team(Ana=CANVA, Ben=partial))
    assert analysis.answers["compute_budget"] == CANVA["compute_budget"]
    assert all(d.question not in {"compute_budget", "ml_expertise"} for d in analysis.disagreements)
    assert {m.name: m.answered for m in analysis.members}["Ben"] == len(partial)


def test_a_question_nobody_answered_is_missing_from_the_consensus() -> None:
    partial = {k: v for k, v in CANVA.items() if k != "request_volume"}
    analysis = analyse(_team(Ana=partial, Ben=partial))
    assert "request_volume" not in analysis.answers
    assert "request_volume" in analysis.consensus.missing


def test_no_members_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        analyse({})


def test_confidence_is_lowered_by_disagreements_that_change_the_result() -> None:
    order = ("low", "medium", "high")
    ben = {**CANVA, "labeled_examples": "none", "primary_failure_mode": "knowledge"}
    analysis = analyse(_team(Ana=CANVA, Ben=ben))
    flipping = sum(d.changes_result for d in analysis.disagreements)
    assert order.index(analysis.confidence) <= order.index(analysis.consensus.confidence.level)
    if flipping >= 2:
        assert analysis.confidence == "low"
    elif flipping == 1:
        assert analysis.confidence in {"low", "medium"}


member_answers = st.fixed_dictionaries(
    {}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}
)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(member_answers, min_size=2, max_size=5))
def test_changes_result_means_exactly_that_a_members_answer_flips_the_consensus(
    people: list[dict[str, str]],
) -> None:
    team = {f"M{i}": Answers.parse(answers) for i, answers in enumerate(people)}
    analysis = analyse(team)
    consensus = analysis.answers
    for question_id in consensus:
        given_answers = {a.choices[question_id] for a in team.values() if question_id in a.choices}
        if question_id in ORDERED and question_id not in FACTS:
            options = QUESTIONS_BY_ID[question_id].option_ids
            ranks = sorted(
                options.index(a.choices[question_id]) for a in team.values() if question_id in a.choices
            )
            assert options.index(consensus[question_id]) in {
                ranks[(len(ranks) - 1) // 2],
                ranks[len(ranks) // 2],
            }
        flips = {
            option
            for option in given_answers - {consensus[question_id]}
            if assess(Answers.parse({**consensus, question_id: option})).approach
            is not analysis.consensus.approach
        }
        listed = [d for d in analysis.disagreements if d.question == question_id]
        assert bool(listed) is (len(given_answers) > 1)
        if listed:
            assert listed[0].changes_result is bool(flips)
            assert {f.answer for f in listed[0].flips} == flips
    results = [d.changes_result for d in analysis.disagreements]
    assert results == sorted(results, reverse=True)


def test_the_team_result_says_what_its_confidence_rests_on() -> None:
    agreed = analyse(_team(Ana=CANVA, Ben=CANVA)).team_result()
    assert agreed.confidence.basis[-1] == "2 people's answers agree on every question"
    assert agreed.confidence.level == assess(Answers.parse(CANVA)).confidence.level

    split = analyse(_team(Ana=CANVA, Ben={**CANVA, "labeled_examples": "none"}, Cat=CANVA))
    result = split.team_result()
    assert result.approach is split.consensus.approach
    assert result.confidence.level == split.confidence != "high"
    assert result.confidence.summary.endswith(
        "the team disagrees about labelled examples, and that changes the recommendation."
    )
    if split.confidence != split.consensus.confidence.level:
        assert "team_disagreement" in result.confidence.caps


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(member_answers, min_size=2, max_size=5))
def test_the_team_confidence_is_never_above_the_consensus_alone(people: list[dict[str, str]]) -> None:
    order = ("low", "medium", "high")
    analysis = analyse({f"M{i}": Answers.parse(a) for i, a in enumerate(people)})
    result = analysis.team_result()
    assert order.index(result.confidence.level) <= order.index(analysis.consensus.confidence.level)
    assert (result.confidence.level == "high") <= (not analysis.flipping)


# --- the round as a facilitator runs it --------------------------------------------------------------------


def test_three_answers_of_one_person_that_flip_only_together_are_named_together() -> None:
    # Ben alone thinks the first version is due in days and the project ends within six months.
    ben = {**CANVA, "time_to_first_version": "days", "project_lifetime": "short_term"}
    analysis = analyse(_team(Ana=CANVA, Ben=ben, Cat=CANVA))
    assert not analysis.flipping  # neither answer changes it alone
    assert [(f.member, f.answers) for f in analysis.joint_flips] == [
        ("Ben", {"time_to_first_version": "days", "project_lifetime": "short_term"})
    ]
    assert analysis.joint_flips[0].approach is assess(Answers.parse(ben)).approach
    result = analysis.team_result()
    assert result.confidence.level != "high"
    assert "change the recommendation together" in result.confidence.summary


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(member_answers, min_size=2, max_size=4))
def test_a_joint_flip_is_needed_in_full_and_changes_the_result(people: list[dict[str, str]]) -> None:
    team = {f"M{i}": Answers.parse(answers) for i, answers in enumerate(people)}
    analysis = analyse(team)
    consensus, approach = analysis.answers, analysis.consensus.approach
    for flip in analysis.joint_flips:
        assert len(flip.answers) >= 2
        assert all(team[flip.member].choices[q] == a != consensus[q] for q, a in flip.answers.items())
        assert assess(Answers.parse({**consensus, **flip.answers})).approach is flip.approach is not approach
        for question in flip.answers:  # every answer of it is needed
            fewer = {q: a for q, a in flip.answers.items() if q != question}
            alone = {question: flip.answers[question]}
            assert assess(Answers.parse({**consensus, **alone})).approach is approach
            if len(fewer) >= 2:
                assert assess(Answers.parse({**consensus, **fewer})).approach is approach


@pytest.mark.parametrize(("question", "safe"), [("privacy_self_host", "yes"), ("citations_needed", "yes")])
def test_a_tie_on_a_hard_constraint_takes_the_safe_side_and_says_so(question: str, safe: str) -> None:
    other = next(o for o in QUESTIONS_BY_ID[question].option_ids if o != safe)
    analysis = analyse(_team(Ana={**SUPPORT, question: other}, Ben={**SUPPORT, question: safe}))
    entry = next(e for e in analysis.consensus_answers if e.question == question)
    assert (entry.answer, entry.tied_with, entry.safe_side) == (safe, (other,), True)
    assert any("the safe side of a hard constraint" in line for line in ties_text(analysis))
    # A majority is not a tie: two against one keeps the majority's answer.
    majority = analyse(_team(Ana={**SUPPORT, question: other}, Ben={**SUPPORT, question: other}, Cat=SUPPORT))
    assert majority.answers[question] == other or SUPPORT[question] == other


def test_a_fact_is_not_voted_on_the_round_asks_who_holds_the_evidence() -> None:
    # Two teammates never heard of a prompt baseline; the one who ran it says it plateaued.
    ran_it = {**CANVA, "prompt_baseline": "plateaued_below_target"}
    unaware = {**CANVA, "prompt_baseline": "not_tried"}
    analysis = analyse(_team(Ana=ran_it, Ben=unaware, Cat=unaware))
    entry = next(e for e in analysis.consensus_answers if e.question == "prompt_baseline")
    assert entry.answer == "plateaued_below_target"  # not the majority's "not tried"
    assert entry.confirm_with == ("Ana",)
    assert [e.question for e in analysis.to_confirm] == ["prompt_baseline"]
    assert confirm_text(entry, named=True).endswith("Ana, who reported it, please confirm")
    assert any("disagree on facts" in line for line in analysis.team_result().confidence.basis)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(member_answers, min_size=2, max_size=5))
def test_facts_take_the_evidence_holders_report_and_ask_them(people: list[dict[str, str]]) -> None:
    team = {f"M{i}": Answers.parse(answers) for i, answers in enumerate(people)}
    analysis = analyse(team)
    for entry in analysis.consensus_answers:
        if entry.question not in FACTS:
            assert not entry.confirm_with
            continue
        given_answers = {n: a.choices[entry.question] for n, a in team.items() if entry.question in a.choices}
        if len(set(given_answers.values())) == 1:
            assert not entry.confirm_with
            continue
        holders = {n for n, a in given_answers.items() if a != FACTS[entry.question]}
        assert set(entry.confirm_with) == holders
        assert entry.answer in {given_answers[n] for n in holders} | {FACTS[entry.question]}
        if holders:
            assert entry.answer != FACTS[entry.question]


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(member_answers, min_size=2, max_size=5))
def test_a_consensus_that_contradicts_itself_is_flagged(people: list[dict[str, str]]) -> None:
    analysis = analyse({f"M{i}": Answers.parse(a) for i, a in enumerate(people)})
    result = analysis.team_result()
    flagged = any(line.startswith("The consensus combines answers") for line in result.confidence.basis)
    assert flagged is bool(analysis.consensus.conflicts)
    if analysis.consensus.conflicts:
        assert result.confidence.level != "high"
        assert analysis.as_contract()["conflicts"]


def test_facts_reported_differently_ask_both_to_compare_the_evidence() -> None:
    analysis = analyse(
        _team(
            Ana={**SUPPORT, "primary_failure_mode": "knowledge"},
            Ben={**SUPPORT, "primary_failure_mode": "behavior"},
        )
    )
    entry = next(e for e in analysis.to_confirm if e.question == "primary_failure_mode")
    assert entry.reports == {"knowledge": ("Ana",), "behavior": ("Ben",)}
    text = confirm_text(entry, named=True)
    assert "reported differently (Ana “Knowledge”; Ben “Behaviour”)" in text
    assert text.endswith(
        f"until then the consensus takes “{'Knowledge' if entry.answer == 'knowledge' else 'Behaviour'}”"
    )
    assert "×1" in confirm_text(entry, named=False) and "Ana" not in confirm_text(entry, named=False)

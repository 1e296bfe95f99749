"""The review and outcome builders and parsers: people's words only in rich text or plain text, exactly as
typed, within Block Kit's limits; the score and the review choice parsed and refused in words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.demo import DEMO_ANSWERS
from bot.review_policy import ReviewPolicy, review_policy
from bot.storage.models import Decision, Outcome, StoredAssessment
from bot.ui.blocks import visible_length
from bot.ui.decision import decision_view
from bot.ui.outcome import check_outcome, outcome_note, outcome_view, read_score
from bot.ui.result import CHANNEL_TEXT_BUDGET, result_message
from bot.ui.review import read_review_choice, review_message
from scoring.ruleset import RuleSetError
from tests.hypothesis_profiles import examples
from tests.unit.ui.test_builders import record_for

words = st.text(min_size=1, max_size=500).filter(lambda t: t.strip())


def _decided(project: str = "P") -> StoredAssessment:
    record = record_for({}, project=project)
    decision = Decision(approach="rag", rationale="why", by="UBEN", at=1_800_000_000, review_weeks=4)
    return record.model_copy(update={"decisions": [decision]})


def _mrkdwn(payload: Any) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return found


def _texts(payload: Any) -> list[str]:
    """Every rich-text ``text`` element's text."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text" and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return found


@settings(max_examples=examples(80), deadline=None)
@given(words, words, st.text(max_size=1000))
def test_outcome_surfaces_show_peoples_words_as_typed_and_only_in_rich_text(
    project: str, measured: str, learned: str
) -> None:
    # Marked, so that a person's words are recognised wherever they land.
    measured, learned = f"MEASURED{measured}", f"LEARNED{learned}"
    outcome = Outcome(result="partly", measured=measured, learned=learned, by="UANA", at=1.9e9, decision=1)
    record = _decided(project).model_copy(update={"outcomes": [outcome]})
    note = outcome_note(record, outcome, correction=False)
    message = result_message(record)
    review = review_message(record)
    for payload in (note, message, review):
        assert not message_problems(payload)
    assert not view_problems(outcome_view(record, 1, "met"))
    assert measured in _texts(note) and learned in _texts(note)
    assert " ".join(project.split()) in _texts(review)
    for payload in (note, review):
        assert not [t for t in _mrkdwn(payload) if "MEASURED" in t or "LEARNED" in t]
    assert not [t for t in _mrkdwn(message) if "MEASURED" in t or "LEARNED" in t]
    if len(" ".join(measured.split())) <= 140:
        assert " ".join(measured.split()) in _texts(message)


def test_the_review_mentions_the_decider_as_a_user_element_never_as_typed_markup() -> None:
    review = review_message(_decided("<@U0BOSS> & <!channel>"))
    section = review["blocks"][0]["elements"][0]["elements"]
    assert section[0] == {"type": "user", "user_id": "UBEN"}
    assert {"type": "text", "text": "<@U0BOSS> & <!channel>", "style": {"bold": True}} in section
    assert "4 weeks ago" in json.dumps(review)


@pytest.mark.parametrize(
    ("typed", "score"),
    [("0.82", 0.82), ("82%", 0.82), ("82", 0.82), ("0,5", 0.5), (" 100 % ", 1.0), ("1", 1.0), ("0", 0.0)],
)
def test_a_score_is_a_fraction_or_a_percentage(typed: str, score: float) -> None:
    assert read_score(typed) == pytest.approx(score)


@pytest.mark.parametrize("typed", ["lots", "-3", "120%", "101", "1e3", "0.8.2"])
def test_anything_else_is_no_score(typed: str) -> None:
    assert read_score(typed) is None


def _state(**values: str) -> dict[str, Any]:
    def element(block: str, value: str) -> dict[str, Any]:
        if block in {ids.OUTCOME_RESULT_BLOCK, ids.OUTCOME_CHANGED_TO_BLOCK}:
            return {"type": "static_select", "selected_option": {"value": value}}
        return {"type": "plain_text_input", "value": value}

    return {block: {ids.ANSWER: element(block, value)} for block, value in values.items()}


def test_the_outcome_form_says_what_is_wrong_under_each_field() -> None:
    entered = check_outcome(_state(**{ids.OUTCOME_RESULT_BLOCK: "changed", ids.OUTCOME_SCORE_BLOCK: "lots"}))
    assert set(entered.errors) == {
        ids.OUTCOME_CHANGED_TO_BLOCK,
        ids.OUTCOME_MEASURED_BLOCK,
        ids.OUTCOME_SCORE_BLOCK,
    }
    good = check_outcome(
        _state(
            **{
                ids.OUTCOME_RESULT_BLOCK: "changed",
                ids.OUTCOME_CHANGED_TO_BLOCK: "fine_tuning",
                ids.OUTCOME_MEASURED_BLOCK: "  exact  *as* typed ",
                ids.OUTCOME_SCORE_BLOCK: "64%",
            }
        )
    )
    assert not good.errors and good.changed_to == "fine_tuning" and good.measured == "exact  *as* typed"
    assert good.score == pytest.approx(0.64)
    forged = check_outcome(_state(**{ids.OUTCOME_RESULT_BLOCK: "great", ids.OUTCOME_MEASURED_BLOCK: "x"}))
    assert list(forged.errors) == [ids.OUTCOME_RESULT_BLOCK]


def test_the_review_choice_is_one_of_the_policys() -> None:
    assert read_review_choice("4", (2, 4, 8)) == (4, None)
    assert read_review_choice(ids.NO_REVIEW, (2, 4, 8)) == (None, None)
    assert read_review_choice("16", (2, 4, 8)) == (None, "Choose one of the options shown.")
    form = decision_view(_decided(), (2, 4, 8), 4)
    assert not view_problems(form)
    choice = next(b for b in form["blocks"] if b.get("block_id") == ids.DECISION_REVIEW_BLOCK)
    assert choice["element"]["initial_option"]["value"] == "4"
    assert [o["value"] for o in choice["element"]["options"]] == ["2", "4", "8", ids.NO_REVIEW]
    assert ids.DECISION_REVIEW_BLOCK not in json.dumps(decision_view(_decided()))  # follow-up off


def test_a_policy_further_out_than_slack_schedules_is_refused_in_words() -> None:
    assert review_policy({}) == ReviewPolicy()
    assert review_policy({"enabled": False}).enabled is False
    with pytest.raises(
        RuleSetError, match=r"18 weeks is further out than Slack schedules messages \(120 days"
    ):
        review_policy({"weeks": [4, 18], "default": 4}, "team.toml")
    with pytest.raises(RuleSetError, match=r"default: 3 is not one of weeks"):
        review_policy({"default": 3})
    with pytest.raises(RuleSetError, match="often"):
        review_policy({"often": True})


@settings(max_examples=examples(60), deadline=None)
@given(st.text(min_size=140, max_size=500).filter(lambda t: len(" ".join(t.split())) >= 140))
def test_a_reviewed_result_keeps_to_the_channel_budget_counting_its_rich_text(measured: str) -> None:
    # A decision against the recommendation, with a long rationale: the message is near its budget, and
    # the measured text beside the decision must make it drop to fewer or shorter reasons.
    answers = {k: v for k, v in DEMO_ANSWERS.items() if k != "project_name"}
    record = record_for(answers, project="A project name long enough to be cut on the message, and more")
    decision = Decision(approach="fine_tuning", rationale="x " * 250, by="UBEN", at=1.8e9, review_weeks=4)
    outcome = Outcome(
        result="changed", changed_to="rag", measured=measured, score=0.905, by="UANA", at=1.9e9, decision=1
    )
    message = result_message(record.model_copy(update={"decisions": [decision], "outcomes": [outcome]}))
    assert visible_length(message) <= CHANNEL_TEXT_BUDGET

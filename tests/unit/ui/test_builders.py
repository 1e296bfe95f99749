"""The pure view and message builders stay inside Slack's limits for any answers, and escape people's text."""

from __future__ import annotations

import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.devkit.blockkit import MAX_MESSAGE_BLOCKS, message_problems, view_problems
from bot.devkit.typed_text import misread, shown_as_typed
from bot.storage.models import Decision, StoredAssessment, Version
from bot.ui.forms import check_page
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.notices import message_view
from bot.ui.questionnaire import questionnaire_view
from bot.ui.record import decision_record
from bot.ui.result import result_message
from bot.ui.thread import breakdown_message
from scoring import Answers, assess
from scoring.questionnaire import PAGES, SCORED_QUESTIONS
from tests.hypothesis_profiles import examples

answer_sets = st.fixed_dictionaries(
    {}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}
)
project_names = st.text(min_size=1, max_size=80).filter(lambda t: t.strip())


def record_for(answers: dict[str, str], project: str = "P", use_case: str | None = None) -> StoredAssessment:
    flat = {"project_name": project, **answers}
    if use_case:
        flat["use_case"] = use_case
    parsed = Answers.parse(flat)
    result = assess(parsed)
    return StoredAssessment(
        id="abc123",
        team="T1",
        channel="C1",
        ts="1.2",
        user="UANA",
        created=time.time(),
        answers=parsed.as_flat(),
        result=result,
        versions=[Version(number=1, answers=flat, approach=result.approach.value, by="UANA", at=1.0)],
    )


@settings(max_examples=examples(150), deadline=None)
@given(answer_sets, project_names, st.text(max_size=1500))
def test_result_and_breakdown_fit_slack_for_any_answers(
    answers: dict[str, str], project: str, use_case: str
) -> None:
    record = record_for(answers, project, use_case)
    for message in (result_message(record, {"U1": "agree"}), breakdown_message(record)):
        assert not message_problems(message), message_problems(message)
        assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
        assert len(message["text"]) <= 4000


@settings(max_examples=examples(100), deadline=None)
@given(answer_sets, project_names, st.text(max_size=1500), st.sampled_from(PAGES))
def test_every_page_fits_slack_prefilled_with_anything(
    answers: dict[str, str], project: str, use_case: str, page: int
) -> None:
    flat = {"project_name": project, "use_case": use_case, **answers}
    view = questionnaire_view(
        QuestionnaireMetadata(d="new", c="C1", p=page), flat, resumed_note="Picking up your draft"
    )
    assert not view_problems(view), view_problems(view)
    assert len(view["private_metadata"]) <= 3000


def test_people_text_is_shown_as_typed_and_pings_nobody() -> None:
    name, use_case = "<!channel> & <@U999> *v2*", "Ask <!here> <https://evil|click> _now_"
    record = record_for({"knowledge_need": "none"}, name, use_case)
    for message in (result_message(record), breakdown_message(record)):
        assert misread(message, people={"UANA"}) == []
        assert shown_as_typed(message, name) == []
    assert shown_as_typed(breakdown_message(record), use_case) == []
    # The fallback text is read as mrkdwn by Slack: only & < > are escaped there.
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt; *v2*" in result_message(record)["text"]


def test_the_channel_message_carries_what_a_team_acts_on_and_the_thread_the_rest() -> None:
    record = record_for(
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "primary_failure_mode": "knowledge",
            "citations_needed": "yes",
        }
    )
    channel = json.dumps(result_message(record), ensure_ascii=False)
    for part in (
        "Recommended: RAG",
        "*Start with*:",
        "confidence*:",
        "*Why RAG*",
        "asked by ",
        '{"type": "user", "user_id": "UANA"}',
        "Agree",
    ):
        assert part in channel, part
    assert "answers missing" in channel  # some answers are missing, and the message says so
    thread = json.dumps(breakdown_message(record), ensure_ascii=False)
    for part in (
        "*Scores*:",
        "Why not",
        "What would change it",
        "Watch out for",
        "*Next steps*",
        "Answer by answer",
    ):
        assert part in thread or part.replace("What would change it", "that would change it") in thread, part
    for moved in ("Watch out for", "*Next steps*", "Answer by answer"):
        assert moved not in channel


def test_decision_shows_on_the_message_and_in_the_record() -> None:
    record = record_for({"knowledge_need": "none"}, "Router")
    decided = record.model_copy(
        update={
            "decisions": [
                Decision(approach="hybrid", rationale="Because | pipes", by="UBEN", at=1_796_000_000.0)
            ]
        }
    )
    assert "Decided: RAG + fine-tuning" in json.dumps(result_message(decided))
    markdown = decision_record(decided, {"UANA": "agree"}, {"UANA": "Ana"})
    assert "- Decision: RAG + fine-tuning, by UBEN on 2026-" in markdown
    assert "Because \\| pipes" in markdown
    assert "Agree (1): Ana" in markdown


def test_error_view_fits_and_shows_the_error_id() -> None:
    view = message_view("Can't start right now", "Storage is down.", error_id="AB12CD34")
    assert not view_problems(view)
    assert "AB12CD34" in json.dumps(view)


def test_metadata_refuses_anything_but_ids() -> None:
    assert QuestionnaireMetadata.load('{"d":"new","c":"C1","p":2}') is not None
    for bad in (
        '{"d":"new","c":"C1","p":9}',
        '{"d":"../x","c":"C1","p":1}',
        "not json",
        '{"d":"new","c":"C1","p":1,"answers":{}}',
    ):
        assert QuestionnaireMetadata.load(bad) is None


def test_partial_page_checks_keep_valid_answers_and_drop_forged_ones() -> None:
    state = {
        "task_complexity": {"answer": {"selected_option": {"value": "high"}}},
        "accuracy_requirement": {"answer": {"selected_option": {"value": "forged"}}},
    }
    checked = check_page(1, state, partial=True)
    assert checked.answers == {"task_complexity": "high"}
    assert set(checked.errors) == {"accuracy_requirement"}

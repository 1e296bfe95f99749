"""The modal, Home, notices and the exported record: said once, confirmed before anything is destroyed,
people's text harmless everywhere."""

from __future__ import annotations

import json
import re

import pytest

from bot import ids
from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.typed_text import misread, shown_as_typed
from bot.errors import Cause, UserFacingError
from bot.storage.models import Decision, Draft
from bot.ui.blocks import mrkdwn_escape, rich, said
from bot.ui.home import home_unavailable_view, home_view
from bot.ui.metadata import QuestionnaireMetadata
from bot.ui.notices import forget_question, problem_view
from bot.ui.questionnaire import SAVED_NOTE, questionnaire_view, resumed_note
from bot.ui.record import decision_record, record_message, record_title
from scoring.questionnaire import PAGES, QUESTIONS_BY_ID
from tests.unit.ui.test_builders import record_for


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123|boss>", "&lt;@U123|boss&gt;"),
        ("a & b", "a &amp; b"),
        ("```x``` *bold* _it_ ~no~", "```x``` *bold* _it_ ~no~"),
        ("&lt;!here&gt;", "&amp;lt;!here&amp;gt;"),
    ],
)
def test_mrkdwn_escape_changes_only_what_slack_would_read_as_a_mention_or_link(
    written: str, shown: str
) -> None:
    assert mrkdwn_escape(written) == shown


def test_said_keeps_text_byte_for_byte_in_a_rich_text_element() -> None:
    text = "my_project *v2* ~x~ 2*3 <!channel> <@U123> <https://evil.example|click> & a\n> quote"
    block = rich("Project: ", said(text, bold=True))
    assert block["elements"][0]["elements"][1] == {"type": "text", "text": text, "style": {"bold": True}}
    assert shown_as_typed(block, text) == [] and misread(block) == []


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_the_saved_note_shows_once_on_the_first_page_and_never_under_the_resume_note() -> None:
    pages = [
        questionnaire_view(QuestionnaireMetadata(draft="new", channel="C1", page=page), {}) for page in PAGES
    ]
    assert [SAVED_NOTE in _text(view) for view in pages] == [True, False, False, False]
    draft = Draft(answers={"project_name": "P", "task_complexity": "low"}, page=2, updated=1_790_000_000.0)
    resumed = questionnaire_view(
        QuestionnaireMetadata(draft="new", channel="C1", page=1),
        draft.answers,
        resumed_note=resumed_note(draft),
    )
    assert SAVED_NOTE not in _text(resumed) and "<!date^1790000000^" in _text(resumed)


def test_start_over_asks_before_clearing_the_draft() -> None:
    draft = Draft(answers={"project_name": "P"}, page=1, updated=1.0)
    view = questionnaire_view(
        QuestionnaireMetadata(draft="new", channel="C1", page=1),
        draft.answers,
        resumed_note=resumed_note(draft),
    )
    start_over = view["blocks"][0]["accessory"]
    assert start_over["action_id"] == ids.START_OVER
    assert (
        start_over["confirm"]["style"] == "danger"
        and "can't be undone" in start_over["confirm"]["text"]["text"]
    )


def _stems(text: str) -> set[str]:
    small = {"the", "and", "for", "that", "with", "you", "your", "are", "how", "not", "does", "one"}
    return {word[:5] for word in re.findall(r"[a-z0-9]+", text.lower()) if len(word) >= 3} - small


def test_no_hint_only_repeats_its_options() -> None:
    """A hint earns its height by saying what the options don't: at most half its words are theirs."""
    assert len(_stems("Low, medium or high") & _stems("Low: one step")) == 1  # the measure works
    for question in QUESTIONS_BY_ID.values():
        if question.is_free_text:
            continue
        hint = _stems(question.help)
        options = set().union(*(_stems(option.label) for option in question.options))
        assert hint and len(hint & options) / len(hint) < 0.5, (question.id, question.help)


def test_the_last_page_asks_where_to_post_only_for_a_start_outside_a_channel() -> None:
    last = PAGES[-1]
    asked = questionnaire_view(
        QuestionnaireMetadata(draft="new", channel="CLAST", page=last, ask_channel=True), {}
    )
    select = next(b for b in asked["blocks"] if b.get("block_id") == ids.POST_CHANNEL_BLOCK)
    element = select["element"]
    assert element["type"] == "conversations_select" and element["initial_conversation"] == "CLAST"
    assert element["filter"]["include"] == ["public", "private"]
    assert not view_problems(asked)
    in_channel = questionnaire_view(QuestionnaireMetadata(draft="new", channel="C1", page=last), {})
    assert ids.POST_CHANNEL_BLOCK not in _text(in_channel)


def test_home_during_an_outage_promises_nothing_that_would_fail() -> None:
    view = home_unavailable_view("AB12CD34")
    text = _text(view)
    assert not [b for b in view["blocks"] if b["type"] == "actions"]
    assert "still works" not in text and text.count("AB12CD34") == 1


def test_home_offers_to_resume_a_draft_and_dates_in_the_readers_time() -> None:
    record = record_for({"knowledge_need": "none"}, "<!channel> *project*")
    view = home_view(Draft(answers={}, page=2, updated=1_790_000_000.0), [record], [], "https://t.slack.com/")
    text = _text(view)
    assert "Resume your draft" in text and "page 2 of 4" in text and "<!date^1790000000^" in text
    assert shown_as_typed(view, "<!channel> *project*") == [] and misread(view, people={"UANA"}) == []
    title = view["blocks"][6]["elements"][0]["elements"][0]
    assert title["type"] == "link" and title["url"].startswith("https://t.slack.com/archives/")
    assert not view_problems(view)


def test_a_storage_error_over_a_page_says_it_once_and_never_blames_an_answer() -> None:
    view = problem_view(UserFacingError("I couldn't save this page", cause=Cause.STORAGE), "AB12CD34")
    text = _text(view)
    assert text.count("AB12CD34") == 1 and "still on the page underneath" in text
    assert "saved" not in text.replace("couldn't save", "").replace("Not saved", "")


def test_forget_asks_first_with_a_danger_confirm() -> None:
    question = forget_question()
    delete, keep = question["blocks"][1]["elements"]
    assert delete["action_id"] == ids.FORGET_CONFIRM and delete["confirm"]["style"] == "danger"
    assert keep["action_id"] == ids.FORGET_CANCEL
    assert question["response_type"] == "ephemeral" and not message_problems(question)


def test_the_record_escapes_markdown_and_names_people() -> None:
    record = record_for(
        {"knowledge_need": "none"}, "# Ops <!channel> *x* [link](http://x)", "Line\n# heading"
    )
    decided = record.model_copy(
        update={"decisions": [Decision(approach="rag", rationale="| pipe `code`", by="UBEN", at=1.0)]}
    )
    markdown = decision_record(decided, {"UANA": "agree"}, {"UANA": "Ana *admin*", "UBEN": "Ben"})
    assert "for \\# Ops \\<\\!channel\\> \\*x\\* \\[link\\]\\(http://x\\)" in markdown
    assert "Line \\# heading" in markdown and "\\| pipe \\`code\\`" in markdown
    assert "Agree (1): Ana \\*admin\\*" in markdown and "by Ben on" in markdown
    assert [line for line in markdown.splitlines() if line.startswith("# ")] == [markdown.splitlines()[0]]
    assert record_title(decided) == "Decision record: # Ops <!channel> *x* [link](http://x)"  # plain text


def test_the_record_as_a_message_is_readable_and_within_limits() -> None:
    record = record_for({"knowledge_need": "proprietary_or_large_corpus"}, "Ops ``` <!channel>", "x" * 1500)
    message = record_message(record, {"UANA": "agree"}, {"UANA": "Ana"}, reason="No files here.")
    text = _text(message)
    assert not message_problems(message) and shown_as_typed(message, "Ops ``` <!channel>") == []
    assert misread(message, people={"UANA"}) == []
    assert "👍 " in text and "Ana" in text and "No files here." in text and "<https://" in text

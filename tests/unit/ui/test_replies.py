"""Thread replies speak the team's language: verdict first, approaches in full, examples the parser reads."""

from __future__ import annotations

import json
import re

import pytest

from bot.devkit.typed_text import misread, shown_as_typed
from bot.storage.models import Decision
from bot.ui.blocks import visible_text
from bot.ui.phrases import Compare, NotUnderstood, WhatIf, Why, parse
from bot.ui.replies import (
    COMPARE_EXAMPLE,
    WHAT_IF_EXAMPLES,
    WHY_EXAMPLES,
    example_for,
    help_reply,
    not_understood_reply,
    what_if_reply,
    why_reply,
)
from bot.ui.thread import breakdown_message, decision_note, version_note
from scoring import engine_for
from scoring.questionnaire import SCORED_IDS, SCORED_QUESTIONS
from tests.unit.ui.test_builders import record_for

SUPPORT = {
    "knowledge_need": "proprietary_or_large_corpus",
    "primary_failure_mode": "knowledge",
    "citations_needed": "yes",
    "labeled_examples": "lt_50",
}
ENGINE = engine_for()


def _text(message: object) -> str:
    return json.dumps(message, ensure_ascii=False)


@pytest.mark.parametrize("example", WHAT_IF_EXAMPLES)
def test_every_what_if_the_help_shows_is_understood_as_one_change(example: str) -> None:
    intent = parse(example)
    assert isinstance(intent, WhatIf) and len(intent.changes) == 1 and not intent.not_understood


def test_the_other_help_examples_are_understood() -> None:
    assert [parse(e) for e in WHY_EXAMPLES] == [Why(None), Why("labeled_examples")]
    assert isinstance(parse(COMPARE_EXAMPLE), Compare)


def test_help_names_no_question_or_option_ids() -> None:
    text = _text(help_reply())
    assert not [qid for qid in SCORED_IDS if qid in text]
    assert not re.search(r"\b\w+_\w+\b", text.replace("mrkdwn", ""))


def test_suggested_what_ifs_are_understood_as_exactly_the_answer_they_show() -> None:
    covered = 0
    for question in SCORED_QUESTIONS:
        for option in question.option_ids:
            example = example_for(question.id, option)
            if example is None:
                continue
            covered += 1
            intent = parse(example)
            assert isinstance(intent, WhatIf) and [(c.question, c.option) for c in intent.changes] == [
                (question.id, option)
            ]
    assert all(any(example_for(q.id, o) for o in q.option_ids) for q in SCORED_QUESTIONS)
    assert covered > 40


def test_not_understood_suggests_nearby_questions_in_words_and_quotes_what_was_said_as_typed() -> None:
    record = record_for(SUPPORT)
    said = "what if the *laytency* <!channel>"
    reply = not_understood_reply(NotUnderstood(said, ("latency_requirement",)), record)
    text = _text(reply)
    assert shown_as_typed(reply, said) == [] and misread(reply) == []
    assert "&lt;!channel&gt;" in reply["text"]
    assert "*Latency*: relaxed, moderate or strict." in text and "Try “what if latency is " in text


def test_a_what_if_starts_with_its_verdict() -> None:
    record = record_for(SUPPORT)
    same = what_if_reply(record, WhatIf((parse("what if we must self-host").changes[0],)), ENGINE)  # type: ignore[union-attr]
    assert same["blocks"][0]["text"]["text"].startswith("*Still RAG, ")
    flip = parse("what if we had 5000 labelled examples and failures were both knowledge and behaviour")
    assert isinstance(flip, WhatIf)
    changed = what_if_reply(record, flip, ENGINE)
    first = changed["blocks"][0]["text"]["text"]
    assert first.startswith("*Would change to ") and " confidence*\n*If* " in first


def test_why_explains_the_deciding_evidence_with_links_and_does_not_repeat_the_message() -> None:
    reply = why_reply(record_for(SUPPORT), Why(), ENGINE)
    text = _text(reply)
    assert text.count("_Evidence_:") >= 2 and "|Ovadia et al., Fine-Tuning or Retrieval?" in text
    assert "Start with" not in text and "Recommended:" not in text


def test_the_breakdown_names_approaches_in_full_and_links_every_source() -> None:
    text = _text(breakdown_message(record_for(SUPPORT, use_case="Answer from our help centre.")))
    assert not re.search(r"\b(PE|FT)\b", text)
    assert "Prompt engineering" in text and "RAG + fine-tuning" in text
    assert "[OAI" not in text and "OVADIA" not in text and "|Ovadia et al. 2024>" in text
    assert not re.search("[█░]", text)


def test_version_and_decision_notes_lead_with_the_outcome() -> None:
    before = record_for(SUPPORT)
    after = record_for(
        {
            **SUPPORT,
            "primary_failure_mode": "behavior",
            "labeled_examples": "5000_plus",
            "knowledge_need": "none",
            "citations_needed": "no",
        }
    )
    after = after.model_copy(
        update={"versions": [*before.versions, before.versions[0].model_copy(update={"number": 2})]}
    )
    note = version_note(before, after, "UBEN")["text"]
    assert note.startswith("✏️ *Version 2* by <@UBEN>: now *") and "the vote starts afresh" in note
    assert version_note(before, before, "UBEN")["text"].split("\n")[0].endswith("the votes stand.")


def test_a_renamed_project_shows_both_names_as_typed() -> None:
    before = record_for(SUPPORT, project="old_name *a*")
    after = before.model_copy(update={"answers": {**before.answers, "project_name": "new <!here> ~b~"}})
    note = version_note(before, after, "UBEN")
    assert shown_as_typed(note, "old_name *a*") == [] and shown_as_typed(note, "new <!here> ~b~") == []
    assert misread(note, people={"UBEN"}) == [] and "No answers changed" not in _text(note)


def test_a_changed_decision_says_what_it_replaces_and_quotes_every_line_of_the_rationale() -> None:
    first = Decision(approach="rag", rationale="Docs change weekly.", by="UANA", at=1_790_000_000.0)
    second = Decision(approach="hybrid", rationale="Line one\n> not a quote <!here>", by="UBEN", at=2.0)
    record = record_for(SUPPORT).model_copy(update={"decisions": [first, second]})
    message = decision_note(record)
    note = visible_text(message)
    changed = "✅ Decision changed to RAG + fine-tuning by @someone (was RAG, recorded by @someone "
    assert note.startswith(changed)
    assert "2026-09-21 14:13 UTC" in note  # the date element's fallback; readers see their own time zone
    assert "It differs from the recommendation, RAG." in note
    quote = message["blocks"][-1]["elements"][0]
    assert quote["type"] == "rich_text_quote"
    assert quote["elements"] == [{"type": "text", "text": "Line one\n> not a quote <!here>"}]
    assert misread(message, people={"UANA", "UBEN"}) == []
    assert message["text"].endswith("Line one\n&gt; not a quote &lt;!here&gt;")


def test_what_was_not_understood_is_quoted_as_typed_not_as_the_parser_normalised_it() -> None:
    """The parser lowercases and drops formatting and mentions to read a mention; the reply quotes the
    person's own words, only the bot's mention that opens it left out."""
    intent = parse("<@UBOT> Tell me about My_Project *v2* <@U123> ~x~")
    assert isinstance(intent, NotUnderstood)
    assert intent.text == "Tell me about My_Project *v2* <@U123> ~x~"
    reply = not_understood_reply(intent)
    assert shown_as_typed(reply, intent.text) == [] and misread(reply) == []

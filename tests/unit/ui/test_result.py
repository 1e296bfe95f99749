"""The posted result as a team reads it: short, current, accessible, and every source a link.

Budgets are checked on what a reader sees (``visible_text``: link labels, not URLs) for any answers, in every
state the message can be in.
"""

from __future__ import annotations

import json
import os
import re
import time
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.devkit.blockkit import message_problems
from bot.storage.models import Decision, StoredAssessment, Version, vote_value
from bot.ui.blocks import visible_length, visible_text
from bot.ui.result import read_vote_button, result_message
from bot.ui.sources import source_links
from scoring import Answers, Approach, assess
from scoring.models import APPROACHES
from scoring.questionnaire import SCORED_QUESTIONS
from scoring.sources import SOURCE_DETAILS
from tests.hypothesis_profiles import examples

REPO = Path(__file__).resolve().parents[3]
MAX_BLOCKS = 8
MAX_VISIBLE = 900  # characters a person reads: link labels, not URLs

answer_sets = st.fixed_dictionaries(
    {}, optional={q.id: st.sampled_from(q.option_ids) for q in SCORED_QUESTIONS}
)
people = st.lists(st.from_regex(r"U[A-Z0-9]{8}", fullmatch=True), max_size=12, unique=True)


def record_for(
    answers: dict[str, str],
    *,
    project: str = "Support assistant",
    channel: str = "CPROJ",
    versions: list[tuple[str, str]] | None = None,
    decision: Decision | None = None,
) -> StoredAssessment:
    """``versions`` are (approach, editor) pairs after version 1."""
    parsed = Answers.parse({"project_name": project, **answers})
    result = assess(parsed)
    history = [Version(number=1, answers=parsed.as_flat(), approach=result.approach.value, by="UANA", at=1.0)]
    for number, (approach, editor) in enumerate(versions or [], start=2):
        history.append(Version(number=number, answers={}, approach=approach, by=editor, at=1_790_000_000.0))
    if versions:
        result = result.model_copy(update={"approach": Approach(versions[-1][0])})
    return StoredAssessment(
        id="abc123",
        team="T1",
        channel=channel,
        ts="1.2",
        user="UANA",
        created=time.time(),
        answers=parsed.as_flat(),
        result=result,
        versions=history,
        decision=decision,
    )


def _headers(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "header"]


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


@settings(max_examples=int(os.environ.get("RESULT_BUDGET_EXAMPLES", examples(150))), deadline=None)
@given(
    answers=answer_sets,
    project=st.text(min_size=1, max_size=80).filter(str.strip),
    voters=people,
    edits=st.lists(st.tuples(st.sampled_from([a.value for a in APPROACHES]), st.just("UBEN")), max_size=3),
    decided=st.none() | st.sampled_from([a.value for a in APPROACHES]),
    rationale=st.text(min_size=1, max_size=500),
    refused=st.booleans(),
)
def test_the_channel_message_is_short_in_every_state(
    answers: dict[str, str],
    project: str,
    voters: list[str],
    edits: list[tuple[str, str]],
    decided: str | None,
    rationale: str,
    refused: bool,
) -> None:
    decision = (
        Decision(approach=decided, rationale=rationale, by="UBEN", at=1_790_000_000.0) if decided else None
    )
    record = record_for(answers, project=project, versions=edits, decision=decision)
    votes = {
        user: vote_value("agree" if i % 3 else "disagree", record.version) for i, user in enumerate(voters)
    }
    message = result_message(record, votes, refused_channel="CPROJ" if refused else None)
    assert not message_problems(message), message_problems(message)
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert visible_length(message) <= MAX_VISIBLE, visible_text(message)
    assert len(message["text"]) <= 300


@settings(max_examples=examples(60), deadline=None)
@given(answer_sets, st.none() | st.sampled_from(list(APPROACHES)))
def test_the_header_names_the_recommendation_or_the_decision_and_nothing_else(
    answers: dict[str, str], decided: Approach | None
) -> None:
    decision = Decision(approach=decided.value, rationale="Why", by="UBEN", at=1.0) if decided else None
    record = record_for(answers, decision=decision)
    message = result_message(record)
    shown = decided or record.result.approach
    assert _headers(message) == [f"{'Decided' if decided else 'Recommended'}: {shown.label}"]
    assert message["blocks"][0]["type"] == "header"
    if not decided:
        assert message["blocks"][1]["type"] == "rich_text"  # the project as typed, and who asked
        assert "*Start with*:" in message["blocks"][2]["text"]["text"]  # then where to start


def test_a_fresh_result_has_no_tally_and_three_actions_in_one_row() -> None:
    message = result_message(record_for({"knowledge_need": "proprietary_or_large_corpus"}))
    text = _all_text(message)
    assert "0 agree" not in text and "👍" not in visible_text(message)
    buttons = _buttons(message)
    assert [b["action_id"] for b in buttons] == [ids.VOTE_AGREE, ids.VOTE_DISAGREE, ids.RECORD_DECISION]
    assert all(b.get("accessibility_label") for b in buttons[:2])
    assert ids.NEW_ASSESSMENT not in text and ids.EDIT_ANSWERS not in text
    menu = message["blocks"][2]["accessory"]
    assert menu["type"] == "overflow" and menu["action_id"] == ids.RESULT_MENU
    assert [o["text"]["text"] for o in menu["options"]] == [
        "Edit answers",
        "Ask the team",
        "Export decision record",
    ]


def test_voters_are_named_and_only_votes_for_the_current_recommendation_count() -> None:
    record = record_for({"knowledge_need": "proprietary_or_large_corpus"})
    votes = {
        "UANA": vote_value("agree", 1),
        "UBEN": vote_value("agree", 1),
        "UCAT": vote_value("disagree", 1),
    }
    status = visible_text(result_message(record, votes))
    assert "👍 @someone, @someone agree · 👎 @someone disagrees" in status
    assert "<@UANA>, <@UBEN> agree" in _all_text(result_message(record, votes))

    # Version 2 keeps the recommendation: the votes stand. Version 3 changes it: the vote starts afresh.
    same = record_for({"knowledge_need": "proprietary_or_large_corpus"}, versions=[("rag", "UBEN")])
    assert same.counted_votes(votes) == {"UANA": "agree", "UBEN": "agree", "UCAT": "disagree"}
    changed = record_for(
        {"knowledge_need": "proprietary_or_large_corpus"}, versions=[("rag", "UBEN"), ("fine_tuning", "UCAT")]
    )
    assert changed.ballot == 3 and changed.counted_votes(votes) == {}
    message = result_message(changed, {**votes, "UDAN": vote_value("agree", 3)})
    text = _all_text(message)
    assert "<@UDAN> agrees" in text and "UANA> agree" not in text.replace("asked by <@UANA>", "")
    assert "edited it" in text and "now *Fine-tuning* (was RAG); the vote starts afresh" in text
    assert "<@UCAT> edited" in text and "<!date^1790000000^" in text  # who, and when in the reader's time
    vote_button = next(b for b in _buttons(message) if b["action_id"] == ids.VOTE_AGREE)
    assert read_vote_button(vote_button["value"]) == ("abc123", 3)


def test_a_decision_leads_says_when_it_differs_and_the_button_asks_before_changing() -> None:
    record = record_for({"knowledge_need": "proprietary_or_large_corpus"})
    assert record.result.approach is Approach.RAG
    decided = record.model_copy(
        update={
            "decisions": [
                Decision(approach="hybrid", rationale="We tune anyway.", by="UBEN", at=1_790_000_000.0)
            ]
        }
    )
    message = result_message(decided, {"UANA": vote_value("agree", 1)})
    assert _headers(message) == ["Decided: RAG + fine-tuning"]
    decision = message["blocks"][2]
    summary = visible_text({"blocks": [decision]})
    assert {"type": "user", "user_id": "UBEN"} in decision["elements"][0]["elements"]
    assert "Recorded by @someone 2026-09-21 14:13 UTC: “We tune anyway.”" in summary
    assert "It differs from the recommendation: RAG" in summary
    buttons = _buttons(message)
    assert [b["text"]["text"] for b in buttons] == ["Change decision"]
    confirm = buttons[0]["confirm"]
    assert (
        confirm["title"]["text"] == "Change the decision?" and "RAG + fine-tuning" in confirm["text"]["text"]
    )

    follows = record.model_copy(
        update={"decisions": [Decision(approach="rag", rationale="Yes.", by="UBEN", at=1.0)]}
    )
    assert "It follows the recommendation." in visible_text(result_message(follows))


def test_a_result_in_a_dm_says_which_thread_features_need_a_channel() -> None:
    record = record_for({"knowledge_need": "none"})
    refused = result_message(record, refused_channel="CPROJ")
    first = refused["blocks"][0]["text"]["text"]
    assert "I'm not in <#CPROJ>" in first and "can't hear mentions" in first and "need a channel" in first
    in_dm = result_message(record.model_copy(update={"channel": "D0ANA"}))
    footer = in_dm["blocks"][-1]["elements"][0]["text"]
    assert "can't hear mentions" in footer and "need a channel" in footer
    assert "Mention me there" not in _all_text(in_dm) + _all_text(refused)


def test_numbers_are_text_and_there_is_no_bar_chart() -> None:
    message = result_message(record_for({"knowledge_need": "proprietary_or_large_corpus"}))
    assert not re.search("[█░▏▎▍▌▋▊▉]", _all_text(message))
    assert "```" not in _all_text(message)


def _cited_keys() -> set[str]:
    rules = tomllib.loads((REPO / "scoring" / "rules.toml").read_text(encoding="utf-8"))
    return {
        key
        for kind in ("rule", "caveat", "next_step")
        for entry in rules.get(kind, [])
        for key in entry["sources"]
    }


def test_every_source_any_rule_cites_links_to_its_document_by_a_readable_name() -> None:
    keys = _cited_keys()
    assert len(keys) > 20  # the rules really were read
    for key in sorted(keys):
        source = SOURCE_DETAILS.get(key)
        assert source is not None, f"{key} has no link"
        assert source.url.startswith("https://"), key
        assert source.short and source.short != key, key
        assert source_links([key]) == f"<{source.url}|{source.short.replace('&', '&amp;')}>"


def test_no_source_key_is_shown_to_people() -> None:
    keys = _cited_keys()
    for answers in (
        {"knowledge_need": "proprietary_or_large_corpus", "citations_needed": "yes"},
        {"primary_failure_mode": "behavior", "labeled_examples": "5000_plus"},
        {"task_complexity": "low", "time_to_first_version": "days"},
    ):
        shown = visible_text(result_message(record_for(answers)))
        assert not [key for key in keys if re.search(rf"\b{re.escape(key)}\b", shown)]

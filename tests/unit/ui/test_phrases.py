"""The thread parser: what-ifs by id, by words and with typos; why, compare, help; and what it won't guess."""

from __future__ import annotations

import difflib

import pytest

from bot.ui.phrases import MAX_CLAUSES, Change, Compare, Help, NotUnderstood, WhatIf, Why, parse
from scoring import Approach

C = Change
WHAT_IFS: list[tuple[str, set[Change]]] = [
    ("what if labeled_examples is 5000_plus", {C("labeled_examples", "5000_plus")}),
    ("what if labeled_examples = 500_4999", {C("labeled_examples", "500_4999")}),
    ("What if labeled_examples to 50_499?", {C("labeled_examples", "50_499")}),
    ("what if we had 5000 labelled examples", {C("labeled_examples", "5000_plus")}),
    ("what if we had 5k labeled examples", {C("labeled_examples", "5000_plus")}),
    ("what if we had 120 training examples", {C("labeled_examples", "50_499")}),
    ("what if we had no labelled examples", {C("labeled_examples", "none")}),
    ("what if we had 30 examples", {C("labeled_examples", "lt_50")}),
    (
        "what if latency is strict and we must self-host",
        {C("latency_requirement", "strict"), C("privacy_self_host", "yes")},
    ),
    ("what if latency_requirement is strict", {C("latency_requirement", "strict")}),
    ("what if latncy is strict", {C("latency_requirement", "strict")}),
    ("what if latency must be under 300ms", {C("latency_requirement", "strict")}),
    ("what if we must self host", {C("privacy_self_host", "yes")}),
    ("what if privacy_self_host is no", {C("privacy_self_host", "no")}),
    ("what if we don't need to self-host", {C("privacy_self_host", "no")}),
    ("what if citations are needed", {C("citations_needed", "yes")}),
    ("what if no citations", {C("citations_needed", "no")}),
    ("what if citatons_needed is yes", {C("citations_needed", "yes")}),
    ("what if the knowledge changes daily", {C("knowledge_change_frequency", "daily")}),
    ("what if the docs change weekly", {C("knowledge_change_frequency", "weekly")}),
    ("what if knowledge_change_frequency is static", {C("knowledge_change_frequency", "static")}),
    ("what if knowledge_need is fresh_external", {C("knowledge_need", "fresh_external")}),
    ("what if knowledge is proprietary", {C("knowledge_need", "proprietary_or_large_corpus")}),
    ("what if knowlege need is none", {C("knowledge_need", "none")}),
    ("what if the failure mode is behaviour", {C("primary_failure_mode", "behavior")}),
    ("what if failures are both", {C("primary_failure_mode", "both")}),
    (
        "what if failures were both knowledge and behaviour and budget is high",
        {C("primary_failure_mode", "both"), C("compute_budget", "high")},
    ),
    ("what if primary_failure_mode is knowledge", {C("primary_failure_mode", "knowledge")}),
    ("what if prompt_baseline is meets_target", {C("prompt_baseline", "meets_target")}),
    ("what if the prompt baseline plateaued", {C("prompt_baseline", "plateaued_below_target")}),
    ("what if we haven't tried prompting", {C("prompt_baseline", "not_tried")}),
    ("what if volume is high", {C("request_volume", "high")}),
    ("what if we get 200k requests a day", {C("request_volume", "high")}),
    ("what if request_volume is low", {C("request_volume", "low")}),
    ("what if budget is low", {C("compute_budget", "low")}),
    (
        "what if compute_budget is high and ml_expertise is strong",
        {C("compute_budget", "high"), C("ml_expertise", "strong")},
    ),
    ("what if the deadline is days", {C("time_to_first_version", "days")}),
    ("what if time_to_first_version is months", {C("time_to_first_version", "months")}),
    ("what if the project is one-off", {C("project_lifetime", "one_off")}),
    ("what if project_lifetime is long_term", {C("project_lifetime", "long_term")}),
    ("what if task complexity is high", {C("task_complexity", "high")}),
    ("what if accuracy is critical", {C("accuracy_requirement", "critical")}),
    ("what if distinct_tasks is many", {C("distinct_tasks", "many")}),
    ("what if format is strict", {C("format_style_consistency_need", "high")}),
    ("what if domain_specificity is high", {C("domain_specificity", "high")}),
    (
        "suppose labelled examples is 500_4999, latency is relaxed; budget is high",
        {C("labeled_examples", "500_4999"), C("latency_requirement", "relaxed"), C("compute_budget", "high")},
    ),
    ("<@UBOT> what if labeled_examples is 5000_plus", {C("labeled_examples", "5000_plus")}),
    ("What if LABELED_EXAMPLES is 5000_PLUS", {C("labeled_examples", "5000_plus")}),
    ("wat if labled examples is 5000_plus", {C("labeled_examples", "5000_plus")}),
    # A thousands separator is part of the number, not a break between two changes.
    ("what if we had 5,000 labelled examples", {C("labeled_examples", "5000_plus")}),
    (
        "what if we had 2,500 labelled examples, and latency is strict",
        {C("labeled_examples", "500_4999"), C("latency_requirement", "strict")},
    ),
    # The words that name a question are not read as one of its options too ("complexity" is not
    # "complex", "expertise" is not "experts").
    ("what if task complexity is low", {C("task_complexity", "low")}),
    ("what if no ML expertise", {C("ml_expertise", "none")}),
    ("what if nobody has ML expertise", {C("ml_expertise", "none")}),
    ("what if accuracy requirement is low", {C("accuracy_requirement", "low")}),
    # The questions added after the first release.
    ("what if task type is classification", {C("task_type", "classify_extract")}),
    ("what if it is a chat assistant", {C("task_type", "assistant_agent")}),
    ("what if the task is extraction", {C("task_type", "classify_extract")}),
    ("what if a larger model can produce the outputs", {C("teacher_model", "yes")}),
    ("what if we have a teacher model", {C("teacher_model", "yes")}),
    ("what if no teacher model", {C("teacher_model", "no")}),
    ("what if prompting is close to target", {C("prompt_baseline", "close_to_target")}),
]


@pytest.mark.parametrize(("text", "expected"), WHAT_IFS, ids=[t for t, _ in WHAT_IFS])
def test_what_if_phrasings(text: str, expected: set[Change]) -> None:
    intent = parse(text)
    assert isinstance(intent, WhatIf), intent
    assert set(intent.changes) == expected
    assert intent.not_understood == ()


def test_there_are_at_least_forty_phrasings() -> None:
    assert len(WHAT_IFS) >= 40


def test_part_understood_part_not_says_which_part() -> None:
    intent = parse("what if latency is strict and the moon is blue")
    assert isinstance(intent, WhatIf)
    assert intent.changes == (C("latency_requirement", "strict"),)
    assert intent.not_understood == ("the moon is blue",)


@pytest.mark.parametrize("text", ["what if it is high", "what if the sky is green", "what if", "banana"])
def test_what_it_cannot_match_is_not_guessed(text: str) -> None:
    intent = parse(text)
    assert isinstance(intent, NotUnderstood), intent


def test_unknown_words_get_nearest_questions() -> None:
    intent = parse("what if the latensy budgit is tight-ish maybe")
    if isinstance(intent, NotUnderstood):
        assert intent.suggestions
    intent = parse("what if banana is ripe")
    assert isinstance(intent, NotUnderstood)
    assert len(intent.suggestions) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("why", Why()),
        ("why?", Why()),
        ("explain", Why()),
        ("why rag", Why()),
        ("explain knowledge_need", Why("knowledge_need")),
        ("explain the latency", Why("latency_requirement")),
        ("why labelled examples", Why("labeled_examples")),
        ("compare rag and fine-tuning", Compare(Approach.RAG, Approach.FINE_TUNING)),
        ("compare prompting vs hybrid", Compare(Approach.PROMPT_ENGINEERING, Approach.HYBRID)),
        ("rag vs fine tuning", Compare(Approach.RAG, Approach.FINE_TUNING)),
        ("help", Help()),
        ("", Help()),
        ("<@UBOT>", Help()),
    ],
)
def test_why_compare_help(text: str, expected: object) -> None:
    assert parse(text) == expected


def test_compare_needs_two_approaches() -> None:
    assert isinstance(parse("compare rag"), NotUnderstood)


def test_only_the_start_of_a_long_mention_is_read() -> None:
    filler = "what if latency is strict" + " and the moon is blue" * 2_000
    intent = parse(filler + " and we must self-host")
    assert isinstance(intent, WhatIf)
    assert intent.changes == (C("latency_requirement", "strict"),)
    assert C("privacy_self_host", "yes") not in intent.changes  # far past what is read


def test_clauses_past_the_limit_are_reported_not_read() -> None:
    clauses = ["latency is strict", "budget is high", *["the moon is blue"] * (MAX_CLAUSES + 5)]
    intent = parse("what if " + ", ".join(clauses))
    assert isinstance(intent, WhatIf)
    assert set(intent.changes) == {C("latency_requirement", "strict"), C("compute_budget", "high")}
    assert len(intent.not_understood) == MAX_CLAUSES - 2 + 1  # the rest, quoted back as one phrase
    assert all(len(phrase) <= 100 for phrase in intent.not_understood)


@pytest.mark.parametrize("text", ["what if we had 5.. labelled examples", "what if we had 1.2.3k examples"])
def test_numbers_that_are_not_numbers_are_not_a_crash(text: str) -> None:
    assert isinstance(parse(text), WhatIf | NotUnderstood)


@pytest.mark.parametrize(
    "body",
    [
        " ".join(["latncy", "exampels", "budgit", "knowlege", "the"] * 2_000),
        "a" * 40_000,
        ", ".join(["latncy is strict"] * 2_000),
        " and ".join(["labled exampels"] * 2_000),
    ],
)
def test_the_work_does_not_grow_with_the_length_of_the_mention(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typo checks are the costly part: a 40,000-character mention needs no more than its first 2,000."""
    calls = 0
    ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal calls
        calls += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    short = parse("what if " + body[:2_000])
    short_calls, calls = calls, 0
    long = parse("what if " + body)
    assert calls <= short_calls
    assert type(long) is type(short)

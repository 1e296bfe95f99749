"""The rules are data a reader can trust, and a team's policy is checked before it is used."""

import pytest

from scoring import Answers
from scoring.engine import Engine
from scoring.questionnaire import SCORED_QUESTIONS
from scoring.ruleset import RuleSetError, apply_policy, default_ruleset, parse_ruleset
from scoring.sources import SOURCES
from tests.scenarios import SCENARIOS


def test_every_scored_question_and_option_is_weighed_somewhere() -> None:
    rules = default_ruleset().rules
    read = {(qid, option) for rule in rules for qid, options in rule.when.items() for option in options}
    for question in SCORED_QUESTIONS:
        assert any(qid == question.id for qid, _ in read), question.id


def test_every_cited_source_is_in_the_bibliography() -> None:
    ruleset = default_ruleset()
    for entry in (*ruleset.rules, *ruleset.caveats, *ruleset.next_steps):
        assert entry.sources
        assert set(entry.sources) <= set(SOURCES), entry.id


def test_a_policy_can_disable_a_rule_and_change_weights() -> None:
    base = default_ruleset()
    changed = apply_policy(
        base,
        {
            "rules": {
                "labeled_examples.none": {"enabled": False},
                "citations_needed.yes": {"effects": {"rag": 9}},
            },
            "confidence": {"high": 10},
        },
    )
    ids = {rule.id for rule in changed.rules}
    assert "labeled_examples.none" not in ids
    citations = next(rule for rule in changed.rules if rule.id == "citations_needed.yes")
    assert citations.effects["rag"] == 9
    assert citations.effects["hybrid"] == 2  # untouched approaches keep their default
    assert changed.confidence.high == 10


def test_a_policy_can_add_a_rule_that_the_engine_applies() -> None:
    answers = Answers.parse(next(s for s in SCENARIOS if s.id == "meeting_summaries").answers)
    policy = {
        "add_rule": [
            {
                "id": "house.always_rag_for_summaries",
                "when": {"task_complexity": ["low"]},
                "effects": {"rag": 40},
                "text": "Our platform team serves every summary through the shared retrieval service.",
                "sources": ["OAI-ACC"],
            }
        ]
    }
    assert Engine(apply_policy(default_ruleset(), policy)).assess(answers).approach.value == "rag"


@pytest.mark.parametrize(
    ("policy", "names"),
    [
        ({"rules": {"no.such_rule": {"enabled": False}}}, ["rules.no.such_rule", "no such rule"]),
        ({"rules": {"citations_needed.yes": {"effects": {"rags": 1}}}}, ["citations_needed.yes", "rags"]),
        (
            {"rules": {"citations_needed.yes": {"when": {"citations_needed": ["maybe"]}}}},
            ["citations_needed.yes", "maybe"],
        ),
        (
            {
                "add_rule": [
                    {
                        "id": "x",
                        "when": {"latency": ["strict"]},
                        "effects": {},
                        "text": "t",
                        "sources": ["LORA"],
                    }
                ]
            },
            ["'x'", "latency"],
        ),
        (
            {
                "add_rule": [
                    {
                        "id": "y",
                        "when": {"citations_needed": ["yes"]},
                        "effects": {},
                        "text": "t",
                        "sources": ["BLOG"],
                    }
                ]
            },
            ["'y'", "BLOG"],
        ),
        ({"confidence": {"high": 1, "medium": 5}}, ["confidence", "medium"]),
        ({"tie_break": ["rag"]}, ["tie_break"]),
        ({"weights": {}}, ["weights"]),
        ({"disable_caveats": ["nope"]}, ["disable_caveats", "nope"]),
    ],
)
def test_an_invalid_policy_names_the_bad_entry(policy: dict[str, object], names: list[str]) -> None:
    with pytest.raises(RuleSetError) as raised:
        apply_policy(default_ruleset(), policy, "team.toml")
    message = str(raised.value)
    assert message.startswith("team.toml: ")
    for name in names:
        assert name in message


def test_duplicate_rule_ids_are_refused() -> None:
    data = default_ruleset().to_toml_dict()
    data["rule"].append(dict(data["rule"][0]))
    with pytest.raises(RuleSetError, match="two rule entries"):
        parse_ruleset(data)

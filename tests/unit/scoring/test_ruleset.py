"""The rules are data a reader can trust, and a team's policy can change every part of it, checked first."""

import random
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest

from scoring import Answers, Approach
from scoring.engine import Engine
from scoring.questionnaire import LEVERS, QUESTIONS_BY_ID, SCORED_IDS, SCORED_QUESTIONS
from scoring.ruleset import RuleSetError, apply_policy, default_ruleset, parse_ruleset
from scoring.sources import SOURCES
from tests.scenarios import SCENARIOS

BY_ID = {s.id: s for s in SCENARIOS}
# The levers whose backward move is an adverse fact for training (test_properties.ADVERSE).
TRAINING_LEVERS = (
    "labeled_examples",
    "ml_expertise",
    "compute_budget",
    "time_to_first_version",
    "project_lifetime",
)


def test_every_scored_question_and_option_is_weighed_somewhere() -> None:
    ruleset = default_ruleset()
    read = {qid for rule in ruleset.rules for qid in rule.when}
    for question in SCORED_QUESTIONS:
        assert question.id in read, question.id


def test_every_cited_source_is_in_the_bibliography() -> None:
    ruleset = default_ruleset()
    entries = (
        *ruleset.rules,
        *ruleset.gates,
        *ruleset.caps,
        *ruleset.caveats,
        *ruleset.next_steps,
        *ruleset.stages,
    )
    for entry in entries:
        assert entry.sources
        assert set(entry.sources) <= set(SOURCES), entry.id


def test_every_group_holds_rules_and_every_rule_a_known_group() -> None:
    ruleset = default_ruleset()
    groups = {group.id for group in ruleset.groups}
    used = {rule.group for rule in ruleset.rules}
    assert used == groups


def test_rules_reading_a_training_lever_keep_the_adverse_fact_property() -> None:
    """What makes "an adverse fact never raises confidence" hold by construction (rules.toml header): in a
    group holding a rule that reads a training lever, every rule moves fine-tuning and hybrid alike; as
    the lever moves backwards, no rule raises training or lowers prompting or retrieval; and gates and caps
    reading one treat fine-tuning and hybrid alike (hybrid alone may be ruled out where fine-tuning is then
    capped at low: the one-off exception)."""
    ruleset = default_ruleset()
    lever_groups = {rule.group for rule in ruleset.rules if set(rule.when) & set(TRAINING_LEVERS)}
    for rule in ruleset.rules:
        if rule.group in lever_groups:
            assert rule.effect(Approach.FINE_TUNING) == rule.effect(Approach.HYBRID), rule.id
    # Moving a lever one step back changes every such group's raw points for training equally for
    # fine-tuning and hybrid, never upwards, and never lowers prompting or retrieval (checked on the raw,
    # unclamped sums over a seeded sample of contexts; clamping keeps both properties).
    engine = Engine(ruleset)
    group_ids = [group.id for group in ruleset.groups]
    watched = [group_ids.index(group) for group in lever_groups]
    rng = random.Random(11)
    for _ in range(300):
        context = {q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS}
        for question in TRAINING_LEVERS:
            options = QUESTIONS_BY_ID[question].option_ids
            for lower, higher in pairwise(options):
                worse = engine.scorecard({**context, question: lower}).raw
                better = engine.scorecard({**context, question: higher}).raw
                for index in watched:
                    pe, rag, ft, hybrid = (w - b for w, b in zip(worse[index], better[index], strict=True))
                    assert ft == hybrid <= 0 <= min(pe, rag), (question, lower, group_ids[index], context)
    training = {Approach.FINE_TUNING, Approach.HYBRID}
    caps_by_condition = {tuple(sorted(cap.when)): cap for cap in ruleset.caps}
    for gate in ruleset.gates:
        blocked = set(gate.blocks) & training
        if set(gate.when) & set(TRAINING_LEVERS) and blocked and blocked != training:
            assert blocked == {Approach.HYBRID}, gate.id
            assert caps_by_condition[tuple(sorted(gate.when))].level == "low", gate.id
    for cap in ruleset.caps:
        if set(cap.when) & set(TRAINING_LEVERS):
            assert set(cap.approaches) == training, cap.id


# What training needs (README, "Levers and facts"): moving one of these can make training possible or
# worthwhile, and says nothing about prompting against retrieval.
TRAINING_RESOURCES = ("labeled_examples", "ml_expertise", "compute_budget", "time_to_first_version")


def test_training_resources_weigh_on_training_alone() -> None:
    """A lever made only of training resources can lead toward training, never toward RAG or prompting
    (issue: "levers a team can actually pull"): every rule reading one moves only fine-tuning and hybrid,
    equally, and every gate reading one rules out only training."""
    ruleset = default_ruleset()
    training = {Approach.FINE_TUNING, Approach.HYBRID}
    for rule in ruleset.rules:
        if set(rule.when) & set(TRAINING_RESOURCES):
            assert rule.effect(Approach.PROMPT_ENGINEERING) == rule.effect(Approach.RAG) == 0, rule.id
            assert rule.effect(Approach.FINE_TUNING) == rule.effect(Approach.HYBRID), rule.id
    for gate in ruleset.gates:
        if set(gate.when) & set(TRAINING_RESOURCES):
            assert set(gate.blocks) <= training, gate.id


def test_every_path_stage_is_reachable_for_its_destinations_and_ends_in_a_fallback() -> None:
    """Each step that can lead to a destination has a stage without conditions last, so the path never stops
    short of the recommendation; and every stage cites known sources."""
    ruleset = default_ruleset()
    for stage in ruleset.stages:
        assert stage.sources and set(stage.sources) <= set(SOURCES), stage.id
    for destination in Approach:
        for step, needed in (
            ("retrieval", destination in {Approach.RAG, Approach.HYBRID}),
            ("tuning", destination in {Approach.FINE_TUNING, Approach.HYBRID}),
        ):
            entries = [s for s in ruleset.stages if s.step == step and destination in s.destinations]
            assert bool(entries) is needed, (step, destination)
            if entries:
                assert not entries[-1].when and not entries[-1].unless, (step, destination)


def test_conflicts_name_only_scored_questions_and_say_what_to_recheck() -> None:
    for conflict in default_ruleset().conflicts:
        assert set(conflict.when) <= set(SCORED_IDS)
        assert "Re-check" in conflict.text


def test_the_plausible_changes_cover_the_answers_people_are_least_sure_of() -> None:
    plausible = default_ruleset().confidence.plausible
    assert set(plausible) >= {
        "labeled_examples",
        "primary_failure_mode",
        "accuracy_requirement",
        "request_volume",
        "knowledge_change_frequency",
    }
    assert set(LEVERS) >= {"labeled_examples", "teacher_model"}


# --- policy ------------------------------------------------------------------------------------------------


def test_a_policy_can_disable_a_rule_and_change_weights_groups_and_thresholds() -> None:
    base = default_ruleset()
    changed = apply_policy(
        base,
        {
            "rules": {
                "labeled_examples.none": {"enabled": False},
                "citations_needed.yes": {"effects": {"rag": 9}},
            },
            "groups": {"knowledge": {"max_for": 9}},
            "confidence": {"high": 10, "plausible": {"task_complexity": "adjacent"}},
        },
    )
    ids = {rule.id for rule in changed.rules}
    assert "labeled_examples.none" not in ids
    citations = next(rule for rule in changed.rules if rule.id == "citations_needed.yes")
    assert citations.effects["rag"] == 9
    assert citations.effects["hybrid"] == 2  # untouched approaches keep their default
    assert next(g for g in changed.groups if g.id == "knowledge").max_for == 9
    assert changed.confidence.high == 10
    assert changed.confidence.plausible["task_complexity"] == "adjacent"
    assert changed.confidence.plausible["labeled_examples"] == "adjacent"  # merged, not replaced


def test_a_policy_can_switch_off_or_change_a_gate_and_a_cap() -> None:
    answers = Answers.parse(BY_ID["tone_problem_nothing_to_train_on"].answers)
    assert Engine(default_ruleset()).assess(answers).approach is Approach.PROMPT_ENGINEERING
    opened = apply_policy(
        default_ruleset(),
        {
            "gates": {"nothing_to_train_on": {"enabled": False}},
            "rules": {
                "labeled_examples.none": {"enabled": False},
                "behavior.too_few_examples": {"enabled": False},
            },
        },
    )
    assert Engine(opened).assess(answers).approach is Approach.FINE_TUNING
    stricter = apply_policy(
        default_ruleset(),
        {
            "caps": {
                "training_without_ml_expertise": {"level": "low", "when": {"ml_expertise": ["none", "some"]}}
            }
        },
    )
    result = Engine(stricter).assess(Answers.parse(BY_ID["strict_json_no_knowledge"].answers))
    assert result.approach is Approach.FINE_TUNING
    assert result.confidence.level == "low"


def test_a_policy_can_add_rules_gates_caps_and_conflicts_that_the_engine_applies() -> None:
    answers = Answers.parse(BY_ID["meeting_summaries"].answers)
    policy = {
        "add_group": [
            {"id": "house", "title": "House rules", "max_for": 50, "max_against": 0, "text": "Ours."}
        ],
        "add_rule": [
            {
                "id": "house.always_rag_for_summaries",
                "group": "house",
                "when": {"task_complexity": ["low"]},
                "effects": {"rag": 40},
                "text": "Our platform team serves every summary through the shared retrieval service.",
                "sources": ["OAI-ACC"],
            }
        ],
        "gates": {"nothing_to_retrieve": {"enabled": False}},
        "add_conflict": [
            {
                "id": "house.summaries_are_not_one_off",
                "when": {"task_type": ["generate"], "project_lifetime": ["long_term"]},
                "text": "House rule for the test. Re-check the task type and lifetime.",
            }
        ],
        "add_cap": [
            {
                "id": "house.rag_is_new_here",
                "when": {"task_complexity": ["low"]},
                "approaches": ["rag"],
                "level": "low",
                "text": "The shared retrieval service is new.",
                "sources": ["OAI-DD23"],
            }
        ],
    }
    result = Engine(apply_policy(default_ruleset(), policy)).assess(answers)
    assert result.approach.value == "rag"
    assert result.confidence.level == "low"
    assert [c.id for c in result.conflicts] == ["house.summaries_are_not_one_off"]


@pytest.mark.parametrize(
    ("policy", "names"),
    [
        ({"rules": {"no.such_rule": {"enabled": False}}}, ["rules.no.such_rule", "no such rule"]),
        ({"gates": {"no_such_gate": {"enabled": False}}}, ["gates.no_such_gate", "no such gate"]),
        ({"caps": {"no_such_cap": {"level": "low"}}}, ["caps.no_such_cap", "no such cap"]),
        ({"groups": {"no_such_group": {"max_for": 1}}}, ["groups.no_such_group", "no such group"]),
        ({"rules": {"citations_needed.yes": {"effects": {"rags": 1}}}}, ["citations_needed.yes", "rags"]),
        (
            {"rules": {"citations_needed.yes": {"when": {"citations_needed": ["maybe"]}}}},
            ["citations_needed.yes", "maybe"],
        ),
        ({"rules": {"citations_needed.yes": {"group": "vibes"}}}, ["citations_needed.yes", "vibes"]),
        (
            {"gates": {"nothing_to_train_on": {"unless": [{"teacher_model": ["perhaps"]}]}}},
            ["nothing_to_train_on", "perhaps"],
        ),
        (
            {"gates": {"nothing_to_train_on": {"blocks": ["fine_tune"]}}},
            ["gates.nothing_to_train_on.blocks", "fine_tuning"],
        ),
        ({"gates": {"nothing_to_train_on": {"sources": ["BLOG"]}}}, ["nothing_to_train_on", "BLOG"]),
        (
            {"caps": {"training_without_ml_expertise": {"level": "high"}}},
            ["training_without_ml_expertise", "level"],
        ),
        ({"groups": {"knowledge": {"max_for": -1}}}, ["knowledge", "max_for"]),
        (
            {
                "add_rule": [
                    {
                        "id": "x",
                        "group": "task",
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
                        "group": "task",
                        "when": {"citations_needed": ["yes"]},
                        "effects": {},
                        "text": "t",
                        "sources": ["BLOG"],
                    }
                ]
            },
            ["'y'", "BLOG"],
        ),
        (
            {
                "add_conflict": [
                    {"id": "z", "when": {"task_type": ["poetry"], "knowledge_need": ["none"]}, "text": "t"}
                ]
            },
            ["'z'", "poetry"],
        ),
        ({"confidence": {"high": 1, "medium": 5}}, ["confidence", "medium"]),
        ({"confidence": {"plausible": {"mood": "any"}}}, ["confidence", "mood"]),
        (
            {"confidence": {"plausible": {"labeled_examples": "sometimes"}}},
            ["plausible.labeled_examples", "adjacent"],
        ),
        ({"confidence": {"strictness": 3}}, ["confidence", "strictness"]),
        ({"tie_break": ["rag"]}, ["tie_break"]),
        ({"weights": {}}, ["weights"]),
        ({"disable_caveats": ["nope"]}, ["disable_caveats", "nope"]),
        ({"disable_conflicts": ["nope"]}, ["disable_conflicts", "nope"]),
    ],
)
def test_an_invalid_policy_names_the_bad_entry(policy: dict[str, object], names: list[str]) -> None:
    with pytest.raises(RuleSetError) as raised:
        apply_policy(default_ruleset(), policy, "team.toml")
    message = str(raised.value)
    assert message.startswith("team.toml: ")
    assert "\n" not in message
    for name in names:
        assert name in message


@pytest.mark.parametrize("kind", ["rule", "gate", "cap", "group", "conflict"])
def test_duplicate_ids_are_refused(kind: str) -> None:
    data = default_ruleset().to_toml_dict()
    data[kind].append(dict(data[kind][0]))
    with pytest.raises(RuleSetError, match=f"two {kind} entries"):
        parse_ruleset(data)


def test_the_readme_policy_example_is_a_valid_policy() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Policy") :]
    example = section[
        section.index("```toml") + len("```toml") : section.index("```", section.index("```toml") + 7)
    ]
    changed = apply_policy(default_ruleset(), tomllib.loads(example), "README.md")
    assert changed.confidence.high == 8
    assert not any(gate.id == "one_off_cannot_repay_training" for gate in changed.gates)
    assert any(rule.id == "house.managed_rag_only" for rule in changed.rules)

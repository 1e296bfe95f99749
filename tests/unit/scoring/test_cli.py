"""The CLI, run as a real process exactly as the contract names it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import Answers, assess
from scoring.questionnaire import QUESTIONS, SCORED_IDS
from tests.scenarios import SCENARIOS

# Every question answered (the story says nothing about a teacher model; "not checked" is honest).
SUPPORT_BOT = {
    **next(s for s in SCENARIOS if s.id == "support_bot_weekly_docs").answers,
    "teacher_model": "not_checked",
}
CANVA = next(s for s in SCENARIOS if s.id == "canva_design_guidelines").answers


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def write(tmp_path: Path, content: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_json_format_has_the_contract_fields_and_matches_the_engine(tmp_path: Path) -> None:
    result = run(
        "assess", write(tmp_path, json.dumps({"project_name": "Help bot", **SUPPORT_BOT})), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {"approach", "scores", "confidence", "reasons", "what_would_change", "next_steps"} <= set(payload)
    expected = assess(Answers.parse(SUPPORT_BOT))
    assert payload["approach"] == expected.approach.value == "rag"
    assert set(payload["scores"]) == {"prompt_engineering", "rag", "fine_tuning", "hybrid"}
    assert payload["scores"]["rag"] == expected.scores[expected.approach]
    assert payload["confidence"]["level"] == expected.confidence.level
    assert payload["reasons"][0]["sources"]
    assert payload["project_name"] == "Help bot"
    assert payload["missing"] == []
    assert payload["confidence"]["summary"] and payload["confidence"]["basis"]
    assert payload["path"][-1]["approach"] == "rag"
    assert payload["conflicts"] == []
    for flip in payload["what_would_change"]:
        assert {"changes", "approach", "actionable"} <= set(flip)
    assert payload == json.loads(json.dumps(expected.model_dump(mode="json") | {"project_name": "Help bot"}))


def test_stdin_and_text_format_is_the_default() -> None:
    result = run("assess", "-", stdin=json.dumps(SUPPORT_BOT))
    assert result.returncode == 0, result.stderr
    assert "Recommendation: RAG" in result.stdout
    assert "Why" in result.stdout
    assert "Next steps" in result.stdout
    assert "[" in result.stdout  # source keys are cited


def test_text_output_shows_the_path_the_conflicts_the_worded_confidence_and_levers_apart_from_facts() -> None:
    answers = {
        **next(s for s in SCENARIOS if s.id == "tone_problem_nothing_to_train_on").answers,
        "citations_needed": "yes",
    }
    result = run("assess", "-", stdin=json.dumps(answers))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    expected = assess(Answers.parse(answers))
    assert f"Start now: {expected.path[0].approach.label}" in text
    assert "\nPath\n  1. " in text
    assert "Conflicting answers (re-check them)" in text and expected.conflicts[0].text in text
    assert f"Confidence: {expected.confidence.level}." in text
    for line in expected.confidence.basis:
        assert line in text
    levers, facts = (
        text.index("What you can do that would change it"),
        text.index("Facts that would change it"),
    )
    assert levers < facts
    assert "Collect 50 or more labelled examples" in text[levers:facts]
    assert "If " in text[facts:]


def test_absent_scored_questions_are_allowed_and_reported(tmp_path: Path) -> None:
    partial = {k: v for k, v in SUPPORT_BOT.items() if k not in {"compute_budget", "ml_expertise"}}
    result = run("assess", write(tmp_path, json.dumps(partial)), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["missing"] == ["compute_budget", "ml_expertise"]
    assert payload["confidence"]["answered"] == len(SCORED_IDS) - 2


@pytest.mark.parametrize(
    ("content", "must_mention"),
    [
        (
            json.dumps({"labeled_examples": "lots"}),
            ["labeled_examples", "none, lt_50, 50_499, 500_4999, 5000_plus"],
        ),
        (json.dumps({"knowledge": "none"}), ["knowledge", "unknown question", "knowledge_need"]),
        (json.dumps({"citations_needed": True}), ["citations_needed", "no, yes"]),
        (json.dumps({"project_name": "x" * 81}), ["project_name", "80"]),
        (json.dumps({"use_case": 5}), ["use_case"]),
        ("[1, 2]", ["expected a JSON object"]),
        ("{not json", ["not valid JSON", "line 1"]),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, content: str, must_mention: list[str]
) -> None:
    result = run("assess", write(tmp_path, content), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in must_mention:
        assert text in lines[0]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("assess", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_questions_lists_every_question_and_option_in_order() -> None:
    result = run("questions")
    assert result.returncode == 0
    positions = [result.stdout.index(f"  {q.id} (") for q in QUESTIONS]
    assert positions == sorted(positions)
    assert "5000_plus" in result.stdout


def test_questions_as_json_match_the_questionnaire() -> None:
    result = run("questions", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [entry["id"] for entry in payload] == [q.id for q in QUESTIONS]
    for entry, question in zip(payload, QUESTIONS, strict=True):
        assert set(entry) == {"id", "page", "label", "options", "required"}
        assert entry["page"] == question.page
        assert entry["label"] == question.label
        assert entry["required"] is question.required
        assert entry["options"] == [{"id": o.id, "label": o.label} for o in question.options]
    by_id = {entry["id"]: entry for entry in payload}
    assert by_id["task_type"]["page"] == 1 and by_id["teacher_model"]["page"] == 3
    assert [o["id"] for o in by_id["prompt_baseline"]["options"]][2] == "close_to_target"


def test_batch_writes_one_result_per_line_in_order_and_errors_in_place(tmp_path: Path) -> None:
    lines = [
        json.dumps(SUPPORT_BOT),
        json.dumps({"project_name": "Design", **CANVA}),
        '{"labeled_examples": "lots"}',
        "not json",
        "[1, 2]",
        json.dumps({"knowledge": "none"}),
        json.dumps({}),
    ]
    result = run("assess", "--batch", write(tmp_path, "\n".join(lines) + "\n"))
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0] == json.loads(run("assess", "-", "--format", "json", stdin=lines[0]).stdout)
    assert out[1]["approach"] == "fine_tuning" and out[1]["project_name"] == "Design"
    assert out[2]["line"] == 3 and "labeled_examples" in out[2]["error"] and "5000_plus" in out[2]["error"]
    assert out[3]["line"] == 4 and "not valid JSON" in out[3]["error"]
    assert out[4]["line"] == 5 and "expected a JSON object" in out[4]["error"]
    assert out[5]["line"] == 6 and "unknown question" in out[5]["error"]
    assert set(out[2]) == {"line", "error"}
    assert out[6]["confidence"]["level"] == "low"  # an empty object is allowed: every answer missing


def test_batch_reads_standard_input_and_exits_0_when_every_line_is_good() -> None:
    lines = "\n".join(json.dumps(s.answers) for s in SCENARIOS[:5])
    result = run("assess", "--batch", "-", stdin=lines)
    assert result.returncode == 0, result.stderr
    approaches = [json.loads(line)["approach"] for line in result.stdout.splitlines()]
    assert approaches == [assess(Answers.parse(s.answers)).approach.value for s in SCENARIOS[:5]]


def test_assess_needs_one_file_or_a_batch(tmp_path: Path) -> None:
    result = run("assess")
    assert result.returncode == 2
    assert "--batch" in result.stderr


def test_interview_asks_one_question_at_a_time_and_recommends() -> None:
    # Project name, skip use case, then answers by number (or option id) for every scored question.
    replies = ["Design assistant", ""]
    for question in QUESTIONS:
        if question.is_free_text:
            continue
        answer = CANVA.get(question.id)
        replies.append("" if answer is None else str(question.option_ids.index(answer) + 1))
    result = run("interview", stdin="\n".join(replies) + "\n")
    assert result.returncode == 0, result.stderr
    assert "1. Low: one step" in result.stdout
    assert "Recommendation: Fine-tuning" in result.stdout
    assert "Project: Design assistant" in result.stdout


def test_interview_re_asks_on_a_bad_reply_and_assesses_what_it_has_at_end_of_input() -> None:
    result = run("interview", stdin="Quick bot\n\n9\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Type a number from 1 to 3" in result.stdout
    assert "input ended" in result.stdout
    assert f"1 of {len(SCORED_IDS)} questions answered" in result.stdout


def test_invalid_policy_fails_with_a_message_naming_the_entry(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[rules."labeled_examples.none"]\neffects = { fine_tune = -3 }\n', encoding="utf-8")

    env = {**os.environ, "LLM_APPROACH_POLICY": str(policy)}
    result = run("assess", "-", stdin=json.dumps(SUPPORT_BOT), env=env)
    assert result.returncode == 2
    assert "labeled_examples.none" in result.stderr
    assert "fine_tune" in result.stderr


def test_a_policy_changes_the_recommendation(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[rules."primary_failure_mode.knowledge"]\neffects = { rag = -20 }\n'
        "[gates.cited_knowledge_needs_retrieval]\nenabled = false\n"
        "[gates.changing_knowledge_needs_retrieval]\nenabled = false\n"
        "[gates.own_or_fresh_knowledge_needs_retrieval]\nenabled = false\n"
        "[groups.failure]\nmax_against = 30\n",
        encoding="utf-8",
    )

    env = {**os.environ, "LLM_APPROACH_POLICY": str(policy)}
    result = run("assess", "-", "--format", "json", stdin=json.dumps(SUPPORT_BOT), env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["approach"] != "rag"


def _members(tmp_path: Path, **people: dict[str, str]) -> list[str]:
    paths = []
    for name, answers in people.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_team_json_has_the_contract_fields_and_says_which_disagreement_changes_the_result(
    tmp_path: Path,
) -> None:
    files = _members(
        tmp_path,
        ana=CANVA,
        ben={**CANVA, "labeled_examples": "none"},
        cat={**CANVA, "accuracy_requirement": "medium"},
    )
    result = run("team", *files, "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [(m["name"], m["approach"]) for m in payload["members"]] == [
        ("ana", "fine_tuning"),
        ("ben", assess(Answers.parse({**CANVA, "labeled_examples": "none"})).approach.value),
        ("cat", assess(Answers.parse({**CANVA, "accuracy_requirement": "medium"})).approach.value),
    ]
    # The median of none, 500–4,999, 500–4,999 is 500–4,999: the consensus is CANVA's own answers.
    assert payload["consensus"]["answers"] == CANVA
    assert payload["consensus"]["approach"] == assess(Answers.parse(CANVA)).approach.value
    by_question = {d["question"]: d for d in payload["disagreements"]}
    assert set(by_question) == {"labeled_examples", "accuracy_requirement"}
    assert by_question["labeled_examples"]["answers"] == {"none": 1, CANVA["labeled_examples"]: 2}
    assert by_question["labeled_examples"]["changes_result"] is True
    assert payload["disagreements"][0]["question"] == "labeled_examples"  # what changes it comes first
    expected = assess(Answers.parse({**CANVA, "accuracy_requirement": "medium"})).approach
    assert by_question["accuracy_requirement"]["changes_result"] is (
        expected.value != payload["consensus"]["approach"]
    )


def test_team_text_names_who_would_change_the_result(tmp_path: Path) -> None:
    files = _members(tmp_path, ana=CANVA, ben={**CANVA, "labeled_examples": "none"}, cat=CANVA)
    result = run("team", *files)
    assert result.returncode == 0, result.stderr
    assert "Consensus: Fine-tuning" in result.stdout
    assert "If ben is right about labelled examples (None), it becomes Prompt engineering" in result.stdout
    assert "Confidence: medium" in result.stdout or "Confidence: low" in result.stdout


def test_team_needs_two_files_and_reports_a_bad_one_by_name(tmp_path: Path) -> None:
    one = _members(tmp_path, ana=CANVA)
    assert run("team", *one).returncode == 2
    bad = tmp_path / "ben.json"
    bad.write_text('{"labeled_examples": "lots"}', encoding="utf-8")
    result = run("team", one[0], str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("error: labeled_examples: 'lots' is not an option")


def test_team_members_with_the_same_file_name_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "answers.json", tmp_path / "b" / "answers.json"
    first.write_text(json.dumps(CANVA), encoding="utf-8")
    second.write_text(json.dumps(CANVA), encoding="utf-8")
    payload = json.loads(run("team", str(first), str(second), "--format", "json").stdout)
    assert [m["name"] for m in payload["members"]] == ["answers", "answers (2)"]

"""The CLI, run as a real process exactly as the contract names it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import Answers, assess
from scoring.questionnaire import QUESTIONS
from tests.scenarios import SCENARIOS

SUPPORT_BOT = next(s for s in SCENARIOS if s.id == "support_bot_weekly_docs").answers


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


def test_stdin_and_text_format_is_the_default() -> None:
    result = run("assess", "-", stdin=json.dumps(SUPPORT_BOT))
    assert result.returncode == 0, result.stderr
    assert "Recommendation: RAG" in result.stdout
    assert "Why" in result.stdout
    assert "Next steps" in result.stdout
    assert "[" in result.stdout  # source keys are cited


def test_absent_scored_questions_are_allowed_and_reported(tmp_path: Path) -> None:
    partial = {k: v for k, v in SUPPORT_BOT.items() if k not in {"compute_budget", "ml_expertise"}}
    result = run("assess", write(tmp_path, json.dumps(partial)), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["missing"] == ["compute_budget", "ml_expertise"]
    assert payload["confidence"]["answered"] == 16


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


def test_interview_asks_one_question_at_a_time_and_recommends() -> None:
    # Project name, skip use case, then answers by number (or option id) for every scored question.
    canva = next(s for s in SCENARIOS if s.id == "canva_design_guidelines").answers
    replies = ["Design assistant", ""]
    for question in QUESTIONS:
        if question.is_free_text:
            continue
        replies.append(str(question.option_ids.index(canva[question.id]) + 1))
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
    assert "1 of 18 questions answered" in result.stdout


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
    policy.write_text('[rules."primary_failure_mode.knowledge"]\neffects = { rag = -20 }\n', encoding="utf-8")

    env = {**os.environ, "LLM_APPROACH_POLICY": str(policy)}
    result = run("assess", "-", "--format", "json", stdin=json.dumps(SUPPORT_BOT), env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["approach"] != "rag"

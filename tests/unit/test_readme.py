"""The README's questionnaire reference is the questionnaire, and its commands exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.questionnaire import QUESTIONS
from scoring.reference import END, START, questionnaire_markdown, with_reference

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_reference(text) == text, "the questionnaire changed: run `make docs`"


def test_the_reference_names_every_question_and_option() -> None:
    reference = questionnaire_markdown()
    for question in QUESTIONS:
        assert f"`{question.id}`" in reference
        for option in question.options:
            assert f"`{option.id}`: {option.label}" in reference


def test_a_readme_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_reference("# no markers here\n")
    assert with_reference(f"a\n{START}\nold\n{END}\nb") == f"a\n{START}\n{questionnaire_markdown()}{END}\nb"


def test_the_readme_starts_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").split("```")[1]
    assert "make run" in head and "make test" in head

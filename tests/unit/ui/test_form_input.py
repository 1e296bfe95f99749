"""Text people type is kept only if it can be stored and posted as typed; otherwise the field says why."""

from __future__ import annotations

import pytest

from bot import ids
from bot.ui.forms import UNSTORABLE_TEXT, check_decision, check_page, storable


@pytest.mark.parametrize("text", ["Support bot", "Zoë’s 漢字 🙂", "two\nlines\tand a tab", ""])
def test_ordinary_text_is_storable(text: str) -> None:
    assert storable(text)


@pytest.mark.parametrize("text", ["\ud800", "half \udfff emoji", "nul\x00", "bell\x07", "esc\x1b[31m"])
def test_broken_or_control_text_is_not(text: str) -> None:
    assert not storable(text)


def _text(value: str) -> dict[str, object]:
    return {ids.ANSWER: {"type": "plain_text_input", "value": value}}


def test_the_page_shows_the_problem_under_the_field_and_keeps_nothing_of_it() -> None:
    page = check_page(1, {"project_name": _text("Bot \ud800"), "use_case": _text("fine")}, partial=True)
    assert page.errors == {"project_name": UNSTORABLE_TEXT}
    assert "project_name" not in page.answers
    assert page.answers["use_case"] == "fine"


def test_a_decision_rationale_is_checked_the_same_way() -> None:
    entered = check_decision(
        {
            ids.DECISION_APPROACH_BLOCK: {ids.ANSWER: {"selected_option": {"value": "rag"}}},
            ids.DECISION_RATIONALE_BLOCK: _text("because \udfff"),
        },
        500,
    )
    assert entered.errors == {ids.DECISION_RATIONALE_BLOCK: UNSTORABLE_TEXT}

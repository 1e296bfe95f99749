"""Reading and checking what a person entered on a questionnaire page. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot import ids
from scoring import Approach
from scoring.questionnaire import QUESTIONS_BY_ID, Question, questions_on_page


@dataclass
class PageInput:
    answers: dict[str, str] = field(default_factory=dict)
    cleared: list[str] = field(default_factory=list)  # optional questions emptied on this page
    errors: dict[str, str] = field(default_factory=dict)  # block_id -> message shown under the field


def _value(element_state: Mapping[str, Any]) -> str | None:
    conversation = element_state.get("selected_conversation")
    if isinstance(conversation, str):
        return conversation
    selected = element_state.get("selected_option")
    if isinstance(selected, Mapping):
        value = selected.get("value")
        return value if isinstance(value, str) else None
    value = element_state.get("value")
    return value if isinstance(value, str) else None


def read_values(state_values: Any) -> dict[str, str | None]:
    """block_id -> entered value (None when empty) from a view's state.values."""
    entered: dict[str, str | None] = {}
    if not isinstance(state_values, Mapping):
        return entered
    for block_id, elements in state_values.items():
        if isinstance(elements, Mapping) and isinstance(elements.get(ids.ANSWER), Mapping):
            entered[str(block_id)] = _value(elements[ids.ANSWER])
    return entered


def page_questions(page: int, *, teammate: bool = False) -> tuple[Question, ...]:
    """The questions a page asks. A teammate answering for a team round gets the scored questions only: the
    project is already named, and described, on the result they are answering for."""
    return tuple(q for q in questions_on_page(page) if not (teammate and q.is_free_text))


def is_required(question: Question, *, teammate: bool = False) -> bool:
    """A teammate may leave any question blank: only those who answered it count in the round."""
    return question.required and not teammate


def check_page(page: int, state_values: Any, *, partial: bool = False, teammate: bool = False) -> PageInput:
    """The valid answers of one page and a message for each field that is wrong.

    With ``partial`` (Back, or closing the modal), unanswered required questions are not errors.
    """
    questions = page_questions(page, teammate=teammate)
    entered = read_values(state_values)
    result = PageInput()
    known = {q.id for q in questions} | {ids.POST_CHANNEL_BLOCK}
    unknown = [block_id for block_id in entered if block_id not in known]
    if unknown and questions:
        result.errors[questions[0].id] = "This form is out of date: close it and run /llm-approach again."
    for question in questions:
        value = entered.get(question.id)
        if question.is_free_text:
            value = (value or "").strip()
            if not storable(value):
                result.errors[question.id] = UNSTORABLE_TEXT
            elif len(value) > question.max_length:
                result.errors[question.id] = (
                    f"At most {question.max_length} characters, please (this is {len(value)})."
                )
            elif value:
                result.answers[question.id] = value
            elif is_required(question, teammate=teammate) and not partial:
                result.errors[question.id] = "Please fill this in."
            elif not is_required(question, teammate=teammate):
                result.cleared.append(question.id)
            continue
        if value is None:
            if is_required(question, teammate=teammate) and not partial:
                result.errors[question.id] = "Please choose one."
            elif teammate:
                result.cleared.append(question.id)
        elif value in question.option_ids:
            result.answers[question.id] = value
        else:
            result.errors[question.id] = "Choose one of the options shown."
    return result


_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


def chosen_channel(state_values: Any) -> str | None:
    """The channel picked in "Post the result in", when the page has that input and it holds a channel."""
    value = read_values(state_values).get(ids.POST_CHANNEL_BLOCK)
    return value if value and _CHANNEL_ID.match(value) else None


UNSTORABLE_TEXT = (
    "This contains characters I can't keep (a control character or half of an emoji); please retype it."
)
_LINE_BREAKS = frozenset("\n\r\t")


def storable(text: str) -> bool:
    """Text that can be kept and posted as typed: valid UTF-8 (no lone surrogate from a forged or broken
    client) and no control characters but line breaks and tabs."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return all(c in _LINE_BREAKS or unicodedata.category(c) != "Cc" for c in text)


def first_incomplete_page(answers: Mapping[str, str]) -> int | None:
    """The first page with a required question unanswered, if any."""
    for question in QUESTIONS_BY_ID.values():
        if question.required and not answers.get(question.id):
            return question.page
    return None


@dataclass
class DecisionInput:
    approach: str | None = None
    rationale: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def check_decision(state_values: Any, limit: int) -> DecisionInput:
    """The approach adopted and the rationale from the decision form, or a message under each bad field."""
    entered = read_values(state_values)
    result = DecisionInput()
    approach = entered.get(ids.DECISION_APPROACH_BLOCK)
    if approach is None:
        result.errors[ids.DECISION_APPROACH_BLOCK] = "Choose the approach adopted."
    elif approach not in {a.value for a in Approach}:
        result.errors[ids.DECISION_APPROACH_BLOCK] = "Choose one of the options shown."
    else:
        result.approach = approach
    result.rationale = (entered.get(ids.DECISION_RATIONALE_BLOCK) or "").strip()
    if not storable(result.rationale):
        result.errors[ids.DECISION_RATIONALE_BLOCK] = UNSTORABLE_TEXT
    elif not result.rationale:
        result.errors[ids.DECISION_RATIONALE_BLOCK] = "Please say why, in a sentence or two."
    elif len(result.rationale) > limit:
        result.errors[ids.DECISION_RATIONALE_BLOCK] = f"At most {limit} characters, please."
    return result

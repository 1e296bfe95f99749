"""The questionnaire modal and the error view: pure functions from state to Block Kit view payloads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import ids
from bot.blocks import Block, actions, button, context, plain, section
from scoring.questionnaire import PAGE_TITLES, PAGES, Question, questions_on_page

LAST_PAGE = PAGES[-1]


class ModalMetadata(BaseModel):
    """What a modal remembers between submits: ids only; the answers live in Redis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    draft: str = Field(alias="d", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    channel: str = Field(alias="c", max_length=32, pattern=r"^[A-Z0-9]*$")
    page: int = Field(alias="p", ge=PAGES[0], le=LAST_PAGE)

    def dump(self) -> str:
        return json.dumps(self.model_dump(by_alias=True), separators=(",", ":"))

    def on_page(self, page: int) -> ModalMetadata:
        return self.model_copy(update={"page": page})

    @classmethod
    def load(cls, text: str) -> ModalMetadata | None:
        try:
            return cls.model_validate_json(text or "{}")
        except ValidationError:
            return None


def _option(question: Question, option_id: str) -> dict[str, Any]:
    return {"text": plain(question.option_label(option_id), 75), "value": option_id}


def question_input(question: Question, answer: str | None) -> Block:
    element: dict[str, Any]
    if question.is_free_text:
        element = {
            "type": "plain_text_input",
            "action_id": ids.ANSWER,
            "max_length": question.max_length,
            "multiline": question.max_length > 200,
        }
        if answer:
            element["initial_value"] = answer[: question.max_length]
    else:
        element = {
            "type": "radio_buttons",
            "action_id": ids.ANSWER,
            "options": [_option(question, option_id) for option_id in question.option_ids],
        }
        if answer in question.option_ids:
            element["initial_option"] = _option(question, answer)
    return {
        "type": "input",
        "block_id": question.id,
        "label": plain(question.label, 2000),
        "hint": plain(question.help, 2000),
        "optional": not question.required,
        "element": element,
    }


def questionnaire_view(
    metadata: ModalMetadata,
    answers: Mapping[str, str],
    *,
    editing: bool = False,
    resumed_note: str | None = None,
) -> dict[str, Any]:
    """One page of the questionnaire, prefilled with the answers given so far."""
    page = metadata.page
    blocks: list[Block] = []
    if resumed_note:
        blocks.append(section(resumed_note))
        blocks.append(actions(ids.RESUME_BLOCK, button("Start over", ids.START_OVER)))
    blocks.append(section(f"*{PAGE_TITLES[page]}*"))
    blocks.append(
        context(
            "Your answers are saved at every step: "
            "close this and run `/llm-approach` to pick up where you stopped."
        )
    )
    blocks.extend(question_input(q, answers.get(q.id)) for q in questions_on_page(page))
    if page > PAGES[0]:
        blocks.append(actions(ids.NAVIGATION_BLOCK, button("← Back", ids.BACK)))
    title = f"Edit · step {page} of {LAST_PAGE}" if editing else f"Step {page} of {LAST_PAGE}"
    return {
        "type": "modal",
        "callback_id": ids.QUESTIONNAIRE_CALLBACK,
        "private_metadata": metadata.dump(),
        "notify_on_close": True,
        "title": plain(title, 24),
        "submit": plain("Get recommendation" if page == LAST_PAGE else "Next", 24),
        "close": plain("Close", 24),
        "blocks": blocks,
    }


def message_view(title: str, text: str, *, error_id: str | None = None) -> dict[str, Any]:
    """A modal that only says something: an error, or that the result is on its way."""
    blocks: list[Block] = [section(text)]
    if error_id:
        blocks.append(context(f"Error id `{error_id}`: quote it if you report this."))
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("Close", 24),
        "blocks": blocks,
    }

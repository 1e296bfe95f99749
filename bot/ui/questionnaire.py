"""The questionnaire modal: pure functions from a page and the answers so far to a Block Kit view."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bot import ids
from bot.storage.models import Draft
from bot.ui.blocks import Block, actions, button, context, plain, section, sections_from_lines
from bot.ui.metadata import QuestionnaireMetadata
from scoring.questionnaire import PAGE_TITLES, PAGES, Question, questions_on_page

LAST_PAGE = PAGES[-1]


def resumed_note(draft: Draft) -> str:
    answered = sum(1 for key in draft.answers if key != "project_name")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(draft.updated)) if draft.updated else "earlier"
    return f":floppy_disk: Picking up your draft from {when} ({answered} answers saved)."


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
    metadata: QuestionnaireMetadata,
    answers: Mapping[str, str],
    *,
    editing: bool = False,
    resumed_note: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """One page of the questionnaire, prefilled with the answers given so far.

    ``resumed_note`` says a draft was picked up (with a Start over button); ``notice`` says anything else
    the person must read first, such as a newer version published while they were editing.
    """
    page = metadata.page
    blocks: list[Block] = []
    if notice:
        blocks.extend(sections_from_lines("Before you go on", notice.splitlines()))
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

"""The questionnaire modal: pure functions from a page and the answers so far to a Block Kit view.

Pages are rendered straight from ``scoring.questionnaire``, so a question added there appears here with no
change; only what is not a question (the resume note, where to post, Back) is added around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot import ids
from bot.storage.models import Draft
from bot.ui.blocks import (
    Block,
    button,
    confirm_dialog,
    context,
    local_time,
    plain,
    section,
    sections_from_lines,
)
from bot.ui.forms import is_required, page_questions
from bot.ui.metadata import QuestionnaireMetadata
from scoring.questionnaire import PAGE_TITLES, PAGES, Question

LAST_PAGE = PAGES[-1]
ROUND_NOTE = (
    "Answer for yourself, from what you know of the project, without looking at the posted answers: the "
    "thread compares everyone's, and where you differ is what the team needs to talk about. Leave a "
    "question blank if you don't know. Your answers are saved page by page."
)
SAVED_NOTE = (
    "Your answers are saved as you go: close this and run `/llm-approach` to pick up where you stopped."
)


def resumed_note(draft: Draft) -> str:
    answered = sum(1 for key in draft.answers if key != "project_name")
    when = local_time(draft.updated) if draft.updated else "earlier"
    saved = f"{answered} answer{'s' if answered != 1 else ''}"
    return f":floppy_disk: Picking up your draft from {when} ({saved} so far)."


def _option(question: Question, option_id: str) -> dict[str, Any]:
    return {"text": plain(question.option_label(option_id), 75), "value": option_id}


def question_input(question: Question, answer: str | None, *, required: bool | None = None) -> Block:
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
    block: Block = {
        "type": "input",
        "block_id": question.id,
        "label": plain(question.label, 2000),
        "optional": not (question.required if required is None else required),
        "element": element,
    }
    hint = question.help or None
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def channel_input(initial: str | None) -> Block:
    """Where to post a result started outside a channel: the last channel used is the default."""
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": ids.ANSWER,
        "placeholder": plain("Choose a channel"),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return {
        "type": "input",
        "block_id": ids.POST_CHANNEL_BLOCK,
        "label": plain("Post the result in"),
        "hint": plain("Your team discusses it in its thread there. I need to be in the channel: /invite me."),
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
        start_over = button(
            "Start over",
            ids.START_OVER,
            confirm=confirm_dialog(
                "Start over?",
                "This clears every answer in your draft. It can't be undone.",
                "Clear my answers",
                danger=True,
            ),
        )
        blocks.append(section(resumed_note, block_id=ids.RESUME_BLOCK, accessory=start_over))
    title_block = section(f"*{PAGE_TITLES[page]}*")
    if page > PAGES[0]:
        # Back beside the page's title rather than in a row of its own under the last question.
        title_block.update(block_id=ids.NAVIGATION_BLOCK, accessory=button("← Back", ids.BACK))
    blocks.append(title_block)
    teammate = metadata.round is not None
    if page == PAGES[0] and teammate and not resumed_note:
        blocks.append(context(ROUND_NOTE))
    elif page == PAGES[0] and not resumed_note and not notice and not editing:
        blocks.append(context(SAVED_NOTE))
    blocks.extend(
        question_input(q, answers.get(q.id), required=is_required(q, teammate=teammate))
        for q in page_questions(page, teammate=teammate)
    )
    if page == LAST_PAGE and metadata.ask_channel:
        blocks.append(channel_input(metadata.channel or None))
    if teammate:
        title, last_label = f"Your answers · {page} of {LAST_PAGE}", "Add my answers"
    elif editing:
        title, last_label = f"Edit · step {page} of {LAST_PAGE}", "Get recommendation"
    else:
        title, last_label = f"Step {page} of {LAST_PAGE}", "Get recommendation"
    return {
        "type": "modal",
        "callback_id": ids.QUESTIONNAIRE_CALLBACK,
        "private_metadata": metadata.dump(),
        "notify_on_close": True,
        "title": plain(title, 24),
        "submit": plain(last_label if page == LAST_PAGE else "Next", 24),
        "close": plain("Close", 24),
        "blocks": blocks,
    }

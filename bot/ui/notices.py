"""What the person reads when something goes wrong, modals that only say something, and the slash command's
own answers (help, forget). Pure."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.errors import Cause, UserFacingError
from bot.ui.blocks import Block, actions, button, confirm_dialog, context, plain, section

_EXPLANATION = {
    Cause.STORAGE: "my storage is not answering",
    Cause.SLACK: "Slack refused the request",
    Cause.BUG: "something went wrong on my side",
}


def problem_text(problem: UserFacingError, error_id: str | None) -> str:
    """One message that says one thing once: what failed, why, and what to do."""
    if problem.cause in {Cause.GONE, Cause.NOT_ALLOWED}:
        return f":information_source: {problem.summary}"
    why = _EXPLANATION[problem.cause]
    reference = f", error id `{error_id}`" if error_id else ""
    kept = " Your answers are saved." if problem.answers_kept else ""
    return f":warning: {problem.summary} ({why}{reference}).{kept} Please try again in a moment."


def message_view(
    title: str, text: str, *, error_id: str | None = None, close: str = "Close"
) -> dict[str, Any]:
    """A modal that only says something: an error, or that the result is on its way."""
    blocks: list[Block] = [section(text)]
    if error_id:
        blocks.append(context(f"Error id `{error_id}`: quote it if you report this."))
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain(close, 24),
        "blocks": blocks,
    }


def notice_view(problem: UserFacingError, error_id: str | None) -> dict[str, Any]:
    """A modal that tells the person what failed, opened where there was no modal (the Home tab)."""
    return message_view("Something went wrong", problem_text(problem, error_id))


def problem_view(problem: UserFacingError, error_id: str | None) -> dict[str, Any]:
    """Pushed over a modal page: what failed, once, and that closing it goes back to the page as it was.

    The page underneath keeps what the person entered, but nothing on it was saved: the view says so rather
    than showing an error under one question, as if that answer were wrong.
    """
    if problem.cause in {Cause.GONE, Cause.NOT_ALLOWED}:
        return message_view("Can't do that", problem_text(problem, None), close="Back")
    why = _EXPLANATION[problem.cause]
    text = (
        f":warning: *{problem.summary}*: {why}.\n"
        "What you entered is still on the page underneath. Go back to it, wait a moment and press the button "
        "again."
    )
    return message_view("Not saved", text, error_id=error_id, close="Back to my answers")


def help_text() -> str:
    return (
        "*/llm-approach* helps your team choose between prompt engineering, RAG, fine-tuning, or RAG with "
        "fine-tuning.\n"
        "• `/llm-approach` opens a short questionnaire (four pages); the recommendation is posted in this "
        "channel.\n"
        "• `/llm-approach Project name` does the same with the project name filled in.\n"
        "• Your answers are saved as you go: close the form and run the command again to pick up where you "
        "stopped.\n"
        "• In the result's thread, mention me: “what if we had 5,000 labelled examples”, “why”, "
        "“compare RAG and fine-tuning”, “help”.\n"
        "• `/llm-approach forget` deletes your drafts and your data in every assessment (it asks first)."
    )


FORGET_QUESTION = (
    "*Delete your data?* This deletes your drafts and the assessments only you took part in, with their "
    "votes and decisions. Where others took part, your votes and rationales are removed and your name is "
    "replaced; their answers and decisions stay. Messages already posted stay in their channels."
)


def forget_question() -> dict[str, Any]:
    """The ephemeral question `/llm-approach forget` asks before anything is deleted."""
    delete = button(
        "Delete my data",
        ids.FORGET_CONFIRM,
        "forget",
        style="danger",
        confirm=confirm_dialog(
            "Delete your data?",
            "Your drafts and the assessments only you took part in are deleted for good; elsewhere your "
            "votes and rationales are removed.",
            "Delete",
            danger=True,
        ),
    )
    keep = button("Keep everything", ids.FORGET_CANCEL, "keep")
    return {
        "response_type": "ephemeral",
        "text": "Delete your drafts and your data in every assessment? Nothing is deleted until you confirm.",
        "blocks": [section(FORGET_QUESTION), actions(ids.FORGET_BLOCK, delete, keep)],
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def forget_text(drafts: int, deleted: int, anonymised: int) -> str:
    """What `/llm-approach forget` did: what went, and what stays for the others, without the person."""
    return (
        f"Deleted {_count(drafts, 'draft')} and {_count(deleted, 'assessment')} that you started and nobody "
        f"else took part in. In {_count(anonymised, 'other assessment')} that others took part in, your "
        "votes and the rationales you wrote are removed and your name is replaced by "
        "“a former participant”; the answers and decisions stay for the team. "
        "Messages already posted stay in their channels; delete them in Slack if you need to."
    )


FORGET_CANCELLED = "Nothing was deleted."

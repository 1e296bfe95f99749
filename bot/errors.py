"""The failures a person is told about.

Listeners raise a ``UserFacingError`` (or let a storage or Slack error propagate); one handler,
``bot.listeners.reporting``, logs it with an error id and tells the person on the surface they used: a view
pushed over the modal, an ephemeral message where they clicked (a DM when that fails), the slash command's
response, a reply in the thread, or the Home tab. Nothing else reports errors.
"""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    """What kind of thing failed: it picks the explanation and whether an error id is worth quoting."""

    STORAGE = "storage"  # Redis unreachable or failing: transient
    SLACK = "slack"  # Slack refused or did not answer a Web API call
    GONE = "gone"  # what the person acted on no longer exists: nothing to retry, no error id
    NOT_ALLOWED = "not_allowed"  # the person may not do this: no error id
    BUG = "bug"  # anything unexpected


class UserFacingError(Exception):
    """Something the person asked for could not be done.

    ``summary`` says what, in their words ("I couldn't record your vote"). ``answers_kept`` is True only when
    their answers are known to be safe, so the message never claims so otherwise. ``channel`` and
    ``thread_ts`` name where to tell them when that differs from where the request came from.
    """

    def __init__(
        self,
        summary: str,
        *,
        cause: Cause = Cause.BUG,
        answers_kept: bool = False,
        channel: str | None = None,
        thread_ts: str | None = None,
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.cause = cause
        self.answers_kept = answers_kept
        self.channel = channel
        self.thread_ts = thread_ts

    @property
    def needs_error_id(self) -> bool:
        return self.cause not in {Cause.GONE, Cause.NOT_ALLOWED}


GONE_TEXT = (
    "That assessment is no longer stored (results are kept for a limited time). Run `/llm-approach` again."
)


def gone() -> UserFacingError:
    return UserFacingError(GONE_TEXT, cause=Cause.GONE)

"""What people are told when someone else got there first, and how an out-of-date edit is brought up to
date. Pure functions.

- A second submit of a questionnaire that was already posted (another tab, a double click) is told where
  the result is, not shown an error.
- An edit that started from an older version than the latest is never published over it: its changes are
  re-applied to the latest answers (``rebase``), the form says so, and the person submits again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.storage.models import Draft, StoredAssessment
from bot.ui.notices import message_view
from bot.ui.people import mention
from bot.ui.thread import changes_text


def already_posted_view(channel: str, link: str | None) -> dict[str, Any]:
    where = f"<{link}|open it in the channel>" if link else f"it is in <#{channel}>"
    return message_view(
        "Already posted",
        f":white_check_mark: These answers were already posted from another window: {where}.",
    )


def being_posted_view() -> dict[str, Any]:
    return message_view(
        "Already sent",
        ":hourglass_flowing_sand: These answers were just submitted from another window; "
        "the result is being posted and will appear in the channel in a moment.",
    )


def draft_gone_view() -> dict[str, Any]:
    return message_view(
        "Answers gone",
        "Your answers were deleted meanwhile (by `/llm-approach forget`, or they expired after 7 days). "
        "Run `/llm-approach` to start again.",
    )


def edit_base(draft: Draft, record: StoredAssessment) -> int:
    """The version an edit draft started from. Drafts saved before this was recorded: the latest version
    published before the draft was last saved."""
    if draft.base is not None:
        return draft.base
    earlier = [v.number for v in record.versions if v.at <= draft.updated]
    return max(earlier, default=1)


@dataclass(frozen=True)
class Rebased:
    answers: dict[str, str]  # the latest version's answers with the person's own changes on top
    base: int  # the version the edit had started from
    note: str  # what the form says about it


def rebase(draft: Draft, record: StoredAssessment) -> Rebased | None:
    """None when the draft started from the latest version; otherwise its changes re-applied to the latest.

    The person's changes are the answers where their draft differs from the version it started from. Where
    the latest version changed the same answer differently, the person's answer is kept, and the note
    lists it so they can choose.
    """
    base = edit_base(draft, record)
    if base >= record.version:
        return None
    started_from = record.answers_of(base) or {}
    mine = {q: a for q, a in draft.answers.items() if started_from.get(q) != a}
    merged = {**record.answers, **mine}
    latest = record.versions[-1] if record.versions else None
    by = f" by {mention(latest.by)} on {_day(latest.at)}" if latest else ""
    lines = [
        f":warning: *Version {record.version}* was published{by} after you started this edit from "
        f"version {base}. This form now shows version {record.version}"
        + (" with your changes on top:" if mine else "; your draft had no changes of its own.")
    ]
    lines += changes_text(record.answers, merged)
    both = [q for q in mine if record.answers.get(q) not in {started_from.get(q), mine[q]}]
    if both:
        lines.append(
            "Version "
            f"{record.version} had changed {len(both)} of these too; yours are shown. Check them and submit."
        )
    else:
        lines.append("Check the answers and submit to publish them as a new version.")
    return Rebased(answers=merged, base=base, note="\n".join(lines))


def _day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))

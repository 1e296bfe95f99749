"""Who may do what with an assessment: the authorization model the README states. Pure.

- Anyone who can see a result (Slack shows it only to members of its channel) may vote, ask the bot in its
  thread, export the decision record and start a new assessment.
- Until a decision is recorded, anyone who can see the result may edit its answers and record the decision:
  the assessment is the team's working draft. Nothing is lost by it: every edit is a new version, kept with
  who made it and when and announced in the thread, and an edit started before someone else's version is
  brought up to date, never published over it.
- Once a decision is recorded, the assessment belongs to two people: whoever recorded the decision in force
  and whoever started the assessment. Only they may edit its answers or change the decision (a new entry;
  every decision stays in the history, with who, when, what and why, and each change is announced).
- When both of those people have used ``/llm-approach forget``, the assessment opens up again to anyone who
  can see it, so that none is left that nobody may change.
- ``/llm-approach forget`` acts on the caller's own data only.
"""

from __future__ import annotations

from bot.storage.models import FORGOTTEN, StoredAssessment
from bot.ui.people import mention


def _owners(record: StoredAssessment) -> set[str] | None:
    """Who may change a decided assessment; None while it is undecided (anyone who sees it may)."""
    current = record.decision
    if current is None:
        return None
    owners = {current.by, record.user} - {FORGOTTEN}
    return owners or None


def may_edit(record: StoredAssessment, user: str) -> bool:
    owners = _owners(record)
    return owners is None or user in owners


def may_decide(record: StoredAssessment, user: str) -> bool:
    owners = _owners(record)
    return owners is None or user in owners


def _owners_text(record: StoredAssessment) -> str:
    current = record.decision
    assert current is not None
    if current.by == record.user:
        return f"{mention(current.by)}, who started this assessment and recorded its decision"
    return (
        f"{mention(current.by)}, who recorded the decision, or {mention(record.user)}, who started the "
        "assessment"
    )


def edit_refused(record: StoredAssessment) -> str:
    return (
        f"A decision is recorded on this assessment, so only {_owners_text(record)}, can edit its answers "
        "now. Try a what-if in the thread, or press *New assessment* to make your own."
    )


def decide_refused(record: StoredAssessment) -> str:
    return f"A decision is already recorded: only {_owners_text(record)}, can change it."


def round_refused(record: StoredAssessment) -> str:
    return (
        f"A decision is recorded on this assessment, so only {_owners_text(record)}, can ask the team to "
        "answer again: closing a round publishes a new version of its answers."
    )


def outcome_refused(record: StoredAssessment) -> str:
    """Pressing a review's button: anyone may, but the outcome is recorded by whoever may change the
    decision."""
    return f"Thanks for looking. Only {_owners_text(record)}, can record how the decision turned out."

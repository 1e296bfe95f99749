"""The review a decision gets: the choice on the decision form, and the message Slack posts in the result's
thread when it is due (scheduled with chat.scheduleMessage, so Slack holds it, not us). Pure."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment
from bot.ui.blocks import Block, actions, button, context, mrkdwn_escape, person, plain, rich, said, words
from scoring import Approach

WEEK_SECONDS = 7 * 24 * 3600
OUTCOME_BUTTONS = (
    ("met", "Met the target", ids.REVIEW_MET),
    ("partly", "Partly", ids.REVIEW_PARTLY),
    ("missed", "Didn't", ids.REVIEW_MISSED),
    ("changed", "We changed approach", ids.REVIEW_CHANGED),
)
OUTCOME_BY_ACTION = {action: outcome for outcome, _, action in OUTCOME_BUTTONS}


def _weeks_label(weeks: int) -> str:
    return "In 1 week" if weeks == 1 else f"In {weeks} weeks"


def review_choice(weeks: tuple[int, ...], default: int, current: int | None = None) -> Block:
    """The decision form's "Check back" input: each number of weeks the policy offers, or no review."""
    options = [{"text": plain(_weeks_label(w), 75), "value": str(w)} for w in weeks]
    options.append({"text": plain("No review", 75), "value": ids.NO_REVIEW})
    chosen = str(current) if current in weeks else str(default)
    return {
        "type": "input",
        "block_id": ids.DECISION_REVIEW_BLOCK,
        "label": plain("Check back"),
        "hint": plain(
            "I'll ask in the thread, mentioning you, whether it met the target. A changed decision "
            "replaces the review."
        ),
        "element": {
            "type": "static_select",
            "action_id": ids.ANSWER,
            "options": options,
            "initial_option": next(o for o in options if o["value"] == chosen),
        },
    }


def read_review_choice(entered: str | None, weeks: tuple[int, ...]) -> tuple[int | None, str | None]:
    """(weeks, None), (None, None) for no review, or (None, the message to show under the field)."""
    if entered is None or entered == ids.NO_REVIEW:
        return None, None
    if entered.isdigit() and int(entered) in weeks:
        return int(entered), None
    return None, "Choose one of the options shown."


def review_post_at(decided_at: float, weeks: int) -> int:
    return int(decided_at) + weeks * WEEK_SECONDS


def review_value(record: StoredAssessment) -> str:
    """What the review's buttons carry: the assessment, and which decision of its history is reviewed."""
    return f"{record.id}:{len(record.decisions)}"


def read_review_value(value: str) -> tuple[str, int | None]:
    assessment, _, number = value.partition(":")
    return assessment, int(number) if number.isdigit() else None


def review_message(record: StoredAssessment) -> dict[str, Any]:
    """The review as Slack will post it: the decider mentioned, the decision named, one button per outcome."""
    decision = record.decision
    assert decision is not None and decision.review_weeks is not None
    project = " ".join((record.answers.get("project_name") or "Unnamed project").split())
    approach = Approach(decision.approach).label
    weeks = decision.review_weeks
    ago = "1 week" if weeks == 1 else f"{weeks} weeks"
    value = review_value(record)
    blocks: list[Block] = [
        rich(
            person(decision.by),
            f", {ago} ago the team decided on ",
            words(approach, bold=True),
            " for ",
            said(project, bold=True),
            ". How did it turn out against the target?",
        ),
        actions(
            ids.REVIEW_ACTIONS_BLOCK,
            *(
                button(label, action, value, style="primary" if outcome == "met" else None)
                for outcome, label, action in OUTCOME_BUTTONS
            ),
        ),
        context(
            "Anyone can press; the people who may change the decision record the outcome. "
            "It shows on the result and in the team's report."
        ),
    ]
    # The fallback is read as mrkdwn in notifications: the project's name escaped there, never raw.
    return {"text": f"Review: how did {approach} turn out for {mrkdwn_escape(project)}?", "blocks": blocks}


def schedule_refused_text(weeks: int, why: str) -> str:
    """Told to the person who decided when the review could not be scheduled: the decision stands."""
    return (
        f"Your decision is recorded, but its review {_weeks_label(weeks).lower()} is not scheduled: {why}. "
        "Record the decision again to try once more, or note a date yourself."
    )


def refusal_reason(slack_error: str) -> str:
    """Slack's refusal of chat.scheduleMessage, in words."""
    words = {
        "ratelimited": "too many requests just now",
        "channel_not_found": "it can't find this channel",
        "not_in_channel": "I'm no longer in this channel",
        "is_archived": "the channel is archived",
        "time_too_far": "Slack schedules at most 120 days ahead",
        "time_in_past": "the time was already past",
        "restricted_too_many": "too many messages are scheduled in this channel right now",
    }.get(slack_error, slack_error)
    return f"Slack refused it ({words})"

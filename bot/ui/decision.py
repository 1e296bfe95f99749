"""The decision form: which approach the team adopts, and why. Pure."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment
from bot.ui.blocks import local_time, plain, section
from bot.ui.metadata import DecisionMetadata
from bot.ui.review import review_choice
from scoring import Approach
from scoring.models import APPROACHES

RATIONALE_LIMIT = 500


def decision_view(
    record: StoredAssessment, review_weeks: tuple[int, ...] = (), review_default: int = 4
) -> dict[str, Any]:
    """The form; with ``review_weeks`` (the policy's choices; none when follow-ups are off) it also asks
    when to check back."""
    options = [{"text": plain(a.label, 75), "value": a.value} for a in APPROACHES]
    recommended = record.result.approach
    decision = record.decision
    current = decision.approach if decision else recommended.value
    intro = f"Recommended: *{recommended.label}* ({record.result.confidence.level} confidence)."
    if decision is None:
        intro += " Record what the team adopts, even if it differs."
    else:
        intro += (
            f"\nRecorded now: *{Approach(decision.approach).label}*, by <@{decision.by}> "
            f"{local_time(decision.at)}. Your decision replaces it; the thread keeps a note of both."
        )
    return {
        "type": "modal",
        "callback_id": ids.DECISION_CALLBACK,
        "private_metadata": DecisionMetadata(assessment=record.id, seen=len(record.decisions)).dump(),
        "title": plain("Change decision" if decision else "Record decision", 24),
        "submit": plain("Change" if decision else "Record", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            section(intro),
            {
                "type": "input",
                "block_id": ids.DECISION_APPROACH_BLOCK,
                "label": plain("Approach adopted"),
                "element": {
                    "type": "static_select",
                    "action_id": ids.ANSWER,
                    "options": options,
                    "initial_option": next(o for o in options if o["value"] == current),
                },
            },
            {
                "type": "input",
                "block_id": ids.DECISION_RATIONALE_BLOCK,
                "label": plain("Why"),
                "hint": plain("A sentence or two for the record: the team reads it on the result."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ANSWER,
                    "multiline": True,
                    "max_length": RATIONALE_LIMIT,
                    **({"initial_value": decision.rationale} if decision else {}),
                },
            },
            *(
                [review_choice(review_weeks, review_default, decision.review_weeks if decision else None)]
                if review_weeks
                else []
            ),
        ],
    }

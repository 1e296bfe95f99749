"""The decision form: which approach the team adopts, and why. Pure."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment
from bot.ui.blocks import plain
from bot.ui.metadata import DecisionMetadata
from scoring.models import APPROACHES

RATIONALE_LIMIT = 500


def decision_view(record: StoredAssessment) -> dict[str, Any]:
    options = [{"text": plain(a.label, 75), "value": a.value} for a in APPROACHES]
    current = record.decision.approach if record.decision else record.result.approach.value
    return {
        "type": "modal",
        "callback_id": ids.DECISION_CALLBACK,
        "private_metadata": DecisionMetadata(assessment=record.id, seen=len(record.decisions)).dump(),
        "title": plain("Record decision", 24),
        "submit": plain("Record", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Recommended: *{record.result.approach.label}*. Record what the team adopts, "
                    "even if it differs.",
                },
            },
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
                "hint": plain("A sentence or two for the record."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ANSWER,
                    "multiline": True,
                    "max_length": RATIONALE_LIMIT,
                    "initial_value": record.decision.rationale if record.decision else "",
                },
            },
        ],
    }

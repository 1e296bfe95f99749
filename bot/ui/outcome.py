"""How a decision turned out: the outcome form, what it parses, and the outcome as the result, the thread and
Home show it. Pure.

What people typed (what was measured, what the team learned) is shown only in rich-text ``text`` elements
and plain-text inputs, exactly as typed; mrkdwn here carries only the bot's own words.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from bot import ids
from bot.storage.models import OUTCOMES, Outcome, StoredAssessment
from bot.ui.blocks import Block, paragraph, passage, person, plain, rich_parts, said, words
from bot.ui.forms import UNSTORABLE_TEXT, read_values, storable
from bot.ui.metadata import OutcomeMetadata
from scoring import Approach
from scoring.models import APPROACHES

MEASURED_LIMIT = 500
LEARNED_LIMIT = 1000
MEASURED_ON_MESSAGE = 140
OUTCOME_LABELS = {
    "met": "Met the target",
    "partly": "Partly met the target",
    "missed": "Didn't meet the target",
    "changed": "Changed approach",
}
OUTCOME_ICONS = {"met": "🎯", "partly": "◐", "missed": "✖", "changed": "↪"}
_SCORE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$")
SCORE_HELP = "A number from 0 to 1 (0.82) or a percentage (82%), or leave it empty."


def outcome_label(outcome: Outcome) -> str:
    label = OUTCOME_LABELS[outcome.result]
    if outcome.result == "changed" and outcome.changed_to:
        label += f" to {Approach(outcome.changed_to).label}"
    return label


def score_text(score: float) -> str:
    return f"{score:.0%}" if score * 100 == round(score * 100) else f"{score * 100:.1f}%"


def _day(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def outcome_view(record: StoredAssessment, decision: int, chosen: str) -> dict[str, Any]:
    """The form a review's button opens, with the pressed outcome chosen; an outcome already recorded for
    this decision fills it in, and the new one is added to the history (a correction)."""
    assert record.decision is not None
    current = record.outcome if decision == len(record.decisions) else None
    outcome_options = [{"text": plain(OUTCOME_LABELS[o], 75), "value": o} for o in OUTCOMES]
    approach_options = [{"text": plain(a.label, 75), "value": a.value} for a in APPROACHES]
    selected = chosen if chosen in OUTCOMES else (current.result if current else "met")
    decided = Approach(record.decision.approach).label
    intro = (
        f"The team decided on {decided}. Record how it turned out; it shows on the result and in the "
        "team's report."
    )
    if current is not None:
        intro += (
            f" Recorded now: {outcome_label(current)}, on {_day(current.at)}. Yours replaces it on the "
            "result; the history keeps both."
        )
    changed_to: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.ANSWER,
        "options": approach_options,
        "placeholder": plain("Choose the approach"),
    }
    if current is not None and current.changed_to:
        changed_to["initial_option"] = next(o for o in approach_options if o["value"] == current.changed_to)
    metadata = OutcomeMetadata(assessment=record.id, decision=decision)
    return {
        "type": "modal",
        "callback_id": ids.OUTCOME_CALLBACK,
        "private_metadata": metadata.dump(),
        "title": plain("Correct outcome" if current else "Record outcome", 24),
        "submit": plain("Record", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {"type": "section", "text": plain(intro, 3000)},
            {
                "type": "input",
                "block_id": ids.OUTCOME_RESULT_BLOCK,
                "label": plain("Outcome"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": ids.ANSWER,
                    "options": outcome_options,
                    "initial_option": next(o for o in outcome_options if o["value"] == selected),
                },
            },
            {
                "type": "input",
                "block_id": ids.OUTCOME_CHANGED_TO_BLOCK,
                "optional": True,
                "label": plain("Changed to"),
                "hint": plain("Only if you changed approach: which one you use now."),
                "element": changed_to,
            },
            _text_input(
                ids.OUTCOME_MEASURED_BLOCK,
                "What did you measure?",
                "The target and what you saw, e.g. answers correct on our 200-question eval set.",
                MEASURED_LIMIT,
                current.measured if current else "",
            ),
            {
                **_text_input(
                    ids.OUTCOME_SCORE_BLOCK,
                    "Eval score",
                    SCORE_HELP,
                    12,
                    score_text(current.score) if current and current.score is not None else "",
                    multiline=False,
                ),
                "optional": True,
            },
            {
                **_text_input(
                    ids.OUTCOME_LEARNED_BLOCK,
                    "What did the team learn?",
                    "For the next team facing the same choice.",
                    LEARNED_LIMIT,
                    current.learned if current else "",
                ),
                "optional": True,
            },
        ],
    }


def _text_input(
    block_id: str, label: str, hint: str, limit: int, initial: str, *, multiline: bool = True
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.ANSWER,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "hint": plain(hint),
        "element": element,
    }


@dataclass
class OutcomeInput:
    result: str | None = None
    changed_to: str | None = None
    measured: str = ""
    score: float | None = None
    learned: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_score(entered: str) -> float | None:
    """0.82, 0,82, 82 and 82% all mean 82%; None when it is no such number."""
    match = _SCORE.match(entered)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    if match.group(2) or number > 1:
        number /= 100
    return number if 0 <= number <= 1 else None


def check_outcome(state_values: Any) -> OutcomeInput:
    """What the outcome form holds, or a message under each field that is wrong."""
    entered = read_values(state_values)
    result = OutcomeInput()
    outcome = entered.get(ids.OUTCOME_RESULT_BLOCK)
    if outcome not in OUTCOMES:
        result.errors[ids.OUTCOME_RESULT_BLOCK] = "Choose how it turned out."
    else:
        result.result = outcome
    changed_to = entered.get(ids.OUTCOME_CHANGED_TO_BLOCK)
    if outcome == "changed":
        if changed_to not in {a.value for a in Approach}:
            result.errors[ids.OUTCOME_CHANGED_TO_BLOCK] = "Which approach do you use now?"
        else:
            result.changed_to = changed_to
    for block, limit, name in (
        (ids.OUTCOME_MEASURED_BLOCK, MEASURED_LIMIT, "measured"),
        (ids.OUTCOME_LEARNED_BLOCK, LEARNED_LIMIT, "learned"),
    ):
        value = (entered.get(block) or "").strip()
        if not storable(value):
            result.errors[block] = UNSTORABLE_TEXT
        elif len(value) > limit:
            result.errors[block] = f"At most {limit} characters, please."
        setattr(result, name, value)
    if not result.measured and ids.OUTCOME_MEASURED_BLOCK not in result.errors:
        result.errors[ids.OUTCOME_MEASURED_BLOCK] = "Say what you measured, even in a few words."
    score = (entered.get(ids.OUTCOME_SCORE_BLOCK) or "").strip()
    if score:
        result.score = read_score(score)
        if result.score is None:
            result.errors[ids.OUTCOME_SCORE_BLOCK] = SCORE_HELP
    return result


def _shortened(words: str, limit: int) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def outcome_on_result(outcome: Outcome) -> Block:
    """Beside the decision on the result: how it turned out, who reviewed it and when, and what was measured
    (as typed, shortened)."""
    score = f" · eval {score_text(outcome.score)}" if outcome.score is not None else ""
    measured = said(_shortened(outcome.measured, MEASURED_ON_MESSAGE)) if outcome.measured else "—"
    return rich_parts(
        paragraph(
            f"{OUTCOME_ICONS[outcome.result]} Reviewed: ", words(outcome_label(outcome), bold=True), score
        ),
        paragraph(
            words("Measured: ", bold=True),
            measured,
            " (reviewed by ",
            person(outcome.by),
            f" on {_day(outcome.at)})",
        ),
    )


def outcome_note(record: StoredAssessment, outcome: Outcome, *, correction: bool) -> dict[str, Any]:
    """The thread's note of an outcome: everything recorded, people's words quoted as typed."""
    verb = "corrected the outcome" if correction else "recorded the outcome"
    score = f", eval score {score_text(outcome.score)}" if outcome.score is not None else ""
    parts = [
        paragraph(person(outcome.by), f" {verb}: ", words(outcome_label(outcome), bold=True), score, "."),
        paragraph(words("What was measured", bold=True)),
        passage(outcome.measured),
    ]
    if outcome.learned:
        parts += [paragraph(words("What the team learned", bold=True)), passage(outcome.learned)]
    fallback = f"Outcome: {outcome_label(outcome)}"
    return {"text": fallback, "blocks": [rich_parts(*parts)]}


def home_outcome_suffix(record: StoredAssessment) -> str:
    """After a decision's line on Home: its outcome, in the bot's words."""
    outcome = record.outcome
    return f" · {OUTCOME_ICONS[outcome.result]} {outcome_label(outcome).lower()}" if outcome else ""

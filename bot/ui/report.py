"""What the workspace learns from its decisions: every assessment as a report row (CSV or JSON), and how the
decisions turned out, by recommended approach and by confidence. Pure.

Small counts are stated as counts: a rate on fewer than MIN_FOR_RATE cases is "3 of 4", never "75%".
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.storage.models import FORGOTTEN, OUTCOMES, DecisionFacts, StoredAssessment
from bot.ui.blocks import Block, context, section
from scoring import Approach
from scoring.models import APPROACHES

MIN_FOR_RATE = 5
CONFIDENCE_LEVELS = ("high", "medium", "low")
COLUMNS = (
    "team",
    "assessment",
    "channel",
    "assessed_at",
    "project",
    "recommended",
    "confidence",
    "decision",
    "decided_by",
    "decided_at",
    "followed_recommendation",
    "review_weeks",
    "outcome",
    "changed_to",
    "eval_score",
    "measured",
    "learned",
    "outcome_by",
    "outcome_at",
)
# The outcomes besides "met", as a tally names them: "7 of 9 met their target (1 partly, 1 didn't)".
_OTHERWISE = {"partly": "partly", "missed": "didn't", "changed": "changed approach"}
# A spreadsheet runs a cell that starts with one of these as a formula: people's text must not.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp)) if timestamp else ""


def _who(user: str | None) -> str:
    return "" if user in {None, FORGOTTEN} else str(user)


def report_row(record: StoredAssessment) -> dict[str, Any]:
    """One assessment: its recommendation and confidence, the decision in force, and that decision's latest
    outcome (an empty field where there is none)."""
    decision, outcome = record.decision, record.outcome
    recommended = record.result.approach
    return {
        "team": record.team,
        "assessment": record.id,
        "channel": record.channel,
        "assessed_at": _when(record.created),
        "project": record.answers.get("project_name", ""),
        "recommended": recommended.value,
        "confidence": record.result.confidence.level,
        "decision": decision.approach if decision else "",
        "decided_by": _who(decision.by) if decision else "",
        "decided_at": _when(decision.at) if decision else "",
        "followed_recommendation": (decision.approach == recommended.value) if decision else None,
        "review_weeks": decision.review_weeks if decision else None,
        "outcome": outcome.result if outcome else "",
        "changed_to": (outcome.changed_to or "") if outcome else "",
        "eval_score": outcome.score if outcome else None,
        "measured": outcome.measured if outcome else "",
        "learned": outcome.learned if outcome else "",
        "outcome_by": _who(outcome.by) if outcome else "",
        "outcome_at": _when(outcome.at) if outcome else "",
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue()


@dataclass
class Tally:
    """Decisions reviewed in one group, by outcome."""

    reviewed: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, outcome: str) -> None:
        self.reviewed += 1
        self.outcomes[outcome] += 1


@dataclass
class Learning:
    assessed: int = 0
    decided: int = 0
    followed: int = 0
    reviewed: int = 0
    by_approach: dict[str, Tally] = field(default_factory=dict)
    by_confidence: dict[str, Tally] = field(default_factory=dict)


def learning(facts: Iterable[DecisionFacts], *, assessed: int | None = None) -> Learning:
    """How often teams followed the recommendation, and how the reviewed decisions turned out by the
    recommendation's approach and confidence (each decision's latest outcome). ``assessed`` counts the
    assessments, decided or not, when the caller knows it."""
    learned = Learning()
    for fact in facts:
        learned.decided += 1
        learned.followed += fact.decision == fact.recommended
        if fact.outcome is None:
            continue
        learned.reviewed += 1
        learned.by_approach.setdefault(fact.recommended, Tally()).add(fact.outcome)
        learned.by_confidence.setdefault(fact.confidence, Tally()).add(fact.outcome)
    learned.assessed = learned.decided if assessed is None else assessed
    return learned


def rate(part: int, whole: int) -> str:
    """ "7 of 9 (78%)"; on fewer than MIN_FOR_RATE, only "3 of 4": a percentage would claim too much."""
    if whole < MIN_FOR_RATE:
        return f"{part} of {whole}"
    return f"{part} of {whole} ({part / whole:.0%})"


def _tally_line(name: str, tally: Tally) -> str:
    met = tally.outcomes["met"]
    rest = ", ".join(
        f"{count} {_OTHERWISE[o]}" for o, count in tally.outcomes.items() if o != "met" and count
    )
    return f"{name}: {rate(met, tally.reviewed)} met their target" + (f" ({rest})" if rest else "")


def learning_lines(learned: Learning, *, assessed: bool = True) -> list[str]:
    """The figures in sentences, for the report and App Home (which reads decided assessments only, so
    says nothing of how many were assessed: ``assessed=False``)."""
    counts = f"decided: {learned.decided}; reviewed: {learned.reviewed}."
    lines = [
        f"Assessments: {learned.assessed}; {counts}" if assessed else counts.capitalize(),
        f"Followed the recommendation: {rate(learned.followed, learned.decided)} decisions.",
    ]
    lines += [
        _tally_line(f"Recommended {Approach(a.value).label}", learned.by_approach[a.value])
        for a in APPROACHES
        if a.value in learned.by_approach
    ]
    lines += [
        _tally_line(f"{level.capitalize()} confidence", learned.by_confidence[level])
        for level in CONFIDENCE_LEVELS
        if level in learned.by_confidence
    ]
    return lines


def small_count_note(learned: Learning) -> str | None:
    """Said when some figure is a bare count because it rests on too few cases."""
    groups = [*learned.by_approach.values(), *learned.by_confidence.values()]
    if learned.decided < MIN_FOR_RATE or any(t.reviewed < MIN_FOR_RATE for t in groups):
        return f"Percentages are shown only for {MIN_FOR_RATE} or more decisions; fewer are given as counts."
    return None


def learning_json(learned: Learning) -> dict[str, Any]:
    def tallies(groups: dict[str, Tally]) -> dict[str, Any]:
        return {name: {"reviewed": t.reviewed, **t.outcomes} for name, t in sorted(groups.items())}

    return {
        "assessed": learned.assessed,
        "decided": learned.decided,
        "followed_recommendation": learned.followed,
        "reviewed": learned.reviewed,
        "by_recommended_approach": tallies(learned.by_approach),
        "by_confidence": tallies(learned.by_confidence),
        "min_for_rate": MIN_FOR_RATE,
        "lines": learning_lines(learned),
        "note": small_count_note(learned),
    }


def report_json(rows: list[dict[str, Any]], learned: Learning) -> str:
    return json.dumps({"assessments": rows, "summary": learning_json(learned)}, ensure_ascii=False, indent=2)


def home_learning_blocks(learned: Learning) -> list[Block]:
    """App Home, for workspace admins: what the workspace's decisions came to. Only the bot's words."""
    title = "*How the workspace's decisions turned out*"
    if learned.decided == 0:
        return [section(title), context("No decisions recorded yet.")]
    lines = "\n".join(f"• {line}" for line in learning_lines(learned, assessed=False))
    note = small_count_note(learned)
    footer = "Shown to workspace admins. Every assessment is in the operator's `python -m bot report`."
    return [section(f"{title}\n{lines}"), context(f"{note} {footer}" if note else footer)]

"""An assessment as a Markdown decision record (an ADR a team can commit next to its code)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from bot.storage.models import FORGOTTEN, StoredAssessment
from bot.ui.people import FORGOTTEN_NAME
from scoring import Approach
from scoring.questionnaire import QUESTIONS, QUESTIONS_BY_ID
from scoring.sources import SOURCES
from scoring.text import answer_label, describe_flip, points, supporting


def _day(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def _md(text: str) -> str:
    """Keep a person's text from breaking the record's Markdown structure."""
    return " ".join(text.split()).replace("|", "\\|")


def decision_record(record: StoredAssessment, votes: Mapping[str, str], names: Mapping[str, str]) -> str:
    """The record in Markdown. ``names`` maps user ids to display names where known."""
    result = record.result
    project = _md(record.answers.get("project_name", "Unnamed project"))

    def who(user: str) -> str:
        return FORGOTTEN_NAME if user == FORGOTTEN else names.get(user, user)

    status = "Decided" if record.decision else "Proposed"
    lines = [
        f"# Decision record: how to adapt an LLM for {project}",
        "",
        f"- Status: {status}",
        f"- Assessed: {_day(record.created)} by {who(record.user)}; version {record.version}",
    ]
    if record.decision:
        decided = Approach(record.decision.approach).label
        lines.append(f"- Decision: {decided}, by {who(record.decision.by)} on {_day(record.decision.at)}")
    lines += ["", "## Context", ""]
    lines.append(
        _md(record.answers["use_case"]) if record.answers.get("use_case") else "No use case was given."
    )
    lines += ["", "## Answers", "", "| Question | Answer |", "|---|---|"]
    for question in QUESTIONS:
        if question.is_free_text:
            continue
        lines.append(f"| {question.label} | {answer_label(question.id, record.answers.get(question.id))} |")
    lines += [
        "",
        "## Recommendation",
        "",
        f"**{result.approach.label}**, confidence {result.confidence.level} "
        f"({points(result.confidence.margin)} ahead of {result.confidence.runner_up.label}).",
        "",
        "Reasons:",
        "",
    ]
    for reason in supporting(result)[:6]:
        label = QUESTIONS_BY_ID[reason.question].short
        answer = answer_label(reason.question, reason.answer)
        lines.append(f"- {label}: {answer}. {reason.text} [{', '.join(reason.sources)}]")
    lines += ["", "## Alternatives", "", "| Approach | Score |", "|---|---|"]
    lines += [f"| {approach.label} | {score:+.1f} |" for approach, score in result.ranked()]
    if result.what_would_change:
        lines += ["", "What would change the recommendation:", ""]
        lines += [f"- {describe_flip(flip)}" for flip in result.what_would_change]
    if result.caveats:
        lines += ["", "## Risks", ""]
        lines += [f"- {note.text} [{', '.join(note.sources)}]" for note in result.caveats]
    lines += ["", "## Votes", ""]
    agree = sorted(who(u) for u, v in votes.items() if v == "agree")
    disagree = sorted(who(u) for u, v in votes.items() if v == "disagree")
    lines.append(f"- Agree ({len(agree)}): {', '.join(agree) or '—'}")
    lines.append(f"- Disagree ({len(disagree)}): {', '.join(disagree) or '—'}")
    lines += ["", "## Decision", ""]
    if record.decision:
        lines.append(f"{Approach(record.decision.approach).label}. {_md(record.decision.rationale)}".rstrip())
    else:
        lines.append("Not recorded yet.")
    if len(record.decisions) > 1:
        lines += ["", "History, oldest first:", ""]
        lines += [
            f"- {_day(d.at)}: {Approach(d.approach).label}, by {who(d.by)}"
            + (f". {_md(d.rationale)}" if d.rationale else "")
            for d in record.decisions
        ]
    cited = sorted({key for reason in result.reasons for key in reason.sources})
    lines += ["", "## Sources", ""]
    lines += [f"- {key}: {SOURCES[key]}" for key in cited if key in SOURCES]
    return "\n".join(lines) + "\n"


EXPORT_TEXT_LIMIT = 3800  # under chat.postMessage's 4,000-character guidance, with room for the fences


def record_filename(record: StoredAssessment) -> str:
    slug = "".join(
        c if c.isalnum() else "-" for c in record.answers.get("project_name", "project").lower()
    ).strip("-")
    return f"decision-record-{slug or 'project'}.md"


def record_text_fallback(markdown: str) -> str:
    """The record as a message, for workspaces where the bot cannot upload files."""
    shown = markdown if len(markdown) <= EXPORT_TEXT_LIMIT else markdown[:EXPORT_TEXT_LIMIT] + "\n…"
    return f"```{shown}```"

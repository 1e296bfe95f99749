"""An assessment as a decision record: a Markdown file a team can commit next to its code (an ADR), and the
same record as a readable Slack message where the bot cannot upload files. Pure."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from bot.storage.models import FORGOTTEN, StoredAssessment
from bot.ui.blocks import (
    FORGOTTEN_NAME,
    Block,
    Element,
    Piece,
    context,
    mrkdwn_escape,
    person,
    rich,
    rich_quote,
    said,
    section,
    sections_from_lines,
    typed,
    when,
    words,
)
from bot.ui.outcome import outcome_label, score_text
from bot.ui.result import Message, project_name
from bot.ui.sources import source_links, source_markdown
from bot.ui.wording import (
    answer_phrase,
    change_text,
    confidence_words,
    deciding_reasons,
    first_step,
    stage_text,
)
from scoring import Approach, Assessment
from scoring.questionnaire import QUESTIONS
from scoring.text import answer_label, describe_flip, points, supporting

# Markdown's own punctuation, backslash-escaped in people's text so it shows as typed: no heading, link,
# emphasis, table cell or raw HTML (such as a <!channel>) can come out of a project name.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def _day(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def _md(text: str) -> str:
    """A person's text for the Markdown record: on one line, every Markdown character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _voters(votes: Mapping[str, str], choice: str, who: Mapping[str, str]) -> list[str]:
    return sorted(who.get(user, user) for user, vote in votes.items() if vote == choice)


def _recommendation_lines(result: Assessment) -> list[str]:
    """The recommendation, what its confidence rests on, the path, conflicts, what was ruled out, reasons."""
    lines = [
        "",
        "## Recommendation",
        "",
        f"**{result.approach.label}**, confidence {result.confidence.level} "
        f"({points(result.confidence.margin)} ahead of {result.confidence.runner_up.label}).",
    ]
    if result.confidence.basis:
        lines += ["", "The confidence rests on:", ""]
        lines += [f"- {basis}" for basis in result.confidence.basis]
    if result.path:
        lines += ["", "Path:", ""]
        lines += [f"{number}. {stage_text(stage)}" for number, stage in enumerate(result.path, start=1)]
    else:
        step = first_step(result)
        if step:
            lines += ["", f"Start with: {step}"]
    if result.conflicts:
        lines += ["", "Answers that contradict each other (re-check them):", ""]
        lines += [f"- {conflict.text}" for conflict in result.conflicts]
    if result.gates:
        lines += ["", "Ruled out:", ""]
        lines += [f"- {', '.join(a.label for a in gate.blocks)}: {gate.text}" for gate in result.gates]
    lines += ["", "Reasons:", ""]
    for reason in supporting(result)[:6]:
        cited = ", ".join(source_markdown(key) for key in reason.sources)
        lines.append(
            f"- {answer_phrase(reason.question, reason.answer)}. {reason.text}"
            + (f" ({cited})" if cited else "")
        )
    return lines


def decision_record(record: StoredAssessment, votes: Mapping[str, str], names: Mapping[str, str]) -> str:
    """The record in Markdown. ``votes`` are the ones that count; ``names`` maps user ids to the names people
    go by, where Slack gave them (an id stands in otherwise)."""
    result = record.result
    project = _md(record.answers.get("project_name") or "Unnamed project")

    def who(user: str) -> str:
        return FORGOTTEN_NAME if user == FORGOTTEN else _md(names.get(user, user))

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
    lines += _recommendation_lines(result)
    lines += ["", "## Alternatives", "", "| Approach | Score |", "|---|---|"]
    lines += [f"| {approach.label} | {score:+.1f} |" for approach, score in result.ranked()]
    if result.actionable_changes:
        lines += ["", "What the team can do that would change the recommendation:", ""]
        lines += [f"- {describe_flip(flip)}" for flip in result.actionable_changes]
    if result.fact_changes:
        lines += ["", "Facts that would change it, were they different:", ""]
        lines += [f"- {describe_flip(flip)}" for flip in result.fact_changes]
    if result.caveats:
        lines += ["", "## Risks", ""]
        lines += [
            f"- {note.text}"
            + (f" ({', '.join(source_markdown(k) for k in note.sources)})" if note.sources else "")
            for note in result.caveats
        ]
    lines += ["", "## Votes", ""]
    agree, disagree = _voters(votes, "agree", names), _voters(votes, "disagree", names)
    lines.append(f"- Agree ({len(agree)}): {', '.join(_md(n) for n in agree) or '—'}")
    lines.append(f"- Disagree ({len(disagree)}): {', '.join(_md(n) for n in disagree) or '—'}")
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
    lines += _outcome_lines(record, who)
    cited_keys = sorted({key for reason in result.reasons for key in reason.sources})
    lines += ["", "## Sources", ""]
    lines += [f"- {source_markdown(key)}" for key in cited_keys]
    return "\n".join(lines) + "\n"


def _outcome_lines(record: StoredAssessment, who: Callable[[str], str]) -> list[str]:
    """How the decisions turned out, oldest first, each with what was measured and learned."""
    if not record.outcomes:
        return []
    lines = ["", "## Outcome", ""]
    for outcome in record.outcomes:
        decided = (
            record.decisions[outcome.decision - 1] if outcome.decision <= len(record.decisions) else None
        )
        of = f" (decision of {_day(decided.at)}: {Approach(decided.approach).label})" if decided else ""
        score = f", eval score {score_text(outcome.score)}" if outcome.score is not None else ""
        lines.append(f"- {_day(outcome.at)}: {outcome_label(outcome)}{score}, by {who(outcome.by)}{of}")
        if outcome.measured:
            lines.append(f"  - Measured: {_md(outcome.measured)}")
        if outcome.learned:
            lines.append(f"  - Learned: {_md(outcome.learned)}")
    return lines


def record_filename(record: StoredAssessment) -> str:
    slug = "".join(
        c if c.isalnum() else "-" for c in record.answers.get("project_name", "project").lower()
    ).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)[:60].strip("-")
    return f"decision-record-{slug or 'project'}.md"


def record_title(record: StoredAssessment) -> str:
    """The uploaded file's title (plain text, which Slack neither formats nor reads mentions in): the
    project's name as typed."""
    name = " ".join((record.answers.get("project_name") or "project").split())
    return "Decision record: " + name[:80]


def record_message(
    record: StoredAssessment, votes: Mapping[str, str], names: Mapping[str, str], *, reason: str
) -> Message:
    """The record as a Slack message in the thread, when the file could not be uploaded: the parts a team
    needs, in sections that Slack shows in full, with the sources linked."""
    result = record.result
    day = "{date_short_pretty}"

    def who(user: str) -> Element:
        """A person by the name they go by, as they wrote it, or as a user element."""
        return said(" ".join(names[user].split())) if user in names and user != FORGOTTEN else person(user)

    def listed(users: list[str]) -> list[Piece]:
        pieces: list[Piece] = []
        for number, user in enumerate(users):
            pieces += [", " if number else "", who(user)]
        return pieces or ["none"]

    project = project_name(record)
    blocks: list[Block] = [
        rich(words("Decision record: ", bold=True), said(project, bold=True)),
        rich(
            words("Project: ", bold=True),
            said(project),
            f" · version {record.version} · assessed by ",
            who(record.user),
            " ",
            when(record.created, day),
        ),
        section(f"*Recommendation*: {result.approach.label}. {confidence_words(result)}"),
    ]
    if record.decision:
        decided = Approach(record.decision.approach).label
        by, at = record.decision.by, record.decision.at
        blocks.append(rich(words("Decision: ", bold=True), f"{decided}, by ", who(by), " ", when(at, day)))
        if record.outcome is not None:
            outcome = outcome_label(record.outcome)
            blocks.append(section(f"*Outcome*: {outcome} (what was measured is in the thread)"))
    else:
        blocks.append(section("*Decision*: not recorded yet."))
    agree, disagree = _voters(votes, "agree", {}), _voters(votes, "disagree", {})
    if agree or disagree:
        blocks.append(rich(words("Votes: ", bold=True), "👍 ", *listed(agree), " · 👎 ", *listed(disagree)))
    if record.decision and record.decision.rationale:
        blocks.append(rich_quote(said(record.decision.rationale)))
    if record.answers.get("use_case"):
        blocks.append(typed("Context", " ".join(record.answers["use_case"].split())))
    reasons = [
        f"• *{answer_phrase(r.question, r.answer)}*. {r.text}"
        + (f" ({source_links(r.sources)})" if r.sources else "")
        for r in deciding_reasons(result, 4)
    ]
    blocks += sections_from_lines("Reasons", reasons)
    changes = [f"• {change_text(flip)}" for flip in result.what_would_change[:4]]
    if changes:
        blocks += sections_from_lines("What would change it", changes)
    blocks.append(context(f"{reason} The full answers are in the thread's first reply."))
    text = f"Decision record: {mrkdwn_escape(project)}, {result.approach.label} recommended"
    return {"text": text, "blocks": blocks[:50]}


def record_upload(record: StoredAssessment) -> dict[str, Any]:
    """How the file appears in the thread: its name and title."""
    return {"filename": record_filename(record), "title": record_title(record)}

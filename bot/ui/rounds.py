"""A team round in Slack: the Ask the team form and the round's one thread message. Pure functions.

The round lives in one message in the result's thread, updated in place as teammates answer: who has
answered, then (from the second answer) where they disagree and whether it matters, the recommendation
under each person's answers and under the team's consensus. Closing it turns the message into a record of
the round and publishes the consensus as the result's next version.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.storage.models import StoredAssessment, TeamRound
from bot.ui.blocks import (
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    local_time,
    mrkdwn_escape,
    person,
    plain,
    rich,
    said,
    section,
    words,
)
from bot.ui.metadata import RoundStartMetadata
from bot.ui.people import mention
from bot.ui.result import Message
from scoring.questionnaire import QUESTIONS_BY_ID
from scoring.team import TeamAnalysis
from scoring.team_text import confirm_text, flip_text, joint_text, member_results, spread_text, ties_text

FLIPS_SHOWN = 6  # disagreements that change the result, each a section of its own; the rest are one line
OTHERS_SHOWN = 12
# The most blocks a round's message has (heading, roster, consensus, members, FLIPS_SHOWN disagreements, joint
# flips, facts, contradictions, the rest, ties and the buttons): short enough to read in a thread.
ROUND_BLOCKS = 16


def round_value(round_: TeamRound) -> str:
    return f"{round_.assessment}:{round_.number}"


def read_round_value(value: str) -> tuple[str, int | None]:
    """(assessment id, round number) from a round button's value."""
    assessment, _, number = value.partition(":")
    return assessment, int(number) if number.isdigit() else None


def start_round_view(record: StoredAssessment) -> dict[str, Any]:
    """Ask the team: whether answers are shown with names, then the invitation goes to the thread."""
    names_option = {"text": plain("Show who gave which answer"), "value": ids.ROUND_SHOW_NAMES}
    counts_option = {"text": plain("Show answers without names (counts only)"), "value": ids.ROUND_HIDE_NAMES}
    project = _project(record)
    return {
        "type": "modal",
        "callback_id": ids.ROUND_START_CALLBACK,
        "private_metadata": RoundStartMetadata(assessment=record.id).dump(),
        "title": plain("Ask the team", 24),
        "submit": plain("Post invitation", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            rich(
                "Everyone working on ",
                said(project, bold=True),
                " answers the questions on their own, blank, in the result's thread. From the second "
                "answer the thread shows where you disagree and whether it changes the recommendation. You "
                "close the round when you're ready: the team's consensus becomes the next version of the "
                "result.",
            ),
            {
                "type": "input",
                "block_id": ids.ROUND_NAMES_BLOCK,
                "label": plain("In the comparison"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": ids.ANSWER,
                    "options": [names_option, counts_option],
                    "initial_option": names_option,
                },
                "hint": plain(
                    "Who has answered is shown either way. Without names, a disagreement says how many "
                    "people gave each answer, not who.",
                    2000,
                ),
            },
        ],
    }


def _roster(round_: TeamRound) -> str:
    people = round_.people
    if not people:
        return "No answers yet."
    named = []
    for user in people:
        note = " (the posted answers)" if round_.answers[user].from_result else ""
        named.append(f"{mention(user)}{note}")
    count = f"{len(people)} answer" + ("" if len(people) == 1 else "s")
    return f"*{count}:* " + ", ".join(named)


def _project(record: StoredAssessment) -> str:
    return " ".join((record.answers.get("project_name") or "this project").split())


def _heading(round_: TeamRound, project: str) -> Block:
    if round_.is_open:
        return rich(
            "👥 ",
            words("Ask the team", bold=True),
            " · ",
            person(round_.starter),
            " asks everyone working on ",
            said(project, bold=True),
            " to answer the questions on their own, blank. This message compares everyone's answers.",
        )
    closed = f"👥 *Team round closed* by {mention(round_.closed_by or round_.starter)}"
    if round_.closed_at:
        closed += f" {local_time(round_.closed_at)}"
    if round_.version is not None:
        outcome = f"The team's consensus is version {round_.version} of the result above."
    elif len(round_.people) < 2:
        outcome = "With one answer there was nothing to combine: the result stays as it was."
    else:
        outcome = "The team's consensus becomes the next version of the result above."
    return section(f"{closed}. {outcome}")


def _analysis_blocks(round_: TeamRound, analysis: TeamAnalysis) -> list[Block]:
    named = round_.named
    consensus = analysis.team_result()
    level = consensus.confidence
    blocks: list[Block] = [
        section(
            f"*Team consensus: {consensus.approach.label}* ({level.level} confidence): "
            f"{mrkdwn_escape(level.summary.split(': ', 1)[-1])}"
        ),
        context(f"Under each person's answers: {member_results(analysis, named=named, name=mention)}"),
    ]
    flipping = analysis.flipping
    shown = flipping[:FLIPS_SHOWN]
    for index, disagreement in enumerate(shown):
        title = QUESTIONS_BY_ID[disagreement.question].short
        lines = [f"*{title}* · {spread_text(disagreement, named=named, name=mention)}"]
        lines += [f"→ {flip_text(disagreement, f, named=named, name=mention)}" for f in disagreement.flips]
        if index == len(shown) - 1 and len(flipping) > FLIPS_SHOWN:
            # In the last one's section, not a block of its own: every section the round can show fits in
            # a message of ROUND_BLOCKS.
            lines.append(f"_…and {len(flipping) - FLIPS_SHOWN} more questions that change it._")
        blocks.append(section("\n".join(lines)))
    if analysis.joint_flips:
        lines = [
            f"→ {joint_text(flip, named=named, name=mention)}" for flip in analysis.joint_flips[:FLIPS_SHOWN]
        ]
        blocks.append(section("*Answers that change it together*\n" + "\n".join(lines)))
    if analysis.to_confirm:
        lines = [f"• {confirm_text(entry, named=named, name=mention)}" for entry in analysis.to_confirm]
        blocks.append(section("*Facts to confirm*\n" + "\n".join(lines)))
    if consensus.conflicts:
        lines = [f"• {conflict.text}" for conflict in consensus.conflicts]
        blocks.append(
            section(
                ":warning: *The consensus contradicts itself.* Answers pooled question by question combine "
                "into a contradiction; re-check them before closing:\n" + "\n".join(lines)
            )
        )
    rest = [d for d in analysis.disagreements if not d.changes_result]
    if rest:
        lines = [
            f"• {QUESTIONS_BY_ID[d.question].short}: {spread_text(d, named=named, name=mention)}"
            for d in rest[:OTHERS_SHOWN]
        ]
        if len(rest) > OTHERS_SHOWN:
            lines.append(f"…and {len(rest) - OTHERS_SHOWN} more.")
        blocks.append(section("*Also answered differently, without changing it*\n" + "\n".join(lines)))
    if not analysis.disagreements:
        blocks.append(context("Everyone who answered gave the same answers."))
    ties = ties_text(analysis)
    if ties:
        blocks.append(context("Ties: " + "; ".join(ties) + "."))
    return blocks


def _close_warning(analysis: TeamAnalysis | None) -> str:
    """What closing does, and what the team should know first (within a confirm dialog's 300 characters)."""
    text = (
        "The team's consensus becomes the next version of the result, and no more answers are taken. "
        "Only the person who started the round can close it."
    )
    if analysis is not None and analysis.consensus.conflicts:
        text = (
            "The consensus answers contradict each other, and it will be published with that flagged. " + text
        )
    elif analysis is not None and analysis.to_confirm:
        text = "Some facts are not confirmed yet by those who reported them. " + text
    return text


def round_message(round_: TeamRound, record: StoredAssessment, analysis: TeamAnalysis | None) -> Message:
    """The round's thread message; ``analysis`` once two or more people have answered."""
    project = _project(record)
    blocks: list[Block] = [_heading(round_, project)]
    blocks.append(context(_roster(round_) + ("" if round_.named else " · answers are shown without names")))
    if analysis is not None:
        blocks.extend(_analysis_blocks(round_, analysis))
    elif round_.is_open:
        blocks.append(context("The comparison appears here with the second answer."))
    if round_.is_open:
        add = button("Add my answers", ids.ROUND_ANSWER, round_value(round_), "primary")
        close = button(
            "Close round",
            ids.ROUND_CLOSE,
            round_value(round_),
            confirm=confirm_dialog("Close the round?", _close_warning(analysis), "Close and publish"),
        )
        blocks.append(actions(ids.ROUND_ACTIONS_BLOCK, add, close))
    count = len(round_.people)
    text = f"Team round on {mrkdwn_escape(project)}: {count} answer" + ("" if count == 1 else "s")
    if analysis is not None:
        text += f"; consensus {analysis.consensus.approach.label}"
    return {"text": text, "blocks": blocks}

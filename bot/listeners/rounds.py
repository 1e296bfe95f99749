"""Team rounds (README, "Ask the team"): start one from a result's ⋯ menu, add your own answers, close it.

Every teammate's answers go into the round in Redis, and one message in the result's thread shows the round:
it is re-rendered from Redis after every change by whichever process holds the round's painter (``repaint``),
so concurrent answers on several processes never leave it showing an older state.
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import ids
from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import Deps, deps_of
from bot.listeners.lookup import ASSESSMENT_ID, load_record
from bot.listeners.permissions import may_edit, round_refused
from bot.listeners.publishing import announce_version
from bot.listeners.slack_calls import SLACK_FAILURES, open_view, slack_error, tell_user, workspace_url
from bot.server.logs import log
from bot.storage.failures import StoreError
from bot.storage.models import (
    FORGOTTEN,
    Draft,
    StoredAssessment,
    TeamRound,
    Version,
    new_instance,
    round_draft,
)
from bot.storage.store import StaleBase
from bot.ui.forms import read_values
from bot.ui.home import permalink
from bot.ui.metadata import QuestionnaireMetadata, RoundStartMetadata
from bot.ui.notices import message_view
from bot.ui.people import mention
from bot.ui.questionnaire import questionnaire_view, resumed_note
from bot.ui.rounds import read_round_value, round_message, start_round_view
from scoring import Answers
from scoring.questionnaire import PAGES, SCORED_IDS
from scoring.team import TeamAnalysis, analyse

ROUND_GONE = "That team round is no longer stored (rounds are kept for a limited time)."
NOT_IN_A_CHANNEL = (
    "This result was posted to you directly, so your teammates can't see it. Ask the team from a result "
    "posted in a channel: run `/llm-approach` there, or invite me to the channel first."
)
PUBLISH_ATTEMPTS = 3  # a consensus overtaken by a teammate's edit is published over the newer version
PAINTS = 10  # re-renders in a row at most, when answers keep arriving while the message is updated


async def ask_team(
    trigger_id: str, assessment_id: str, client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """The ⋯ menu's Ask the team: the form that starts a round, unless one is open already."""
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    record = await load_record(deps, team, assessment_id)
    if record.ts is None:
        raise UserFacingError(ROUND_GONE, cause=Cause.GONE)
    if not record.channel.startswith(("C", "G")):
        raise UserFacingError(NOT_IN_A_CHANNEL, cause=Cause.NOT_ALLOWED)
    if not may_edit(record, user):
        raise UserFacingError(round_refused(record), cause=Cause.NOT_ALLOWED)
    try:
        current = await deps.store.rounds.load(team, record.id)
    except StoreError as error:
        raise UserFacingError("I couldn't check for an open team round", cause=Cause.STORAGE) from error
    if current is not None and current.is_open and current.ts:
        await _say_already_open(client, context, record, current, user)
        return
    await open_view(
        client, trigger_id, start_round_view(record), form="the Ask the team form", again="choose it again"
    )


async def _say_already_open(
    client: AsyncWebClient,
    context: AsyncBoltContext,
    record: StoredAssessment,
    current: TeamRound,
    user: str,
) -> None:
    link = permalink(await workspace_url(client, context, record.team), current.channel, current.ts or "")
    where = f"<{link}|in the thread>" if link else "in the thread"
    await tell_user(
        client,
        record.channel,
        user,
        f"A team round started by {mention(current.starter)} is already open on this result: answer it "
        f"{where}.",
        record.ts,
    )


def _posted_answers(record: StoredAssessment) -> tuple[str | None, dict[str, str]]:
    """Who gave the answers the result shows, to enter them as that person's; nobody when they are an
    earlier round's consensus or their author used ``forget``."""
    latest = record.versions[-1] if record.versions else None
    author = latest.by if latest else record.user
    if (latest is not None and latest.team_answers) or author == FORGOTTEN:
        return None, {}
    return author, {k: v for k, v in record.answers.items() if k in SCORED_IDS}


async def on_start_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """The Ask the team form: open the round and post its invitation in the result's thread."""
    view = body["view"]
    metadata = RoundStartMetadata.load(view.get("private_metadata"))
    if metadata is None:
        await ack(
            response_action="update", view=message_view("Out of date", "Close this form and try again.")
        )
        return
    choice = read_values(view.get("state", {}).get("values")).get(ids.ROUND_NAMES_BLOCK)
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    record = await load_record(deps, team, metadata.assessment)
    if record.ts is None:
        raise UserFacingError(ROUND_GONE, cause=Cause.GONE)
    if not may_edit(record, user):
        raise UserFacingError(round_refused(record), cause=Cause.NOT_ALLOWED)
    author, answers = _posted_answers(record)
    try:
        outcome = await deps.store.rounds.open(
            team,
            record.id,
            starter=user,
            named=choice != ids.ROUND_HIDE_NAMES,
            channel=record.channel,
            author=author,
            answers=answers,
        )
    except StoreError as error:
        raise UserFacingError("I couldn't start the team round", cause=Cause.STORAGE) from error
    assert outcome.round is not None
    if not outcome.done:
        await _say_already_open(client, context, record, outcome.round, user)
        return
    started = outcome.round
    try:
        posted = await client.chat_postMessage(
            channel=record.channel, thread_ts=record.ts, **round_message(started, record, None)
        )
    except SLACK_FAILURES as error:
        await _discard(deps, team, started)
        raise UserFacingError(
            "I couldn't post the team round's invitation in the thread",
            cause=Cause.SLACK,
            channel=record.channel,
            thread_ts=record.ts,
        ) from error
    try:
        await deps.store.rounds.posted(
            team, record.id, started.number, str(posted["channel"]), str(posted["ts"])
        )
    except StoreError as error:
        raise UserFacingError(
            "The invitation is posted, but I couldn't save where: answers to it won't show there",
            cause=Cause.STORAGE,
            channel=record.channel,
            thread_ts=record.ts,
        ) from error
    log.info("round.opened", extra={"assessment": record.id, "round": started.number})


async def _discard(deps: Deps, team: str, round_: TeamRound) -> None:
    try:
        await deps.store.rounds.discard(team, round_.assessment, round_.number)
    except StoreError:
        log.warning("round.discard_failed", extra={"assessment": round_.assessment})


async def _open_round(deps: Deps, team: str, value: str) -> TeamRound:
    """The open round a button of round message belongs to; UserFacingError when it is closed or gone."""
    assessment_id, number = read_round_value(value)
    if not ASSESSMENT_ID.fullmatch(assessment_id) or number is None:
        raise UserFacingError(ROUND_GONE, cause=Cause.GONE)
    try:
        found = await deps.store.rounds.load(team, assessment_id)
    except StoreError as error:
        raise UserFacingError("I couldn't load the team round", cause=Cause.STORAGE) from error
    if found is None or found.number != number:
        raise UserFacingError(ROUND_GONE, cause=Cause.GONE)
    if not found.is_open:
        raise UserFacingError(
            f"This team round was closed by {mention(found.closed_by or found.starter)}: it takes no more "
            "answers. Ask the team again from the result's ⋯ menu to start a new one.",
            cause=Cause.GONE,
        )
    return found


async def on_add_answers(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Add my answers: the questionnaire, blank (or the person's own earlier answers to this round)."""
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    current = await _open_round(deps, team, str(action.get("value") or ""))
    draft_id = round_draft(current.assessment)
    try:
        draft = await deps.store.load_draft(team, user, draft_id)
    except StoreError as error:
        raise UserFacingError("I couldn't load your answers for the round", cause=Cause.STORAGE) from error
    earlier = current.answers.get(user)
    answers = draft.answers if draft else dict(earlier.answers) if earlier else {}
    note = resumed_note(draft) if draft else None
    notice = (
        "You answered this round already: change what you like. Your new answers replace the earlier ones."
        if earlier and not draft
        else None
    )
    metadata = QuestionnaireMetadata(
        draft=draft_id,
        channel=current.channel,
        page=draft.page if draft else PAGES[0],
        round=current.number,
        instance=(draft.instance if draft else None) or new_instance(),
    )
    view = questionnaire_view(metadata, answers, resumed_note=note, notice=notice)
    await open_view(client, str(body["trigger_id"]), view, again="press *Add my answers* again")


async def submit_round_answers(
    ack: AsyncAck,
    client: AsyncWebClient,
    context: AsyncBoltContext,
    metadata: QuestionnaireMetadata,
    draft: Draft,
) -> None:
    """A teammate's last page: their answers join the round (replacing earlier ones), the message updates."""
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    assessment_id, number = metadata.round_assessment, metadata.round
    assert assessment_id is not None and number is not None
    answers = {k: v for k, v in draft.answers.items() if k in SCORED_IDS}
    try:
        outcome = await deps.store.rounds.answer(team, assessment_id, number, user, answers)
    except StoreError as error:
        raise UserFacingError(
            "I couldn't add your answers to the round", cause=Cause.STORAGE, answers_kept=True
        ) from error
    if not outcome.done:
        closed = outcome.round
        who = mention(closed.closed_by or closed.starter) if closed and closed.number == number else None
        text = (
            f"{who} closed the round before your answers arrived, so they weren't counted."
            if who
            else ROUND_GONE
        )
        await ack(response_action="update", view=message_view("Round closed", text))
        await _drop_draft(deps, team, user, metadata)
        return
    await ack(response_action="clear")
    await _drop_draft(deps, team, user, metadata)
    log.info("round.answered", extra={"assessment": assessment_id, "answers": len(answers)})
    await repaint(client, deps, team, assessment_id)


async def _drop_draft(deps: Deps, team: str, user: str, metadata: QuestionnaireMetadata) -> None:
    try:
        await deps.store.discard_draft(team, user, metadata.draft, metadata.instance)
    except StoreError:
        # The answers are in the round; the draft is left over and the next Add my answers resumes it.
        log.warning("round.draft_not_dropped")


def analysis_of(deps: Deps, round_: TeamRound) -> TeamAnalysis | None:
    """The round's analysis once two or more people have answered."""
    people = round_.people
    if len(people) < 2:
        return None
    return analyse({user: Answers.parse(round_.answers[user].answers) for user in people}, deps.engine)


async def repaint(client: AsyncWebClient, deps: Deps, team: str, assessment_id: str) -> None:
    """Show the round as Redis holds it now in its thread message.

    Only the holder of the round's painter updates the message. After updating, it reads the round's
    revision again: an answer that arrived meanwhile (whose own repaint found the painter taken) is shown by
    one more pass. Failures are logged, never raised: whatever changed is stored, and the next change shows
    it.
    """
    rounds = deps.store.rounds
    for _ in range(PAINTS):
        try:
            token = await rounds.claim_painter(team, assessment_id)
            if token is None:
                return
            try:
                shown = await _paint(client, deps, team, assessment_id)
            finally:
                await rounds.release_painter(team, assessment_id, token)
            if shown is None or await rounds.revision(team, assessment_id) == shown:
                return
        except StoreError:
            log.warning("round.repaint_failed", extra={"assessment": assessment_id, "cause": "storage"})
            return


async def _paint(client: AsyncWebClient, deps: Deps, team: str, assessment_id: str) -> int | None:
    """Render the round once; the revision shown, or None when there is nothing to show."""
    current = await deps.store.rounds.load(team, assessment_id)
    record = await deps.store.load_assessment(team, assessment_id)
    if current is None or current.ts is None or record is None:
        return None
    async with deps.priority.background():
        message = round_message(current, record, analysis_of(deps, current))
    try:
        await client.chat_update(channel=current.channel, ts=current.ts, **message)
    except SLACK_FAILURES as error:
        log.warning("round.update_failed", extra={"slack_error": slack_error(error)})
        return None
    return current.revision


async def on_close(
    ack: AsyncAck,
    action: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Close round: only its starter; the consensus of two or more answers becomes the next version."""
    await ack()
    deps = deps_of(context)
    team, user = str(context.team_id), str(context.user_id)
    current = await _open_round(deps, team, str(action.get("value") or ""))
    record = await load_record(deps, team, current.assessment)
    if current.starter != user:
        raise UserFacingError(
            f"Only {mention(current.starter)}, who started this round, can close it.", cause=Cause.NOT_ALLOWED
        )
    if not may_edit(record, user):
        raise UserFacingError(round_refused(record), cause=Cause.NOT_ALLOWED)
    try:
        outcome = await deps.store.rounds.close(team, current.assessment, current.number, user)
    except StoreError as error:
        raise UserFacingError("I couldn't close the round", cause=Cause.STORAGE) from error
    if not outcome.done or outcome.round is None:
        raise UserFacingError("This round is already closed.", cause=Cause.GONE)
    closed = outcome.round
    analysis = analysis_of(deps, closed)
    if analysis is not None:
        await _publish_consensus(client, deps, record, closed, analysis, user=user)
    await repaint(client, deps, team, current.assessment)
    log.info("round.closed", extra={"assessment": current.assessment, "answers": len(closed.people)})


async def _reopen(deps: Deps, team: str, closed: TeamRound) -> None:
    try:
        await deps.store.rounds.reopen(team, closed.assessment, closed.number)
    except StoreError:
        log.warning("round.reopen_failed", extra={"assessment": closed.assessment})


async def _publish_consensus(
    client: AsyncWebClient,
    deps: Deps,
    record: StoredAssessment,
    closed: TeamRound,
    analysis: TeamAnalysis,
    *,
    user: str,
) -> None:
    """The consensus as the result's next version, with the team's confidence; announced in the thread."""
    descriptive = {k: v for k, v in record.answers.items() if k not in SCORED_IDS}
    answers = {**descriptive, **analysis.answers}
    result = analysis.team_result()
    latest = record
    stored = None
    for _ in range(PUBLISH_ATTEMPTS):
        version = Version(
            number=latest.version + 1,
            answers=answers,
            approach=result.approach.value,
            by=user,
            at=time.time(),
            team_answers=len(analysis.members),
        )
        try:
            stored = await deps.store.add_version(
                record.team, record.id, version, result, base=latest.version
            )
            break
        except StaleBase as stale:
            latest = stale.latest  # a teammate's edit got in first: the consensus goes on top of it
        except StoreError as error:
            await _reopen(deps, record.team, closed)
            raise UserFacingError(
                "I couldn't publish the team's consensus; the round is open again, so you can close it again",
                cause=Cause.STORAGE,
            ) from error
    else:
        await _reopen(deps, record.team, closed)
        raise UserFacingError(
            "Teammates kept editing the result while I published the consensus; the round is open again, "
            "so you can close it again",
            cause=Cause.STORAGE,
        )
    if stored is None:
        raise gone()  # the assessment itself expired or was deleted meanwhile
    newest, votes = stored
    try:
        await deps.store.rounds.published(record.team, record.id, closed.number, newest.version)
    except StoreError:
        # The version is published and announced below; only the round's message won't name it.
        log.warning("round.version_not_noted", extra={"assessment": record.id})
    await announce_version(client, latest, newest, votes, user=user)


def register(app: AsyncApp) -> None:
    app.view_submission(ids.ROUND_START_CALLBACK)(on_start_submit)
    app.action(ids.ROUND_ANSWER)(on_add_answers)
    app.action(ids.ROUND_CLOSE)(on_close)

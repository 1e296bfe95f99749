"""`python -m bot gallery DIR`: every surface the app shows, as Block Kit JSON files, to review in one go.

It drives the real app through its own stand-in, as the demo does: the stand-in Web API, the app's real HTTP
endpoint, requests signed as Slack signs them, and the Redis at REDIS_URL (a private one only when nothing
listens there). Ana, Ben and Cat assess a project, vote, ask in the thread, edit the answers, record and
change a decision and export it, review a decision and record its outcome, and answer a team round; Dan
opens an empty Home. Every view and message
the app sends on the way is written to DIR as ``<surface>.json`` (plus the exported record as Markdown), in
the form ``blockkit_preview.py`` renders. Storage outages are played by a second app whose Redis is a port
where nothing listens. At the end the gallery's workspace is uninstalled, which deletes what it stored.

With ``--hostile`` the same people type text written to do harm (``HOSTILE_NAME`` as every project's name,
and in the rationales and a mention): every surface must still show it as typed and ping nobody
(``bot.devkit.typed_text``; tests/integration/test_gallery.py walks them all).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot import ids
from bot.devkit.demo import DEMO_ANSWERS, app_on_loopback
from bot.devkit.local_redis import devkit_redis, free_port
from bot.devkit.simulator import Modal, Reply, SlackSimulator
from bot.devkit.standin import Call, SlackStandIn

CHANNEL = "CPROJECT"
CLOSED_CHANNEL = "CNOBOT"  # a channel the bot is not in: results for it go by DM
PEOPLE = {"UANA": "Ana", "UBEN": "Ben", "UCAT": "Cat", "UDAN": "Dan"}
# Ben's edit: behaviour problems with plenty of examples and no documents to look up move it to fine-tuning.
EDITED_ANSWERS = {
    "knowledge_need": "none",
    "knowledge_change_frequency": "static",
    "citations_needed": "no",
    "primary_failure_mode": "behavior",
    "labeled_examples": "5000_plus",
}
# A team round on the demo project: Ben thinks the model already knows what it needs (which would change the
# recommendation), Cat expects fewer requests and a looser accuracy bar (which would not).
BENS_ROUND_ANSWERS = {
    "knowledge_need": "none",
    "labeled_examples": "50_499",
    "primary_failure_mode": "behavior",
}
CATS_ROUND_ANSWERS = {"accuracy_requirement": "medium", "request_volume": "low"}
MENTIONS = (
    ("thread-what-if-same", "what if we must self-host"),
    (
        "thread-what-if-changed",
        "what if we had 5000 labelled examples and failures were both knowledge and behaviour",
    ),
    ("thread-why", "why"),
    ("thread-explain", "explain labelled examples"),
    ("thread-compare", "compare rag and fine-tuning"),
    ("thread-help", "help"),
    ("thread-not-understood", "what if the moon is blue"),
)
# Everything at once: mrkdwn formatting, a broadcast, a mention, a link and an entity.
HOSTILE_NAME = "my_project *v2* ~x~ 2*3 <!channel> <@U123> <https://evil.example|click> & a"


@dataclass(frozen=True)
class Typed:
    """What the gallery's people type into the app: the demo's words, or (``--hostile``) harmful text."""

    answers: dict[str, str]
    other_project: str  # Cat's project, posted by DM
    draft_project: str  # Ana's draft, resumed from Home
    rationales: tuple[str, str]  # Ben's decision, then Ana's
    not_understood: str  # a mention the parser cannot read
    reviewed_project: str  # the project whose decision is reviewed
    measured: str  # what the reviewer says was measured

    def but(self, changes: dict[str, str]) -> dict[str, str]:
        return {**self.answers, **changes}


DEMO_TYPED = Typed(
    answers=DEMO_ANSWERS,
    other_project="Ops digest",
    draft_project="Contract clause extractor",
    rationales=(
        "Our format has to hold on every answer and we have 6,000 examples.",
        "Legal wants every answer traceable to a source document.",
    ),
    not_understood="what if the moon is blue",
    reviewed_project="Support <answers> & *FAQ*",
    measured="72% of answers correct on our 200-question set (target: 80%). <!channel> *not* bold",
)
HOSTILE_TYPED = replace(
    DEMO_TYPED,
    answers={**DEMO_ANSWERS, "project_name": HOSTILE_NAME},
    other_project=HOSTILE_NAME,
    draft_project=HOSTILE_NAME,
    rationales=(f"{HOSTILE_NAME} holds its format", f"> {HOSTILE_NAME}\n```needs sources```"),
    not_understood=f"tell me about {HOSTILE_NAME}",
    reviewed_project=HOSTILE_NAME,
    measured=f"{HOSTILE_NAME}: 72% correct",
)


class Gallery:
    """Writes surfaces to a folder, one JSON file each, and remembers what it wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[str] = []
        folder.mkdir(parents=True, exist_ok=True)

    def save(self, name: str, payload: dict[str, Any], *, asked: tuple[str, str] | None = None) -> None:
        """``asked`` is (user, text) of the message a reply answers, drawn above it by the preview tool."""
        if asked is not None:
            payload = {**payload, "_before": [{"user": asked[0], "text": asked[1]}]}
        self._write(f"{name}.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")

    def save_text(self, name: str, text: str) -> None:
        self._write(name, text)

    def _write(self, filename: str, text: str) -> None:
        (self.folder / filename).write_text(text, encoding="utf-8")
        self.written.append(filename)


def _args(call: Call) -> dict[str, Any]:
    return dict(call.args)


def _message(standin: SlackStandIn, channel: str, ts: str) -> dict[str, Any]:
    stored = standin.messages[(channel, ts)]
    return {"channel": channel, "text": stored["text"], "blocks": stored["blocks"], "ts": ts}


def _command_answer(reply: Reply) -> dict[str, Any]:
    """A slash command's immediate answer as a message: Bolt sends a text-only answer as plain text."""
    if reply.text.startswith("{"):
        return dict(reply.json())
    return {"response_type": "ephemeral", "text": reply.text}


def _button_value(message: dict[str, Any], action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return str(element.get("value", ""))
    raise AssertionError(f"no {action_id} on the message")


class Session:
    """The gallery's people acting on one stand-in, through the healthy app and the one without Redis."""

    def __init__(
        self,
        standin: SlackStandIn,
        slack: SlackSimulator,
        down: SlackSimulator,
        gallery: Gallery,
        typed: Typed = DEMO_TYPED,
    ) -> None:
        self.typed = typed
        self.standin = standin
        self.slack = slack
        self.down = down
        self.gallery = gallery

    def replies(self, channel: str, ts: str) -> list[Call]:
        return [
            c
            for c in self.standin.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == ts and c.args.get("channel") == channel
        ]

    async def next_reply(self, channel: str, ts: str, before: int) -> dict[str, Any]:
        await self.standin.wait_until(lambda: len(self.replies(channel, ts)) > before, what="a thread reply")
        return _args(self.replies(channel, ts)[-1])

    async def complete(self, modal: Modal, answers: dict[str, str], *, save_as: str | None = None) -> None:
        """Fill and submit every page; with ``save_as``, each page is saved as it first shows."""
        while not modal.closed:
            page = modal.title.split()[-3]
            if save_as:
                self.gallery.save(f"{save_as}-page-{page}", modal.view)
            modal.fill(answers)
            reply = await modal.submit()
            body = reply.json() or {}
            if reply.status != 200 or body.get("response_action") == "errors":
                raise AssertionError(f"the app refused page {page}: {reply.status} {reply.text}")

    def parents(self) -> list[tuple[str, str]]:
        """(channel, ts) of every top-level message the app posted, oldest first."""
        return [key for key, message in self.standin.messages.items() if "thread_ts" not in message]

    async def post_result(self, user: str, channel: str, answers: dict[str, str]) -> tuple[str, str]:
        """The whole questionnaire; (channel, ts) of the posted result, once its detail is in the thread."""
        before = len(self.parents())
        await self.complete(await self.slack.open_modal(user, channel), answers)

        def posted() -> bool:
            parents = self.parents()
            return len(parents) > before and bool(self.replies(*parents[-1]))

        await self.standin.wait_until(posted, what="the result and its detail")
        return self.parents()[-1]

    async def updated(self, channel: str, ts: str, before: int) -> dict[str, Any]:
        def changed() -> bool:
            return len([c for c in self.standin.calls_to("chat.update") if c.args.get("ts") == ts]) > before

        await self.standin.wait_until(changed, what="the result's update")
        await asyncio.sleep(0.05)  # let racing updates settle, as the app re-renders until they do
        return _message(self.standin, channel, ts)

    def updates(self, ts: str) -> int:
        return len([c for c in self.standin.calls_to("chat.update") if c.args.get("ts") == ts])


async def modal_surfaces(session: Session) -> None:
    """Every page of a new assessment, its field errors, a storage error over a page, and out of date."""
    gallery, slack = session.gallery, session.slack
    modal = await slack.open_modal("UANA", CHANNEL)
    gallery.save("modal-page-1", modal.view)
    answers = session.typed.answers
    refused = await modal.submit()  # nothing filled in
    gallery.save(
        "modal-page-1-field-errors",
        {"response_action": "errors", "errors": (refused.json() or {}).get("errors", {}), "view": modal.view},
    )
    for page in (1, 2):
        modal.fill(answers)
        await modal.submit()
        gallery.save(f"modal-page-{page + 1}", modal.view)
    modal.fill(answers)
    outage = Modal(session.down, "UANA", modal.view)
    outage.entered = dict(modal.entered)
    pushed = await outage.submit()
    gallery.save("modal-storage-error", pushed.json() or {})
    await modal.submit()
    gallery.save("modal-page-4", modal.view)
    forged = {**modal.view, "private_metadata": '{"d":"../x"}'}
    stale = await slack.view_submission("UANA", forged, modal.entered)
    gallery.save("modal-out-of-date", stale.json() or {})
    await modal.close()


async def result_and_thread(session: Session) -> None:
    """The result fresh, voted on, asked about, edited, decided and decided again, and its thread."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    typed = session.typed
    channel, ts = await session.post_result("UANA", CHANNEL, typed.answers)
    gallery.save("result-1-fresh", _message(standin, channel, ts))
    gallery.save("thread-detail", _args(session.replies(channel, ts)[0]))
    message = _message(standin, channel, ts)
    assessment = _button_value(message, ids.RECORD_DECISION)

    for user, action in (("UANA", ids.VOTE_AGREE), ("UBEN", ids.VOTE_AGREE), ("UCAT", ids.VOTE_DISAGREE)):
        before = session.updates(ts)
        await slack.press_on_message(
            user, action, _button_value(message, action), channel=channel, message=message
        )
        await session.updated(channel, ts, before)
    gallery.save("result-2-after-votes", _message(standin, channel, ts))

    mentions = [(n, typed.not_understood if n == "thread-not-understood" else t) for n, t in MENTIONS]
    for name, text in mentions:
        before = len(session.replies(channel, ts))
        await slack.mention("UBEN", channel, text, thread_ts=ts)
        gallery.save(
            name, await session.next_reply(channel, ts, before), asked=("UBEN", f"@llm-approach {text}")
        )
    await slack.mention("UCAT", channel, "what should we do?", thread_ts=None)
    outside = await standin.wait_for("chat.postMessage", len(standin.calls_to("chat.postMessage")))
    gallery.save(
        "thread-outside-a-result", _args(outside[-1]), asked=("UCAT", "@llm-approach what should we do?")
    )

    # Ben edits the answers from the ⋯ menu: a new version, and the recommendation changes.
    _, trigger = await slack.choose_on_message(
        "UBEN", ids.RESULT_MENU, f"{ids.MENU_EDIT}:{assessment}", channel=channel, message=message
    )
    edit = Modal(slack, "UBEN", await standin.view_opened_by(trigger))
    gallery.save("modal-edit-page-1", edit.view)
    before_replies, before_updates = len(session.replies(channel, ts)), session.updates(ts)
    await session.complete(edit, typed.but(EDITED_ANSWERS))
    gallery.save("thread-version-note", await session.next_reply(channel, ts, before_replies))
    edited = await session.updated(channel, ts, before_updates)
    gallery.save("result-3-edited", edited)

    # Cat votes on the message as it was before the edit: her vote is for the old recommendation.
    await slack.press_on_message(
        "UCAT", ids.VOTE_AGREE, _button_value(message, ids.VOTE_AGREE), channel=channel, message=message
    )
    told = await standin.wait_for("chat.postEphemeral")
    gallery.save("vote-not-counted", _args(told[-1]))

    # Ben records a decision that follows the recommendation; Ana, who started the assessment, changes it.
    for name, user, approach, rationale in (
        ("decision", "UBEN", "fine_tuning", typed.rationales[0]),
        ("decision-changed", "UANA", "rag", typed.rationales[1]),
    ):
        current = _message(standin, channel, ts)
        _, trigger = await slack.press_on_message(
            user, ids.RECORD_DECISION, assessment, channel=channel, message=current
        )
        form = Modal(slack, user, await standin.view_opened_by(trigger))
        gallery.save(f"{name}-form", form.view)
        form.entered[ids.DECISION_APPROACH_BLOCK] = {
            ids.ANSWER: {"type": "static_select", "selected_option": {"value": approach}}
        }
        form.fill({ids.DECISION_RATIONALE_BLOCK: rationale})
        before_replies, before_updates = len(session.replies(channel, ts)), session.updates(ts)
        await form.submit()
        gallery.save(f"thread-{name}-note", await session.next_reply(channel, ts, before_replies))
        gallery.save(
            "result-4-decided" if name == "decision" else "result-5-decided-differently",
            await session.updated(channel, ts, before_updates),
        )
    # Cat neither started it nor recorded the decision: she is told who may change it.
    before_told = len(standin.calls_to("chat.postEphemeral"))
    await slack.press_on_message(
        "UCAT", ids.RECORD_DECISION, assessment, channel=channel, message=_message(standin, channel, ts)
    )
    told = await standin.wait_for("chat.postEphemeral", before_told + 1)
    gallery.save("decision-not-allowed", _args(told[-1]))
    await export(session, channel, ts, assessment)


async def reviews_and_outcomes(session: Session) -> None:
    """A decision's review as Slack posts it, pressed by someone who may not record and by the decider, the
    outcome form (fresh and correcting), its note and the result that leads with it."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    channel, ts = await session.post_result(
        "UANA", CHANNEL, session.typed.but({"project_name": session.typed.reviewed_project})
    )
    assessment = _button_value(_message(standin, channel, ts), ids.RECORD_DECISION)
    await _decide(session, "UANA", channel, ts, assessment)
    review = await _review_due(session, ts)
    gallery.save("review-1-message", review)

    before = len(standin.calls_to("chat.postEphemeral"))
    await _press_review(session, "UCAT", review, ids.REVIEW_MET)
    told = await standin.wait_for("chat.postEphemeral", before + 1)
    gallery.save("review-2-not-allowed", _args(told[-1]))

    trigger = await _press_review(session, "UANA", review, ids.REVIEW_PARTLY)
    form = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    gallery.save("outcome-form", form.view)
    form.fill(
        {
            ids.OUTCOME_MEASURED_BLOCK: session.typed.measured,
            ids.OUTCOME_SCORE_BLOCK: "0.72",
            ids.OUTCOME_LEARNED_BLOCK: "Retrieval misses the tables in the PDFs.\nChunk them separately.",
        }
    )
    before_replies, before_updates = len(session.replies(channel, ts)), session.updates(ts)
    await form.submit()
    gallery.save("thread-outcome-note", await session.next_reply(channel, ts, before_replies))
    gallery.save("result-8-reviewed", await session.updated(channel, ts, before_updates))

    corrected = Modal(
        slack,
        "UANA",
        await standin.view_opened_by(await _press_review(session, "UANA", review, ids.REVIEW_MET)),
    )
    gallery.save("outcome-form-correcting", corrected.view)
    await corrected.close()


async def review_faults(session: Session) -> None:
    """A review Slack refuses to schedule, a review closed because its decision changed, and the
    workspace's figures on an admin's Home."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    # Slack refuses to schedule the next one: the decision is recorded, and the decider is told.
    channel, ts = await session.post_result("UBEN", CHANNEL, DEMO_ANSWERS)
    other = _button_value(_message(standin, channel, ts), ids.RECORD_DECISION)
    standin.fail("chat.scheduleMessage", "restricted_too_many")
    before = len(standin.calls_to("chat.postEphemeral"))
    await _decide(session, "UBEN", channel, ts, other)
    told = await standin.wait_for("chat.postEphemeral", before + 1)
    gallery.save("review-schedule-refused", _args(told[-1]))

    # A review whose decision was changed since closes itself when pressed.
    _, ts = await session.post_result("UANA", CHANNEL, DEMO_ANSWERS)
    assessment = _button_value(_message(standin, CHANNEL, ts), ids.RECORD_DECISION)
    await _decide(session, "UANA", CHANNEL, ts, assessment)
    stale = await _review_due(session, ts)
    await _decide(session, "UANA", CHANNEL, ts, assessment)
    before = len(standin.calls_to("response_url"))
    await _press_review(session, "UANA", stale, ids.REVIEW_MET)
    closed = await standin.wait_for("response_url", before + 1)
    gallery.save("review-3-closed", {"channel": CHANNEL, "text": closed[-1].args["text"]})

    standin.admins.add("UANA")
    before = len(standin.calls_to("views.publish"))
    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DANA", "tab": "home"})
    published = await standin.wait_for("views.publish", before + 1)
    gallery.save("home-4-admin-with-outcomes", published[-1].args["view"])
    standin.admins.discard("UANA")


async def _decide(session: Session, user: str, channel: str, ts: str, assessment: str) -> None:
    """Record RAG as the decision, with the review in 4 weeks (the form's default)."""
    slack, standin = session.slack, session.standin
    _, trigger = await slack.press_on_message(
        user, ids.RECORD_DECISION, assessment, channel=channel, message=_message(standin, channel, ts)
    )
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    form.fill(
        {ids.DECISION_APPROACH_BLOCK: "rag", ids.DECISION_RATIONALE_BLOCK: "Our help centre changes weekly."}
    )
    before = session.updates(ts)
    await form.submit()
    await session.updated(channel, ts, before)


async def _review_due(session: Session, ts: str) -> dict[str, Any]:
    """What Slack does when the review of the result ``ts`` is due: posts it in the thread."""
    standin = session.standin

    def held() -> str | None:
        return next((k for k, m in standin.scheduled.items() if m.get("thread_ts") == ts), None)

    await standin.wait_until(lambda: held() is not None, what="the review to be scheduled")
    scheduled = held()
    assert scheduled is not None
    channel = standin.scheduled[scheduled]["channel"]
    posted = await standin.deliver_scheduled(scheduled)
    assert posted is not None
    return _message(standin, channel, posted)


async def _press_review(session: Session, user: str, review: dict[str, Any], action_id: str) -> str:
    """Press one of a review's buttons; the trigger id a form would open with."""
    trigger = f"review-{user}-{len(session.standin.calls)}"
    await session.slack.block_action(
        user,
        action_id,
        value=_button_value(review, action_id),
        channel=review["channel"],
        message=review,
        trigger_id=trigger,
        response_url=session.standin.response_url("review"),
    )
    return trigger


async def team_round(session: Session) -> None:
    """Ask the team: the start form, the invitation, a teammate's blank form, the comparison as answers
    arrive (with names, and counts only), a close refused and done, and the consensus as a new version."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    rounds = []
    for names in (True, False):
        channel, ts = await session.post_result("UANA", CHANNEL, session.typed.answers)
        message = _message(standin, channel, ts)
        assessment = _button_value(message, ids.RECORD_DECISION)
        _, trigger = await slack.choose_on_message(
            "UANA", ids.RESULT_MENU, f"{ids.MENU_ASK_TEAM}:{assessment}", channel=channel, message=message
        )
        form = Modal(slack, "UANA", await standin.view_opened_by(trigger))
        before = len(session.replies(channel, ts))
        form.fill({ids.ROUND_NAMES_BLOCK: ids.ROUND_SHOW_NAMES if names else ids.ROUND_HIDE_NAMES})
        if names:
            gallery.save("round-start-form", form.view)
        await form.submit()
        invitation = await session.next_reply(channel, ts, before)
        round_ts = next(
            key[1]
            for key, posted in standin.messages.items()
            if posted.get("thread_ts") == ts and ids.ROUND_ANSWER in json.dumps(posted)
        )
        rounds.append((channel, ts, round_ts))
        if names:
            gallery.save("round-1-invitation", invitation)
        for user, answers in (("UBEN", BENS_ROUND_ANSWERS), ("UCAT", CATS_ROUND_ANSWERS)):
            current = _message(standin, channel, round_ts)
            _, trigger = await slack.press_on_message(
                user,
                ids.ROUND_ANSWER,
                _button_value(current, ids.ROUND_ANSWER),
                channel=channel,
                message=current,
            )
            teammate = Modal(slack, user, await standin.view_opened_by(trigger))
            before_updates = session.updates(round_ts)
            await session.complete(
                teammate,
                session.typed.but(answers),
                save_as="round-teammate-form" if names and user == "UBEN" else None,
            )
            shown = await session.updated(channel, round_ts, before_updates)
            if names:
                gallery.save("round-2-two-answers" if user == "UBEN" else "round-3-three-answers", shown)
            elif user == "UCAT":
                gallery.save("round-3-counts-only", shown)

    channel, ts, round_ts = rounds[0]
    current = _message(standin, channel, round_ts)
    before_told = len(standin.calls_to("chat.postEphemeral"))
    close_value = _button_value(current, ids.ROUND_CLOSE)
    await slack.press_on_message("UBEN", ids.ROUND_CLOSE, close_value, channel=channel, message=current)
    told = await standin.wait_for("chat.postEphemeral", before_told + 1)
    gallery.save("round-close-not-allowed", _args(told[-1]))
    before_replies, before_updates = len(session.replies(channel, ts)), session.updates(round_ts)
    await slack.press_on_message("UANA", ids.ROUND_CLOSE, close_value, channel=channel, message=current)
    gallery.save("thread-round-version-note", await session.next_reply(channel, ts, before_replies))
    await standin.wait_until(
        lambda: "version 2 of the result" in json.dumps(_message(standin, channel, round_ts)),
        what="the closed round",
    )
    gallery.save("round-4-closed", _message(standin, channel, round_ts))
    gallery.save("result-7-team-consensus", _message(standin, channel, ts))


async def export(session: Session, channel: str, ts: str, assessment: str) -> None:
    """The decision record as an uploaded Markdown file, and as a message where uploads are refused."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    message = _message(standin, channel, ts)
    choice = f"{ids.MENU_EXPORT}:{assessment}"
    await slack.choose_on_message("UANA", ids.RESULT_MENU, choice, channel=channel, message=message)
    await standin.wait_for("files.completeUploadExternal")
    await standin.wait_until(lambda: all(f.get("content") for f in standin.files.values()), what="the upload")
    uploaded = next(iter(standin.files.values()))
    gallery.save_text("export-record.md", str(uploaded["content"]))
    gallery.save(
        "export-upload",
        {
            "channel": channel,
            "thread_ts": ts,
            "text": "",
            "files": [
                {
                    "name": uploaded["filename"],
                    "title": uploaded["title"],
                    "preview": str(uploaded["content"]),
                }
            ],
        },
    )
    standin.fail("files.getUploadURLExternal", "missing_scope")
    before = len(session.replies(channel, ts))
    await slack.choose_on_message("UANA", ids.RESULT_MENU, choice, channel=channel, message=message)
    gallery.save("export-text-fallback", await session.next_reply(channel, ts, before))


async def dm_result(session: Session) -> None:
    """A result for a channel the bot is not in: it goes to the person by DM, saying what needs a channel."""
    session.standin.refuse_channel(CLOSED_CHANNEL)
    channel, ts = await session.post_result(
        "UCAT", CLOSED_CHANNEL, session.typed.but({"project_name": session.typed.other_project})
    )
    session.gallery.save("result-6-by-dm", _message(session.standin, channel, ts))


async def home_and_starts(session: Session) -> None:
    """Home (empty, with a draft and results, storage down), resuming, and a start from Home."""
    gallery, slack, standin = session.gallery, session.slack, session.standin

    async def home(app: SlackSimulator, user: str, name: str) -> None:
        before = len(standin.calls_to("views.publish"))
        await app.event({"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"})
        published = await standin.wait_for("views.publish", before + 1)
        gallery.save(name, published[-1].args["view"])

    await home(slack, "UDAN", "home-1-empty")
    draft = await slack.open_modal("UANA", CHANNEL)
    draft.fill({"project_name": session.typed.draft_project, "task_complexity": "medium"})
    await draft.submit()
    await draft.close()
    await home(slack, "UANA", "home-2-with-draft-and-results")
    await home(session.down, "UANA", "home-3-storage-down")

    resumed = await slack.open_modal("UANA", CHANNEL)
    gallery.save("modal-resumed", resumed.view)
    await resumed.close()

    # From Home there is no channel: the last page asks where to post, defaulting to the last one used.
    _, trigger = await slack.press_on_message("UANA", ids.HOME_RESUME, "", channel="DANA", message={})
    from_home = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    while from_home.title != "Step 4 of 4":
        from_home.fill(session.typed.but({"project_name": session.typed.draft_project}))
        await from_home.submit()
    gallery.save("modal-from-home-page-4", from_home.view)
    await from_home.close()


async def commands(session: Session) -> None:
    """The slash command's own answers: help, forget (asked first, then done), and storage down."""
    gallery, slack, standin = session.gallery, session.slack, session.standin
    gallery.save("command-help", _command_answer(await slack.slash_command("UCAT", CHANNEL, "help")))
    gallery.save("forget-1-confirm", _command_answer(await slack.slash_command("UCAT", CHANNEL, "forget")))
    before = len(standin.calls_to("response_url"))
    await slack.block_action(
        "UCAT",
        ids.FORGET_CONFIRM,
        value="forget",
        channel=CHANNEL,
        message={"ts": "1.1", "text": ""},
        response_url=standin.response_url("forget"),
    )
    done = await standin.wait_for("response_url", before + 1)
    gallery.save("forget-2-done", _args(done[-1]))
    before = len(standin.calls_to("response_url"))
    await session.down.slash_command("UCAT", CHANNEL)
    told = await standin.wait_for("response_url", before + 1)
    gallery.save("command-storage-down", _args(told[-1]))


async def capture(folder: Path, redis_url: str, *, hostile: bool = False) -> list[str]:
    """Play every surface through the app and write each to ``folder``; the files written. ``hostile``: the
    people type ``HOSTILE_TYPED``."""
    gallery = Gallery(folder)
    standin = SlackStandIn()
    for user, name in PEOPLE.items():
        standin.add_person(user, name)
    await standin.start()
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: a storage outage
    try:
        async with app_on_loopback(standin, redis_url) as slack, app_on_loopback(standin, nowhere) as down:
            session = Session(standin, slack, down, gallery, HOSTILE_TYPED if hostile else DEMO_TYPED)
            try:
                await modal_surfaces(session)
                await result_and_thread(session)
                await reviews_and_outcomes(session)
                await review_faults(session)
                await dm_result(session)
                await team_round(session)
                await home_and_starts(session)
                await commands(session)
            finally:
                await slack.event({"type": "app_uninstalled"})  # deletes what the gallery stored
    finally:
        await standin.stop()
    return gallery.written


def main(argv: list[str]) -> int:
    hostile = "--hostile" in argv
    folders = [arg for arg in argv if arg != "--hostile"]
    if len(folders) != 1:
        print("usage: python -m bot gallery DIR [--hostile]", file=sys.stderr)
        return 2
    folder = Path(folders[0])
    with devkit_redis("gallery") as redis_url:
        written = asyncio.run(capture(folder, redis_url, hostile=hostile))
    print(
        f"Wrote {len(written)} surfaces to {folder}/. Render them with blockkit_preview.py (see its --help)."
    )
    return 0

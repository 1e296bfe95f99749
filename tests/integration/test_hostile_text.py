"""People's text can neither ping nor format: every free-text field, written to do harm, goes through every
surface that shows it, through the real endpoint, and what the app sent to Slack is checked."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.devkit.typed_text import misread, pieces, shown_as_typed
from tests.integration.helpers import SUPPORT_BOT, button_value, complete, post_result

# Each field tries everything at once: closing a code fence, pinging, mentioning, linking and formatting.
PROJECT = "```<!channel> *bold* _it_ ~gone~ <@U0HOSTILE> <#C0HOSTILE> <!here>"
USE_CASE = (
    "Ends the fence ``` then <!everyone> <!channel> <@U0HOSTILE> <https://evil.example|click> *b* _i_ ~s~ &"
)
RATIONALE = "```\n<!channel> we decided <@U0HOSTILE> *loudly* _now_ ~never~ <#C0HOSTILE>\n> quoted"
MENTION = "what if <!channel> ``` *x* _y_ <@U0HOSTILE> and the moon were blue"

# What Slack shows people, by method (modal inputs show plain text and are left out).
SHOWN = {"chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish", "response_url"}
PEOPLE = {"UANA", "UBEN", "UCAT", "UBOT"}


def _sent(standin: SlackStandIn) -> list[tuple[str, dict[str, Any]]]:
    return [(call.method, call.args) for call in standin.calls if call.method in SHOWN]


def _shows(standin: SlackStandIn, text: str) -> bool:
    """Some message or view the app sent shows ``text`` as typed."""
    return any(not shown_as_typed(args, text) for _, args in _sent(standin))


async def _decide(
    slack: SlackSimulator, standin: SlackStandIn, user: str, message: dict[str, Any], approach: str
) -> None:
    _, trigger = await slack.press_on_message(
        user,
        ids.RECORD_DECISION,
        button_value(message, ids.RECORD_DECISION),
        channel="CPROJ",
        message=message,
    )
    form = Modal(slack, user, await standin.view_opened_by(trigger))
    form.entered[ids.DECISION_APPROACH_BLOCK] = {
        ids.ANSWER: {"type": "static_select", "selected_option": {"value": approach}}
    }
    form.fill({ids.DECISION_RATIONALE_BLOCK: RATIONALE})
    before = len(standin.calls_to("chat.update"))
    await form.submit()
    await standin.wait_for("chat.update", before + 1)


async def test_hostile_text_in_every_field_reaches_every_surface_harmless(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.add_person("UANA", "Ana <!channel>", "*Ana* `Root`")
    answers = {**SUPPORT_BOT, "project_name": PROJECT, "use_case": USE_CASE}
    ts, message, assessment = await post_result(slack, standin, answers)
    await slack.press_on_message(
        "UBEN", ids.VOTE_AGREE, button_value(message, ids.VOTE_AGREE), channel="CPROJ", message=message
    )
    for text in (MENTION, "why", "help", "what if latency is strict"):
        await slack.mention("UBEN", "CPROJ", text, thread_ts=ts)
    await standin.wait_until(
        lambda: len([c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) >= 5,
        what="the detail and four replies",
    )

    # A new version, with the project renamed to something just as hostile.
    _, trigger = await slack.choose_on_message(
        "UBEN", ids.RESULT_MENU, f"{ids.MENU_EDIT}:{assessment}", channel="CPROJ", message=message
    )
    edit = Modal(slack, "UBEN", await standin.view_opened_by(trigger))
    await complete(edit, {**answers, "project_name": PROJECT[::-1], "knowledge_need": "none"})
    await standin.wait_for("chat.update", 2)

    current = standin.messages[("CPROJ", ts)]
    await _decide(slack, standin, "UBEN", current, "hybrid")
    await _decide(slack, standin, "UANA", standin.messages[("CPROJ", ts)], "rag")  # she started it

    menu = f"{ids.MENU_EXPORT}:{assessment}"
    await slack.choose_on_message("UANA", ids.RESULT_MENU, menu, channel="CPROJ", message=current)
    await standin.wait_for("files.completeUploadExternal")
    await standin.wait_until(lambda: all(f.get("content") for f in standin.files.values()), what="the upload")
    standin.fail("files.getUploadURLExternal", "missing_scope")
    await slack.choose_on_message("UANA", ids.RESULT_MENU, menu, channel="CPROJ", message=current)
    await standin.wait_until(
        lambda: any(
            "Decision record" in c.args.get("text", "") for c in standin.calls_to("chat.postMessage")
        ),
        what="the record as a message",
    )

    for user in ("UANA", "UBEN"):
        await slack.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home"})
    await standin.wait_for("views.publish", 2)

    standin.refuse_channel("CSHUT")
    await complete(await slack.open_modal("UCAT", "CSHUT"), answers)
    await standin.wait_until(
        lambda: any(c.args.get("channel") == "UCAT" for c in standin.calls_to("chat.postMessage")),
        what="the result by DM",
    )

    sent = _sent(standin)
    assert {method for method, _ in sent} >= SHOWN - {"response_url", "chat.postEphemeral"}
    problems = [(method, found) for method, args in sent if (found := misread(args, people=PEOPLE))]
    assert problems == []
    # Still shown, as typed: byte for byte, in plain or rich text elements, wherever the text appears.
    for typed in (PROJECT, PROJECT[::-1], USE_CASE, RATIONALE):
        assert _shows(standin, typed), typed
        raw = [
            m
            for m, args in sent
            if any(typed in p.text for p in pieces(args)) and shown_as_typed(args, typed)
        ]
        assert raw == [], (typed, raw)
    assert _shows(standin, "Ana <!channel>")  # the name she goes by, in the record as a message
    # The uploaded record: its title is plain text, as typed; the Markdown escapes what Markdown would read.
    uploads = list(standin.files.values())
    assert all(f["title"] == f"Decision record: {PROJECT[::-1]}" for f in uploads)
    record = str(uploads[0]["content"])
    assert "\\<\\!everyone\\> \\<\\!channel\\>" in record and "Ana \\<\\!channel\\>" in record
    assert "\\> quoted" in record  # the rationale's "> quoted" line is text, not a quote block

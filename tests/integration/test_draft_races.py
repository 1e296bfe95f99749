"""A person's next draft survives whatever happens to the one before it, through the real endpoint.

The first form's result is still being posted (a slow ``chat.postMessage``) while the person starts a second
form and saves its first page; when the first result lands, or fails, the second draft is still theirs.
"""

from __future__ import annotations

from bot import ids
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from tests.integration.helpers import CANVA, SUPPORT_BOT, complete

SLOW_POST = 1.5  # seconds the first result's chat.postMessage takes


async def _second_form_page_one(slack: SlackSimulator) -> None:
    second = await slack.open_modal("UANA", "CPROJ")
    assert second.shown("project_name") in (None, "")  # the first form's answers are set aside
    second.fill(CANVA)
    reply = await second.submit()
    assert reply.status == 200 and (reply.json() or {}).get("response_action") == "update"


async def _reopens_the_second_draft(slack: SlackSimulator) -> None:
    reopened = await slack.open_modal("UANA", "CPROJ")
    assert reopened.title == "Step 2 of 4"  # where the second form was left
    await reopened.press(ids.BACK)
    assert reopened.shown("project_name") == CANVA["project_name"]


async def test_a_result_landing_late_leaves_the_next_draft_alone(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    standin.slow_down("chat.postMessage", SLOW_POST)
    await complete(await slack.open_modal("UANA", "CPROJ"), SUPPORT_BOT)
    await _second_form_page_one(slack)

    await standin.wait_until(
        lambda: any(m.get("blocks") for m in standin.messages.values()), within=10, what="the first result"
    )
    await standin.wait_for("chat.postMessage", 2, within=10)  # its breakdown: the draft was finished

    await _reopens_the_second_draft(slack)


async def test_a_result_that_fails_late_leaves_the_next_draft_alone(
    slack: SlackSimulator, standin: SlackStandIn
) -> None:
    """Posting fails after the second form started: its draft stays; the person is told the first's
    answers could not be put back, instead of being told they are saved."""
    standin.fail("chat.postMessage", "internal_error", delay=SLOW_POST)
    await complete(await slack.open_modal("UANA", "CPROJ"), SUPPORT_BOT)
    await _second_form_page_one(slack)

    await standin.wait_until(
        lambda: any("couldn't post" in str(c.args) for c in standin.calls),
        within=10,
        what="the failure notice",
    )
    notice = next(str(c.args) for c in standin.calls if "couldn't post" in str(c.args))
    assert "Your answers are saved" not in notice
    assert "newer form" in notice

    await _reopens_the_second_draft(slack)

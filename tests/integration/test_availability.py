"""No mention can stall the bot: whatever its length or shape, it is answered and other requests go on."""

from __future__ import annotations

import aiohttp
import pytest

from bot.devkit.hostile import MENTION_SHAPES, hostile_mention
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from tests.integration.helpers import SUPPORT_BOT, post_result
from tests.integration.lag import LoopLag

MAX_LOOP_LAG_SECONDS = 0.1


@pytest.mark.parametrize("shape", list(MENTION_SHAPES))
async def test_a_mention_of_slacks_maximum_length_is_answered_without_blocking_anyone(
    slack: SlackSimulator, standin: SlackStandIn, shape: str
) -> None:
    ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
    replies_before = len(standin.calls_to("chat.postMessage"))
    async with LoopLag() as lag, aiohttp.ClientSession() as session:
        reply = await slack.mention("UCAT", "CPROJ", hostile_mention(shape), thread_ts=ts)
        assert reply.status == 200
        # Another request while the mention is being understood: served as usual.
        async with session.get(slack.app_url + "/healthz") as health:
            assert health.status == 200
        await standin.wait_for("chat.postMessage", replies_before + 1, within=10)
    answer = standin.calls_to("chat.postMessage")[-1].args
    assert answer["thread_ts"] == ts
    assert len(answer["text"]) <= 4_000  # a long mention never makes a long reply
    assert lag.worst < MAX_LOOP_LAG_SECONDS, f"the event loop stalled for {lag.worst * 1000:.0f} ms"

"""`python -m bot migrate-keys`: keys of the earlier layout are moved, TTLs kept, and served again."""

from __future__ import annotations

import os
import re
from typing import Any

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.connection import RedisTarget, connect
from bot.storage.keys import NAMESPACE, bot_key, draft_key, installer_key, layout_key
from bot.storage.migration import current_name, earlier_layout_present
from bot.storage.models import NEW_DRAFT
from bot.ui.blocks import visible_text
from tests.integration.helpers import SUPPORT_BOT, button_value, post_result, run_bot

TEAM = "T0STANDIN"


def earlier_name(key: str) -> str:
    """What the earlier version called a key (the inverse of current_name)."""
    installation = re.fullmatch(rf"{NAMESPACE}:installation:\{{(.+)\}}:(bot|installer)", key)
    if installation:
        return f"{NAMESPACE}:installation:{installation[2]}:{installation[1]}"
    return re.sub(rf"^{NAMESPACE}:\{{([^}}]+)\}}:", rf"{NAMESPACE}:\1:", key)


def move(redis: Redis, source: str, target: str) -> None:
    """Rename, across cluster slots too."""
    payload, ttl = redis.dump(source), redis.pttl(source)
    redis.restore(target, max(ttl, 0), payload)
    redis.delete(source)


def snapshot(redis: Redis) -> dict[str, tuple[str, Any, int]]:
    """Every key of ours: its type, value and whether it expires."""
    found = {}
    for key in redis.scan_iter(f"{NAMESPACE}:*"):
        if key == layout_key():
            continue
        kind = redis.type(key)
        value: Any = {
            "string": redis.get,
            "hash": redis.hgetall,
            "zset": lambda k: redis.zrange(k, 0, -1, withscores=True),
            "set": lambda k: sorted(redis.smembers(k)),
        }[kind](key)
        found[key] = (kind, value, redis.ttl(key))
    return found


def migrate(redis_env: dict[str, str]) -> str:
    result = run_bot("migrate-keys", env={**os.environ, **redis_env})
    assert result.returncode == 0, result.stderr
    return result.stdout


async def layout_is_earlier(redis_env: dict[str, str]) -> bool:
    target = RedisTarget(redis_env["REDIS_URL"], cluster=redis_env["REDIS_CLUSTER"] == "1")
    client = connect(target)
    try:
        return await earlier_layout_present(client)
    finally:
        await client.aclose()


async def test_keys_of_the_earlier_layout_are_moved_kept_and_served_again(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis, redis_env: dict[str, str]
) -> None:
    # What the earlier version left: an assessment with a vote and a recorded decision, a draft, and an
    # installation (written here directly: this app serves one workspace).
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    vote = button_value(message, ids.VOTE_AGREE)
    await slack.press_on_message("UBEN", ids.VOTE_AGREE, vote, channel="CPROJ", message=message)
    _, trigger = await slack.press_on_message(
        "UANA", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    decision = Modal(slack, "UANA", await standin.view_opened_by(trigger))
    decision.fill({ids.DECISION_RATIONALE_BLOCK: "Docs change weekly."})
    await decision.submit()
    await standin.wait_for("chat.update", 2)
    draft = await slack.open_modal("UCAT", "CPROJ")
    draft.fill({"project_name": "Cat's draft"})
    await draft.close()
    redis.set(bot_key(None, "TOLD"), "sealed bot")
    redis.set(installer_key(None, "TOLD"), "sealed installer")
    before = snapshot(redis)
    assert {kind for kind, _, _ in before.values()} == {"string", "hash", "zset", "set"}
    assert before[bot_key(None, "TOLD")][2] == -1  # installations never expire
    for key in before:
        if current_name(earlier_name(key)) == key:
            move(redis, key, earlier_name(key))
    assert await layout_is_earlier(redis_env)

    # Meanwhile the new version saved a page of the same person's draft under the new name.
    redis.hset(draft_key(TEAM, "UCAT", NEW_DRAFT), mapping={"q:task_complexity": "high", "page": "2"})
    redis.expire(draft_key(TEAM, "UCAT", NEW_DRAFT), 3600)

    said = migrate(redis_env)
    moved = len([k for k in before if current_name(earlier_name(k)) == k]) - 1
    assert f"Moved {moved} key(s)" in said and "Merged 1 key(s)" in said, said
    assert "installation 2" in said and "assessment 1" in said

    after = snapshot(redis)
    assert not [key for key in after if current_name(key)]  # nothing left under an earlier name
    merged = after.pop(draft_key(TEAM, "UCAT", NEW_DRAFT))[1]
    assert merged["q:project_name"] == "Cat's draft" and merged["q:task_complexity"] == "high"
    assert merged["page"] == "2"  # the newer value wins
    before.pop(draft_key(TEAM, "UCAT", NEW_DRAFT))
    assert {k: v[:2] for k, v in after.items()} == {k: v[:2] for k, v in before.items()}
    for key, (_, _, ttl) in before.items():
        if ttl == -1:
            assert after[key][2] == -1, f"{key} gained a TTL"  # decisions and installations never expire
        else:
            assert ttl - 5 <= after[key][2] <= ttl, f"{key}: TTL {ttl} became {after[key][2]}"
    assert not await layout_is_earlier(redis_env)
    assert "nothing to move" in migrate(redis_env)  # safe to run twice

    # Interrupted after copying a key but before deleting the old one: the next run finishes the job.
    votes = next(key for key in after if ":votes:" in key)
    redis.restore(earlier_name(votes), 0, redis.dump(votes))
    said = migrate(redis_env)
    assert "Merged 1 key(s)" in said and "votes 1" in said
    assert not redis.exists(earlier_name(votes)) and redis.hgetall(votes) == after[votes][1]

    # The app serves the moved data: the thread knows its assessment, Home shows the decision.
    await slack.mention("UBEN", "CPROJ", "what if labeled_examples is 5000_plus", thread_ts=ts)
    await standin.wait_until(
        lambda: len([c for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) >= 3,
        what="the thread answer",
    )
    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DANA", "tab": "home"})
    await standin.wait_for("views.publish")
    home = visible_text(standin.home_views["UANA"])
    assert "decided RAG" in home and "Support assistant" in home


def test_current_names_are_left_alone_and_earlier_ones_mapped() -> None:
    assert current_name("llm-approach:T1:draft:U1:new") == "llm-approach:{T1}:draft:U1:new"
    assert current_name("llm-approach:installation:bot:E1:-") == "llm-approach:installation:{E1:-}:bot"
    for unchanged in (
        "llm-approach:{T1}:draft:U1:new",
        "llm-approach:installation:{-:T1}:installer",
        "llm-approach:event:Ev1",
        "llm-approach:oauth-state:abc",
        "llm-approach:layout",
        "other-app:T1:draft",
    ):
        assert current_name(unchanged) is None, unchanged

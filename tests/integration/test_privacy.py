"""Privacy and authorization: Home shows only what a person took part in, decided assessments belong to
their owners, decisions keep their history, and `forget` takes one person out of everything, quickly."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from redis import Redis

from bot import ids
from bot.devkit.simulator import Modal, SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.storage.store import DRAFT_TTL_SECONDS
from tests.conftest import SIGNING_SECRET, RedisProcess, app_env, serve, shutdown
from tests.integration.helpers import (
    SUPPORT_BOT,
    TEAM,
    ask_team,
    complete,
    decisions_of,
    forget,
    open_edit,
    post_result,
    record_decision,
    stored,
)

RETENTION_SECONDS = 90 * 24 * 3600


async def home_of(slack: SlackSimulator, standin: SlackStandIn, user: str) -> str:
    before = len(standin.calls_to("views.publish"))
    await slack.event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"})
    await standin.wait_for("views.publish", before + 1)
    return json.dumps(standin.home_views[user], ensure_ascii=False)


async def vote(
    slack: SlackSimulator, redis: Redis, user: str, assessment_id: str, how: str = ids.VOTE_AGREE
) -> None:
    """Press a vote button and wait until the vote is stored (that happens after Slack's ack)."""
    reply, _ = await slack.press_on_message(user, how, assessment_id, channel="GSECRET", message={"ts": "0"})
    assert reply.status == 200
    for _ in range(200):
        if redis.hexists(f"llm-approach:{{{TEAM}}}:votes:{assessment_id}", user):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the vote of {user} was never stored")


async def test_home_shows_an_outsider_nothing_of_a_private_channels_assessment(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    secret = {**SUPPORT_BOT, "project_name": "Merger due diligence"}
    _, _, assessment_id = await post_result(slack, standin, secret, user="UANA", channel="GSECRET")
    await vote(slack, redis, "UBEN", assessment_id)
    await record_decision(slack, standin, "UCAT", assessment_id, "rag", "Our documents change weekly.")
    await standin.wait_for("chat.update", 2)

    outsider = await home_of(slack, standin, "UOUT")
    for leak in ("Merger due diligence", "GSECRET", "<@UCAT>", "<@UANA>", "decided"):
        assert leak not in outsider, leak
    for member in ("UANA", "UBEN", "UCAT"):  # who started, voted or decided sees it
        assert "Merger due diligence" in await home_of(slack, standin, member), member


async def test_a_decision_is_changed_only_by_its_owners_and_keeps_its_history(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    ts, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    assert (await record_decision(slack, standin, "UCAT", assessment_id, "rag", "First call."))[
        "response_action"
    ] == "clear"

    # Ben neither started it nor recorded the decision: the button tells him so and opens nothing.
    opened = len(standin.calls_to("views.open"))
    await slack.press_on_message("UBEN", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message)
    told = await standin.wait_for("chat.postEphemeral")
    assert told[-1].args["user"] == "UBEN" and "only <@UCAT>" in told[-1].args["text"]
    assert "<@UANA>" in told[-1].args["text"]
    assert len(standin.calls_to("views.open")) == opened
    # A decision form he submits anyway (an old one, or a forged payload) is refused too.
    _, trigger = await slack.press_on_message(
        "UCAT", ids.RECORD_DECISION, assessment_id, channel="CPROJ", message=message
    )
    forged = Modal(slack, "UBEN", await standin.view_opened_by(trigger))
    forged.fill({ids.DECISION_RATIONALE_BLOCK: "Overruled."})
    refused = (await forged.submit()).json()
    assert refused["response_action"] == "push" and "only <@UCAT>" in json.dumps(refused)
    assert [d["approach"] for d in decisions_of(stored(redis, assessment_id))] == ["rag"]

    # Cat (who recorded it) and Ana (who started it) may change it: each change is kept and announced.
    await record_decision(slack, standin, "UCAT", assessment_id, "hybrid", "Fine-tuning after all.")
    await record_decision(slack, standin, "UANA", assessment_id, "fine_tuning", "Budget approved.")
    history = decisions_of(stored(redis, assessment_id))
    assert [(d["approach"], d["by"]) for d in history] == [
        ("rag", "UCAT"),
        ("hybrid", "UCAT"),
        ("fine_tuning", "UANA"),
    ]
    await standin.wait_until(
        lambda: any(
            "Decision changed to Fine-tuning" in c.args.get("text", "")
            and "was RAG + fine-tuning, recorded by <@UCAT>" in c.args["text"]
            for c in standin.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == ts
        ),
        what="the change announced in the thread",
    )
    await slack.press_on_message("UBEN", ids.EXPORT_RECORD, assessment_id, channel="CPROJ", message=message)
    await standin.wait_for("files.completeUploadExternal")
    record = next(iter(standin.files.values()))["content"]
    assert "History, oldest first" in record
    # People's words are backslash-escaped in the Markdown record ("call\\." renders as "call.").
    for entry in ("RAG, by UCAT. First call\\.", "RAG + fine-tuning, by UCAT", "Fine-tuning, by UANA"):
        assert entry in record, entry


async def test_answers_of_a_decided_assessment_are_edited_only_by_its_owners(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, message, assessment_id = await post_result(slack, standin, SUPPORT_BOT)
    before_the_decision = await open_edit(slack, standin, "UBEN", assessment_id)  # allowed while undecided
    await record_decision(slack, standin, "UCAT", assessment_id, "rag", "Agreed in standup.")

    opened = len(standin.calls_to("views.open"))
    await slack.press_on_message("UBEN", ids.EDIT_ANSWERS, assessment_id, channel="CPROJ", message=message)
    told = await standin.wait_for("chat.postEphemeral")
    assert "only <@UCAT>" in told[-1].args["text"] and told[-1].args["user"] == "UBEN"
    assert len(standin.calls_to("views.open")) == opened

    # The form Ben opened before the decision cannot publish over it either.
    for _ in range(3):
        before_the_decision.fill({"knowledge_need": "none"})
        await before_the_decision.submit()
    before_the_decision.fill({})
    refused = (await before_the_decision.submit()).json()
    assert refused["response_action"] == "push" and "only <@UCAT>" in json.dumps(refused)
    assert len(stored(redis, assessment_id)["versions"]) == 1

    cats = await open_edit(slack, standin, "UCAT", assessment_id)  # the decision's owner may
    await complete(cats, {**SUPPORT_BOT, "knowledge_need": "none"})
    await standin.wait_until(lambda: len(stored(redis, assessment_id)["versions"]) == 2, what="version 2")


def everything_in(redis: Redis) -> str:
    """Every key and every value in the database, as one string to search."""
    parts = []
    for key in redis.scan_iter("*"):
        kind = redis.type(key)
        value: Any = {
            "string": redis.get,
            "hash": redis.hgetall,
            "zset": lambda k: redis.zrange(k, 0, -1),
            "set": redis.smembers,
        }[kind](key)
        parts.append(f"{key} {value}")
    return "\n".join(parts)


async def test_forget_removes_a_person_everywhere_and_keeps_everyone_elses_records(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    _, _, alone = await post_result(slack, standin, {**SUPPORT_BOT, "project_name": "Ana alone"})
    _, _, shared = await post_result(slack, standin, {**SUPPORT_BOT, "project_name": "Ana with the team"})
    await vote(slack, redis, "UBEN", shared)
    await record_decision(slack, standin, "UCAT", shared, "hybrid", "Cat's reasons.")
    _, _, bens = await post_result(slack, standin, {**SUPPORT_BOT, "project_name": "Ben's"}, user="UBEN")
    await vote(slack, redis, "UANA", bens, ids.VOTE_DISAGREE)
    await record_decision(slack, standin, "UANA", bens, "rag", "Ana's private reasoning.")
    anas_edit = await open_edit(slack, standin, "UANA", bens)  # she recorded its decision: she may
    await complete(anas_edit, {**SUPPORT_BOT, "project_name": "Ben's", "knowledge_need": "none"})
    await standin.wait_until(lambda: len(stored(redis, bens)["versions"]) == 2, what="Ana's version")
    draft = await slack.open_modal("UANA", "CPROJ")
    draft.fill({"project_name": "Ana's next idea"})
    await draft.close()

    said = await forget(slack, standin, "UANA")
    assert "Deleted 1 draft and 1 assessment" in said
    assert "2 other assessments" in said and "a former participant" in said

    everything = everything_in(redis)
    assert "UANA" not in everything and "Ana's private reasoning" not in everything
    assert "Ana's next idea" not in everything
    assert not redis.exists(f"llm-approach:{{{TEAM}}}:assessment:{alone}")
    # Her assessment that others took part in stays for them, with Cat's decision and Ben's vote.
    kept = stored(redis, shared)
    assert kept["user"] == "forgotten"
    assert [(d["approach"], d["by"], d["rationale"]) for d in decisions_of(kept)] == [
        ("hybrid", "UCAT", "Cat's reasons.")
    ]
    assert redis.hgetall(f"llm-approach:{{{TEAM}}}:votes:{shared}") == {"UBEN": "agree@1"}
    # Ben's assessment keeps its decision and her version, without her name, vote or words.
    bens_record = stored(redis, bens)
    assert bens_record["user"] == "UBEN"
    assert [(d["approach"], d["by"], d["rationale"]) for d in decisions_of(bens_record)] == [
        ("rag", "forgotten", "")
    ]
    assert [v["by"] for v in bens_record["versions"]] == ["UBEN", "forgotten"]
    assert redis.hgetall(f"llm-approach:{{{TEAM}}}:votes:{bens}") == {}
    # What is left still works: Ben's Home lists his decided assessment, naming nobody who left.
    assert "a former participant" in await home_of(slack, standin, "UBEN")


async def test_forget_costs_only_the_persons_data_however_big_the_database(
    private_redis: RedisProcess, standin: SlackStandIn
) -> None:
    app = await serve(app_env(private_redis.url, standin))
    client = Redis.from_url(private_redis.url, decode_responses=True)
    try:
        async with SlackSimulator(app.url, SIGNING_SECRET, standin) as slack:
            await post_result(slack, standin, SUPPORT_BOT)
            for start in range(0, 50_000, 10_000):
                with client.pipeline(transaction=False) as pipe:
                    for i in range(start, start + 10_000):
                        pipe.set(f"unrelated:{i}", "x")
                        pipe.set(f"llm-approach:{{{TEAM}}}:draft:UOTHER{i}:new", "x")
                    pipe.execute()
            client.config_resetstat()
            assert "Deleted" in await forget(slack, standin, "UANA")
            stats = client.info("commandstats")
            assert "cmdstat_scan" not in stats and "cmdstat_keys" not in stats
            calls = sum(int(v["calls"]) for k, v in stats.items() if k != "cmdstat_info")
            assert calls < 40, stats
    finally:
        client.close()
        await shutdown(app)


async def test_every_key_expires_except_decided_records_and_the_indexes_that_find_them(
    slack: SlackSimulator, standin: SlackStandIn, redis: Redis
) -> None:
    """A full run (questionnaire, votes, decision, edit, export, a mention, forget), then every key's TTL."""
    ts, message, decided = await post_result(slack, standin, SUPPORT_BOT)
    await vote(slack, redis, "UBEN", decided)
    await record_decision(slack, standin, "UCAT", decided, "rag", "Agreed.")
    anas = await open_edit(slack, standin, "UANA", decided)
    await complete(anas, {**SUPPORT_BOT, "knowledge_need": "none"})
    await standin.wait_until(lambda: len(stored(redis, decided)["versions"]) == 2, what="version 2")
    await slack.press_on_message("UBEN", ids.EXPORT_RECORD, decided, channel="CPROJ", message=message)
    await slack.mention("UBEN", "CPROJ", "why", thread_ts=ts)
    team_round = await ask_team(slack, standin, ts, decided, user="UCAT")
    await team_round.answer("UHAL", {**SUPPORT_BOT, "labeled_examples": "none"}, 2)
    open_ts, _, open_one = await post_result(slack, standin, SUPPORT_BOT, user="UDAN")
    other_round = await ask_team(slack, standin, open_ts, open_one, user="UEVE")
    await other_round.answer("UIDA", SUPPORT_BOT, 2)
    await vote(slack, redis, "UEVE", open_one)
    await vote(slack, redis, "UFAY", decided)
    abandoned = await slack.open_modal("UGUS", "CPROJ")
    abandoned.fill({"project_name": "Half done"})
    await abandoned.close()
    await forget(slack, standin, "UFAY")

    ttls = {key: redis.ttl(key) for key in redis.scan_iter("*")}
    namespace = f"llm-approach:{{{TEAM}}}:"
    forever = {key.removeprefix(namespace) for key, ttl in ttls.items() if ttl == -1}
    assert forever == {
        f"assessment:{decided}",
        f"votes:{decided}",
        f"message:CPROJ:{ts}",
        "recent:UANA",
        "involved:UANA",
        "involved:UBEN",
        "involved:UCAT",
        "involved:UHAL",  # answered a round on the decided assessment: forget must still find it
        "decided",  # the team's decided assessments (outcome figures); forget takes out what it deletes
    }
    for key, ttl in ttls.items():
        limit = DRAFT_TTL_SECONDS if ":draft" in key or ":posted:" in key else RETENTION_SECONDS
        assert ttl == -1 or 0 < ttl <= limit, (key, ttl)
    # An index lives at least as long as every assessment it lists, so forget always finds them.
    for key, ttl in ttls.items():
        if ":recent:" in key or ":involved:" in key:
            for listed in redis.zrange(key, 0, -1):
                assessment_ttl = redis.ttl(f"{namespace}assessment:{listed}")
                if assessment_ttl == -1:
                    assert ttl == -1, (key, listed)
                elif ttl != -1:
                    assert ttl >= assessment_ttl - 2, (key, listed)

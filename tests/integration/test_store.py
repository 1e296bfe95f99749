"""The store's compare-and-set, against a real Redis: a write that was overtaken is re-applied, never lost."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Mapping

import pytest
from redis import Redis

from bot.listeners.publishing import new_record
from bot.storage.connection import RedisTarget, connect
from bot.storage.failures import WriteConflict
from bot.storage.models import Decision, StoredAssessment
from bot.storage.store import Store
from scoring import Answers, engine_for
from tests.conftest import CLUSTER
from tests.integration.helpers import SUPPORT_BOT, run_bot

TEAM = "TSTORE"
RETENTION = 3600


@pytest.fixture
async def store(redis: Redis, redis_url: str) -> AsyncIterator[Store]:
    opened = Store(connect(RedisTarget(redis_url, cluster=CLUSTER)), retention_seconds=RETENTION)
    yield opened
    await opened.close()


async def posted(store: Store, user: str = "UANA") -> StoredAssessment:
    record = new_record(TEAM, "CPROJ", user, Answers.parse(SUPPORT_BOT), engine_for())
    record = record.model_copy(update={"ts": "1700000000.000100"})
    await store.create_assessment(record)
    return record


def key(record: StoredAssessment) -> str:
    return f"llm-approach:{{{TEAM}}}:assessment:{record.id}"


def decide(approach: str, by: str) -> Decision:
    return Decision(approach=approach, rationale="why", by=by, at=1_800_000_000.0)


def written_by_another_process(redis: Redis, record: StoredAssessment, decision: Decision) -> None:
    """What another web process's decision write leaves in Redis (its revision bumped)."""
    stored = json.loads(str(redis.get(key(record))))
    stored["decisions"] = [*stored.get("decisions", []), decision.model_dump()]
    stored["revision"] = stored.get("revision", 0) + 1
    redis.set(key(record), json.dumps(stored))


async def test_a_write_overtaken_by_another_is_reapplied_to_the_latest(store: Store, redis: Redis) -> None:
    record = await posted(store)
    seen: list[int] = []

    def add_use_case(latest: StoredAssessment, votes: Mapping[str, str]) -> StoredAssessment:
        seen.append(latest.revision)
        if len(seen) == 1:  # between this read and its write, another process records a decision
            written_by_another_process(redis, record, decide("hybrid", "UCAT"))
        return latest.model_copy(update={"answers": {**latest.answers, "use_case": "Edited"}})

    result = await store.update_assessment(TEAM, record.id, add_use_case, actor="UBEN")
    assert result is not None
    assert seen == [0, 1]  # refused once, then applied to the record with the decision
    kept = await store.load_assessment(TEAM, record.id)
    assert kept is not None
    assert kept.answers["use_case"] == "Edited"
    assert [d.approach for d in kept.decisions] == ["hybrid"]
    assert kept.revision == 2


async def test_a_vote_cast_between_read_and_write_is_noticed(store: Store, redis: Redis) -> None:
    """A decision makes every voter's index of it permanent: a voter the write did not see is caught."""
    record = await posted(store)
    calls = 0

    def record_decision(latest: StoredAssessment, votes: Mapping[str, str]) -> StoredAssessment:
        nonlocal calls
        calls += 1
        if calls == 1:
            redis.hset(f"llm-approach:{{{TEAM}}}:votes:{record.id}", "ULATE", "agree")
        return latest.model_copy(update={"decisions": [*latest.decisions, decide("rag", "UCAT")]})

    result = await store.update_assessment(
        TEAM, record.id, record_decision, actor="UCAT", touch_everyone=True
    )
    assert result is not None and result[1] == {"ULATE": "agree"}
    assert calls == 2
    assert redis.ttl(f"llm-approach:{{{TEAM}}}:involved:ULATE") == -1
    assert redis.ttl(key(record)) == -1


async def test_writes_that_keep_being_overtaken_give_up_and_say_so(store: Store, redis: Redis) -> None:
    record = await posted(store)

    def always_overtaken(latest: StoredAssessment, votes: Mapping[str, str]) -> StoredAssessment:
        written_by_another_process(redis, record, decide("rag", "UCAT"))
        return latest

    with pytest.raises(WriteConflict):
        await store.update_assessment(TEAM, record.id, always_overtaken, actor="UBEN")


async def test_a_record_of_the_previous_release_keeps_its_decision_as_history(
    store: Store, redis: Redis
) -> None:
    record = await posted(store)
    old = json.loads(record.model_dump_json(exclude={"decisions", "revision", "decision"}))
    old["decision"] = decide("fine_tuning", "UOLD").model_dump()
    redis.set(key(record), json.dumps(old))

    loaded = await store.load_assessment(TEAM, record.id)
    assert loaded is not None and loaded.revision == 0
    assert [(d.approach, d.by) for d in loaded.decisions] == [("fine_tuning", "UOLD")]

    def change(latest: StoredAssessment, votes: Mapping[str, str]) -> StoredAssessment:
        return latest.model_copy(update={"decisions": [*latest.decisions, decide("rag", "UOLD")]})

    assert await store.update_assessment(TEAM, record.id, change, actor="UOLD") is not None
    stored = json.loads(str(redis.get(key(record))))
    assert [d["approach"] for d in stored["decisions"]] == ["fine_tuning", "rag"]
    assert stored["decision"]["approach"] == "rag"  # still readable by a process of the previous release


async def test_an_update_of_an_assessment_that_is_gone_writes_nothing(store: Store, redis: Redis) -> None:
    record = await posted(store)
    redis.delete(key(record))

    def change(latest: StoredAssessment, votes: Mapping[str, str]) -> StoredAssessment:
        raise AssertionError("never called for a missing record")

    assert await store.update_assessment(TEAM, record.id, change, actor="UBEN") is None
    assert not redis.exists(key(record))


async def test_reindex_makes_data_of_the_previous_release_findable_by_forget(
    store: Store, redis: Redis, redis_url: str
) -> None:
    """The previous release indexed only who started an assessment, for 90 days even once decided."""
    record = await posted(store, user="UANA")
    old = json.loads(record.model_dump_json(exclude={"decisions", "revision", "decision"}))
    old["decision"] = decide("rag", "UCAT").model_dump()
    for involved in redis.scan_iter(f"llm-approach:{{{TEAM}}}:involved:*"):
        redis.delete(involved)
    redis.set(key(record), json.dumps(old))  # decided: kept for good
    redis.hset(f"llm-approach:{{{TEAM}}}:votes:{record.id}", "UBEN", "agree")
    redis.expire(f"llm-approach:{{{TEAM}}}:votes:{record.id}", RETENTION)
    redis.expire(f"llm-approach:{{{TEAM}}}:recent:UANA", RETENTION)
    redis.zadd(f"llm-approach:{{{TEAM}}}:decisions", {record.id: 1.0})  # its team list, without TTL

    result = run_bot("reindex", env={**os.environ, "REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"})
    assert result.returncode == 0, result.stderr
    assert "Indexed 1 assessment" in result.stdout

    for index in ("recent:UANA", "involved:UANA", "involved:UBEN", "involved:UCAT"):
        assert redis.ttl(f"llm-approach:{{{TEAM}}}:{index}") == -1, index
    assert redis.ttl(f"llm-approach:{{{TEAM}}}:votes:{record.id}") == -1
    assert not redis.exists(f"llm-approach:{{{TEAM}}}:decisions")
    # Decided before this release: the workspace's outcome figures count it from now on.
    assert [f.decision for f in await store.decided_facts(TEAM)] == ["rag"]
    done = await store.forget_user(TEAM, "UBEN")
    assert done.anonymised == 1
    assert redis.hgetall(f"llm-approach:{{{TEAM}}}:votes:{record.id}") == {}

"""What `/llm-approach forget` costs in a big database: ``python -m bench.forget [--unrelated 300000]``.

Fills a Redis database with unrelated keys (other teams, other people, other applications), gives one
person a realistic footprint (assessments they started alone and with others, votes and a decision on
other people's, an edit, a draft), then times ``Store.forget_user`` and counts the Redis commands it sent
(``INFO commandstats``). For comparison it times what the previous release did first: a SCAN of the whole
keyspace for the person's drafts (two MATCH patterns). Uses database 12 of REDIS_URL (or a throwaway
redis-server when nothing listens there); CONFIG RESETSTAT clears that server's command counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from redis import Redis

from bot.devkit.local_redis import demo_redis
from bot.listeners.publishing import new_record
from bot.settings import DEFAULT_REDIS_URL
from bot.storage.connection import connect
from bot.storage.keys import draft_key, submitted_key
from bot.storage.models import Decision, StoredAssessment
from bot.storage.store import Store
from scoring import Answers, engine_for
from tests.integration.helpers import SUPPORT_BOT

BENCH_DB = 12
TEAM = "TBENCH"
PERSON = "UFORGET"
RETENTION = 90 * 24 * 3600


def fill_unrelated(client: Redis, count: int) -> None:
    with client.pipeline(transaction=False) as pipe:
        for i in range(count):
            if i % 3 == 0:
                pipe.set(f"other-app:{i}", "x")
            elif i % 3 == 1:
                pipe.hset(f"llm-approach:{{{TEAM}}}:draft:U{i:07d}:new", "page", "2")
            else:
                pipe.set(f"llm-approach:{{TOTHER{i % 50}}}:assessment:{i:012x}", "{}")
            if i % 10_000 == 9_999:
                pipe.execute()
        pipe.execute()


async def footprint(store: Store) -> dict[str, int]:
    """The person's data: what forget has to find."""
    engine = engine_for()

    async def posted(user: str, index: int) -> StoredAssessment:
        record = new_record(TEAM, "CBENCH", user, Answers.parse(SUPPORT_BOT), engine)
        record = record.model_copy(update={"ts": f"1700000000.{index:06d}"})
        await store.create_assessment(record)
        return record

    def decided_by(user: str) -> Any:
        def change(latest: StoredAssessment, _: Mapping[str, str]) -> StoredAssessment:
            decision = Decision(approach="rag", rationale="Because.", by=user, at=time.time())
            return latest.model_copy(update={"decisions": [*latest.decisions, decision]})

        return change

    counts = {"started alone": 5, "started, others voted": 5, "others', voted on": 20, "others', decided": 2}
    index = 0
    for _ in range(counts["started alone"]):
        index += 1
        await posted(PERSON, index)
    for _ in range(counts["started, others voted"]):
        index += 1
        record = await posted(PERSON, index)
        await store.cast_vote(TEAM, record.id, "UOTHER", "agree")
    for n in range(counts["others', voted on"]):
        index += 1
        record = await posted(f"UOWNER{n}", index)
        await store.cast_vote(TEAM, record.id, PERSON, "disagree")
        if n < counts["others', decided"]:
            await store.update_assessment(
                TEAM, record.id, decided_by(PERSON), actor=PERSON, touch_everyone=True
            )
    await store.save_answers(TEAM, PERSON, "new", {"project_name": "Draft"}, page=2, channel="CBENCH")
    return counts


def commands(client: Redis) -> tuple[int, dict[str, int]]:
    stats = client.info("commandstats")
    per_command = {
        name.removeprefix("cmdstat_"): int(value["calls"])
        for name, value in stats.items()
        if not name.startswith(("cmdstat_info", "cmdstat_config"))
    }
    return sum(per_command.values()), per_command


def previous_release_scan(client: Redis) -> tuple[float, int]:
    """The previous release's first step: SCAN the whole keyspace for the person's drafts, twice."""
    started = time.perf_counter()
    calls = 0
    for pattern in (draft_key(TEAM, PERSON, "*"), submitted_key(TEAM, PERSON, "*")):
        cursor = 0
        while True:
            cursor, _ = client.scan(cursor, match=pattern)
            calls += 1
            if cursor == 0:
                break
    return time.perf_counter() - started, calls


async def run(redis_url: str, unrelated: int) -> dict[str, Any]:
    client = Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    fill_unrelated(client, unrelated)
    store = Store(connect(redis_url), retention_seconds=RETENTION)
    try:
        counts = await footprint(store)
        keys_before = int(client.dbsize())
        scan_seconds, scan_calls = previous_release_scan(client)
        client.config_resetstat()
        started = time.perf_counter()
        report = await store.forget_user(TEAM, PERSON)
        elapsed = time.perf_counter() - started
        total, per_command = commands(client)
        return {
            "unrelated_keys": unrelated,
            "keys_in_database": keys_before,
            "footprint": counts,
            "forget_seconds": elapsed,
            "forget_redis_commands": total,
            "forget_commands_by_name": per_command,
            "keys_deleted": keys_before - int(client.dbsize()),
            "report": {"drafts": report.drafts, "deleted": report.deleted, "anonymised": report.anonymised},
            "previous_release_scan_seconds": scan_seconds,
            "previous_release_scan_calls": scan_calls,
        }
    finally:
        await store.close()
        client.flushdb()
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--unrelated", type=int, default=300_000, help="unrelated keys in the database")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    base = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    with demo_redis(base) as redis_url:
        figures = asyncio.run(run(redis_url.rsplit("/", 1)[0] + f"/{BENCH_DB}", args.unrelated))
    print(f"{figures['keys_in_database']:,} keys in the database ({figures['unrelated_keys']:,} unrelated)")
    print("The person: " + ", ".join(f"{n} {what}" for what, n in figures["footprint"].items()))
    by_name = sorted(figures["forget_commands_by_name"].items())
    print(
        f"forget: {figures['forget_seconds'] * 1000:.1f} ms, {figures['forget_redis_commands']} Redis "
        f"commands (those inside its scripts included), {figures['keys_deleted']} keys deleted; "
        f"said: {figures['report']}"
    )
    print("  commands: " + ", ".join(f"{name} {calls}" for name, calls in by_name))
    scan_seconds, scan_calls = (
        figures["previous_release_scan_seconds"],
        figures["previous_release_scan_calls"],
    )
    print(
        f"previous release, its SCAN for the person's drafts alone: {scan_seconds:.2f} s, "
        f"{scan_calls:,} SCAN calls"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

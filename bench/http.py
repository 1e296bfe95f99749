"""Load benchmark of the web: process: ``python -m bench.http [--users 1 20 100]``.

Starts the Procfile's web process (`python -m bot web`) against a stand-in of Slack's Web API and a real
Redis, then drives it with signed requests from concurrent simulated people, each completing assessments
(slash command, four page submits, the posted result). Prints p50/p95/p99 acknowledgement latency for the
slash command and each page submit, completed assessments per second, Redis commands per assessment and
memory per draft. With --baseline it also measures a minimal Bolt app that only acks, on the same requests,
so our overhead reads as a ratio to Bolt's own floor. Targets: p99 under 300 ms at 20 users (issue 3),
under 500 ms at 100 users (issue 5). ``--json FILE`` also writes every row's figures, to compare runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
from redis import Redis

from bot.devkit.local_redis import demo_redis, free_port
from bot.devkit.simulator import Modal, SlackSimulator, new_trigger_id
from bot.devkit.standin import SlackStandIn
from bot.settings import DEFAULT_REDIS_URL
from bot.storage.keys import draft_key
from bot.storage.store import DRAFT_TTL_SECONDS
from tests.scenarios import SCENARIOS

SECRET = "bench-signing-secret"
REPO = Path(__file__).resolve().parent.parent
BENCH_DB = 14


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def wait_healthy(url: str, path: str = "/healthz") -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(url + path) as response:
                    if response.status in {200, 404}:
                        return
            except aiohttp.ClientConnectionError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a process has used so far (Linux /proc); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def running(kind: str, redis_url: str, standin: SlackStandIn) -> AsyncIterator[tuple[str, int]]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "SLACK_API_URL": standin.api_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    command = (
        [sys.executable, "-m", "bot", "web"] if kind == "app" else [sys.executable, "-m", "bench.minimal_app"]
    )
    with process(command, env) as proc:
        url = f"http://127.0.0.1:{port}"
        await wait_healthy(url)
        yield url, proc.pid


async def person(
    slack: SlackSimulator,
    index: int,
    rounds: int,
    latencies: dict[str, list[float]],
    *,
    results: PostedResults | None,
) -> int:
    answers = {"project_name": f"Project {index}", **SCENARIOS[index % len(SCENARIOS)].answers}
    user, channel = f"UBENCH{index:04d}", f"CBENCH{index % 7}"
    done = 0
    for _ in range(rounds):
        trigger = new_trigger_id()
        started = time.perf_counter()
        reply = await slack.slash_command(user, channel, trigger_id=trigger)
        latencies["slash command"].append(time.perf_counter() - started)
        assert reply.status == 200, reply.text
        modal = Modal(slack, user, await slack.standin.view_opened_by(trigger, within=30))
        latencies["modal open (ack + views.open)"].append(time.perf_counter() - started)
        while not modal.closed:
            modal.fill(answers)
            page = modal.title.split()[1]  # "Step 2 of 4"
            started = time.perf_counter()
            reply = await modal.submit()
            latencies[f"page {page} submit"].append(time.perf_counter() - started)
            assert reply.status == 200 and (reply.json() or {}).get("response_action") != "errors", reply.text
        done += 1
        if results is not None:
            # Like a person, read the result before starting the next assessment.
            await slack.standin.wait_until(lambda n=done: results.of(user) >= n, within=60)
    return done


class PostedResults:
    """How many results each simulated person has seen posted, counted as calls arrive.

    Every person waits for their result, and the stand-in re-checks every waiting condition on every call it
    records: counting from the start each time would make the load generator quadratic in the calls (at 100
    people it, not the app, became the bottleneck), so each call is looked at once.
    """

    def __init__(self, standin: SlackStandIn) -> None:
        self.standin = standin
        self.seen = 0
        self.by_user: dict[str, int] = defaultdict(int)

    def of(self, user: str) -> int:
        calls = self.standin.calls
        for call in calls[self.seen :]:
            if call.method == "chat.postMessage" and not call.args.get("thread_ts"):
                # The line under the header: the project, "asked by", and the person as a user element.
                asker = next(
                    (
                        element["user_id"]
                        for block in call.args.get("blocks") or []
                        if block.get("type") == "rich_text"
                        for element in block["elements"][0].get("elements", [])
                        if element.get("type") == "user"
                    ),
                    None,
                )
                if asker:
                    self.by_user[asker] += 1
        self.seen = len(calls)
        return self.by_user[user]


def figures(samples: list[float]) -> dict[str, Any]:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.5), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "p99_ms": round(percentile(samples, 0.99), 2),
    }


async def measure(kind: str, users: int, rounds: int, redis_url: str) -> dict[str, Any]:
    """Run one row and print it; the row's figures."""
    standin = SlackStandIn(check_block_kit=False)
    await standin.start()
    redis = Redis.from_url(redis_url, decode_responses=True)
    redis.flushdb()
    redis.config_resetstat()
    try:
        async with (
            running(kind, redis_url, standin) as (url, pid),
            # Idle connections are dropped before uvicorn closes them (5 s), so none is reused mid-close.
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=3)) as session,
            SlackSimulator(url, SECRET, standin, session=session) as slack,
        ):
            latencies: dict[str, list[float]] = defaultdict(list)
            results = PostedResults(standin) if kind == "app" else None
            await person(slack, 0, 1, defaultdict(list), results=results)  # warm up: auth.test, connections
            redis.config_resetstat()
            cpu_before = cpu_seconds(pid)
            started = time.perf_counter()
            completed = sum(
                await asyncio.gather(
                    *(person(slack, i, rounds, latencies, results=results) for i in range(1, users + 1))
                )
            )
            elapsed = time.perf_counter() - started
            cpu_after = cpu_seconds(pid)
    finally:
        await standin.stop()
    title = "llm-approach web process" if kind == "app" else "minimal Bolt app (ack only)"
    cpu_ms = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / completed * 1000
    print(
        f"\n{title}: {users} concurrent users, {completed} assessments in {elapsed:.1f} s "
        f"({completed / elapsed:.1f} completed/s"
        + (f"; {cpu_ms:.1f} ms of the server's CPU each)" if cpu_ms is not None else ")")
    )
    print(f"  {'acknowledgement':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, samples in latencies.items():
        print(
            f"  {name:32} {len(samples):6d} {percentile(samples, 0.5):8.1f} {percentile(samples, 0.95):8.1f} "
            f"{percentile(samples, 0.99):8.1f}"
        )
    all_acks = [s for name, samples in latencies.items() if "modal" not in name for s in samples]
    print(
        f"  {'every acknowledgement':32} {len(all_acks):6d} {percentile(all_acks, 0.5):8.1f} "
        f"{percentile(all_acks, 0.95):8.1f} {percentile(all_acks, 0.99):8.1f}"
    )
    row: dict[str, Any] = {
        "kind": kind,
        "users": users,
        "rounds": rounds,
        "completed": completed,
        "seconds": round(elapsed, 3),
        "completed_per_second": round(completed / elapsed, 2),
        "server_cpu_ms_per_assessment": None if cpu_ms is None else round(cpu_ms, 2),
        "latency": {name: figures(samples) for name, samples in latencies.items()},
        "every_ack": figures(all_acks),
    }
    if kind == "app":
        stats = redis.info("commandstats")
        commands = sum(int(v["calls"]) for v in stats.values())
        print(
            f"  Redis commands per completed assessment: {commands / completed:.1f} "
            f"(each page submit is one MULTI/EXEC round trip)"
        )
        row["redis_commands_per_assessment"] = round(commands / completed, 1)
        row["redis_bytes_per_draft"] = report_draft_memory(redis)
    redis.close()
    return row


def report_draft_memory(redis: Redis) -> int:
    """Memory of a full draft, measured on drafts written the way the app writes them."""
    sizes = []
    for i, scenario in enumerate(SCENARIOS[:10]):
        key = draft_key("TMEM", f"U{i}", "new")
        fields = {f"q:{k}": v for k, v in scenario.answers.items()}
        fields.update(
            {"q:project_name": f"Project {i}", "page": "4", "channel": "C1", "updated": f"{time.time():.3f}"}
        )
        redis.hset(key, mapping=fields)
        redis.expire(key, DRAFT_TTL_SECONDS)
        sizes.append(int(redis.memory_usage(key) or 0))
    print(f"  Redis memory per draft (all 20 answers): {statistics.fmean(sizes):.0f} bytes")
    return round(statistics.fmean(sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, nargs="+", default=[20])
    parser.add_argument("--rounds", type=int, default=5, help="assessments each simulated person completes")
    parser.add_argument("--baseline", action="store_true", help="also measure a minimal ack-only Bolt app")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every row's figures to FILE")
    args = parser.parse_args()
    base = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    rows = []
    with demo_redis(base) as redis_url:
        url = redis_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        print(f"machine: {os.cpu_count()} cores; web process: 1 uvicorn worker; Redis db {BENCH_DB}")
        for users in args.users:
            rows.append(asyncio.run(measure("app", users, args.rounds, url)))
            if args.baseline:
                rows.append(asyncio.run(measure("minimal", users, args.rounds, url)))
    if args.json:
        run = {"cores": os.cpu_count(), "rounds": args.rounds, "rows": rows}
        args.json.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()

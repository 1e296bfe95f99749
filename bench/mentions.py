"""What a hostile mention costs: ``python -m bench.mentions [--json FILE]``.

1. Understanding a mention (parsing it and building the reply, scoring included) per size and shape, in the
   process, one core.
2. Against the real web process (`python -m bot web`, a stand-in Slack Web API and a real Redis): ten
   mentions of each shape at Slack's 40,000-character limit are sent, one after another, in a result's
   thread while `/healthz` is polled every 5 ms; prints how long the replies took and the `/healthz`
   latency meanwhile, next to the same figures with no mention in flight.

Targets (issue 9): a 40,000-character mention of any shape is answered within a second and never delays
another request by more than a few milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from redis import Redis

from bot.devkit.hostile import MENTION_SHAPES, SLACK_TEXT_LIMIT, hostile_mention
from bot.devkit.local_redis import demo_redis, free_port
from bot.devkit.simulator import SlackSimulator
from bot.devkit.standin import SlackStandIn
from bot.listeners.mentions import understand
from bot.listeners.publishing import new_record
from bot.settings import DEFAULT_REDIS_URL
from scoring import Answers, engine_for
from tests.integration.helpers import SUPPORT_BOT, post_result

SECRET = "bench-signing-secret"
REPO = Path(__file__).resolve().parent.parent
BENCH_DB = 15
SIZES = (1_000, 10_000, SLACK_TEXT_LIMIT)
POLL_SECONDS = 0.005
MENTIONS_PER_SHAPE = 10


def parse_costs(repeats: int) -> list[dict[str, Any]]:
    engine = engine_for()
    record = new_record("TBENCH", "CBENCH", "UBENCH", Answers.parse(SUPPORT_BOT), engine)
    rows = []
    for shape in MENTION_SHAPES:
        for size in SIZES:
            text = hostile_mention(shape, size)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                understand(text, record, engine)
                samples.append(time.perf_counter() - started)
            rows.append(
                {
                    "shape": shape,
                    "characters": size,
                    "median_ms": statistics.median(samples) * 1000,
                    "worst_ms": max(samples) * 1000,
                }
            )
    return rows


@contextlib.contextmanager
def web_process(redis_url: str, standin: SlackStandIn, port: int) -> Iterator[str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "SLACK_API_URL": standin.api_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bot", "web"]
    proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def wait_healthy(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with session.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def _poll(url: str, stop: Connection) -> None:
    """In a process of its own: GET /healthz every 5 ms until told to stop; sends back the latencies."""

    async def poll() -> list[float]:
        latencies: list[float] = []
        async with aiohttp.ClientSession() as session:
            while not stop.poll():
                started = time.perf_counter()
                async with session.get(url + "/healthz") as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
                if len(latencies) == 1:
                    stop.send("polling")
                await asyncio.sleep(POLL_SECONDS)
        return latencies

    stop.send(asyncio.run(poll()))


@contextlib.asynccontextmanager
async def polling_health(url: str) -> AsyncIterator[list[float]]:
    """/healthz latencies (seconds) measured meanwhile, from another process, so that this one's work
    (signing and sending 40,000-character mentions, the stand-in) does not count as the app's."""
    latencies: list[float] = []
    ours, theirs = multiprocessing.Pipe()
    poller = multiprocessing.get_context("spawn").Process(target=_poll, args=(url, theirs))
    poller.start()
    await asyncio.get_running_loop().run_in_executor(None, ours.recv)  # its first poll is answered
    try:
        yield latencies
    finally:
        ours.send("stop")
        latencies.extend((await asyncio.get_running_loop().run_in_executor(None, ours.recv))[1:])
        poller.join(timeout=10)


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


async def against_the_app(redis_url: str) -> dict[str, Any]:
    standin = SlackStandIn(check_block_kit=False)
    await standin.start()
    try:
        with web_process(redis_url, standin, free_port()) as url:
            await wait_healthy(url)
            async with SlackSimulator(url, SECRET, standin) as slack:
                ts, _, _ = await post_result(slack, standin, SUPPORT_BOT)
                async with polling_health(url) as idle:
                    await asyncio.sleep(2.0)
                rows = []
                for shape in MENTION_SHAPES:
                    text = hostile_mention(shape)
                    replied: list[float] = []
                    async with polling_health(url) as busy:
                        for _ in range(MENTIONS_PER_SHAPE):
                            replies = len(standin.calls_to("chat.postMessage"))
                            started = time.perf_counter()
                            await slack.mention("UCAT", "CPROJ", text, thread_ts=ts)
                            await standin.wait_for("chat.postMessage", replies + 1, within=120)
                            replied.append(time.perf_counter() - started)
                    rows.append(
                        {
                            "shape": shape,
                            "reply_median_ms": statistics.median(replied) * 1000,
                            "reply_worst_ms": max(replied) * 1000,
                            "healthz_worst_ms": max(busy) * 1000,
                            "healthz_p99_ms": _p99(busy),
                            "healthz_median_ms": statistics.median(busy) * 1000,
                            "healthz_polls": len(busy),
                        }
                    )
                return {
                    "idle": {
                        "healthz_worst_ms": max(idle) * 1000,
                        "healthz_p99_ms": _p99(idle),
                        "healthz_median_ms": statistics.median(idle) * 1000,
                    },
                    "mentions": rows,
                }
    finally:
        await standin.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="parses per size and shape")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    costs = parse_costs(args.repeats)
    print("Understanding a mention (parse + reply), in the process:")
    print(f"{'shape':<22}" + "".join(f"{size:>12,} ch" for size in SIZES) + "   (median ms; worst ms)")
    for shape in MENTION_SHAPES:
        cells = [r for r in costs if r["shape"] == shape]
        print(f"{shape:<22}" + "".join(f"{r['median_ms']:>8.1f};{r['worst_ms']:>6.1f}" for r in cells))

    base = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    with demo_redis(base) as redis_url:
        bench_url = redis_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        Redis.from_url(bench_url).flushdb()
        served = asyncio.run(against_the_app(bench_url))
    idle = served["idle"]
    print(
        f"\nAgainst `python -m bot web`: {MENTIONS_PER_SHAPE} mentions of {SLACK_TEXT_LIMIT:,} characters "
        "per shape, one after another, /healthz polled every 5 ms meanwhile"
        f"\n(no mention in flight: /healthz median {idle['healthz_median_ms']:.1f} ms, "
        f"p99 {idle['healthz_p99_ms']:.1f} ms, worst {idle['healthz_worst_ms']:.1f} ms)"
    )
    print(f"{'shape':<22}{'reply median / worst (ms)':>27}{'/healthz median / p99 / worst (ms)':>38}")
    for row in served["mentions"]:
        health = (
            f"{row['healthz_median_ms']:.1f} / {row['healthz_p99_ms']:.1f} / {row['healthz_worst_ms']:.1f}"
        )
        print(
            f"{row['shape']:<22}{row['reply_median_ms']:>15.1f} / {row['reply_worst_ms']:>7.1f}{health:>38}"
        )
    if args.json:
        args.json.write_text(json.dumps({"parse": costs, "served": served}, indent=2) + "\n")


if __name__ == "__main__":
    main()

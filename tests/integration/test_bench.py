"""The load benchmark runs end to end and writes its figures with --json (contract: bench --json)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.server.logs import SDK_CLIENT_LOGGERS
from bot.server.runtime import GC_THRESHOLDS, GIL_SWITCH_INTERVAL_SECONDS
from tests.conftest import REPO


@pytest.mark.private_servers  # the benchmark uses one Redis (database 14 of REDIS_URL)
def test_bench_http_writes_each_rows_figures(redis_url: str, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.http",
            "--users",
            "2",
            "--rounds",
            "1",
            "--baseline",
            "--json",
            str(out),
        ],
        env={**os.environ, "REDIS_URL": redis_url},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())["rows"]
    assert [(row["kind"], row["users"], row["completed"]) for row in rows] == [
        ("app", 2, 2),
        ("minimal", 2, 2),
    ]
    app = rows[0]
    assert set(app["latency"]) >= {"slash command", "modal open (ack + views.open)", "page 4 submit"}
    assert app["every_ack"]["n"] == 10 and app["every_ack"]["p99_ms"] >= app["every_ack"]["p50_ms"] > 0
    assert app["completed_per_second"] > 0 and app["redis_commands_per_assessment"] > 0


def test_the_baseline_app_gets_the_bots_process_tuning() -> None:
    """The ack-only floor is only fair with the GC thresholds, GIL interval and SDK log levels the bot has."""
    probe = (
        "import gc, json, logging, sys\n"
        "from bench import minimal_app\n"
        "from bot.server.logs import SDK_CLIENT_LOGGERS\n"
        "minimal_app.tune_process()\n"
        "print(json.dumps([gc.get_threshold(), sys.getswitchinterval(), gc.get_freeze_count() > 0,\n"
        "    [logging.getLogger(name).level for name in SDK_CLIENT_LOGGERS]]))\n"
    )
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": "http://x/",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    thresholds, switch_interval, frozen, levels = json.loads(result.stdout.splitlines()[-1])
    assert tuple(thresholds) == GC_THRESHOLDS
    assert switch_interval == pytest.approx(GIL_SWITCH_INTERVAL_SECONDS)
    assert frozen
    assert levels == [logging.WARNING] * len(SDK_CLIENT_LOGGERS)

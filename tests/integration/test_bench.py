"""The load benchmark runs end to end and writes its figures with --json (contract: bench --json)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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

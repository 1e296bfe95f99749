"""`slack run` works from a clone: `.slack/hooks.json`'s commands run, the manifest hook prints manifest.yml
as JSON, and the start hook hands the CLI's tokens to the Socket Mode worker (which the integration test
`test_slack_cli_start` runs end to end)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

import yaml

from bot.devkit.slack_cli import worker_environment

REPO = Path(__file__).resolve().parents[2]


def hooks() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((REPO / ".slack" / "hooks.json").read_text(encoding="utf-8"))
    return loaded


def run_hook(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The hook's command as the Slack CLI runs it: split on spaces, from the project's directory."""
    return subprocess.run(
        shlex.split(hooks()["hooks"][name]),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_project_declares_the_hooks_slack_run_needs() -> None:
    declared = hooks()
    assert set(declared["hooks"]) == {"get-manifest", "start"}
    # The app opens its own Socket Mode connection (Bolt's way), so the CLI must not open one for it.
    assert declared["config"]["sdk-managed-connection-enabled"] is True
    for watched in (
        *declared["config"]["watch"]["manifest"]["paths"],
        *declared["config"]["watch"]["app"]["paths"],
    ):
        assert (REPO / watched).exists(), watched
    config = json.loads((REPO / ".slack" / "config.json").read_text(encoding="utf-8"))
    assert config["manifest"]["source"] == "local"


def test_the_manifest_hook_prints_manifest_yml_as_json() -> None:
    result = run_hook("get-manifest", dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    # The default protocol: the answer is the whole of stdout, so nothing else may be printed there.
    assert result.stdout.count("\n") == 1


def test_the_start_hook_refuses_to_start_without_the_clis_tokens() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_CLI_", "SLACK_BOT", "SLACK_APP"))}
    result = run_hook("start", env)
    assert result.returncode == 2
    assert "SLACK_CLI_XOXB and SLACK_CLI_XAPP" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_clis_tokens_win_over_those_of_the_shell_and_the_signing_secret_is_dropped() -> None:
    prepared = worker_environment(
        {
            "SLACK_CLI_XOXB": "xoxb-cli",
            "SLACK_CLI_XAPP": "xapp-cli",
            "SLACK_BOT_TOKEN": "xoxb-other-app",
            "SLACK_SIGNING_SECRET": "other-app-secret",
            "REDIS_URL": "redis://127.0.0.1:6392/0",
        }
    )
    assert isinstance(prepared, dict)
    assert prepared["SLACK_BOT_TOKEN"] == "xoxb-cli" and prepared["SLACK_APP_TOKEN"] == "xapp-cli"
    assert "SLACK_SIGNING_SECRET" not in prepared
    assert prepared["REDIS_URL"] == "redis://127.0.0.1:6392/0"


def test_tokens_already_in_the_environment_are_enough() -> None:
    prepared = worker_environment({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert isinstance(prepared, dict) and prepared["SLACK_APP_TOKEN"] == "xapp-1"
    assert worker_environment({"SLACK_CLI_XOXB": "xoxb-1"}) == (
        "slack run did not pass SLACK_CLI_XAPP; run this hook through `slack run`."
    )

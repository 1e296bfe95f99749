"""The Slack CLI's hooks for this project (`.slack/hooks.json`): `slack run` works from a clone.

`python -m bot.devkit.slack_cli get-manifest` prints `manifest.yml` as the JSON the CLI reads on stdout;
`python -m bot.devkit.slack_cli start` runs the Socket Mode worker (`python -m bot socket`) with the tokens
the CLI hands over. Slack's own `slack-cli-hooks` package is not used: its manifest hook reads only a
`manifest.json` (ours is YAML, with comments) and its start hook runs an `app.py` file, where this app starts
as a module. Protocol: the CLI's default one (the answer is the whole of stdout), since no hook here logs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"

# With `sdk-managed-connection-enabled`, the CLI passes the app it created or picked as these variables.
CLI_TOKENS = {"SLACK_CLI_XOXB": "SLACK_BOT_TOKEN", "SLACK_CLI_XAPP": "SLACK_APP_TOKEN"}


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def worker_environment(given: Mapping[str, str]) -> dict[str, str] | str:
    """The worker's environment, or why it cannot start.

    The CLI's tokens win over SLACK_BOT_TOKEN and SLACK_APP_TOKEN from a shell or `.env`: those may belong to
    another app, and `slack run` runs the app the CLI just chose.
    """
    environment = dict(given)
    missing = [cli for cli, bot in CLI_TOKENS.items() if not given.get(cli) and not given.get(bot)]
    if missing:
        return f"slack run did not pass {' and '.join(missing)}; run this hook through `slack run`."
    for cli, bot in CLI_TOKENS.items():
        if given.get(cli):
            environment[bot] = given[cli]
    # Socket Mode needs no signing secret; dropping one from the shell keeps the worker in Socket Mode.
    environment.pop("SLACK_SIGNING_SECRET", None)
    return environment


def start(environment: MutableMapping[str, str]) -> int:
    prepared = worker_environment(environment)
    if isinstance(prepared, str):
        print(prepared, file=sys.stderr)
        return 2
    # Replace this process: the CLI's Ctrl-C and termination reach the worker itself, and the worker loads
    # none of the development kit.
    os.execve(sys.executable, [sys.executable, "-m", "bot", "socket"], prepared)
    return 0  # not reached: execve returns only by raising


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devkit.slack_cli", description=__doc__)
    parser.add_argument("hook", choices=("get-manifest", "start"))
    args = parser.parse_args(argv)
    if args.hook == "get-manifest":
        print(json.dumps(manifest()))
        return 0
    return start(os.environ)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot [web|socket|demo|gallery DIR|new-key|rotate-keys|migrate-keys|reindex|report]`, `--version`.

Installed as `llm-approach` too.

With no argument: the mode the environment allows (`make run`): Socket Mode with an app token, HTTP with a
signing secret, and the local demo when there are no Slack credentials. `report [--team T] [--format
csv|json]` prints every assessment with its decision and outcome, and how the decisions turned out (the CSV's
figures go to stderr, so stdout stays one table). `gallery DIR` writes every surface's
Block Kit payload to DIR. The development kit is imported only for the demo and the gallery, never by the web
or socket processes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from importlib.metadata import PackageNotFoundError, version

from cryptography.fernet import Fernet

from bot.server import logs, runtime
from bot.settings import Mode, Settings, SettingsError, load_settings
from scoring.ruleset import RuleSetError

DISTRIBUTION = "llm-approach"

README_HINT = (
    "See README.md, 'Create the Slack app', to create the app from manifest.yml and get these values."
)


def installed_version() -> str:
    """The version pyproject.toml declares, as installed: pyproject is the one place it is written."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (the package is not installed: run `make install`)"


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print("The bot's settings are not right:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def _require(settings: Settings, mode: Mode) -> None:
    missing = settings.missing_for(mode)
    if missing:
        print(f"{mode.value} mode needs {', '.join(missing)}. {README_HINT}", file=sys.stderr)
        raise SystemExit(2)


def _demo() -> None:
    from bot.devkit import demo  # noqa: PLC0415 - the development kit stays out of the serving processes

    demo.main()


def _gallery(folder: str, *, hostile: bool = False) -> int:
    from bot.devkit import gallery  # noqa: PLC0415 - the development kit stays out of the serving processes

    return gallery.main([folder, *(["--hostile"] if hostile else [])])


def _serve(settings: Settings, mode: Mode | None) -> None:
    if mode is None:
        print(
            "No Slack credentials: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or with "
            f"SLACK_SIGNING_SECRET (HTTP mode). {README_HINT}\nRunning the local demo instead.\n"
        )
        _demo()
        return
    _require(settings, mode)
    if mode is Mode.SOCKET:
        runtime.serve_socket_mode(settings)
    else:
        runtime.serve_http(settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "mode",
        nargs="?",
        choices=(
            "web",
            "socket",
            "demo",
            "gallery",
            "new-key",
            "rotate-keys",
            "migrate-keys",
            "reindex",
            "report",
        ),
    )
    parser.add_argument("folder", nargs="?", help="gallery: the folder to write the surfaces to")
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {installed_version()}")
    parser.add_argument("--team", help="report: one workspace's id (default: every workspace)")
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="report: csv or json")
    parser.add_argument(
        "--hostile", action="store_true", help="gallery: people type text written to ping, link and format"
    )
    args = parser.parse_args(argv)
    if (args.mode == "gallery") != (args.folder is not None):
        parser.error("a folder goes with `gallery` (python -m bot gallery DIR), and only with it")
    if args.mode == "new-key":
        print(Fernet.generate_key().decode())
        return 0
    if args.mode == "gallery":
        # The gallery plays storage outages on purpose and prints for a person: critical errors only.
        logs.configure(os.environ.get("LOG_LEVEL", "CRITICAL"))
        try:
            return _gallery(args.folder, hostile=args.hostile)
        except RuntimeError as error:
            print(str(error), file=sys.stderr)
            return 1
    settings = _settings()
    # The demo prints for a person to read: keep the logs to warnings there (LOG_LEVEL still wins).
    quiet = args.mode == "demo" or (args.mode is None and settings.preferred_mode() is None)
    logs.configure(settings.log_level or ("WARNING" if quiet else "INFO"))
    try:
        if args.mode == "rotate-keys":
            if not settings.encryption_keys:
                print("rotate-keys needs LLM_APPROACH_ENCRYPTION_KEYS (newest key first).", file=sys.stderr)
                return 2
            rewritten = asyncio.run(runtime.rotate_installation_keys(settings))
            print(f"Re-encrypted {rewritten} installation record(s) with the newest key.")
        elif args.mode == "reindex":
            indexed = asyncio.run(runtime.reindex_assessments(settings))
            print(f"Indexed {indexed} assessment(s) for everyone who took part in them.")
        elif args.mode == "report":
            table, lines = asyncio.run(runtime.outcome_report(settings, args.team, args.format))
            sys.stdout.write(table if table.endswith("\n") else table + "\n")
            if args.format == "csv":
                for line in lines:
                    print(line, file=sys.stderr)
        elif args.mode == "migrate-keys":
            for line in asyncio.run(runtime.migrate_key_layout(settings)).lines():
                print(line)
        elif args.mode == "demo":
            _demo()
        elif args.mode == "web":
            _serve(settings, Mode.HTTP)
        elif args.mode == "socket":
            _serve(settings, Mode.SOCKET)
        else:
            _serve(settings, settings.preferred_mode())
    except RuleSetError as error:
        print(f"LLM_APPROACH_POLICY: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

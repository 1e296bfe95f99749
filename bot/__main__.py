"""`python -m bot [web|socket|demo]`: with no argument, the mode the environment allows (`make run`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from cryptography.fernet import Fernet

from bot import demo, logs, runtime
from bot.settings import Mode, Settings, SettingsError, load_settings
from scoring.ruleset import RuleSetError

README_HINT = (
    "See README.md, 'Create the Slack app', to create the app from manifest.yml and get these values."
)


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


def settings_missing_credentials() -> bool:
    try:
        return load_settings().preferred_mode() is None
    except SettingsError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("mode", nargs="?", choices=("web", "socket", "demo", "new-key", "rotate-keys"))
    args = parser.parse_args(argv)
    # The demo prints pages and messages for a person to read: keep the logs to warnings there.
    default_level = "WARNING" if args.mode == "demo" or settings_missing_credentials() else "INFO"
    logs.configure(os.environ.get("LOG_LEVEL", default_level))
    settings = _settings()
    if args.mode == "new-key":
        print(Fernet.generate_key().decode())
        return 0
    try:
        if args.mode == "rotate-keys":
            if not settings.encryption_keys:
                print("rotate-keys needs LLM_APPROACH_ENCRYPTION_KEYS (newest key first).", file=sys.stderr)
                return 2
            rewritten = asyncio.run(runtime.rotate_installation_keys(settings))
            print(f"Re-encrypted {rewritten} installation record(s) with the newest key.")
        elif args.mode == "demo":
            demo.main()
        elif args.mode == "web":
            _require(settings, Mode.HTTP)
            runtime.serve_http(settings)
        elif args.mode == "socket":
            _require(settings, Mode.SOCKET)
            runtime.serve_socket_mode(settings)
        else:
            mode = settings.preferred_mode()
            if mode is None:
                print(
                    "No Slack credentials: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or with "
                    f"SLACK_SIGNING_SECRET (HTTP mode). {README_HINT}\nRunning the local demo instead.\n"
                )
                demo.main()
            else:
                with runtime.reachable_redis(settings.redis_url) as redis_url:
                    local = load_settings({**os.environ, "REDIS_URL": redis_url})
                    if mode is Mode.SOCKET:
                        runtime.serve_socket_mode(local)
                    else:
                        runtime.serve_http(local)
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

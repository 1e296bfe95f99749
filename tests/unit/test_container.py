"""The container files keep their promises without a Docker daemon (none runs here): the Dockerfile installs
the locked requirements by hash, runs as a user that is not root, checks /healthz and starts the Procfile's
web process; compose.yaml starts it after a healthy Redis, with variables the bot reads. Each health check's
command is run against a real HTTP server answering 200, then 503."""

from __future__ import annotations

import fnmatch
import http.server
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from bot.settings import DEFAULT_PORT, variable_names

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        """The JSON-array form's words (the form a signal reaches the process in), or a failure."""
        words = yaml.safe_load(self.arguments)
        assert isinstance(words, list), f"{self.keyword} {self.arguments} is not in exec form"
        return [str(word) for word in words]


def dockerfile() -> list[Instruction]:
    """The Dockerfile's instructions, with continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    pending = ""
    for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or (not line.strip() and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def procfile_web() -> list[str]:
    for line in (REPO / "Procfile").read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "web":
            return shlex.split(command)
    raise AssertionError("the Procfile has no web process")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_the_dockerfile_parser_joins_continued_lines() -> None:
    healthcheck = [i for i in dockerfile() if i.keyword == "HEALTHCHECK"]
    assert len(healthcheck) == 1
    assert "--interval=" in healthcheck[0].arguments and "CMD" in healthcheck[0].arguments


def test_the_base_image_is_a_slim_python_pinned_by_tag() -> None:
    bases = [i.arguments for i in dockerfile() if i.keyword == "FROM"]
    assert len(bases) == 1
    assert re.fullmatch(r"python:3\.1[1-3]\.\d+-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", bases[0]), bases[0]


def test_the_locked_requirements_are_installed_by_hash_then_the_project_without_dependencies() -> None:
    instructions = dockerfile()
    runs = [(n, i.arguments) for n, i in enumerate(instructions) if i.keyword == "RUN"]
    hashed = [n for n, run in runs if re.search(r"pip install --require-hashes -r requirements\.txt\b", run)]
    project = [n for n, run in runs if re.search(r"pip install --no-deps \.(\s|$)", run)]
    assert len(hashed) == 1 and len(project) == 1
    assert hashed[0] < project[0]
    copied = [
        n for n, i in enumerate(instructions) if i.keyword == "COPY" and "requirements.txt" in i.arguments
    ]
    assert copied and copied[0] < hashed[0]
    # No other install could bring in an unlocked version.
    assert all(n in hashed + project for n, run in runs if "pip install" in run)


def test_the_process_runs_as_a_user_that_is_not_root() -> None:
    instructions = dockerfile()
    users = [(n, i.arguments.split(":")[0]) for n, i in enumerate(instructions) if i.keyword == "USER"]
    assert users, "no USER: the process would run as root"
    last_user_at, last_user = users[-1]
    assert last_user not in {"root", "0"}
    start = max(n for n, i in enumerate(instructions) if i.keyword in {"CMD", "ENTRYPOINT"})
    assert last_user_at < start
    created = " ".join(i.arguments for i in instructions if i.keyword == "RUN")
    assert re.search(rf"useradd\b.*\b{re.escape(last_user)}\b", created), "the USER is never created"


def test_the_command_is_the_procfiles_web_process() -> None:
    instructions = dockerfile()
    assert not [i for i in instructions if i.keyword == "ENTRYPOINT"]
    commands = [i.exec_form() for i in instructions if i.keyword == "CMD"]
    assert commands == [procfile_web()]
    exposed = [i.arguments for i in instructions if i.keyword == "EXPOSE"]
    assert exposed == [str(DEFAULT_PORT)]


def test_the_image_leaves_out_what_it_does_not_need_and_keeps_what_it_copies() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, p.removeprefix("**/")) for p in patterns)

    for secret_or_local in (".env", ".venv", ".git", "tests", "bot/__pycache__"):
        assert ignored(secret_or_local), secret_or_local
    for instruction in dockerfile():
        if instruction.keyword == "COPY":
            for source in instruction.arguments.split()[:-1]:
                assert (REPO / source).exists(), source
                assert not ignored(source), f"{source} is copied but .dockerignore leaves it out"


def healthcheck_command() -> list[str]:
    (healthcheck,) = [i for i in dockerfile() if i.keyword == "HEALTHCHECK"]
    return Instruction("CMD", healthcheck.arguments.partition("CMD")[2].strip()).exec_form()


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200
    paths: list[str] = []  # noqa: RUF012 - shared by the server's handler instances on purpose

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the status and the path."""


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Health", (_Health,), {"paths": [], "status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], handler
    server.shutdown()
    server.server_close()


def _health_exit_code(command: list[str], port: int) -> int:
    assert command[0] in {"python", "python3"}
    result = subprocess.run(
        [sys.executable, *command[1:]],
        env={**os.environ, "PORT": str(port)},
        capture_output=True,
        timeout=30,
        check=False,
    )
    return result.returncode


@pytest.mark.parametrize("source", ["Dockerfile", "compose.yaml"])
def test_the_health_check_passes_on_200_and_fails_on_503_from_healthz(
    source: str, health_server: tuple[int, type[_Health]]
) -> None:
    port, handler = health_server
    if source == "Dockerfile":
        command = healthcheck_command()
    else:
        test = compose()["services"]["web"]["healthcheck"]["test"]
        assert test[0] == "CMD"
        command = test[1:]
    assert _health_exit_code(command, port) == 0
    handler.status = 503
    assert _health_exit_code(command, port) != 0
    assert handler.paths == ["/healthz", "/healthz"]


def test_compose_starts_the_web_process_after_a_healthy_redis() -> None:
    services = compose()["services"]
    assert set(services) >= {"web", "redis"}
    redis = services["redis"]
    assert str(redis["image"]).startswith("redis:") and ":latest" not in redis["image"]
    assert "redis-cli" in redis["healthcheck"]["test"] and "ping" in redis["healthcheck"]["test"]
    web = services["web"]
    assert web["build"] == "."
    assert web["depends_on"] == {"redis": {"condition": "service_healthy"}}
    # The image's command is the Procfile's web process; compose does not replace it.
    assert "command" not in web and "entrypoint" not in web


def test_compose_sets_only_variables_the_bot_reads_and_points_it_at_its_redis() -> None:
    web = compose()["services"]["web"]
    environment = web["environment"]
    assert isinstance(environment, dict)
    assert set(environment) <= set(variable_names())
    redis_url = urlparse(environment["REDIS_URL"])
    assert redis_url.hostname == "redis" and redis_url.port == 6379
    port = environment["PORT"]
    assert web["ports"] == [f"{port}:{port}"]
    assert web["env_file"] == [{"path": ".env", "required": False}]

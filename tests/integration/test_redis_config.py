"""A Redis that refuses the bot stops the process with one clear line; only the demo starts a private Redis,
and only when nothing listens at all. Run as processes, as an operator would start them."""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.devkit.local_redis import free_port
from tests.integration.helpers import run_bot

PASSWORD = "the-right-password"
WRONG = "a-wrong-password"
REAL_LOOKING = {
    "SLACK_BOT_TOKEN": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    "SLACK_APP_TOKEN": "xapp-1-A0123456789-1234567890123-abcdef0123456789",
}


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"redis-server did not listen on {port}")


@pytest.fixture
def start_redis(tmp_path: Path) -> Iterator[object]:
    started: list[Server] = []
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed"

    def start(*options: str, listen_port: int | None = None) -> Server:
        port = free_port()
        args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)]
        process = subprocess.Popen([*args, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = Server(port, process)
        started.append(server)
        _wait_listening(listen_port or port)
        return server

    yield start
    for server in started:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.fixture
def watched_path(tmp_path: Path) -> tuple[str, Path]:
    """A PATH whose redis-server notes every start in a file, then runs the real one."""
    bin_dir, marker = tmp_path / "bin", tmp_path / "redis-server-started"
    bin_dir.mkdir()
    shim = bin_dir / "redis-server"
    shim.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\nexec "{shutil.which("redis-server")}" "$@"\n')
    shim.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}", marker


def _env(redis_url: str, path: str, **settings: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
    return {**base, "PATH": path, "REDIS_URL": redis_url, "PORT": str(free_port()), **settings}


def _one_clear_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "redis.crt", directory / "redis.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@pytest.mark.parametrize(
    ("mode", "credentials"),
    [
        ((), ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")),  # `python -m bot`, HTTP by the environment
        (("web",), ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")),
        (("socket",), ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")),
        (("demo",), ()),
        ((), ()),  # no credentials: the demo
    ],
)
def test_a_wrong_password_stops_the_process_and_starts_no_redis(
    start_redis: object, watched_path: tuple[str, Path], mode: tuple[str, ...], credentials: tuple[str, ...]
) -> None:
    server = start_redis("--requirepass", PASSWORD)  # type: ignore[operator]
    path, marker = watched_path
    env = _env(
        f"redis://:{WRONG}@127.0.0.1:{server.port}/0", path, **{k: REAL_LOOKING[k] for k in credentials}
    )
    result = run_bot(*mode, env=env)
    assert result.returncode == 1, (result.stdout, result.stderr)
    line = _one_clear_line(result.stderr)
    assert "refused the password" in line and str(server.port) in line
    assert WRONG not in result.stderr + result.stdout  # the password is never printed
    assert not marker.exists(), "a throwaway redis-server was started"


def test_a_tls_server_with_an_untrusted_certificate_stops_the_process(
    start_redis: object, watched_path: tuple[str, Path], tmp_path: Path
) -> None:
    cert, key = _self_signed(tmp_path)
    tls_port = free_port()
    start_redis(  # type: ignore[operator]
        "--tls-port",
        str(tls_port),
        "--tls-cert-file",
        str(cert),
        "--tls-key-file",
        str(key),
        "--tls-ca-cert-file",
        str(cert),
        "--tls-auth-clients",
        "no",
        listen_port=tls_port,
    )
    path, marker = watched_path
    for mode in ((), ("web",), ("demo",)):
        credentials = (
            {} if mode == ("demo",) else {k: REAL_LOOKING[k] for k in REAL_LOOKING if k != "SLACK_APP_TOKEN"}
        )
        result = run_bot(*mode, env=_env(f"rediss://127.0.0.1:{tls_port}/0", path, **credentials))
        assert result.returncode == 1, (mode, result.stdout, result.stderr)
        line = _one_clear_line(result.stderr)
        assert "TLS" in line and "certificate" in line, line
    assert not marker.exists(), "a throwaway redis-server was started"


def test_tls_to_a_server_that_does_not_speak_it_stops_the_process(
    start_redis: object, watched_path: tuple[str, Path]
) -> None:
    server = start_redis()  # type: ignore[operator]
    path, marker = watched_path
    credentials = {k: REAL_LOOKING[k] for k in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")}
    result = run_bot("web", env=_env(f"rediss://127.0.0.1:{server.port}/0", path, **credentials))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "TLS" in _one_clear_line(result.stderr)
    assert not marker.exists()


def test_only_the_demo_starts_a_private_redis_and_only_when_nothing_listens(
    watched_path: tuple[str, Path],
) -> None:
    path, marker = watched_path
    nothing_there = f"redis://127.0.0.1:{free_port()}/0"
    result = run_bot("demo", env=_env(nothing_there, path))
    assert result.returncode == 0, result.stderr
    assert "starting a private redis-server" in result.stdout
    assert marker.exists()  # the watch works: this is the one case that starts one

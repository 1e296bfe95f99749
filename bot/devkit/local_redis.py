"""A private, throwaway redis-server for the demo and the gallery: only when nothing listens at REDIS_URL."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

from bot.settings import load_settings
from bot.storage.connection import RedisStatus, probe_redis, safe_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, stopped on exit. Keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="llm-approach-redis-") as workdir:
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 10
            while probe_redis(url).status is not RedisStatus.OK:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def demo_redis(url: str) -> Iterator[str]:
    """The configured Redis if it answers; a private one only when nothing listens there at all.

    A Redis that listens but refuses us (a wrong password, an untrusted certificate) is a configuration
    error to fix, never a reason to quietly use a throwaway server instead.
    """
    probe = probe_redis(url)
    if probe.status is RedisStatus.OK:
        yield url
        return
    if probe.status is not RedisStatus.UNREACHABLE or probe.listening:
        raise RuntimeError(probe.message)
    if shutil.which("redis-server") is None:
        raise RuntimeError(
            f"Nothing answers at REDIS_URL ({safe_url(url)}) and redis-server is not installed. "
            "Start Redis, set REDIS_URL, or install redis-server."
        )
    print(f"Nothing answers at {safe_url(url)}; starting a private redis-server for the demo (not kept).")
    with private_redis() as private_url:
        yield private_url


def devkit_redis(purpose: str) -> contextlib.AbstractContextManager[str]:
    """The Redis the demo or the gallery uses: REDIS_URL (from the environment or .env) when it is one
    server; they do not run on a cluster or behind Sentinel, so with those a private redis-server instead."""
    target = load_settings().redis
    if target.topology != "single":
        print(f"The {purpose} uses one local Redis, not the {target.topology} configured: starting one.")
        return private_redis()
    return demo_redis(target.url)

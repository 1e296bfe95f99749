"""Every machine installs the same versions: the lock files pin every dependency pyproject.toml names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pinned(lock: str) -> dict[str, str]:
    text = (REPO / lock).read_text(encoding="utf-8")
    return {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;]+)(?: ;[^\\]*)? \\$", text, re.M)
    }


def test_the_lock_files_pin_every_dependency_with_hashes() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    assert runtime <= set(_pinned("requirements.txt")), "run `make lock`"
    assert runtime | dev <= set(_pinned("requirements-dev.txt")), "run `make lock`"
    for lock in ("requirements.txt", "requirements-dev.txt"):
        text = (REPO / lock).read_text(encoding="utf-8")
        for block in re.split(r"\n(?=[A-Za-z])", text.split("\n\n", 1)[-1]):
            if "==" in block:
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_installed_command_is_the_bot() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"llm-approach": "bot.__main__:main"}

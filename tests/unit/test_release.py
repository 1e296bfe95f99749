"""A release is one version everywhere: pyproject.toml, the installed package, `--version` and the changelog's
newest entry; and the LICENSE file is the licence pyproject declares."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bot.__main__ import DISTRIBUTION

REPO = Path(__file__).resolve().parents[2]
VERSION_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project


def test_the_license_file_is_the_licence_pyproject_declares() -> None:
    declared = _project()["license"]
    name = declared["text"] if isinstance(declared, dict) else declared
    assert name == "MIT"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_installed_package_is_the_version_pyproject_declares() -> None:
    assert version(DISTRIBUTION) == _project()["version"], "pyproject.toml changed: run `make install`"


def test_the_changelog_starts_with_the_package_version() -> None:
    releases = VERSION_HEADING.findall((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert releases, "CHANGELOG.md has no '## [x.y.z] - YYYY-MM-DD' heading"
    assert releases[0][0] == _project()["version"]
    # Newest first, each version once.
    numbers = [tuple(int(part) for part in number.split(".")) for number, _ in releases]
    assert numbers == sorted(set(numbers), reverse=True)


def test_every_release_says_how_to_upgrade_to_it() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = VERSION_HEADING.split(text)[1:]
    bodies = dict(zip(sections[0::3], sections[2::3], strict=True))
    first = min(bodies, key=lambda number: tuple(int(part) for part in number.split(".")))
    for number, body in bodies.items():
        assert "### Added" in body or "### Changed" in body or "### Fixed" in body, number
        if number != first:
            assert "### Upgrading" in body, f"{number} does not say what an operator must do"


def test_version_prints_the_package_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout == f"llm-approach {_project()['version']}\n"

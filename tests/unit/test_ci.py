"""The CI a maintainer expects, checked without GitHub: the workflow runs .ci/run on every supported Python
with pinned actions and read-only permissions, Dependabot watches pip and the actions, pre-commit runs the
project's own ruff and mypy (coverage: test_coverage_floor.py)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SUPPORTED = ["3.11", "3.12", "3.13"]


def _yaml(path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    return loaded


def _workflow() -> dict[str, Any]:
    return _yaml(".github/workflows/ci.yml")


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _dev_pin(name: str) -> str:
    for requirement in _pyproject()["project"]["optional-dependencies"]["dev"]:
        match = re.fullmatch(rf"{re.escape(name)}==([\w.]+)", requirement)
        if match:
            return match.group(1)
    raise AssertionError(f"pyproject.toml does not pin {name} exactly")


def _steps(job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"][job]["steps"]
    return steps


def test_the_workflow_runs_ci_run_on_every_supported_python() -> None:
    job = _workflow()["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == SUPPORTED
    assert _pyproject()["project"]["requires-python"] == f">={SUPPORTED[0]}"
    setup = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert [s["with"]["python-version"] for s in setup] == ["${{ matrix.python-version }}"]
    assert [s["run"] for s in job["steps"] if "run" in s] == [".ci/run"]
    assert job["env"]["HYPOTHESIS_PROFILE"] == "ci"


def test_a_job_runs_the_bolt_contract_tests_against_the_newest_bolt() -> None:
    assert [s["run"] for s in _steps("bolt-latest") if "run" in s] == ["make bolt-latest"]


def test_every_action_is_pinned_to_a_commit() -> None:
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    # The tag each commit stands for is written beside it, for a reader and for Dependabot.
    text = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert all(re.search(r"@[0-9a-f]{40} # v\d", line) for line in text.splitlines() if "uses:" in line)


def test_the_workflow_reads_the_repository_only_and_a_newer_push_cancels_the_older_run() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in workflow["concurrency"]["group"]
    # PyYAML reads the key `on` as YAML 1.1's true.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)


def test_dependabot_watches_the_python_dependencies_and_the_actions() -> None:
    updates = _yaml(".github/dependabot.yml")["updates"]
    assert {u["package-ecosystem"] for u in updates} == {"pip", "github-actions"}
    assert all(u["directory"] == "/" and u["schedule"]["interval"] for u in updates)


def test_pre_commit_runs_the_projects_own_ruff_and_mypy() -> None:
    repos = _yaml(".pre-commit-config.yaml")["repos"]
    (ruff,) = [r for r in repos if r["repo"] == "https://github.com/astral-sh/ruff-pre-commit"]
    assert ruff["rev"] == f"v{_dev_pin('ruff')}"
    assert {hook["id"] for hook in ruff["hooks"]} == {"ruff-check", "ruff-format"}
    (local,) = [r for r in repos if r["repo"] == "local"]
    (mypy,) = [hook for hook in local["hooks"] if hook["id"] == "mypy"]
    assert mypy["entry"] == ".venv/bin/mypy" and mypy["pass_filenames"] is False
    # That mypy is the locked one, which is pyproject's pin.
    locked = re.search(r"^mypy==([\w.]+) ", (REPO / "requirements-dev.txt").read_text(), re.M)
    assert locked and locked.group(1) == _dev_pin("mypy") == version("mypy")


def test_ci_run_installs_with_sudo_when_it_is_not_root() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then as_root=(sudo); fi' in script
    installs = [
        line for line in script.splitlines() if "apt-get" in line and not line.lstrip().startswith("#")
    ]
    assert installs and all(line.lstrip().startswith('"${as_root[@]}"') for line in installs)

"""`make unit` is fast and CI searches in full: the profile decides every example count, including the
counts tests set for themselves."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _counts_under(profile: str | None) -> tuple[str, int, int, int]:
    code = (
        "import tests.hypothesis_profiles as p\n"
        "from hypothesis import settings\n"
        "print(settings.get_current_profile_name(), settings().max_examples, p.examples(300), p.examples(20))"
    )
    env = {"PATH": "/usr/bin:/bin"} | ({"HYPOTHESIS_PROFILE": profile} if profile else {})
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    name, default, many, few = result.stdout.split()
    return name, int(default), int(many), int(few)


def test_the_fast_profile_is_the_default_and_ci_runs_the_full_counts() -> None:
    assert _counts_under(None) == ("dev", 10, 30, 5)
    assert _counts_under("dev") == ("dev", 10, 30, 5)
    assert _counts_under("ci") == ("ci", 100, 300, 20)


def test_ci_selects_the_full_profile() -> None:
    assert 'export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"' in (REPO / ".ci" / "run").read_text()


def test_no_test_fixes_its_own_example_count() -> None:
    """A literal `max_examples=` would ignore the profile: a slow local run, or a thin search in CI."""
    fixed = []
    for path in (REPO / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            literal = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant)
            if literal and node.arg == "max_examples":
                fixed.append(f"{path.relative_to(REPO)}:{node.value.lineno}")
    assert fixed == []

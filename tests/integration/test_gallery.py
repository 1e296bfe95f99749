"""`python -m bot gallery DIR` writes every surface the app shows, each one valid Block Kit, without Slack."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from bot.devkit.blockkit import message_problems, view_problems
from bot.devkit.gallery import HOSTILE_NAME, PEOPLE
from bot.devkit.typed_text import misread, shown_as_typed
from bot.ui.blocks import visible_length
from tests.integration.helpers import run_bot

SURFACES = {
    # the modal: every page, its errors, resuming, a start from Home, editing
    "modal-page-1",
    "modal-page-2",
    "modal-page-3",
    "modal-page-4",
    "modal-page-1-field-errors",
    "modal-storage-error",
    "modal-out-of-date",
    "modal-resumed",
    "modal-from-home-page-4",
    "modal-edit-page-1",
    # the result in each state
    "result-1-fresh",
    "result-2-after-votes",
    "result-3-edited",
    "result-4-decided",
    "result-5-decided-differently",
    "result-6-by-dm",
    "vote-not-counted",
    # the thread
    "thread-detail",
    "thread-what-if-same",
    "thread-what-if-changed",
    "thread-why",
    "thread-explain",
    "thread-compare",
    "thread-help",
    "thread-not-understood",
    "thread-outside-a-result",
    "thread-version-note",
    "thread-decision-note",
    "thread-decision-changed-note",
    # deciding and exporting
    "decision-form",
    "decision-changed-form",
    "decision-not-allowed",
    "export-upload",
    "export-text-fallback",
    # reviews and outcomes
    "review-1-message",
    "review-2-not-allowed",
    "review-3-closed",
    "review-schedule-refused",
    "outcome-form",
    "outcome-form-correcting",
    "thread-outcome-note",
    "result-8-reviewed",
    "home-4-admin-with-outcomes",
    # a team round
    "round-start-form",
    "round-1-invitation",
    "round-teammate-form-page-1",
    "round-teammate-form-page-2",
    "round-teammate-form-page-3",
    "round-teammate-form-page-4",
    "round-2-two-answers",
    "round-3-three-answers",
    "round-3-counts-only",
    "round-close-not-allowed",
    "round-4-closed",
    "thread-round-version-note",
    "result-7-team-consensus",
    # Home and the command's own answers
    "home-1-empty",
    "home-2-with-draft-and-results",
    "home-3-storage-down",
    "command-help",
    "command-storage-down",
    "forget-1-confirm",
    "forget-2-done",
}


def _problems(payload: dict[str, Any]) -> list[str]:
    """Block Kit checks for whatever the file holds: a view, an ack carrying one, or a message."""
    if payload.get("type") in {"modal", "home"}:
        return view_problems(payload)
    if isinstance(payload.get("view"), dict):
        return view_problems(payload["view"])
    if payload.get("files"):  # an uploaded file as the thread shows it: no blocks to check
        return [] if all(f.get("name") and f.get("preview") for f in payload["files"]) else ["empty file"]
    return message_problems({k: v for k, v in payload.items() if not k.startswith("_")})


# On a cluster the gallery starts a local server of its own (it drives one Redis): single-server pass only.
@pytest.mark.private_servers
def test_the_gallery_writes_every_surface_as_valid_block_kit(
    tmp_path: Path, redis_url: str, redis: Redis
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["REDIS_URL"] = redis_url
    result = run_bot("gallery", str(tmp_path / "gallery"), env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    written = {path.stem for path in (tmp_path / "gallery").glob("*.json")}
    assert written == SURFACES
    for name in sorted(written):
        payload = json.loads((tmp_path / "gallery" / f"{name}.json").read_text(encoding="utf-8"))
        assert not _problems(payload), (name, _problems(payload))
        if name.startswith("result-"):
            assert len(payload["blocks"]) <= 8 and visible_length(payload) <= 900, name
    record = (tmp_path / "gallery" / "export-record.md").read_text(encoding="utf-8")
    assert record.startswith("# Decision record") and "Ana" in record

    storage_error = json.loads(
        (tmp_path / "gallery" / "modal-storage-error.json").read_text(encoding="utf-8")
    )
    assert storage_error["response_action"] == "push"  # the outage really was played through the app
    errors = json.loads((tmp_path / "gallery" / "modal-page-1-field-errors.json").read_text(encoding="utf-8"))
    assert errors["errors"] and errors["view"]["type"] == "modal"
    assert not list(redis.scan_iter("llm-approach:{T0STANDIN}:*"))  # the gallery's workspace was uninstalled


def test_gallery_needs_a_folder() -> None:
    result = run_bot("gallery", env={k: v for k, v in os.environ.items() if not k.startswith("SLACK_")})
    assert result.returncode == 2 and "gallery DIR" in result.stderr


# Every surface where the hostile gallery's people see what they typed (a project name, a rationale, a
# mention): each must show it verbatim. Surfaces not listed must still never ping, link or alter.
SHOWS_THE_NAME = {
    *(name for name in SURFACES if name.startswith(("result-", "round-")) and "form-page" not in name),
    "round-start-form",
    "thread-detail",
    "thread-not-understood",
    "thread-decision-note",
    "thread-decision-changed-note",
    "export-text-fallback",
    "home-2-with-draft-and-results",
} - {"round-close-not-allowed", "round-4-closed"}  # a closed round names no project


@pytest.mark.private_servers
def test_the_hostile_gallery_shows_what_people_typed_as_typed_and_pings_nobody(
    tmp_path: Path, redis_url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["REDIS_URL"] = redis_url
    result = run_bot("gallery", str(tmp_path / "hostile"), "--hostile", env=env)
    assert result.returncode == 0, result.stderr

    written = {path.stem for path in (tmp_path / "hostile").glob("*.json")}
    assert written == SURFACES
    problems: dict[str, list[str]] = {}
    for name in sorted(written):
        raw = json.loads((tmp_path / "hostile" / f"{name}.json").read_text(encoding="utf-8"))
        # Without "_before": what the person asked, drawn above a reply by the preview tool.
        payload = {k: v for k, v in raw.items() if not k.startswith("_")}
        found = misread(payload, people=PEOPLE)
        typed = shown_as_typed(payload, HOSTILE_NAME)
        # Where the name is not shown, it may still be in the fallback text: escaped, never raw.
        found += typed if name in SHOWS_THE_NAME else [p for p in typed if "raw in mrkdwn" in p]
        if found:
            problems[name] = found
    assert problems == {}

    upload = json.loads((tmp_path / "hostile" / "export-upload.json").read_text(encoding="utf-8"))
    assert upload["files"][0]["title"] == f"Decision record: {HOSTILE_NAME}"
    # The Markdown record escapes Markdown's characters, so a Markdown reader shows the name as typed.
    record = (tmp_path / "hostile" / "export-record.md").read_text(encoding="utf-8")
    assert HOSTILE_NAME in re.sub(r"\\(.)", r"\1", record.splitlines()[0])

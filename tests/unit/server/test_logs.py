"""Log lines are JSON whose own fields no caller can overwrite."""

from __future__ import annotations

import json
import logging

from bot.server.logs import JsonFormatter, request_id


def _line(**extra: object) -> dict[str, object]:
    record = logging.LogRecord("llm_approach", logging.INFO, __file__, 1, "vote.recorded", (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return dict(json.loads(JsonFormatter().format(record)))


def test_an_extra_field_never_replaces_the_event_name_or_the_level() -> None:
    token = request_id.set("req-1")
    try:
        line = _line(event="app_uninstalled", level="debug", request_id="forged", assessment="a1")
    finally:
        request_id.reset(token)
    assert line["event"] == "vote.recorded"
    assert line["level"] == "info"
    assert line["request_id"] == "req-1"
    assert line["extra_event"] == "app_uninstalled"
    assert line["extra_level"] == "debug"
    assert line["assessment"] == "a1"


def test_exceptions_are_named_not_dumped() -> None:
    try:
        raise ValueError("secret answer text")
    except ValueError:
        import sys  # noqa: PLC0415

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "listener.failed", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["error_type"] == "ValueError"
    assert "secret answer text" not in json.dumps(line)

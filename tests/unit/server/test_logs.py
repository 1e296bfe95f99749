"""Log lines are JSON whose own fields no caller can overwrite."""

from __future__ import annotations

import json
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.server.logs import JsonFormatter, quiet_sdk_clients, request_id


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


def test_the_sdk_clients_never_format_bodies_for_debug_lines_that_are_dropped() -> None:
    """slack_sdk builds a DEBUG line with every request and response body when its client logger's own
    level is unset; once the app configures logging (``configure`` calls this), it must not."""
    names = ("slack_sdk.web.async_base_client", "slack_sdk.webhook.async_client")
    saved = {name: logging.getLogger(name).level for name in names}
    try:
        for name in names:
            logging.getLogger(name).setLevel(logging.NOTSET)
        quiet_sdk_clients()
        client_logger = AsyncWebClient()._logger  # the logger the SDK's request code tests
        assert client_logger.level > logging.DEBUG
        assert logging.getLogger("slack_sdk.webhook.async_client").level > logging.DEBUG
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)

"""Prometheus metrics, served at GET /metrics: requests, acknowledgement latency, errors, assessments."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Kinds of Slack request; anything else counts as "other" so labels stay few.
KINDS = frozenset(
    {
        "slash_command",
        "view_submission",
        "view_closed",
        "block_actions",
        "event_callback",
        "url_verification",
        "health",
        "metrics",
        "oauth",
        "other",
    }
)

registry = CollectorRegistry()
requests_total = Counter(
    "llm_approach_requests", "HTTP requests handled", ["kind", "status"], registry=registry
)
ack_seconds = Histogram(
    "llm_approach_ack_seconds",
    "Time from receiving a Slack request to acknowledging it",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=registry,
)
errors_total = Counter("llm_approach_errors", "Errors logged, by event", ["event"], registry=registry)
assessments_total = Counter("llm_approach_assessments_completed", "Results posted", registry=registry)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def kind_of(body: object) -> str:
    if isinstance(body, dict):
        if body.get("command"):
            return "slash_command"
        kind = str(body.get("type") or "other")
        return kind if kind in KINDS else "other"
    return "other"


def observe(kind: str, status: int, seconds: float) -> None:
    requests_total.labels(kind, str(status)).inc()
    if kind not in {"health", "metrics"}:
        ack_seconds.labels(kind).observe(seconds)


def exposition() -> bytes:
    return generate_latest(registry)


class ErrorCounter(logging.Handler):
    """Counts every error the app logs, by its event name (a fixed set of names in the code)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        errors_total.labels(record.getMessage()[:64]).inc()

"""Hypothesis profiles: ``dev`` (the default) keeps `make unit` to seconds on a laptop, ``ci`` runs the full
search. ``HYPOTHESIS_PROFILE=ci`` picks the full one; `.ci/run` (and so the CI workflow) exports it.

A test that sets its own ``max_examples`` is not scaled by a profile (explicit settings win over it), so such
tests ask :func:`examples` for their count: the full figure in ``ci``, a tenth of it in ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import settings

FULL_EXAMPLES = 100  # hypothesis's own default: what every test without a count of its own ran before
DEV_SHARE = 0.1
MINIMUM_EXAMPLES = 5

settings.register_profile("ci", max_examples=FULL_EXAMPLES)
settings.register_profile("dev", max_examples=round(FULL_EXAMPLES * DEV_SHARE))

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """How many examples a test that runs ``full`` in CI runs under the loaded profile."""
    share = settings().max_examples / FULL_EXAMPLES
    return full if share >= 1 else max(MINIMUM_EXAMPLES, round(full * share))

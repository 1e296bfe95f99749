"""Finding the assessment a button or a form belongs to."""

from __future__ import annotations

import re

from bot.errors import Cause, UserFacingError, gone
from bot.listeners.deps import Deps
from bot.storage.failures import StoreError
from bot.storage.models import StoredAssessment

ASSESSMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def load_record(deps: Deps, team: str, assessment_id: str) -> StoredAssessment:
    """The assessment a button belongs to; UserFacingError when it cannot be read or has expired."""
    if not ASSESSMENT_ID.fullmatch(assessment_id):
        raise gone()  # not an id we ever put on a button
    try:
        record = await deps.store.load_assessment(team, assessment_id)
    except StoreError as error:
        raise UserFacingError("I couldn't load that assessment", cause=Cause.STORAGE) from error
    if record is None:
        raise gone()
    return record

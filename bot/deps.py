"""What listeners need besides Bolt's own arguments."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Store
from scoring import Engine


@dataclass(frozen=True)
class Deps:
    store: Store
    engine: Engine

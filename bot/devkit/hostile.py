"""Mentions shaped to cost the thread parser the most, for the availability test and ``bench.mentions``."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

SLACK_TEXT_LIMIT = 40_000  # Slack truncates message text above this
_WORDS = ("latency", "budget", "examples", "knowlege", "strct", "the", "is", "xyzzy", "self-host")


def _random_words(size: int, rng: random.Random) -> str:
    return "what if " + " ".join(rng.choice(_WORDS) for _ in range(size // 5))


def _giant_word(size: int, rng: random.Random) -> str:
    return "what if " + "a" * size


def _commas(size: int, rng: random.Random) -> str:
    return "what if " + ", ".join(["latncy is strict"] * (size // 18))


def _ands(size: int, rng: random.Random) -> str:
    return "what if " + " and ".join(["labled exampels"] * (size // 20))


def _question_soup(size: int, rng: random.Random) -> str:
    return "why " + " ".join(
        rng.choice(["why", "what", "how", "explain", "compare", "if"]) for _ in range(size)
    )


def _unicode(size: int, rng: random.Random) -> str:
    return "what if " + "".join(rng.choice("ąßé漢字🙂\u0301 ") for _ in range(size))


def _printable(size: int, rng: random.Random) -> str:
    return "what if " + "".join(rng.choice(string.printable) for _ in range(size))


def _scrambled_terms(size: int, rng: random.Random) -> str:
    """Words with the letters of the parser's own terms, in another order: every cheap check passes."""
    terms = (
        "latency",
        "examples",
        "knowledge",
        "labelled",
        "frequency",
        "citations",
        "expertise",
        "lifetime",
    )

    def scrambled() -> str:
        letters = list(rng.choice(terms))
        rng.shuffle(letters)
        return "".join(letters)

    return "what if " + ", ".join(" ".join(scrambled() for _ in range(15)) for _ in range(size // 150))


MENTION_SHAPES: dict[str, Callable[[int, random.Random], str]] = {
    "random words": _random_words,
    "one giant word": _giant_word,
    "thousands of commas": _commas,
    "thousands of ands": _ands,
    "question-word soup": _question_soup,
    "unicode": _unicode,
    "printable noise": _printable,
    "scrambled terms": _scrambled_terms,
}


def hostile_mention(shape: str, size: int = SLACK_TEXT_LIMIT, seed: int = 9) -> str:
    """A mention body of exactly ``size`` characters (Slack's limit by default) in one of the shapes."""
    return MENTION_SHAPES[shape](size, random.Random(seed))[:size]

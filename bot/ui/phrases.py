"""Understanding what people ask the bot in a result's thread. Pure functions, no Slack.

Questions and options are matched by their ids, by words people use for them, and by small typos. When a
phrase matches nothing (or more than one question), it is reported back as not understood, never guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from scoring import Approach
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS

# Words people use for each question, besides its id and short label.
QUESTION_WORDS: dict[str, tuple[str, ...]] = {
    "task_complexity": ("complexity", "complex task", "difficulty", "task"),
    "accuracy_requirement": ("accuracy", "accurate", "accuracy requirement", "errors"),
    "distinct_tasks": ("distinct tasks", "tasks", "number of tasks", "use cases"),
    "knowledge_need": ("knowledge", "knowledge need", "documents", "docs", "corpus", "data source"),
    "knowledge_change_frequency": (
        "change frequency",
        "changes",
        "change",
        "updated",
        "updates",
        "freshness",
        "knowledge changes",
        "facts change",
        "docs change",
        "documents change",
        "data changes",
    ),
    "citations_needed": ("citations", "citation", "cite", "sources", "traceable", "provenance"),
    "domain_specificity": ("domain", "jargon", "domain language", "language", "dsl", "vocabulary"),
    "format_style_consistency_need": (
        "format",
        "style",
        "tone",
        "consistency",
        "schema",
        "brand voice",
        "voice",
    ),
    "prompt_baseline": ("baseline", "prompt baseline", "prompting", "evals"),
    "primary_failure_mode": ("failure", "failures", "fails", "failure mode", "failing", "problem"),
    "labeled_examples": (
        "labelled examples",
        "labeled examples",
        "examples",
        "labels",
        "labelled",
        "labeled",
        "training data",
        "pairs",
        "training examples",
    ),
    "compute_budget": ("budget", "compute", "money", "gpus", "gpu", "compute budget"),
    "ml_expertise": ("expertise", "ml expertise", "ml skills", "skills", "ml team", "ml experience"),
    "time_to_first_version": ("deadline", "first version", "timeline", "time to first version", "ship"),
    "project_lifetime": ("lifetime", "project lifetime", "lives", "horizon", "one-off", "one off"),
    "request_volume": ("volume", "requests", "traffic", "calls", "request volume", "load"),
    "latency_requirement": ("latency", "response time", "speed", "fast", "slow"),
    "privacy_self_host": (
        "self-host",
        "self host",
        "selfhost",
        "self-hosted",
        "self hosted",
        "privacy",
        "on-prem",
        "on prem",
        "on premises",
        "private",
        "host ourselves",
    ),
}

# Words for options, per question (ids and labels are matched too).
OPTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "task_complexity": {
        "low": ("simple", "easy"),
        "medium": ("moderate",),
        "high": ("hard", "complex", "difficult"),
    },
    "accuracy_requirement": {
        "critical": ("crucial", "life critical", "safety critical"),
        "high": ("strict",),
    },
    "distinct_tasks": {
        "one": ("single", "1", "narrow"),
        "few": ("several", "handful"),
        "many": ("lots", "general"),
    },
    "knowledge_need": {
        "none": ("no knowledge", "nothing"),
        "general": ("general knowledge", "common knowledge"),
        "small_static_reference": ("small", "small reference", "static reference", "reference", "faq"),
        "proprietary_or_large_corpus": (
            "proprietary",
            "internal",
            "our documents",
            "our docs",
            "own documents",
            "large corpus",
            "corpus",
            "private documents",
        ),
        "fresh_external": ("fresh", "external", "news", "live", "current", "real time", "realtime"),
    },
    "knowledge_change_frequency": {
        "static": ("never", "static", "stable", "rarely"),
        "yearly": ("yearly", "annually", "once a year", "every year"),
        "monthly": ("monthly", "every month", "once a month"),
        "weekly": ("weekly", "every week", "once a week"),
        "daily": ("daily", "every day", "hourly", "constantly", "real time", "realtime"),
    },
    "citations_needed": {"yes": ("needed", "required", "must", "yes"), "no": ("no", "not needed", "none")},
    "domain_specificity": {
        "high": ("unusual", "dsl", "rare language", "niche"),
        "low": ("everyday", "plain"),
    },
    "format_style_consistency_need": {"high": ("strict", "exact", "rigid"), "low": ("loose", "any")},
    "prompt_baseline": {
        "not_tried": ("not tried", "untried", "haven't tried", "never tried", "no baseline"),
        "meets_target": ("meets", "meets target", "good enough", "works", "hits target"),
        "plateaued_below_target": ("plateaued", "plateau", "below target", "stuck", "not good enough"),
    },
    "primary_failure_mode": {
        "knowledge": ("facts", "factual", "knowledge"),
        "behavior": ("behaviour", "behavior", "format", "tone", "style", "reasoning"),
        "both": ("both",),
        "none": ("nothing", "none"),
    },
    "labeled_examples": {
        "none": ("no", "zero"),
        "lt_50": ("a few", "few", "handful"),
        "5000_plus": ("thousands",),
    },
    "compute_budget": {"low": ("small", "tight", "no budget", "cheap"), "high": ("big", "large", "generous")},
    "ml_expertise": {"none": ("no", "nobody"), "strong": ("expert", "experts", "strong", "lots")},
    "time_to_first_version": {
        "days": ("days", "this week", "asap", "tomorrow"),
        "weeks": ("weeks", "this month"),
        "months": ("months", "quarter", "next quarter"),
    },
    "project_lifetime": {
        "one_off": ("one off", "one-off", "once", "oneoff"),
        "short_term": ("short", "short term", "short-term"),
        "long_term": ("long", "long term", "long-term", "years"),
    },
    "request_volume": {"low": ("few requests", "little"), "high": ("huge", "massive", "lots", "heavy")},
    "latency_requirement": {
        "strict": ("strict", "realtime", "real time", "sub-second", "subsecond", "instant", "fast", "tight"),
        "moderate": ("moderate", "a few seconds", "seconds"),
        "relaxed": ("relaxed", "slow", "batch", "offline", "loose"),
    },
    "privacy_self_host": {"yes": ("must", "required", "yes", "have to"), "no": ("no", "api", "cloud", "not")},
}

APPROACH_WORDS: dict[Approach, tuple[str, ...]] = {
    Approach.PROMPT_ENGINEERING: ("prompt engineering", "prompting", "prompt", "pe", "prompt_engineering"),
    Approach.RAG: ("rag", "retrieval", "retrieval augmented generation"),
    Approach.FINE_TUNING: (
        "fine-tuning",
        "fine tuning",
        "finetuning",
        "fine-tune",
        "fine tune",
        "finetune",
        "ft",
        "fine_tuning",
        "tuning",
    ),
    Approach.HYBRID: ("hybrid", "rag and fine-tuning", "rag + fine-tuning", "both"),
}

NEGATIONS = {
    "no",
    "not",
    "don't",
    "dont",
    "without",
    "never",
    "doesn't",
    "isn't",
    "aren't",
    "needn't",
    "won't",
}
WHAT_IF_OPENERS = (
    "what if",
    "what about",
    "whatif",
    "wat if",
    "what iff",
    "suppose",
    "assume",
    "imagine",
    "if",
)
HELP_WORDS = {"help", "?", "usage", "commands", "what can you do", "how does this work", "hi", "hello"}
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bplus\b|\balso\b)\s*")
_NUMBER = re.compile(r"(\d[\d,.]*)\s*(k\b|thousand|million|m\b)?")


@dataclass(frozen=True)
class Change:
    question: str
    option: str


@dataclass(frozen=True)
class WhatIf:
    changes: tuple[Change, ...]
    not_understood: tuple[str, ...] = ()


@dataclass(frozen=True)
class Why:
    question: str | None = None


@dataclass(frozen=True)
class Compare:
    first: Approach
    second: Approach


@dataclass(frozen=True)
class Help:
    """A request for what the bot understands (or an empty mention)."""


@dataclass(frozen=True)
class NotUnderstood:
    text: str
    suggestions: tuple[str, ...] = field(default_factory=tuple)


Intent = WhatIf | Why | Compare | Help | NotUnderstood


def normalise(text: str) -> str:
    text = re.sub(r"<@[A-Z0-9]+(\|[^>]*)?>", " ", text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    text = re.sub(r"[\"`*_~](?=\s|$)|(?<=\s)[\"`*~]", " ", text)
    return " ".join(text.split()).strip(" ?!.")


def _phrase_in(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'+-]+", text)


def _fuzzy_in(phrase: str, text: str) -> bool:
    """The phrase appears in the text with a small typo in each of its words."""
    if _phrase_in(phrase, text):
        return True
    wanted = phrase.split()
    words = _words(text)
    if not wanted or any(len(w) < 5 for w in wanted):
        return False  # short words are too easily confused: exact matches only
    for start in range(len(words) - len(wanted) + 1):
        window = words[start : start + len(wanted)]
        if all(
            difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 for a, b in zip(wanted, window, strict=True)
        ):
            return True
    return False


def _question_terms(question_id: str) -> tuple[str, ...]:
    question = QUESTIONS_BY_ID[question_id]
    return (question_id, question_id.replace("_", " "), question.short.lower(), *QUESTION_WORDS[question_id])


def _option_terms(question_id: str, option_id: str) -> tuple[str, ...]:
    label = QUESTIONS_BY_ID[question_id].option_label(option_id).lower().split(":")[0]
    extra = OPTION_WORDS.get(question_id, {}).get(option_id, ())
    return (option_id, option_id.replace("_", " "), label, *extra)


def _strongest(terms_by_key: dict[str, tuple[str, ...]], text: str) -> list[str]:
    """The keys whose terms the text names most specifically: the longest matching term wins, and a
    term written as an id (with an underscore) beats any words. Ties are all returned."""
    scores: dict[str, int] = {}
    for key, terms in terms_by_key.items():
        for term in terms:
            if _fuzzy_in(term, text):
                scores[key] = max(scores.get(key, 0), len(term) + (100 if "_" in term else 0))
    if not scores:
        return []
    top = max(scores.values())
    return [key for key, score in scores.items() if score == top]


def _best_questions(text: str) -> list[str]:
    return _strongest({qid: _question_terms(qid) for qid in SCORED_IDS}, text)


def _option_for(question_id: str, text: str) -> str | None:
    """The option of a question the text names; None when it names none, or several equally."""
    options = QUESTIONS_BY_ID[question_id].option_ids
    best = _strongest({option: _option_terms(question_id, option) for option in options}, text)
    return best[0] if len(best) == 1 else None


def _count(text: str) -> int | None:
    match = _NUMBER.search(text)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    multiplier = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}.get(
        match.group(2) or "", 1
    )
    return int(value * multiplier)


def _numeric_change(clause: str, question_ids: list[str]) -> Change | None:
    count = _count(clause)
    if count is None:
        return None
    if "labeled_examples" in question_ids:
        buckets = ((0, "none"), (1, "lt_50"), (50, "50_499"), (500, "500_4999"), (5000, "5000_plus"))
        return Change("labeled_examples", [option for floor, option in buckets if count >= floor][-1])
    if "request_volume" in question_ids:
        option = "low" if count < 1_000 else "medium" if count <= 100_000 else "high"
        return Change("request_volume", option)
    if "latency_requirement" in question_ids:
        seconds = count / 1000 if re.search(r"\d\s*ms\b|millisecond", clause) else count
        option = "strict" if seconds < 1 else "moderate" if seconds <= 5 else "relaxed"
        return Change("latency_requirement", option)
    return None


def parse_clause(clause: str) -> Change | None:
    """One change from a phrase such as 'latency is strict' or 'we had 5000 labelled examples'."""
    questions = _best_questions(clause)
    if len(questions) > 1:
        # "fine-tuning examples" vs "tuning" and similar: prefer a question whose option is also named.
        with_option = [q for q in questions if _option_for(q, clause) is not None]
        questions = with_option if len(with_option) == 1 else questions
    if len(questions) == 1:
        question_id = questions[0]
        numeric = _numeric_change(clause, questions)
        if numeric is not None:
            return numeric
        option = _option_for(question_id, clause)
        if set(QUESTIONS_BY_ID[question_id].option_ids) == {"no", "yes"}:
            # Yes/no questions: a negation anywhere ("don't need to self-host", "no citations") means no.
            negated = any(word in NEGATIONS for word in _words(clause))
            option = "no" if negated else (option or "yes")
        return Change(question_id, option) if option is not None else None
    if questions:
        return None  # names several questions equally: ask rather than guess
    # No question named: an option word that belongs to exactly one question will do.
    owners = {(qid, option) for qid in SCORED_IDS if (option := _option_for(qid, clause)) is not None}
    owners = {pair for pair in owners if pair[1] not in {"yes", "no", "none", "low", "medium", "high"}}
    if len(owners) == 1:
        question_id, option = next(iter(owners))
        return Change(question_id, option)
    return None


_BOTH = re.compile(
    r"\b(both\s+)?(knowledge|facts)\s+(and|&)\s+(behaviou?r|format|tone|style)\b|"
    r"\b(both\s+)?(behaviou?r|format|tone|style)\s+(and|&)\s+(knowledge|facts)\b"
)


def parse_changes(text: str) -> WhatIf:
    # "both knowledge and behaviour" is one answer (failure mode: both), not two clauses.
    text = _BOTH.sub("both", text)
    changes: list[Change] = []
    not_understood: list[str] = []
    for raw in (c.strip() for c in _SPLIT.split(text)):
        if not raw:
            continue
        clause = re.sub(
            r"^(we|they|it|you|i)\s+(had|have|has|were|was|are|is|must|need to|needed|could|can)\s+",
            "",
            raw,
        )
        change = parse_clause(clause)
        if change is None:
            not_understood.append(clause)
        elif all(existing.question != change.question for existing in changes):
            changes.append(change)
    return WhatIf(tuple(changes), tuple(not_understood))


def approaches_in(text: str) -> list[Approach]:
    found: list[tuple[int, Approach]] = []
    remaining = text
    for approach, words in sorted(APPROACH_WORDS.items(), key=lambda item: -max(len(w) for w in item[1])):
        for word in sorted(words, key=len, reverse=True):
            match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", remaining)
            if match:
                found.append((match.start(), approach))
                remaining = remaining[: match.start()] + " " * len(word) + remaining[match.end() :]
                break
    return [approach for _, approach in sorted(found)]


def suggestions(text: str, limit: int = 3) -> tuple[str, ...]:
    """The questions whose words are closest to any word of the text."""
    scored: list[tuple[float, str]] = []
    words = _words(text)
    for question_id in SCORED_IDS:
        best = 0.0
        for term in _question_terms(question_id):
            for part in term.split():
                for word in words:
                    best = max(best, difflib.SequenceMatcher(None, part, word).ratio())
        scored.append((best, question_id))
    scored.sort(key=lambda item: (-item[0], SCORED_IDS.index(item[1])))
    return tuple(qid for _, qid in scored[:limit])


def parse(text: str) -> Intent:
    said = normalise(text)
    if not said or said in HELP_WORDS or said.startswith("help"):
        return Help()
    if said.startswith(("compare", "difference between")) or re.search(r"\b(vs|versus)\b", said):
        approaches = list(dict.fromkeys(approaches_in(said)))
        if len(approaches) == 2:
            return Compare(approaches[0], approaches[1])
        return NotUnderstood(said, ())
    if said.startswith(("why", "explain", "how come", "reason")):
        rest = re.sub(
            r"^(why|explain|how come|reasons?)\b\s*(not\b\s*)?(is\b|did\b|does\b)?\s*", "", said
        ).strip()
        if not rest or rest in {"this", "that", "it", "so", "the recommendation", "rag", "fine-tuning"}:
            return Why()
        questions = _best_questions(rest)
        if len(questions) == 1:
            return Why(questions[0])
        return NotUnderstood(said, suggestions(rest))
    body = said
    for opener in WHAT_IF_OPENERS:
        if said.startswith(opener + " "):
            body = said[len(opener) :].strip()
            break
    else:
        if not re.search(r"\b(is|=|to|are)\b", said):
            return NotUnderstood(said, suggestions(said))
    what_if = parse_changes(body)
    if not what_if.changes:
        return NotUnderstood(said, suggestions(body))
    return what_if

"""Understanding what people ask the bot in a result's thread. Pure functions, no Slack.

Questions and options are matched by their ids, by words people use for them, and by small typos. When a
phrase matches nothing (or more than one question), it is reported back as not understood, never guessed.

Anyone in a channel can send a mention of up to 40,000 characters, so the work is bounded whatever arrives:
only the first ``MAX_PARSED_CHARACTERS`` are read, at most ``MAX_CLAUSES`` clauses of at most
``MAX_CLAUSE_CHARACTERS`` each are matched, the term tables are built once at import, each clause is split
into words once, and a typo check between two words runs only after cheap length and letter-count bounds
say it could succeed (and is remembered for the rest of the parse).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from scoring import Approach
from scoring.questionnaire import QUESTIONS_BY_ID, SCORED_IDS

# Words people use for each question, besides its id and short label.
QUESTION_WORDS: dict[str, tuple[str, ...]] = {
    "task_complexity": ("complexity", "complex task", "difficulty", "task"),
    "task_type": ("task type", "type of task", "kind of task", "output type", "what it produces"),
    "teacher_model": (
        "teacher",
        "teacher model",
        "larger model",
        "bigger model",
        "big model",
        "frontier model",
        "distillation",
    ),
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
    "task_type": {
        "classify_extract": (
            "classification",
            "classify",
            "classifier",
            "extraction",
            "extract",
            "labelling",
            "labeling",
            "routing",
            "tagging",
        ),
        "generate": (
            "generation",
            "writing",
            "drafts",
            "summaries",
            "summarising",
            "summarizing",
            "rewriting",
        ),
        "answer_questions": ("question answering", "answering questions", "q&a", "faq bot"),
        "assistant_agent": ("assistant", "agent", "chatbot", "chat assistant", "agentic", "tool use"),
    },
    "teacher_model": {
        "yes": ("can", "does", "have", "produces", "good enough", "yes"),
        "no": ("no", "can't", "cannot", "falls short", "none"),
        "not_checked": ("not checked", "unchecked", "don't know", "unknown", "not sure"),
    },
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
        "close_to_target": ("close to target", "close", "nearly there", "almost", "a few points short"),
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
# Clauses break at commas, but not at a thousands separator ("5,000 examples").
_SPLIT = re.compile(r"\s*(?:,(?!\d{3}\b)|;|\band\b|&|\bplus\b|\balso\b)\s*")
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
    text: str  # what the person wrote, as typed (only the mention of the bot that opens it left out)
    suggestions: tuple[str, ...] = field(default_factory=tuple)


Intent = WhatIf | Why | Compare | Help | NotUnderstood


# Bounds on the work one mention can cause. A real what-if names a few changes in a sentence or two; anything
# beyond these is not read (and the reply says which part was left out).
MAX_PARSED_CHARACTERS = 1_000
MAX_CLAUSES = 12
MAX_CLAUSE_CHARACTERS = 160
MAX_SUGGESTION_WORDS = 12
_FUZZY_RATIO = 0.8
_FUZZY_MIN_LENGTH = 5  # words shorter than this are too easily confused: exact matches only


def normalise(text: str) -> str:
    # The regexes below are linear, but the input is still cut first: a 40,000-character mention costs
    # no more than one of twice the parsed length.
    text = text[: 2 * MAX_PARSED_CHARACTERS]
    text = re.sub(r"<@[A-Z0-9]+(\|[^>]{0,80})?>", " ", text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    text = re.sub(r"[\"`*_~](?=\s|$)|(?<=\s)[\"`*~]", " ", text)
    return " ".join(text.split()).strip(" ?!.")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'+-]+", text)


@dataclass(frozen=True)
class _Term:
    """A word or phrase that names a question, an option or an approach, prepared once at import."""

    text: str
    words: tuple[str, ...]
    pattern: re.Pattern[str]
    score: int  # the longest matching term wins; a term written as an id (with "_") beats any words
    fuzzy: bool  # every word long enough for a typo to be tolerated


def _term(text: str) -> _Term:
    words = tuple(text.split())
    return _Term(
        text=text,
        words=words,
        pattern=re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])"),
        score=len(text) + (100 if "_" in text else 0),
        fuzzy=bool(words) and all(len(w) >= _FUZZY_MIN_LENGTH for w in words),
    )


def _terms(texts: Iterable[str]) -> tuple[_Term, ...]:
    return tuple(_term(t) for t in dict.fromkeys(texts))


def _question_words(question_id: str) -> tuple[str, ...]:
    question = QUESTIONS_BY_ID[question_id]
    return (
        question_id,
        question_id.replace("_", " "),
        question.short.lower(),
        *QUESTION_WORDS.get(question_id, ()),
    )


def _option_words(question_id: str, option_id: str) -> tuple[str, ...]:
    label = QUESTIONS_BY_ID[question_id].option_label(option_id).lower().split(":")[0]
    extra = OPTION_WORDS.get(question_id, {}).get(option_id, ())
    return (option_id, option_id.replace("_", " "), label, *extra)


QUESTION_TERMS: dict[str, tuple[_Term, ...]] = {qid: _terms(_question_words(qid)) for qid in SCORED_IDS}
OPTION_TERMS: dict[str, dict[str, tuple[_Term, ...]]] = {
    qid: {option: _terms(_option_words(qid, option)) for option in QUESTIONS_BY_ID[qid].option_ids}
    for qid in SCORED_IDS
}
_FUZZY_VOCABULARY: frozenset[str] = frozenset(
    word
    for table in (QUESTION_TERMS, *OPTION_TERMS.values())
    for terms in table.values()
    for term in terms
    if term.fuzzy
    for word in term.words
)
# A said word longer than this is too long to be within 0.8 of any term word.
_LONGEST_NEAR_WORD = 3 * max(len(word) for word in _FUZZY_VOCABULARY) // 2


def _position_masks(word: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for index, letter in enumerate(word):
        masks[letter] = masks.get(letter, 0) | (1 << index)
    return masks


_MASKS: dict[str, dict[str, int]] = {word: _position_masks(word) for word in _FUZZY_VOCABULARY}


def _common_subsequence(word: str, said: str) -> int:
    """The length of the longest common subsequence, a few integer operations per letter (Hyyrö's
    bit-parallel algorithm, with the term word's letter positions prepared at import)."""
    masks = _MASKS[word]
    full = (1 << len(word)) - 1
    row = full
    for letter in said:
        matched = row & masks.get(letter, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(word) - row.bit_count()


def _close(word: str, said: str) -> bool:
    """difflib's similarity ratio of a term word and a said word is at least 0.8 (a small typo).

    The ratio is 2·M/T, where M (the characters difflib matches) is at most the shorter length and at most
    the longest common subsequence; those two bounds, cheapest first, reject almost every pair before
    difflib runs.
    """
    if word == said:
        return True
    total = len(word) + len(said)
    if 10 * min(len(word), len(said)) < 4 * total:
        return False
    if 10 * _common_subsequence(word, said) < 4 * total:
        return False
    return difflib.SequenceMatcher(None, word, said).ratio() >= _FUZZY_RATIO


class _Clause:
    """One clause, split into words once; which terms it names is worked out once per term."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = _words(text)
        self._positions: dict[str, list[int]] = {}
        for index, said in enumerate(self.words):
            self._positions.setdefault(said, []).append(index)
        self._typo_candidates = [said for said in self._positions if len(said) <= _LONGEST_NEAR_WORD]
        self._near: dict[str, frozenset[int]] = {}
        self._named: dict[str, bool] = {}

    def names(self, term: _Term) -> bool:
        named = self._named.get(term.text)
        if named is None:
            named = (term.text in self.text and term.pattern.search(self.text) is not None) or (
                term.fuzzy and self._names_with_typos(term.words)
            )
            self._named[term.text] = named
        return named

    def _near_positions(self, word: str) -> frozenset[int]:
        """Where in the clause a word appears, exactly or with a small typo."""
        near = self._near.get(word)
        if near is None:
            near = frozenset(
                index
                for said in self._typo_candidates
                if _close(word, said)
                for index in self._positions[said]
            )
            self._near[word] = near
        return near

    def _names_with_typos(self, wanted: tuple[str, ...]) -> bool:
        starts = self._near_positions(wanted[0])
        for offset, word in enumerate(wanted[1:], start=1):
            if not starts:
                return False
            near = self._near_positions(word)
            starts = frozenset(start for start in starts if start + offset in near)
        return bool(starts)


def _strongest(terms_by_key: Mapping[str, tuple[_Term, ...]], clause: _Clause) -> list[str]:
    """The keys whose terms the clause names most specifically. Ties are all returned."""
    scores: dict[str, int] = {}
    for key, terms in terms_by_key.items():
        for term in terms:
            if term.score > scores.get(key, 0) and clause.names(term):
                scores[key] = term.score
    if not scores:
        return []
    top = max(scores.values())
    return [key for key, score in scores.items() if score == top]


def _best_questions(clause: _Clause) -> list[str]:
    return _strongest(QUESTION_TERMS, clause)


def _option_for(question_id: str, clause: _Clause) -> str | None:
    """The option of a question the clause names; None when it names none, or several equally."""
    best = _strongest(OPTION_TERMS[question_id], clause)
    return best[0] if len(best) == 1 else None


def _count(text: str) -> int | None:
    match = _NUMBER.search(text)
    if not match:
        return None
    try:
        value = float(match.group(1).rstrip(",.").replace(",", ""))
    except ValueError:  # "1.2.3": not a number anyone means
        return None
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


def parse_clause(text: str) -> Change | None:
    """One change from a phrase such as 'latency is strict' or 'we had 5000 labelled examples'."""
    if len(text) > MAX_CLAUSE_CHARACTERS:
        return None  # no change is phrased at this length: not understood, rather than searched
    clause = _Clause(text)
    questions = _best_questions(clause)
    if len(questions) > 1:
        # "fine-tuning examples" vs "tuning" and similar: prefer a question whose option is also named.
        with_option = [q for q in questions if _option_for(q, clause) is not None]
        questions = with_option if len(with_option) == 1 else questions
    if len(questions) == 1:
        question_id = questions[0]
        numeric = _numeric_change(text, questions)
        if numeric is not None:
            return numeric
        option = _option_for(question_id, _without_question(clause, question_id))
        if {"no", "yes"} <= set(QUESTIONS_BY_ID[question_id].option_ids) and option in {None, "yes", "no"}:
            # Yes/no questions: a negation anywhere ("don't need to self-host", "no citations") means no,
            # and naming the thing alone ("we have a teacher model") means yes.
            negated = any(word in NEGATIONS for word in clause.words)
            option = "no" if negated else (option or "yes")
        if option is not None:
            return Change(question_id, option)
        # "the task is extraction": "task" named a question whose options it does not name; an option
        # that belongs to exactly one other question says what was meant.
        return _only_owner(clause)
    if questions:
        return None  # names several questions equally: ask rather than guess
    return _only_owner(clause)


def _only_owner(clause: _Clause) -> Change | None:
    """The change an option word names when it belongs to exactly one question (no question named)."""
    owners = {(qid, option) for qid in SCORED_IDS if (option := _option_for(qid, clause)) is not None}
    owners = {pair for pair in owners if pair[1] not in {"yes", "no", "none", "low", "medium", "high"}}
    if len(owners) == 1:
        question_id, option = next(iter(owners))
        return Change(question_id, option)
    return None


def _without_question(clause: _Clause, question_id: str) -> _Clause:
    """The clause without the words that named the question, so they are not read as one of its options
    too ("task complexity is low" is not "complex"; "no ML expertise" is not "experts")."""
    text = clause.text
    for term in sorted(QUESTION_TERMS[question_id], key=lambda t: -len(t.text)):
        if term.text in text:
            text = term.pattern.sub(" ", text)
    return clause if text == clause.text else _Clause(" ".join(text.split()))


_BOTH = re.compile(
    r"\b(both\s+)?(knowledge|facts)\s+(and|&)\s+(behaviou?r|format|tone|style)\b|"
    r"\b(both\s+)?(behaviou?r|format|tone|style)\s+(and|&)\s+(knowledge|facts)\b"
)
_SUBJECT = re.compile(
    r"^(we|they|it|you|i)\s+(had|have|has|were|was|are|is|must|need to|needed|could|can)\s+"
)
_ECHO_LIMIT = 100  # a phrase quoted back as not understood is cut to this length


def _echo(text: str) -> str:
    return text if len(text) <= _ECHO_LIMIT else text[: _ECHO_LIMIT - 1].rstrip() + "…"


def parse_changes(text: str) -> WhatIf:
    # "both knowledge and behaviour" is one answer (failure mode: both), not two clauses.
    text = _BOTH.sub("both", text[:MAX_PARSED_CHARACTERS])
    changes: list[Change] = []
    not_understood: list[str] = []
    clauses = [c for c in (raw.strip() for raw in _SPLIT.split(text)) if c]
    unread = clauses[MAX_CLAUSES:]
    for raw in clauses[:MAX_CLAUSES]:
        clause = _SUBJECT.sub("", raw)
        change = parse_clause(clause)
        if change is None:
            not_understood.append(_echo(clause))
        elif all(existing.question != change.question for existing in changes):
            changes.append(change)
    if unread:
        not_understood.append(_echo(" ".join(unread)))
    return WhatIf(tuple(changes), tuple(not_understood))


def approaches_in(text: str) -> list[Approach]:
    found: list[tuple[int, Approach]] = []
    remaining = text[:MAX_PARSED_CHARACTERS]
    for approach, words in sorted(APPROACH_WORDS.items(), key=lambda item: -max(len(w) for w in item[1])):
        for word in sorted(words, key=len, reverse=True):
            match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", remaining)
            if match:
                found.append((match.start(), approach))
                remaining = remaining[: match.start()] + " " * len(word) + remaining[match.end() :]
                break
    return [approach for _, approach in sorted(found)]


@cache
def _suggestion_parts() -> dict[str, tuple[str, ...]]:
    return {
        qid: tuple(dict.fromkeys(part for term in terms for part in term.words))
        for qid, terms in QUESTION_TERMS.items()
    }


def suggestions(text: str, limit: int = 3) -> tuple[str, ...]:
    """The questions whose words are closest to any of the first few words of the text."""
    words = [w for w in dict.fromkeys(_words(text[:MAX_PARSED_CHARACTERS])) if len(w) <= 40]
    best = dict.fromkeys(SCORED_IDS, 0.0)
    for word in words[:MAX_SUGGESTION_WORDS]:
        matcher = difflib.SequenceMatcher(None, b=word)
        for question_id, parts in _suggestion_parts().items():
            for part in parts:
                matcher.set_seq1(part)
                # Two cheap upper bounds of the ratio skip the pairs that cannot beat the best so far.
                if (
                    matcher.real_quick_ratio() > best[question_id]
                    and matcher.quick_ratio() > best[question_id]
                ):
                    best[question_id] = max(best[question_id], matcher.ratio())
    ranked = sorted(SCORED_IDS, key=lambda qid: (-best[qid], SCORED_IDS.index(qid)))
    return tuple(ranked[:limit])


def as_typed(text: str) -> str:
    """What a person wrote, to quote back: as typed, without the mention of the bot that opens it."""
    text = re.sub(r"^\s*<@[A-Z0-9]+(\|[^>]{0,80})?>", "", text[: 2 * MAX_PARSED_CHARACTERS])
    return " ".join(text.split())[:MAX_PARSED_CHARACTERS]


def parse(text: str) -> Intent:
    """What a mention asks; what is not understood is quoted back as the person typed it."""
    typed = as_typed(text)
    said = normalise(text)[:MAX_PARSED_CHARACTERS]
    if not said or said in HELP_WORDS or said.startswith("help"):
        return Help()
    if said.startswith(("compare", "difference between")) or re.search(r"\b(vs|versus)\b", said):
        approaches = list(dict.fromkeys(approaches_in(said)))
        if len(approaches) == 2:
            return Compare(approaches[0], approaches[1])
        return NotUnderstood(typed, ())
    if said.startswith(("why", "explain", "how come", "reason")):
        rest = re.sub(
            r"^(why|explain|how come|reasons?)\b\s*(not\b\s*)?(is\b|did\b|does\b)?\s*", "", said
        ).strip()
        if not rest or rest in {"this", "that", "it", "so", "the recommendation", "rag", "fine-tuning"}:
            return Why()
        questions = _best_questions(_Clause(rest[:MAX_CLAUSE_CHARACTERS]))
        if len(questions) == 1:
            return Why(questions[0])
        return NotUnderstood(typed, suggestions(rest))
    body = said
    for opener in WHAT_IF_OPENERS:
        if said.startswith(opener + " "):
            body = said[len(opener) :].strip()
            break
    else:
        if not re.search(r"\b(is|=|to|are)\b", said):
            return NotUnderstood(typed, suggestions(said))
    what_if = parse_changes(body)
    if not what_if.changes:
        return NotUnderstood(typed, suggestions(body))
    return what_if

"""What a senior ML engineer checks when reading a whole result: the classes of advice they would not sign.

Each check reads one answer set and the engine's full result (path, reasons, gates, caveats, next steps,
what would change it and the confidence sentence) and returns what it found wrong, in words. The property
tests (tests/unit/scoring/test_advice.py) assert every check finds nothing over the whole answer space, and
``python -m bench.advice`` counts each class over 20,000 random answer sets (and 20,000 with blanks) run
through ``python -m scoring assess --batch``.

The checks read the result as a team reads it, text included, so they are deliberately independent of how
the engine decides: a wording that slips back in is found whichever rule brought it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scoring import assess
from scoring.models import Answers as Parsed
from scoring.models import Approach, Assessment, Flip
from scoring.text import describe_flip, supporting

PE, RAG, FT, HYBRID = Approach.PROMPT_ENGINEERING, Approach.RAG, Approach.FINE_TUNING, Approach.HYBRID
TRAINING = frozenset({FT, HYBRID})
RETRIEVAL = frozenset({RAG, HYBRID})
RESOURCES = frozenset({"labeled_examples", "compute_budget", "ml_expertise", "time_to_first_version"})
OWN_OR_FRESH = frozenset({"proprietary_or_large_corpus", "fresh_external"})

Answers = Mapping[str, str]


@dataclass(frozen=True)
class Finding:
    check: str  # the class, as the issue numbers it: "self_hosting", "knowledge", ...
    text: str


def _advice(result: Assessment) -> list[str]:
    """Everything the result tells a team to do: path stages, next steps, caveats, and what gates say."""
    return [
        *(stage.when for stage in result.path),
        *(note.text for note in result.next_steps),
        *(note.text for note in result.caveats),
        *(gate.text for gate in result.gates),
    ]


def everything(result: Assessment) -> list[str]:
    """Every sentence of the result a team reads."""
    return [
        *_advice(result),
        *(reason.text for reason in result.reasons),
        *(conflict.text for conflict in result.conflicts),
        result.confidence.summary,
        *result.confidence.basis,
        *(describe_flip(flip) for flip in result.what_would_change),
    ]


def _any(texts: Iterable[str], pattern: re.Pattern[str]) -> str | None:
    for text in texts:
        if pattern.search(text):
            return text
    return None


# --- 1. self-hosting ---------------------------------------------------------------------------------

# A managed or third-party service named as something to use: these are what a team that must keep data off
# third-party APIs cannot take.
THIRD_PARTY = re.compile(
    r"managed|grounding service|search grounding|Google Search|Bedrock|Vertex|Azure(?! warns)|Cohere's RAG|"
    r"cloud tuning|distillation service|knowledge-base service|hosted fine-tuning|API costs",
    re.IGNORECASE,
)
SELF_HOSTED_RETRIEVAL = re.compile(
    r"that you host|you host|host (?:the retrieval |it )?yourself|on your own machines|an index you run",
    re.IGNORECASE,
)


def self_hosting(answers: Answers, result: Assessment) -> list[Finding]:
    if answers.get("privacy_self_host") != "yes":
        return []
    found = []
    advice = [
        *(stage.when for stage in result.path),
        *(n.text for n in result.next_steps),
        *(n.text for n in result.caveats),
        *(g.text for g in result.gates),
        *(r.text for r in result.reasons),
    ]
    hit = _any(advice, THIRD_PARTY)
    if hit:
        found.append(Finding("self_hosting", f"advises a third-party service while self-hosting: {hit}"))
    if result.approach in RETRIEVAL and not _any(
        [*(s.when for s in result.path), *(n.text for n in result.next_steps)], SELF_HOSTED_RETRIEVAL
    ):
        found.append(Finding("self_hosting", "retrieval while self-hosting, but nothing says what to host"))
    if answers.get("compute_budget") == "low" and not any(
        {"privacy_self_host", "compute_budget"} <= set(c.questions) for c in result.conflicts
    ):
        found.append(
            Finding("self_hosting", "self-hosting on a per-token-only budget is not named a conflict")
        )
    return found


# --- 2. knowledge problems get retrieval -------------------------------------------------------------

MANY_SHOT = re.compile(r"many-shot|hundreds of examples in the prompt", re.IGNORECASE)


def knowledge(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    need = answers.get("knowledge_need")
    says_why_not = result.confidence.level == "low" and "retrieval" in result.confidence.summary.lower()
    if (
        need in OWN_OR_FRESH
        and answers.get("prompt_baseline") != "meets_target"
        and result.approach not in RETRIEVAL
        and not says_why_not
    ):
        found.append(
            Finding("knowledge", f"{need} and prompting not shown to work, yet {result.approach.value}")
        )
    if answers.get("primary_failure_mode") in {"knowledge"} or need in OWN_OR_FRESH:
        hit = _any([*(s.when for s in result.path), *(n.text for n in result.next_steps)], MANY_SHOT)
        if hit and answers.get("primary_failure_mode") in {"knowledge", None, "none"}:
            found.append(Finding("knowledge", f"many-shot prompting offered for missing facts: {hit}"))
    return found


# --- 3. volume and latency ---------------------------------------------------------------------------

STRONGER_MODEL = re.compile(r"stronger model|larger model in production|try it in production", re.IGNORECASE)
SMALL_MODEL = re.compile(r"small(?:er)? (?:fine-tuned |distilled |fast |open-weight )?model|distil", re.I)


def volume_latency(answers: Answers, result: Assessment) -> list[Finding]:
    if answers.get("request_volume") != "high" or answers.get("latency_requirement") != "strict":
        return []
    found = []
    advice = [*(s.when for s in result.path), *(n.text for n in result.next_steps)]
    arguments = [*advice, *(reason.text for reason in result.reasons)]
    hit = _any(arguments, MANY_SHOT) or _any(arguments, STRONGER_MODEL)
    if hit:
        found.append(
            Finding("volume_latency", f"long prompts or a bigger model at 100k/day under 1 s: {hit}")
        )
    if result.approach not in TRAINING and not _any(advice, SMALL_MODEL):
        found.append(Finding("volume_latency", "at 100k/day under 1 s, nothing points to a small model"))
    return found


# --- 4. distillation only from a teacher that works ---------------------------------------------------

# Advice to distil: a step, stage or caveat telling the team to train on a larger model's outputs.
DISTIL = re.compile(
    r"\bdistil\b|distil (?:it|its|the)|\(distillation\)|distillation\)|revisit distillation|"
    r"large model's best outputs|teacher model's outputs|larger model's outputs|outputs of a larger model",
    re.IGNORECASE,
)


def distillation(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    if answers.get("teacher_model") == "no":
        advice = [
            *(s.when for s in result.path),
            *(n.text for n in result.next_steps),
            *(n.text for n in result.caveats),
        ]
        hit = _any(advice, DISTIL)
        if hit:
            found.append(Finding("distillation", f"distillation advised with no teacher that works: {hit}"))
    if (
        answers.get("teacher_model") == "yes"
        and answers.get("request_volume") == "low"
        and answers.get("latency_requirement") in {"relaxed", "moderate"}
        and answers.get("privacy_self_host") == "no"
        and result.approach in TRAINING
    ):
        found.append(Finding("distillation", "training although switching to the larger model would do"))
    return found


# --- 5. levers a team can pull, in order --------------------------------------------------------------


def _lever_questions(flip: Flip) -> set[str]:
    return {change.question for change in flip.changes}


def levers(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    untried = answers.get("prompt_baseline") in {None, "not_tried"}
    for flip in result.actionable_changes:
        questions = _lever_questions(flip)
        if untried and flip.approach in TRAINING and "prompt_baseline" not in questions:
            found.append(Finding("levers", f"toward training before any baseline: {describe_flip(flip)}"))
        if answers.get("primary_failure_mode") == "knowledge" and flip.approach in TRAINING:
            found.append(
                Finding("levers", f"toward fine-tuning for a knowledge failure: {describe_flip(flip)}")
            )
        if questions <= RESOURCES and flip.approach in {PE, RAG}:
            found.append(
                Finding(
                    "levers", f"training resources leading to {flip.approach.value}: {describe_flip(flip)}"
                )
            )
    return found


# --- 6. evaluation rigour -----------------------------------------------------------------------------

EIGHT_OF_TEN = re.compile(r"(?:stop|done|good enough) when 8 of 10|when eight of ten", re.IGNORECASE)
TWENTY_CASES = re.compile(r"eval set of 20|20 or more (?:real )?cases", re.IGNORECASE)


def evaluation(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    critical = answers.get("accuracy_requirement") == "critical"
    if (
        critical
        and answers.get("prompt_baseline") in {None, "not_tried"}
        and result.confidence.level == "high"
    ):
        found.append(Finding("evaluation", "high confidence for critical accuracy with nothing measured"))
    if critical:
        hit = _any(_advice(result), EIGHT_OF_TEN)
        if hit:
            found.append(Finding("evaluation", f"8 of 10 as the bar for critical accuracy: {hit}"))
    if answers.get("labeled_examples") in {"500_4999", "5000_plus"}:
        hit = _any(_advice(result), TWENTY_CASES)
        if hit:
            found.append(Finding("evaluation", f"an eval set of 20 for a team with 500+ labels: {hit}"))
    return found


# --- 7. confidence words ------------------------------------------------------------------------------

ONLY_POINTS = re.compile(r"by only ([0-9.]+) points")


def confidence_words(answers: Answers, result: Assessment, high: float = 5.0) -> list[Finding]:
    found = []
    confidence = result.confidence
    match = ONLY_POINTS.search(confidence.summary)
    if match and float(match.group(1)) >= high:
        found.append(Finding("confidence", f"'only' for a lead at the high threshold: {confidence.summary}"))
    gated = all(a in result.excluded for a in Approach if a is not result.approach)
    if (
        gated
        and confidence.level == "medium"
        and not confidence.caps
        and not confidence.fragile
        and not result.conflicts
        and not result.missing
    ):
        found.append(
            Finding("confidence", f"medium with every alternative ruled out and no cap: {confidence.summary}")
        )
    return found


# --- 8. no advice from a blank ------------------------------------------------------------------------

INDEX = re.compile(r"index the documents|retrieve the top passages", re.IGNORECASE)


def blanks(answers: Answers, result: Assessment) -> list[Finding]:
    if "knowledge_need" in answers:
        return []
    found = []
    if result.approach in RETRIEVAL or any(stage.approach in RETRIEVAL for stage in result.path):
        found.append(Finding("blanks", f"{result.approach.value} named with the knowledge need unanswered"))
    hit = _any(_advice(result), INDEX)
    if hit:
        found.append(Finding("blanks", f"an indexing step with the knowledge need unanswered: {hit}"))
    return found


# --- 9. no generic or self-contradicting lines ---------------------------------------------------------

FIND_OUT = re.compile(r"run evals on a prompt baseline to find out", re.IGNORECASE)
KEEP_IMPROVING = re.compile(r"keep improving the prompt", re.IGNORECASE)
SOURCE_ARTICLE = re.compile(r"source article", re.IGNORECASE)
STRUCTURED = re.compile(r"structured outputs|JSON schema|constrained decoding", re.IGNORECASE)


def coherence(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    texts = everything(result)
    baseline = answers.get("prompt_baseline")
    if baseline not in {None, "not_tried"}:
        hit = _any(texts, FIND_OUT)
        if hit:
            found.append(Finding("coherence", f"asks for a baseline that is measured: {hit}"))
    if baseline == "meets_target":
        hit = _any(texts, KEEP_IMPROVING)
        if hit:
            found.append(Finding("coherence", f"keep improving a prompt that meets the target: {hit}"))
    questions = [reason.question for reason in supporting(result)]
    repeated = {q for q in questions if questions.count(q) > 1}
    if repeated:
        found.append(
            Finding("coherence", f"the same question twice among the reasons for: {sorted(repeated)}")
        )
    hit = _any(texts, SOURCE_ARTICLE)
    if hit:
        found.append(Finding("coherence", f"cites 'the source article': {hit}"))
    if (
        answers.get("task_type") == "classify_extract"
        and answers.get("format_style_consistency_need") == "high"
        and result.approach in TRAINING
        and not _any(_advice(result), STRUCTURED)
    ):
        found.append(
            Finding("coherence", "strict-schema extraction routed to training without structured outputs")
        )
    return found


# --- 10. claims true to their sources -----------------------------------------------------------------

OUT_OF_CONTEXT = (
    (
        re.compile(r"(?:chunking|embeddings|re-ranking|retrieval)[^.]*45% to 98%", re.I),
        "the 45%→98% case credited to retrieval tuning",
    ),
    (
        re.compile(r"\+6 points from tuning|6 points from tuning and", re.I),
        "the agriculture study's +6/+5 cited for behaviour fine-tuning",
    ),
    (
        re.compile(r"cut failed retrievals by 49–67%(?!.*re-rank)", re.I),
        "49–67% without saying 49% lacks re-ranking",
    ),
    (
        re.compile(r"managed fine-tuning or distillation service|hosted fine-tuning service", re.I),
        "a managed fine-tuning service as if any vendor sold it to new users",
    ),
    (
        re.compile(r"worth hundreds of data points", re.I),
        "prompt-based fine-tuning cited for few-shot prompts",
    ),
    (re.compile(r"priced per use|per-token prices", re.I), "retrieval said to cost tokens only"),
    (re.compile(r"never repay", re.I), "a cost crossover no source gives"),
    (re.compile(r"short prompt", re.I), "a shorter prompt as a latency lever"),
    (re.compile(r"0\.875 vs 0\.504|0\.94 vs 0\.61", re.I), "a figure without its setting"),
    (re.compile(r"most large deployments", re.I), "OpenAI's 'many' turned into 'most'"),
    (re.compile(r"every vendor says[^.(]*20", re.I), "OpenAI's 20+ cases credited to every vendor"),
    (re.compile(r"minimum for a generative", re.I), "50 examples called the minimum"),
    (re.compile(r"runs in milliseconds", re.I), "a latency no source gives"),
    (re.compile(r"Cohere's RAG API", re.I), "a citation API named as a managed retrieval service"),
)


def claims(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    for text in everything(result):
        for pattern, what in OUT_OF_CONTEXT:
            if pattern.search(text):
                found.append(Finding("claims", f"{what}: {text}"))
    own_docs = answers.get("knowledge_need") == "proprietary_or_large_corpus"
    if own_docs and result.approach in RETRIEVAL:
        for stage_or_note in [*result.path, *result.next_steps]:
            if "GCP-GSEARCH" in stage_or_note.sources:
                text = getattr(stage_or_note, "when", None) or getattr(stage_or_note, "text", "")
                found.append(
                    Finding("claims", f"Google Search grounding cited for your own documents: {text}")
                )
    return found


# --- 12. what a senior reviewer of whole results still struck (the review after the first fixes) ----------

IF_FACTS_MISSING = re.compile(r"^Then, if answers miss", re.IGNORECASE)
AS_IF_NOT_YET = re.compile(r"when volume or latency makes", re.IGNORECASE)
PLAN_CAN_CHANGE = re.compile(r"can change the plan", re.IGNORECASE)
LARGER_MODEL_FIRST = re.compile(r"move to the larger model", re.IGNORECASE)
PILOT = re.compile(r"pilot (?:on|of) 50–100", re.IGNORECASE)
SETFIT = re.compile(r"SetFit fine-tunes", re.IGNORECASE)
BASELINE_OUTCOMES = (
    ("meets_target", "none"),
    *(
        (baseline, failure)
        for baseline in ("close_to_target", "plateaued_below_target")
        for failure in ("none", "knowledge", "behavior", "both")
    ),
)


def settled(answers: Answers, result: Assessment) -> bool:
    """Whether no measured baseline (with any failure it could show) changes the recommendation."""
    return all(
        assess(Parsed.parse({**answers, "prompt_baseline": b, "primary_failure_mode": f})).approach
        is result.approach
        for b, f in BASELINE_OUTCOMES
    )


def reviewed(answers: Answers, result: Assessment) -> list[Finding]:
    found = []
    needs_documents = (
        answers.get("knowledge_need") in OWN_OR_FRESH or answers.get("citations_needed") == "yes"
    )
    if needs_documents and result.approach in RETRIEVAL:
        for stage in result.path:
            if IF_FACTS_MISSING.search(stage.when):
                found.append(
                    Finding("reviewed", f"retrieval made conditional where it is needed: {stage.when}")
                )
    if answers.get("request_volume") == "high" or answers.get("latency_requirement") == "strict":
        hit = _any(_advice(result), AS_IF_NOT_YET)
        if hit:
            found.append(Finding("reviewed", f"volume or latency spoken of as if not yet known: {hit}"))
    if answers.get("primary_failure_mode") == "knowledge":
        hit = _any([stage.when for stage in result.path], LARGER_MODEL_FIRST)
        if hit:
            found.append(Finding("reviewed", f"a larger model offered first for missing facts: {hit}"))
    pilots = [note.text for note in result.next_steps if PILOT.search(note.text)]
    if len(pilots) > 1:
        found.append(Finding("reviewed", f"{len(pilots)} training pilots among the next steps: {pilots}"))
    if answers.get("labeled_examples") in {"500_4999", "5000_plus"}:
        hit = _any(_advice(result), SETFIT)
        if hit:
            found.append(Finding("reviewed", f"a few-label classifier for hundreds of labels: {hit}"))
    if answers.get("prompt_baseline") == "meets_target" and any(
        change.question == "primary_failure_mode" for change in result.confidence.fragile
    ):
        found.append(Finding("reviewed", "a failure-mode slip counted for a prompt that meets its target"))
    if PLAN_CAN_CHANGE.search(result.confidence.summary) and settled(answers, result):
        found.append(
            Finding(
                "reviewed",
                f"says a baseline can change the plan when none would: {result.confidence.summary}",
            )
        )
    return found


Check = Callable[[Answers, Assessment], list[Finding]]

CHECKS: tuple[Check, ...] = (
    self_hosting,
    knowledge,
    volume_latency,
    distillation,
    levers,
    evaluation,
    confidence_words,
    blanks,
    coherence,
    claims,
    reviewed,
)


def review(answers: Answers, result: Assessment) -> list[Finding]:
    """Everything a senior reviewer would not sign in this result."""
    return [finding for check in CHECKS for finding in check(answers, result)]

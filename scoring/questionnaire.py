"""The questionnaire, defined once.

The Slack modal, the CLI, the thread parser and the tests all read this module. Question and option ids are
part of the public interface (the README's questionnaire reference is generated from this module);
labels and help lines are ours to word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    page: int
    short: str
    label: str
    help: str
    options: tuple[Option, ...] = ()
    # Free-text questions have no options; they carry a length limit instead.
    max_length: int = 0
    required: bool = True
    option_ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_ids", tuple(option.id for option in self.options))

    @property
    def is_free_text(self) -> bool:
        return not self.options

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def option_label(self, option_id: str) -> str:
        return self.option(option_id).label


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(option_id, label) for option_id, label in pairs)


PAGE_TITLES: Final[dict[int, str]] = {
    1: "The task",
    2: "Knowledge and data",
    3: "Where you are, what you have",
    4: "Time, scale and constraints",
}

QUESTIONS: Final[tuple[Question, ...]] = (
    Question(
        "project_name", 1, "Project", "Project name", "A short name your team will recognise.", max_length=80
    ),
    Question(
        "use_case",
        1,
        "Use case",
        "What should the model do?",
        "One or two sentences. Optional; it is shown with the result, never scored or logged.",
        max_length=1500,
        required=False,
    ),
    Question(
        "task_complexity",
        1,
        "Task complexity",
        "How complex is the task?",
        "Judge the work itself, not the subject: how much a person would have to think it through.",
        _options(
            ("low", "Low: one step, like summarising or rewriting"),
            ("medium", "Medium: a few steps or some judgement"),
            ("high", "High: multi-step reasoning or an unusual task"),
        ),
    ),
    Question(
        "accuracy_requirement",
        1,
        "Accuracy needed",
        "How accurate must it be?",
        "Think of what a wrong answer costs.",
        _options(
            ("low", "Low: drafts a person always edits"),
            ("medium", "Medium: mostly right, errors are cheap"),
            ("high", "High: errors are costly"),
            ("critical", "Critical: errors cause real harm"),
        ),
    ),
    Question(
        "distinct_tasks",
        1,
        "Distinct tasks",
        "How many distinct tasks will one model serve?",
        "Count the jobs one deployed model must do well, not the number of people using it.",
        _options(
            ("one", "One narrow task"),
            ("few", "A few related tasks"),
            ("many", "Many: a general-purpose assistant"),
        ),
    ),
    Question(
        "task_type",
        1,
        "Task type",
        "What does the model produce?",
        "Pick the one closest to its main job; it decides which evidence applies.",
        _options(
            ("classify_extract", "Classify or extract: labels, routing, scores or fields from the input"),
            ("generate", "Generate: write or transform text or code (drafts, summaries, queries)"),
            ("answer_questions", "Answers to questions people ask"),
            ("assistant_agent", "Assistant or agent: multi-turn chat or tool use"),
        ),
        required=False,
    ),
    Question(
        "knowledge_need",
        2,
        "Knowledge need",
        "What knowledge do answers depend on?",
        "Facts the model must know that a general model may not.",
        _options(
            ("none", "None: the input holds everything needed"),
            ("general", "General knowledge any large model has"),
            ("small_static_reference", "A small, stable reference that fits in a prompt"),
            ("proprietary_or_large_corpus", "Our own documents or a large corpus"),
            ("fresh_external", "Fresh or fast-moving outside information"),
        ),
    ),
    Question(
        "knowledge_change_frequency",
        2,
        "Knowledge changes",
        "How often do those facts change?",
        "How often the documents or data behind the answers are updated.",
        _options(
            ("static", "Never or almost never"),
            ("yearly", "About once a year"),
            ("monthly", "Monthly"),
            ("weekly", "Weekly"),
            ("daily", "Daily or faster"),
        ),
    ),
    Question(
        "citations_needed",
        2,
        "Citations",
        "Must answers cite their sources?",
        "For audit, compliance or users who need to check.",
        _options(("no", "No"), ("yes", "Yes: answers must be traceable to sources")),
    ),
    Question(
        "domain_specificity",
        2,
        "Domain language",
        "How unusual is the language or output?",
        "The words and shapes of the output, not the facts behind it.",
        _options(
            ("low", "Low: everyday language"),
            ("medium", "Medium: professional jargon"),
            ("high", "High: a DSL, rare language or house format"),
        ),
    ),
    Question(
        "format_style_consistency_need",
        2,
        "Format and style",
        "How strict are format, tone and style?",
        "How badly a reader or a downstream system suffers when the shape or tone of an answer varies.",
        _options(
            ("low", "Low: any reasonable answer is fine"),
            ("medium", "Medium: a preferred format or tone"),
            ("high", "High: a strict schema or voice, every time"),
        ),
    ),
    Question(
        "prompt_baseline",
        3,
        "Prompt baseline",
        "Have you tried prompting, measured with evals?",
        "A prompt baseline scored on an eval set of 20 or more cases.",
        _options(
            ("not_tried", "Not yet"),
            ("meets_target", "Yes, and it meets our target"),
            ("close_to_target", "Yes, and it is within a few points of target"),
            ("plateaued_below_target", "Yes, but it plateaued below target"),
        ),
    ),
    Question(
        "primary_failure_mode",
        3,
        "Failure mode",
        "When it fails, what is missing?",
        "Look at the failed cases in your evals: is information missing, or is information mishandled?",
        _options(
            ("none", "Nothing yet, or we don't know"),
            ("knowledge", "Knowledge: it lacks or misstates facts"),
            ("behavior", "Behaviour: format, tone or reasoning is off"),
            ("both", "Both knowledge and behaviour"),
        ),
    ),
    Question(
        "labeled_examples",
        3,
        "Labelled examples",
        "How many labelled examples do you have?",
        "Input→output pairs of the behaviour you want. Documents don't count.",
        _options(
            ("none", "None"),
            ("lt_50", "Fewer than 50"),
            ("50_499", "50 to 499"),
            ("500_4999", "500 to 4,999"),
            ("5000_plus", "5,000 or more"),
        ),
    ),
    Question(
        "compute_budget",
        3,
        "Budget",
        "What budget is there for training and hosting?",
        "What you could spend beyond paying for API calls.",
        _options(
            ("low", "Low: per-token API costs only"),
            ("medium", "Medium: some training or hosting"),
            ("high", "High: training runs and dedicated hosting"),
        ),
    ),
    Question(
        "ml_expertise",
        3,
        "ML expertise",
        "How much ML expertise does the team have?",
        "Building datasets, training, evaluating and spotting overfitting.",
        _options(
            ("none", "None"),
            ("some", "Some"),
            ("strong", "Strong: we have trained models before"),
        ),
    ),
    Question(
        "teacher_model",
        3,
        "Teacher model",
        "Does a larger model already produce good enough outputs?",
        "If one does, its outputs can train a smaller model (distillation) without hand labelling.",
        _options(
            ("not_checked", "Not checked yet"),
            ("yes", "Yes: a larger model's outputs are good enough to learn from"),
            ("no", "No: even the strongest models we tried fall short"),
        ),
        required=False,
    ),
    Question(
        "time_to_first_version",
        4,
        "First version",
        "When do you need a first version?",
        "The deadline for something working end to end.",
        _options(("days", "Within days"), ("weeks", "Within weeks"), ("months", "In months")),
    ),
    Question(
        "project_lifetime",
        4,
        "Lifetime",
        "How long will the project live?",
        "From the first version to the day it is switched off.",
        _options(
            ("one_off", "One-off"),
            ("short_term", "Short-term: under 6 months"),
            ("long_term", "Long-term product"),
        ),
    ),
    Question(
        "request_volume",
        4,
        "Volume",
        "How many requests a day?",
        "At full use, in production.",
        _options(
            ("low", "Low: under 1,000 a day"),
            ("medium", "Medium: 1,000 to 100,000 a day"),
            ("high", "High: over 100,000 a day"),
        ),
    ),
    Question(
        "latency_requirement",
        4,
        "Latency",
        "How fast must it answer?",
        "The time a user or system can wait for one answer.",
        _options(
            ("relaxed", "Relaxed: over 5 seconds is fine"),
            ("moderate", "Moderate: 1 to 5 seconds"),
            ("strict", "Strict: under 1 second"),
        ),
    ),
    Question(
        "privacy_self_host",
        4,
        "Self-hosting",
        "Must data stay off third-party APIs?",
        "Because of contracts, regulation or policy.",
        _options(("no", "No"), ("yes", "Yes: we must self-host")),
    ),
)

QUESTIONS_BY_ID: Final[dict[str, Question]] = {question.id: question for question in QUESTIONS}
SCORED_QUESTIONS: Final[tuple[Question, ...]] = tuple(q for q in QUESTIONS if not q.is_free_text)
# Every question the engine scores, in questionnaire order.
SCORED_IDS: Final[tuple[str, ...]] = tuple(q.id for q in SCORED_QUESTIONS)
FREE_TEXT_IDS: Final[tuple[str, ...]] = tuple(q.id for q in QUESTIONS if q.is_free_text)
PAGES: Final[tuple[int, ...]] = tuple(sorted({q.page for q in QUESTIONS}))
# Questions added after the first release. They are optional to the engine: an absent one is unknown, and
# answer sets saved before they existed still assess.
ADDED_IDS: Final[tuple[str, ...]] = ("task_type", "teacher_model")
FIRST_RELEASE_IDS: Final[tuple[str, ...]] = tuple(qid for qid in SCORED_IDS if qid not in ADDED_IDS)


def questions_on_page(page: int) -> tuple[Question, ...]:
    """The questions of one modal page, in order."""
    return tuple(q for q in QUESTIONS if q.page == page)


# --- Levers and facts (README, "Levers and facts") ----------------------------------------------------------
# Some answers are things a team can change (levers); the rest describe the project (facts). An "ordered"
# lever moves forward along its options (fewer → more examples, days → months); a "from" lever moves
# forward from its first option (not tried, not checked) to any other. Moving between two later options of
# a "from" lever (a measured baseline that meets target → one that falls short) is not a move of the lever
# at all: it is a different fact about the project.


@dataclass(frozen=True, slots=True)
class Lever:
    question: str
    kind: str  # "ordered" or "from"

    def direction(self, before: str | None, after: str) -> str | None:
        """ "forward", "backward", or None when the change is not a move of this lever (a fact)."""
        options = QUESTIONS_BY_ID[self.question].option_ids
        if before == after:
            return None
        if self.kind == "ordered":
            if before is None:
                return None  # where the team stands is unknown, so the direction is too
            return "forward" if options.index(after) > options.index(before) else "backward"
        start = options[0]
        if before is None or before == start:
            return "forward" if after != start else None
        return "backward" if after == start else None


LEVERS: Final[dict[str, Lever]] = {
    lever.question: lever
    for lever in (
        Lever("labeled_examples", "ordered"),
        Lever("ml_expertise", "ordered"),
        Lever("compute_budget", "ordered"),
        Lever("time_to_first_version", "ordered"),
        Lever("prompt_baseline", "from"),
        Lever("teacher_model", "from"),
    )
}


def move_direction(question_id: str, before: str | None, after: str) -> str | None:
    """ "forward" or "backward" for a move of a lever, None for a change of a fact."""
    lever = LEVERS.get(question_id)
    return lever.direction(before, after) if lever else None


def forward_steps(question_id: str, current: str | None) -> tuple[str, ...]:
    """The options one forward step away: the next option of an ordered lever; every later option of a
    "from" lever still at its start (or unanswered). Empty for facts and for levers at their end."""
    lever = LEVERS.get(question_id)
    if lever is None:
        return ()
    options = QUESTIONS_BY_ID[question_id].option_ids
    if lever.kind == "ordered":
        if current is None:
            return ()
        index = options.index(current)
        return options[index + 1 : index + 2]
    if current is None or current == options[0]:
        return options[1:]
    return ()

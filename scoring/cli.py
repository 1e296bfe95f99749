"""``python -m scoring``: assess a JSON file (or a JSON Lines batch), analyse a team's answers, print the
questionnaire, or run an interview in a terminal."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from scoring.engine import Engine, engine_for
from scoring.models import Answers, Assessment, InvalidAnswers
from scoring.questionnaire import QUESTIONS, Question
from scoring.ruleset import RuleSetError, load_policy
from scoring.team import analyse
from scoring.team_text import render_team
from scoring.text import render, render_questionnaire

POLICY_VARIABLE = "LLM_APPROACH_POLICY"
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input: printed as one line, exit status 2."""


def engine_from_environment() -> Engine:
    path = os.environ.get(POLICY_VARIABLE, "").strip()
    if not path:
        return engine_for()
    try:
        return engine_for(load_policy(path))
    except RuleSetError as error:
        raise CliError(f"{POLICY_VARIABLE}: {error}") from None


def _read_text(source: str, stdin: TextIO) -> str:
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            return stdin.read()
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise CliError(f"{name}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CliError(f"{name}: not UTF-8 text") from None


def _parse_answers(text: str, name: str) -> Answers:
    """One answers object from JSON text; CliError names what is wrong in one line."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(
            f"{name}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise CliError(
            f"{name}: expected a JSON object of question id to option id, got {type(data).__name__}"
        )
    try:
        return Answers.parse(data)
    except InvalidAnswers as error:
        raise CliError(str(error.issues[0])) from None


def _read_answers(source: str, stdin: TextIO) -> Answers:
    name = "standard input" if source == "-" else source
    return _parse_answers(_read_text(source, stdin), name)


def result_json(assessment: Assessment, answers: Answers, *, indent: int | None = None) -> str:
    """The JSON result (README, "How the recommendation is made"): the assessment and the project's name."""
    if indent is None:
        # The hot path of batch mode: pydantic serialises in one pass, and the name goes on the end.
        body = assessment.model_dump_json()
        return body[:-1] + ',"project_name":' + json.dumps(answers.project_name, ensure_ascii=False) + "}"
    payload = assessment.model_dump(mode="json")
    payload["project_name"] = answers.project_name
    return json.dumps(payload, indent=indent, ensure_ascii=False)


def _batch(source: str, stdin: TextIO, stdout: TextIO) -> int:
    """JSON Lines in, one result per line out, in order; a bad line becomes {"line": n, "error": text} in
    its place. Exit status 2 once every line is done if any was bad."""
    engine = engine_from_environment()
    text = _read_text(source, stdin)
    bad = 0
    write = stdout.write
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            answers = _parse_answers(line, f"line {number}")
        except CliError as error:
            bad += 1
            message = str(error).removeprefix(f"line {number}: ")
            write(json.dumps({"line": number, "error": message}, ensure_ascii=False) + "\n")
            continue
        write(result_json(engine.assess(answers), answers) + "\n")
    return EXIT_BAD_INPUT if bad else 0


def _assess(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if (args.file is None) == (args.batch is None):
        raise CliError("give either one answers FILE or --batch FILE (- reads standard input)")
    if args.batch is not None:
        return _batch(args.batch, stdin, stdout)
    engine = engine_from_environment()
    answers = _read_answers(args.file, stdin)
    assessment = engine.assess(answers)
    if args.format == "json":
        stdout.write(result_json(assessment, answers, indent=2) + "\n")
    else:
        stdout.write(render(assessment, answers))
    return 0


def member_name(source: str, taken: set[str]) -> str:
    """A member's name from their file: ``answers/ben.json`` → "ben" (made unique: "ben (2)")."""
    stem = os.path.splitext(os.path.basename(source))[0] or source
    name, number = stem, 2
    while name in taken:
        name, number = f"{stem} ({number})", number + 1
    taken.add(name)
    return name


def _team(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if len(args.files) < 2:
        raise CliError("give two or more answers files, one per teammate")
    if args.files.count("-") > 1:
        raise CliError("standard input (-) can be one of the files only once")
    taken: set[str] = set()
    members = {member_name(source, taken): _read_answers(source, stdin) for source in args.files}
    analysis = analyse(members, engine_from_environment())
    if args.format == "json":
        stdout.write(json.dumps(analysis.as_contract(), indent=2, ensure_ascii=False) + "\n")
    else:
        stdout.write(render_team(analysis))
    return 0


def questionnaire_json() -> list[dict[str, Any]]:
    """The questionnaire as `questions --format json` gives it: id, page, label, options, required."""
    return [
        {
            "id": question.id,
            "page": question.page,
            "label": question.label,
            "options": [{"id": option.id, "label": option.label} for option in question.options],
            "required": question.required,
        }
        for question in QUESTIONS
    ]


def _ask(question: Question, read: Callable[[str], str], write: Callable[[str], object]) -> str | None:
    """One question; None when skipped. EOFError propagates so the caller can stop early."""
    write(f"\n{question.label}\n  {question.help}\n")
    if question.is_free_text:
        while True:
            text = read("> ").strip()
            if not text and question.required:
                write("  This one is required.\n")
                continue
            if len(text) > question.max_length:
                write(f"  At most {question.max_length} characters, please.\n")
                continue
            return text or None
    for number, option in enumerate(question.options, start=1):
        write(f"  {number}. {option.label}\n")
    while True:
        reply = read("> number (Enter to skip): ").strip()
        if not reply:
            return None
        if reply.isdigit() and 1 <= int(reply) <= len(question.options):
            return question.options[int(reply) - 1].id
        if reply in question.option_ids:
            return reply
        write(f"  Type a number from 1 to {len(question.options)}.\n")


def _interview(stdin: TextIO, stdout: TextIO) -> None:
    engine = engine_from_environment()

    def read(prompt: str) -> str:
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:
            raise EOFError
        return line

    stdout.write("Answer each question; press Enter to skip one. The recommendation follows the last.\n")
    answers: dict[str, str] = {}
    try:
        for question in QUESTIONS:
            value = _ask(question, read, stdout.write)
            if value is not None:
                answers[question.id] = value
    except EOFError:
        stdout.write("\n(input ended: assessing the answers given so far)\n")
    stdout.write("\n" + render(engine.assess(Answers.parse(answers)), Answers.parse(answers)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scoring", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    assess = commands.add_parser("assess", help="assess a JSON file of answers, or a JSON Lines batch")
    assess.add_argument(
        "file", nargs="?", help="JSON object of question id to option id; - reads standard input"
    )
    assess.add_argument(
        "--batch",
        metavar="FILE",
        help="JSON Lines, one answers object per line (- reads standard input); one JSON result per line",
    )
    assess.add_argument("--format", choices=("json", "text"), default="text")
    team = commands.add_parser(
        "team", help="analyse several teammates' answers: consensus, disagreements, whether they matter"
    )
    team.add_argument("files", nargs="+", metavar="FILE", help="one answers JSON file per teammate")
    team.add_argument("--format", choices=("json", "text"), default="text")
    questions = commands.add_parser("questions", help="print the questionnaire")
    questions.add_argument("--format", choices=("json", "text"), default="text")
    commands.add_parser("interview", help="answer the questions in the terminal")
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        if args.command == "assess":
            return _assess(args, stdin, stdout)
        if args.command == "team":
            return _team(args, stdin, stdout)
        if args.command == "questions":
            if args.format == "json":
                stdout.write(json.dumps(questionnaire_json(), indent=2, ensure_ascii=False) + "\n")
            else:
                stdout.write(render_questionnaire())
        else:
            _interview(stdin, stdout)
    except CliError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    return 0

"""Counts advice a senior ML engineer would not sign, over random answer sets, as the CLI gives it:
``python -m bench.advice`` (or ``make bench``).

Writes 20,000 random complete answer sets and 20,000 with about 15% of the questions blank as JSON Lines,
runs them through ``python -m scoring assess --batch`` (the contract's batch mode, in a process of its own),
reads every result back and runs the checks of tests/advice.py on it: one count per class (self-hosting,
knowledge, volume and latency, distillation, levers, evaluation, confidence words, blanks, coherence, claims).
Then it analyses random teams of two to four people with ``scoring.team`` and counts the team round's own
class: disagreements that flip only jointly left unnamed, a tie on a hard constraint not settled on the
safe side, a disputed fact voted on, a self-contradicting consensus not flagged.

Figures only; the property tests (tests/unit/scoring/test_advice.py, test_team.py) are the assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping

from scoring import Answers, Assessment, assess
from scoring.questionnaire import SCORED_QUESTIONS
from scoring.team import FACTS, HARD_CONSTRAINTS, analyse
from tests.advice import CHECKS, review


def random_sets(rng: random.Random, count: int, blank: float) -> list[dict[str, str]]:
    return [
        {q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS if rng.random() >= blank}
        for _ in range(count)
    ]


def batch(sets: list[dict[str, str]]) -> list[Assessment]:
    """Every answer set through ``python -m scoring assess --batch``, read back as the engine's model."""
    lines = "".join(json.dumps(answers) + "\n" for answers in sets)
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "assess", "--batch", "-"],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    return [Assessment.model_validate(json.loads(line)) for line in done.stdout.splitlines()]


def count_advice(sets: list[dict[str, str]], results: list[Assessment]) -> Counter[str]:
    """Per class, the number of results with at least one finding of it."""
    counts: Counter[str] = Counter()
    for answers, result in zip(sets, results, strict=True):
        counts.update({finding.check for finding in review(answers, result)})
    return counts


def team_findings(members: Mapping[str, Answers]) -> set[str]:
    """What a facilitator would object to in the round's analysis of these members' answers."""
    analysis = analyse(members)
    found: set[str] = set()
    consensus, approach = analysis.answers, analysis.consensus.approach
    named = {flip.member for flip in analysis.joint_flips}

    def moves(changes: Mapping[str, str]) -> bool:
        return assess(Answers.parse({**consensus, **changes})).approach is not approach

    for name, member in members.items():
        differing = {q: a for q, a in member.choices.items() if q in consensus and consensus[q] != a}
        if len(differing) < 2 or name in named or any(moves({q: a}) for q, a in differing.items()):
            continue
        if moves(differing):
            found.add("joint flip unnamed")
    for entry in analysis.consensus_answers:
        safe = HARD_CONSTRAINTS.get(entry.question)
        if safe is not None and entry.tied_with and entry.answer != safe and safe in entry.tied_with:
            found.add("hard-constraint tie on the unsafe side")
        given = {m.choices[entry.question] for m in members.values() if entry.question in m.choices}
        if (
            entry.question in FACTS
            and len(given) > 1
            and not entry.confirm_with
            and entry.answer != FACTS[entry.question]
        ):
            found.add("disputed fact voted on")
    flagged = any(
        line.startswith("The consensus combines answers") for line in analysis.team_result().confidence.basis
    )
    if analysis.consensus.conflicts and not flagged:
        found.add("contradicting consensus not flagged")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=20_000, help="answer sets per sweep")
    parser.add_argument("--teams", type=int, default=2_000, help="random teams to analyse")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    classes = [check.__name__ for check in CHECKS]
    for label, blank in (("complete", 0.0), ("15% blank", 0.15)):
        sets = random_sets(rng, args.sets, blank)
        start = time.perf_counter()
        results = batch(sets)
        seconds = time.perf_counter() - start
        counts = count_advice(sets, results)
        total = sum(1 for answers, result in zip(sets, results, strict=True) if review(answers, result))
        print(f"{len(sets):,} random answer sets ({label}) through assess --batch in {seconds:.1f} s:")
        for name in classes:
            check = name if name != "confidence_words" else "confidence"
            print(f"  {name:<18} {counts.get(check, 0):>6}")
        print(f"  results with any finding: {total}")
    team_counts: Counter[str] = Counter()
    for _ in range(args.teams):
        size = rng.randint(2, 4)
        members = {f"M{i}": Answers.parse(answers) for i, answers in enumerate(random_sets(rng, size, 0.15))}
        team_counts.update(team_findings(members))
    print(
        f"{args.teams:,} random teams of 2 to 4 (15% blank): findings by kind {dict(team_counts) or 'none'}"
    )


if __name__ == "__main__":
    main()

"""Benchmark of the scoring engine on one core: ``python -m bench.scoring`` (or ``make bench``).

Prints, on random complete answer sets (every question answered), after a warm-up of 20,000 sets (the engine
memoises each group's points on the answers it reads, as a long-running process would have):

- plain assessments per second (scores, gates, reasons, notes, path, conflicts and confidence, which tries
  the plausible one-step changes), on fresh sets and on 2,000 sets assessed five times over (the previous
  benchmark's method); target over 20,000/s;
- batch assessments per second: with ``what_would_change`` and serialised to JSON as ``assess --batch``
  writes them; target over 2,000/s; and ``what_would_change`` alone per call;
- the ``assess --batch`` CLI as a process on one core, start-up included and excluded;
- over 20,000 random complete answer sets: the share of high, medium and low confidence, and of each
  approach.

Figures only: the test suite never asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable

from scoring import Answers
from scoring.cli import result_json
from scoring.engine import engine_for
from scoring.models import APPROACHES, LEVELS
from scoring.questionnaire import SCORED_QUESTIONS


def random_flat(rng: random.Random) -> dict[str, str]:
    return {q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS}


def random_answers(rng: random.Random) -> Answers:
    return Answers.parse(random_flat(rng))


def _rate(count: int, work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return count / (time.perf_counter() - start)


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _cli_batch(lines: list[str]) -> tuple[float, float]:
    """Seconds for ``python -m scoring assess --batch`` on these lines and on one line (start-up)."""
    timings = []
    with tempfile.TemporaryDirectory() as directory:
        for batch in (lines, lines[:1]):
            path = os.path.join(directory, f"batch{len(batch)}.jsonl")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(batch) + "\n")
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "scoring", "assess", "--batch", path],
                check=True,
                stdout=subprocess.DEVNULL,
                preexec_fn=_pin_to_one_core,
            )
            timings.append(time.perf_counter() - start)
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", type=int, default=20_000, help="answer sets per measurement")
    parser.add_argument("--batch-sets", type=int, default=4_000, help="answer sets for batch mode")
    parser.add_argument("--warm-up", type=int, default=20_000, help="answer sets assessed before measuring")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    _pin_to_one_core()
    rng = random.Random(args.seed)
    engine = engine_for()
    for _ in range(args.warm_up):
        engine.assess(random_answers(rng), explore_changes=False)
    for _ in range(args.warm_up // 10):
        engine.assess(random_answers(rng))

    # Results are dropped as they come, as a batch run or the bot does: keeping 20,000 of them alive would
    # measure the garbage collector walking them instead.
    plain_sets = [random_answers(rng) for _ in range(args.sets)]

    def plain_run() -> None:
        for answers in plain_sets:
            engine.assess(answers, explore_changes=False)

    plain = _rate(len(plain_sets), plain_run)
    repeated_sets = plain_sets[:2000]

    def five_rounds() -> None:
        for _ in range(5):
            for answers in repeated_sets:
                engine.assess(answers, explore_changes=False)

    repeated = _rate(5 * len(repeated_sets), five_rounds)

    batch_sets = [random_answers(rng) for _ in range(args.batch_sets)]

    def batch_run() -> None:
        for answers in batch_sets:
            result_json(engine.assess(answers), answers)

    batch = _rate(len(batch_sets), batch_run)

    wwc_samples: list[float] = []
    for answers in batch_sets[:2000]:
        card = engine.scorecard(answers.choices)
        start = time.perf_counter()
        engine.what_would_change(answers.choices, card)
        wwc_samples.append(time.perf_counter() - start)
    wwc_samples.sort()

    lines = [json.dumps(random_flat(rng)) for _ in range(args.batch_sets)]
    with_startup, startup = _cli_batch(lines)

    print(f"one core; random complete answer sets ({len(SCORED_QUESTIONS)} questions), fresh each time")
    print(
        f"plain assessments (with confidence), fresh sets: {plain:,.0f}/s ({1e6 / plain:.1f} µs each); "
        f"2,000 sets five times: {repeated:,.0f}/s ({1e6 / repeated:.1f} µs)  target > 20,000/s"
    )
    print(
        f"batch assessments (with what_would_change, as JSON): {batch:,.0f}/s ({1e6 / batch:.0f} µs each)"
        "  target > 2,000/s"
    )
    print(
        f"what_would_change alone: mean {statistics.fmean(wwc_samples) * 1e6:.0f} µs, "
        f"p50 {wwc_samples[len(wwc_samples) // 2] * 1e6:.0f} µs, "
        f"p99 {wwc_samples[int(len(wwc_samples) * 0.99)] * 1e6:.0f} µs"
    )
    print(
        f"CLI assess --batch, {len(lines):,} lines: {len(lines) / with_startup:,.0f} lines/s with start-up, "
        f"{(len(lines) - 1) / max(with_startup - startup, 1e-9):,.0f} lines/s after start-up "
        f"({startup:.2f} s)"
    )
    results = [engine.assess(a, explore_changes=False) for a in plain_sets]
    levels = Counter(result.confidence.level for result in results)
    approaches = Counter(result.approach for result in results)
    high = Counter(result.approach for result in results if result.confidence.level == "high")
    total = len(results)
    print(
        f"confidence over {total:,} random sets: "
        + ", ".join(f"{level} {levels[level] / total:.1%}" for level in reversed(LEVELS))
    )
    print("approaches: " + ", ".join(f"{a.label} {approaches[a] / total:.1%}" for a in APPROACHES))
    print("high confidence by approach: " + ", ".join(f"{a.label} {high[a] / total:.1%}" for a in APPROACHES))


if __name__ == "__main__":
    main()

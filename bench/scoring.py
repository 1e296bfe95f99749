"""Benchmark of the scoring engine on one core: ``python -m bench.scoring`` (or ``make bench``).

Prints assessments per second on random complete answer sets, and the cost of what_would_change.
Targets (issue 2): at least 20,000 assessments/s, what_would_change under 1 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from scoring import Answers
from scoring.engine import engine_for
from scoring.questionnaire import SCORED_QUESTIONS


def random_answers(rng: random.Random) -> Answers:
    return Answers.parse({q.id: rng.choice(q.option_ids) for q in SCORED_QUESTIONS})


def _per_call(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (
        statistics.fmean(ordered) * 1e6,
        ordered[len(ordered) // 2] * 1e6,
        ordered[int(len(ordered) * 0.99)] * 1e6,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", type=int, default=2000, help="distinct random answer sets")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the sets for throughput")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(args.seed)
    sets = [random_answers(rng) for _ in range(args.sets)]
    engine = engine_for()
    for answers in sets[:200]:  # warm up
        engine.assess(answers)

    start = time.perf_counter()
    for _ in range(args.rounds):
        for answers in sets:
            engine.assess(answers, explore_changes=False)
    elapsed = time.perf_counter() - start
    assessments = args.rounds * len(sets)

    wwc_samples: list[float] = []
    full_samples: list[float] = []
    for answers in sets:
        card = engine.scorecard(answers.choices)
        t0 = time.perf_counter()
        engine.what_would_change(answers.choices, card)
        wwc_samples.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.assess(answers)
        full_samples.append(time.perf_counter() - t0)

    wwc_mean, wwc_p50, wwc_p99 = _per_call(wwc_samples)
    full_mean, _, full_p99 = _per_call(full_samples)
    print(f"answer sets: {len(sets)} random complete sets, {args.rounds} rounds, one core")
    print(
        f"assess (scores, reasons, caveats, next steps): {assessments / elapsed:,.0f} assessments/s "
        f"({elapsed / assessments * 1e6:.1f} µs each)  target >= 20,000/s"
    )
    print(
        f"what_would_change: mean {wwc_mean:.0f} µs, p50 {wwc_p50:.0f} µs, p99 {wwc_p99:.0f} µs"
        "  target < 1,000 µs"
    )
    print(
        f"assess with what_would_change: mean {full_mean:.0f} µs, p99 {full_p99:.0f} µs"
        f" ({1e6 / full_mean:,.0f}/s)"
    )


if __name__ == "__main__":
    main()

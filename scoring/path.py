"""The path: where a team starts now and the stages to the recommendation, each with what moves it on.

It follows the vendors' journey: a baseline with prompting and evals first, retrieval for knowledge, then
fine-tuning for behaviour, and distillation for cost and latency [OAI-ACC][OAI-FT][AZ-FT][GCP-TUNE]. The last
stage is the recommendation; the first is what to do now:

- prompting whenever it has not been measured yet (or the question is unanswered), whatever the destination;
- prompting, kept running, when it meets the target and the destination is training (its outputs become the
  training data);
- prompting when the baseline is a few points short and the destination is training (many-shot prompting
  often closes such a gap first);
- prompting when the first version is due in days and the destination is fine-tuning (no training pipeline
  ships in days; for the hybrid, managed retrieval does);
- retrieval before the hybrid's fine-tuning, which then trains on the retrieved context it will see.

No two consecutive stages share an approach.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from scoring.models import Approach, Stage, trusted
from scoring.ruleset import RuleSet

PE, RAG, FT, HYBRID = Approach.PROMPT_ENGINEERING, Approach.RAG, Approach.FINE_TUNING, Approach.HYBRID

_SOURCES: Final[dict[str, tuple[str, ...]]] = {
    "baseline": ("OAI-ACC", "OAI-FT", "ANT-PE"),
    "keep_prompt": ("OAI-FT", "OAI-DISTILL"),
    "close_gap": ("MANYSHOT", "ANYSCALE-FF"),
    "ship_prompt": ("ANT-PE", "MSL-OPT"),
    "retrieval": ("OAI-ACC", "LEWIS", "GCP-GSEARCH"),
    "training": ("OAI-FT", "MS-GAB", "OAI-ACC"),
    "distil": ("AWS-DISTILL", "OAI-DISTILL", "OAI-LAT"),
    "hybrid": ("OAI-ACC", "RAFT"),
}


def _first_stage(baseline: str | None, deadline: str | None, destination: Approach) -> tuple[str, str] | None:
    """What to do now, when it is prompting: (kind, text)."""
    training = destination in (FT, HYBRID)
    if baseline in (None, "not_tried"):
        then = (
            "stay with prompting while it meets your target."
            if destination is PE
            else "move on if it falls short."
        )
        return (
            "baseline",
            f"Now: write an eval set of 20 or more real cases and measure a prompt baseline; {then}",
        )
    if destination is PE:
        return "baseline", "Now: keep improving the prompt and measure every change against your eval set."
    if baseline == "meets_target" and training:
        return "keep_prompt", "Now: keep the working prompt in production and log its inputs and outputs."
    if baseline == "close_to_target" and training:
        return (
            "close_gap",
            "Now: close the last few points with more prompt work (many-shot examples, clearer "
            "instructions).",
        )
    if deadline == "days" and destination is FT:
        return (
            "ship_prompt",
            "Now: ship the first version within days as a prompt with your best examples as few-shot.",
        )
    return None


@cache
def journey(
    baseline: str | None, deadline: str | None, teacher: str | None, destination: Approach
) -> tuple[Stage, ...]:
    """The stages from now to ``destination``, given the prompt baseline, the first version's deadline and
    whether a teacher model exists."""
    stages: list[tuple[Approach, str, str]] = []
    first = _first_stage(baseline, deadline, destination)
    if first is not None:
        stages.append((PE, first[1], first[0]))
    if destination in (RAG, HYBRID):
        now = not stages
        if destination is RAG:
            what = (
                "retrieval over your documents (a managed service is enough to start), measured separately "
                "from the answers."
            )
            lead = "Now: add " if now else "Then, if answers miss or misstate facts: add "
        else:
            what = (
                "retrieval for the facts, so that fine-tuning later trains on the context the app will see."
            )
            lead = "Now: add " if now else "Then, if answers miss facts: add "
        stages.append((RAG, lead + what, "retrieval"))
    if destination in (FT, HYBRID):
        now = not stages
        if destination is HYBRID:
            what = "fine-tune on retrieval-formatted examples (50–100 for a pilot) for what retrieval misses."
            lead = "Now: " if now else "Then, when retrieval works but format or behaviour still fails: "
            stages.append((HYBRID, lead + what, "hybrid"))
        elif teacher == "yes" or baseline == "meets_target":
            what = "distil the larger model's outputs into a smaller fine-tuned model; compare cost, latency."
            lead = "Now: " if now else "Then, when volume or latency makes the large model too costly: "
            stages.append((FT, lead + what, "distil"))
        else:
            what = "fine-tune, starting with a pilot on 50–100 of your best examples against the baseline."
            lead = "Now: " if now else "Then, if it still falls short on format or behaviour: "
            stages.append((FT, lead + what, "training"))
    path: list[Stage] = []
    for approach, text, kind in stages:
        if not path or path[-1].approach is not approach:
            path.append(trusted(Stage, approach=approach, when=text, sources=_SOURCES[kind]))
    return tuple(path)


class Journeys:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset

    def journey(self, choices: object, destination: Approach) -> tuple[Stage, ...]:
        get = choices.get  # type: ignore[attr-defined]
        return journey(
            get("prompt_baseline"), get("time_to_first_version"), get("teacher_model"), destination
        )

"""A team's analysis in words, for the terminal and for the thread. Pure.

Members are shown through ``name`` (a file name in the terminal, a mention in Slack). When a team chose not
to show who answered what, ``named`` is False and answers are shown with counts only.
"""

from __future__ import annotations

from collections.abc import Callable

from scoring.questionnaire import QUESTIONS_BY_ID
from scoring.team import ConsensusAnswer, Disagreement, Flip, JointFlip, TeamAnalysis
from scoring.text import answer_short, confidence_line

Name = Callable[[str], str]


def _plain(member: str) -> str:
    return member


def _people(members: tuple[str, ...], name: Name) -> str:
    shown = [name(member) for member in members]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def spread_text(disagreement: Disagreement, *, named: bool, name: Name = _plain) -> str:
    """The answers given, in option order: “None (Ben) · 500–4,999 (Ana, Cat)”, or “None ×1 · …” unnamed."""
    question = disagreement.question
    parts = []
    for option, count in disagreement.answers.items():
        label = answer_short(question, option)
        if named:
            parts.append(f"{label} ({', '.join(name(m) for m in disagreement.by_answer[option])})")
        else:
            parts.append(f"{label} ×{count}")
    return " · ".join(parts)


def flip_text(disagreement: Disagreement, flip: Flip, *, named: bool, name: Name = _plain) -> str:
    """“If Ben is right about labelled examples (None), it becomes Fine-tuning”; unnamed, “If the 2 people
    who answered “None” are right about labelled examples, …”."""
    short = QUESTIONS_BY_ID[disagreement.question].short.lower()
    answer = answer_short(disagreement.question, flip.answer)
    one = len(flip.members) == 1
    if named:
        subject = f"{_people(flip.members, name)} {'is' if one else 'are'} right about {short} ({answer})"
    elif one:
        subject = f"the person who answered “{answer}” is right about {short}"
    else:
        subject = f"the {len(flip.members)} people who answered “{answer}” are right about {short}"
    return f"If {subject}, it becomes {flip.approach.label}"


def member_results(analysis: TeamAnalysis, *, named: bool, name: Name = _plain) -> str:
    """The recommendation under each person's answers: “Ana: RAG · Ben: Fine-tuning”, or counts unnamed."""
    if named:
        return " · ".join(f"{name(m.name)}: {m.approach.label}" for m in analysis.members)
    tally: dict[str, int] = {}
    for member in analysis.members:
        tally[member.approach.label] = tally.get(member.approach.label, 0) + 1
    return " · ".join(f"{label} ×{count}" for label, count in tally.items())


def ties_text(analysis: TeamAnalysis) -> list[str]:
    """One line per consensus answer that broke a tie, naming the answers it tied with (a disputed fact's
    tie is told with the fact, ``confirm_text``)."""
    lines = []
    for entry in analysis.consensus_answers:
        if entry.tied_with and not entry.confirm_with:
            short = QUESTIONS_BY_ID[entry.question].short
            taken = answer_short(entry.question, entry.answer)
            others = " or ".join(f"“{answer_short(entry.question, a)}”" for a in entry.tied_with)
            why = ", the safe side of a hard constraint" if entry.safe_side else ""
            lines.append(f"{short}: tied between “{taken}” and {others}; the consensus takes “{taken}”{why}")
    return lines


def joint_text(flip: JointFlip, *, named: bool, name: Name = _plain) -> str:
    """“If Ben is right about labelled examples (None), teacher model (No) and failure mode (Knowledge)
    together, it becomes Prompt engineering; none of them changes it alone”."""
    parts = [f"{QUESTIONS_BY_ID[q].short.lower()} ({answer_short(q, a)})" for q, a in flip.answers.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    who = name(flip.member) if named else "one teammate"
    return (
        f"If {who} is right about {listed} together, it becomes {flip.approach.label}; none of these answers "
        "changes it alone"
    )


def confirm_text(entry: ConsensusAnswer, *, named: bool, name: Name = _plain) -> str:
    """A disputed fact: what the consensus takes, and who is asked for the evidence. One report against
    teammates who report none: “…takes “Plateaued” as reported; Ana, who reported it, please confirm”.
    Reports that differ: “…reported differently (Ana “Knowledge”; Ben “Behaviour”): compare what the
    evidence shows; until then the consensus takes “Knowledge””."""
    short = QUESTIONS_BY_ID[entry.question].short
    taken = answer_short(entry.question, entry.answer)
    if len(entry.reports) <= 1:
        count = len(entry.confirm_with)
        if named:
            who = f"{_people(entry.confirm_with, name)}, who reported it"
        else:
            who = "the person who reported it" if count == 1 else f"the {count} people who reported it"
        return (
            f"{short} is a fact, not a vote: the consensus takes “{taken}” as reported; {who}, please confirm"
        )
    reported = "; ".join(
        f"{_people(members, name)} “{answer_short(entry.question, option)}”"
        if named
        else f"“{answer_short(entry.question, option)}” ×{len(members)}"
        for option, members in entry.reports.items()
    )
    return (
        f"{short} is a fact, not a vote, and it was reported differently ({reported}): compare what the "
        f"evidence shows; until then the consensus takes “{taken}”"
    )


def render_team(analysis: TeamAnalysis) -> str:
    """The analysis for a terminal: each member's result, the consensus, then the disagreements."""
    consensus = analysis.team_result()
    lines = [f"Team of {len(analysis.members)}", ""]
    lines += [
        f"  {m.name}: {m.approach.label} ({m.confidence} confidence, {m.answered} answers)"
        for m in analysis.members
    ]
    lines += ["", f"Consensus: {consensus.approach.label}", confidence_line(consensus)]
    ties = ties_text(analysis)
    if ties:
        lines += ["", "Ties", *(f"  - {line}" for line in ties)]
    if analysis.to_confirm:
        lines += [
            "",
            "Facts to confirm",
            *(f"  - {confirm_text(e, named=True)}" for e in analysis.to_confirm),
        ]
    if consensus.conflicts:
        lines += ["", "The consensus contradicts itself (re-check before relying on it)"]
        lines += [f"  - {conflict.text}" for conflict in consensus.conflicts]
    flipping = analysis.flipping
    if flipping:
        lines += ["", "Disagreements that change the result"]
        for d in flipping:
            lines.append(f"  - {QUESTIONS_BY_ID[d.question].short}: {spread_text(d, named=True)}")
            lines += [f"      {flip_text(d, flip, named=True)}" for flip in d.flips]
    if analysis.joint_flips:
        lines += ["", "Answers that change the result together"]
        lines += [f"  - {joint_text(flip, named=True)}" for flip in analysis.joint_flips]
    rest = [d for d in analysis.disagreements if not d.changes_result]
    if rest:
        lines += ["", "Disagreements that don't change it"]
        lines += [f"  - {QUESTIONS_BY_ID[d.question].short}: {spread_text(d, named=True)}" for d in rest]
    if not analysis.disagreements:
        lines += ["", "Everyone gave the same answers."]
    return "\n".join(lines) + "\n"

"""Projects written from the decision guide's sources, one or more for each class of advice a senior ML
engineer would not sign (tests/advice.py), with what the whole result must and must not say.

Each scenario states every first-release question. ``must`` lists ids of next steps, caveats, path stages or
conflicts the result must include; ``must_not`` lists words that must appear nowhere in what the team reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PE, RAG, FT, HYBRID = "prompt_engineering", "rag", "fine_tuning", "hybrid"

# A mid-sized product team's answers; each scenario changes what its story says.
_BASE: dict[str, str] = {
    "task_complexity": "medium",
    "accuracy_requirement": "high",
    "distinct_tasks": "one",
    "task_type": "answer_questions",
    "knowledge_need": "general",
    "knowledge_change_frequency": "static",
    "citations_needed": "no",
    "domain_specificity": "medium",
    "format_style_consistency_need": "medium",
    "prompt_baseline": "plateaued_below_target",
    "primary_failure_mode": "behavior",
    "labeled_examples": "500_4999",
    "compute_budget": "medium",
    "ml_expertise": "some",
    "teacher_model": "not_checked",
    "time_to_first_version": "weeks",
    "project_lifetime": "long_term",
    "request_volume": "medium",
    "latency_requirement": "moderate",
    "privacy_self_host": "no",
}


@dataclass(frozen=True)
class AdviceScenario:
    id: str
    check: str  # the class of tests/advice.py it exercises
    story: str
    sources: tuple[str, ...]
    changes: dict[str, str]
    expected: frozenset[str]
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    max_level: str = "high"
    removed: tuple[str, ...] = field(default=())  # questions the story leaves unanswered

    @property
    def answers(self) -> dict[str, str]:
        merged = {**_BASE, **self.changes}
        return {k: v for k, v in merged.items() if k not in self.removed}


ADVICE_SCENARIOS: tuple[AdviceScenario, ...] = (
    # --- 1. self-hosting ------------------------------------------------------------------------------------
    AdviceScenario(
        "on_prem_clinical_guidelines_assistant",
        "self_hosting",
        "A hospital's clinicians ask about its own treatment guidelines, updated monthly; patient data may not "
        "leave the hospital. Retrieval over the guidelines, hosted in-house with an open-weight model.",
        ("OAI-ACC", "LEWIS", "SOUDANI"),
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "knowledge_change_frequency": "monthly",
            "citations_needed": "yes",
            "primary_failure_mode": "knowledge",
            "privacy_self_host": "yes",
            "accuracy_requirement": "critical",
            "labeled_examples": "50_499",
        },
        frozenset({RAG}),
        must=("self_hosted_retrieval", "retrieval_you_host_for_your_documents"),
        must_not=("managed", "Vertex", "Bedrock", "Google Search"),
    ),
    AdviceScenario(
        "on_prem_ticket_classifier_at_scale",
        "self_hosting",
        "A bank routes 300,000 support messages a day into 40 queues under a second, on its own servers, with "
        "20,000 labelled messages: a small fine-tuned classifier (BUCHER, SETFIT), trained with LoRA in-house.",
        ("BUCHER", "SETFIT", "LORA", "QLORA"),
        {
            "task_type": "classify_extract",
            "knowledge_need": "none",
            "primary_failure_mode": "behavior",
            "labeled_examples": "5000_plus",
            "request_volume": "high",
            "latency_requirement": "strict",
            "privacy_self_host": "yes",
            "ml_expertise": "strong",
            "compute_budget": "high",
        },
        frozenset({FT}),
        must=("peft", "small_classifier", "self_hosted_retraining"),
        must_not=("managed", "Vertex", "Bedrock", "cloud tuning"),
    ),
    AdviceScenario(
        "self_hosting_on_a_token_budget",
        "self_hosting",
        "A charity must keep case notes on its own machines but has budget for per-token API costs only: the "
        "two cannot both hold, and the result must say so.",
        ("MSL-OPT", "QLORA"),
        {"privacy_self_host": "yes", "compute_budget": "low", "knowledge_need": "general"},
        frozenset({PE, FT}),
        must=("self_hosting_on_a_per_token_budget",),
        must_not=("managed",),
        max_level="medium",
    ),
    # --- 2. knowledge problems get retrieval ----------------------------------------------------------------
    AdviceScenario(
        "fresh_prices_without_citations",
        "knowledge",
        "A shopping assistant quotes today's prices and stock, without needing to cite them: fresh outside "
        "facts need retrieval or search grounding all the same (OAI-ACC: out-of-date knowledge).",
        ("OAI-ACC", "LEWIS", "GCP-GSEARCH"),
        {
            "knowledge_need": "fresh_external",
            "knowledge_change_frequency": "daily",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
        },
        frozenset({RAG}),
        must=("retrieval_of_fresh_information", "search_grounding"),
        must_not=("many-shot",),
    ),
    AdviceScenario(
        "hr_policy_bot_a_few_points_short_on_facts",
        "knowledge",
        "An HR policy bot over the company handbook is a few points short, and the failed cases misstate "
        "policies: fix retrieval first (ANT-CR); more examples in the prompt do not supply missing facts.",
        ("ANT-CR", "OAI-DD23", "OAI-ACC"),
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "knowledge_change_frequency": "yearly",
            "prompt_baseline": "close_to_target",
            "primary_failure_mode": "knowledge",
        },
        frozenset({RAG}),
        must=("fix_retrieval_first",),
        must_not=("many-shot", "stronger model"),
    ),
    AdviceScenario(
        "nl_to_query_over_a_large_schema",
        "knowledge",
        "Natural language to a house query language over a large schema, plateaued on edge cases with "
        "thousands of pairs: Microsoft's GQL customer combined a fine-tuned model with retrieval (AZ-FT).",
        ("AZ-FT", "OAI-DD23", "RAFT"),
        {
            "task_type": "generate",
            "knowledge_need": "proprietary_or_large_corpus",
            "domain_specificity": "high",
            "format_style_consistency_need": "high",
            "primary_failure_mode": "both",
            "labeled_examples": "5000_plus",
            "ml_expertise": "strong",
        },
        frozenset({HYBRID}),
        must=("raft", "tune_on_retrieved_context"),
    ),
    # --- 3. volume and latency --------------------------------------------------------------------------------
    AdviceScenario(
        "in_editor_code_repair",
        "volume_latency",
        "Replit trained a small model for in-editor code repair to meet latency and cost at scale (REPLIT): "
        "millions of calls a day under a second, a larger model that works, prompting close to target.",
        ("REPLIT", "OAI-LAT", "DSS"),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "prompt_baseline": "close_to_target",
            "teacher_model": "yes",
            "request_volume": "high",
            "latency_requirement": "strict",
            "ml_expertise": "strong",
            "compute_budget": "high",
        },
        frozenset({FT}),
        must=("distil", "close_the_gap_within_the_latency"),
        must_not=("many-shot", "stronger model"),
    ),
    AdviceScenario(
        "autocomplete_before_any_baseline",
        "volume_latency",
        "Search-box suggestions at 500,000 a day under a second, not yet prompted: start with a prompt, but "
        "on a small, fast model, with the route to a fine-tuned small one planned (OAI-LAT).",
        ("OAI-LAT", "OAI-FT", "AWS-NOVA"),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
            "labeled_examples": "none",
            "request_volume": "high",
            "latency_requirement": "strict",
        },
        frozenset({PE}),
        must=("small_model_route",),
        must_not=("many-shot", "stronger model"),
        max_level="medium",
    ),
    # --- 4. distillation only from a teacher that works -------------------------------------------------------
    AdviceScenario(
        "no_model_is_good_enough",
        "distillation",
        "Even the strongest models fall short on a house contract format; the team has 2,000 labelled examples "
        "and high volume: fine-tune on its own examples (Canva, OAI-DD23), with no teacher to distil.",
        ("OAI-DD23", "OAI-FT"),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "domain_specificity": "high",
            "format_style_consistency_need": "high",
            "teacher_model": "no",
            "request_volume": "high",
        },
        frozenset({FT}),
        must=("tune_a_pilot", "fine_tuning_pilot"),
        must_not=("distil",),
    ),
    AdviceScenario(
        "a_larger_model_works_at_low_volume",
        "distillation",
        "An internal tool writes 200 release notes a day; a larger model already writes them well: switch "
        "models rather than train a copy (ANT-PE: latency and cost are often easier to fix by picking another "
        "model).",
        ("ANT-PE", "OAI-LAT"),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "teacher_model": "yes",
            "request_volume": "low",
            "latency_requirement": "relaxed",
        },
        frozenset({PE}),
        must=("use_the_larger_model", "switch_to_the_larger_model"),
    ),
    # --- 5. levers in order -----------------------------------------------------------------------------------
    AdviceScenario(
        "tone_problem_nobody_has_measured",
        "levers",
        "A support team wants a warmer tone but has not measured a prompt yet: measuring comes before "
        "collecting examples or funding training (every vendor: prompt baseline first).",
        ("OAI-FT", "AZ-FT", "GCP-TUNE"),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
            "labeled_examples": "lt_50",
            "format_style_consistency_need": "high",
        },
        frozenset({PE}),
        must=("eval_set_for_the_stakes", "measure_for_the_stakes"),
        max_level="medium",
    ),
    AdviceScenario(
        "wiki_bot_that_misstates_facts",
        "levers",
        "A wiki bot plateaued and misstates facts: no lever should lead to fine-tuning, which is for form, not "
        "facts (ANYSCALE-FF).",
        ("ANYSCALE-FF", "OVADIA", "OAI-ACC"),
        {"knowledge_need": "proprietary_or_large_corpus", "primary_failure_mode": "knowledge"},
        frozenset({RAG}),
        must=("knowledge_failures_are_not_for_fine_tuning",),
    ),
    # --- 6. evaluation rigour ---------------------------------------------------------------------------------
    AdviceScenario(
        "medication_interaction_checker",
        "evaluation",
        "A pharmacy checks drug interactions from its own formulary, where an error harms patients, and has "
        "measured nothing: no firm recommendation before an eval set sized to the stakes (OAI-ACC).",
        ("OAI-ACC", "HANLEY83"),
        {
            "accuracy_requirement": "critical",
            "knowledge_need": "proprietary_or_large_corpus",
            "citations_needed": "yes",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
            "labeled_examples": "lt_50",
        },
        frozenset({RAG}),
        must=(
            "eval_set_for_the_stakes",
            "measure_for_the_stakes_with_the_passages",
            "critical_accuracy_unmeasured",
        ),
        must_not=("8 of 10 real requests meet", "eval set of 20"),
        max_level="medium",
    ),
    AdviceScenario(
        "ten_thousand_labels_no_baseline",
        "evaluation",
        "An insurer has 10,000 labelled claims and has not prompted yet: hold out part of them as the eval "
        "set rather than write 20 new cases (OAI-ACC).",
        ("OAI-ACC", "OAI-FT"),
        {
            "task_type": "classify_extract",
            "knowledge_need": "none",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
            "labeled_examples": "5000_plus",
        },
        frozenset({PE, FT}),
        must=("hold_out_an_eval_set", "hold_out_and_measure"),
        must_not=("eval set of 20", "20 or more real cases"),
        max_level="medium",
    ),
    # --- 7. confidence words -----------------------------------------------------------------------------------
    AdviceScenario(
        "cited_weekly_corpus_measured",
        "confidence",
        "A compliance assistant over weekly-changing regulations, which must cite them; the baseline plateaued "
        "on facts: only retrieval is feasible, and a plausible slip changes nothing (LEWIS, MSL-OPT).",
        ("LEWIS", "MSL-OPT", "GCP-GROUND"),
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "knowledge_change_frequency": "weekly",
            "citations_needed": "yes",
            "primary_failure_mode": "knowledge",
            "labeled_examples": "lt_50",
        },
        frozenset({RAG}),
    ),
    # --- 8. no advice from a blank -----------------------------------------------------------------------------
    AdviceScenario(
        "knowledge_question_left_blank",
        "blanks",
        "A form half-answered: citations needed, facts changing weekly, but what knowledge the answers depend on "
        "is blank. Answer it first; name no retrieval until then.",
        ("OAI-ACC",),
        {"citations_needed": "yes", "knowledge_change_frequency": "weekly"},
        frozenset({PE, FT}),
        must=("answer_the_knowledge_question", "knowledge_unanswered"),
        must_not=("Index the documents",),
        removed=("knowledge_need",),
        max_level="medium",
    ),
    # --- 9. coherence -----------------------------------------------------------------------------------------
    AdviceScenario(
        "working_prompt_at_low_volume",
        "coherence",
        "Meeting summaries where prompting already meets the target at 300 a day: keep the prompt and guard it "
        "with evals (OAI-ACC: zero-shot often reaches production quality for summarisation).",
        ("OAI-ACC",),
        {
            "task_type": "generate",
            "knowledge_need": "none",
            "prompt_baseline": "meets_target",
            "primary_failure_mode": "none",
            "request_volume": "low",
        },
        frozenset({PE}),
        must=("keep_the_working_prompt", "primary_failure_mode.none_with_a_working_prompt"),
        must_not=("keep improving the prompt", "run evals on a prompt baseline to find out"),
    ),
    AdviceScenario(
        "invoice_fields_to_a_strict_schema",
        "coherence",
        "Invoice fields extracted to a strict JSON schema, plateaued on format with 3,000 labelled invoices: "
        "use structured outputs before training for the format (OAI-SO).",
        ("OAI-SO", "GCP-CGO", "BUCHER"),
        {
            "task_type": "classify_extract",
            "knowledge_need": "none",
            "format_style_consistency_need": "high",
            "request_volume": "high",
        },
        frozenset({FT}),
        must=("structured_outputs_first",),
    ),
    # --- 10. claims true to their sources ------------------------------------------------------------------
    AdviceScenario(
        "two_knowledge_bases_retrieval_only",
        "claims",
        "OpenAI's DevDay customer with two knowledge bases: 45% to 98% without fine-tuning, of which retrieval "
        "work took it to 85% and prompt work, a SQL tool and query expansion the rest (OAI-DD23).",
        ("OAI-DD23", "ANT-CR"),
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "knowledge_change_frequency": "monthly",
            "primary_failure_mode": "knowledge",
            "labeled_examples": "lt_50",
        },
        frozenset({RAG}),
        must=("retrieval_quality", "fix_retrieval_first"),
        must_not=("moved one OpenAI case from 45% to 98%", "49–67%"),
    ),
    # --- 12. what a senior reviewer of whole results still struck --------------------------------------------
    AdviceScenario(
        "policy_assistant_over_the_handbook",
        "reviewed",
        "HR answers staff questions from its own policy handbook, cited, before any prompt has been measured: "
        "retrieval is the destination whatever the baseline shows, so the first eval supplies the passages "
        "(OAI-ACC) and retrieval follows as a step, not a contingency (LEWIS).",
        ("OAI-ACC", "LEWIS", "HANLEY83"),
        {
            "knowledge_need": "proprietary_or_large_corpus",
            "knowledge_change_frequency": "monthly",
            "citations_needed": "yes",
            "prompt_baseline": "not_tried",
            "primary_failure_mode": "none",
            "labeled_examples": "lt_50",
        },
        frozenset({RAG}),
        must=("measure_for_the_stakes_with_the_passages", "retrieval_over_the_documents_the_answers_need"),
        must_not=("Then, if answers miss", "can change the plan"),
        max_level="medium",
    ),
    AdviceScenario(
        "ticket_router_with_twenty_thousand_labels",
        "reviewed",
        "A support desk routes 200,000 tickets a day under a second; a large model's prompt meets the target and "
        "20,000 routed tickets are labelled: a fine-tuned small encoder beats zero-shot large models at "
        "classification (BUCHER) and the large model can label more (HF-SYNTH).",
        ("BUCHER", "HF-SYNTH", "AWS-DISTILL"),
        {
            "task_type": "classify_extract",
            "knowledge_need": "none",
            "prompt_baseline": "meets_target",
            "primary_failure_mode": "none",
            "labeled_examples": "5000_plus",
            "teacher_model": "yes",
            "request_volume": "high",
            "latency_requirement": "strict",
            "ml_expertise": "strong",
        },
        frozenset({FT}),
        must=("small_classifier", "distil_the_teacher"),
        must_not=("SetFit fine-tunes", "when volume or latency makes"),
    ),
    AdviceScenario(
        "on_prem_contract_drafting_on_retrieved_clauses",
        "reviewed",
        "A law firm drafts contracts in its house style from its own clause library, on its own servers; evals "
        "show missing clauses and off-style drafts: retrieval it hosts, then one fine-tuning pilot on examples "
        "that include the retrieved clauses (RAFT).",
        ("RAFT", "OAI-ACC", "LORA"),
        {
            "task_type": "generate",
            "knowledge_need": "proprietary_or_large_corpus",
            "primary_failure_mode": "both",
            "domain_specificity": "high",
            "format_style_consistency_need": "high",
            "privacy_self_host": "yes",
            "teacher_model": "no",
            "compute_budget": "high",
            "ml_expertise": "strong",
        },
        frozenset({HYBRID}),
        must=("raft", "retrieval_you_host_before_tuning", "peft"),
        must_not=("against the prompt baseline", "managed"),
    ),
)

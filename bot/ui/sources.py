"""The documents behind the rules, as people read them: a short name that links to the source.

Rules cite the decision guide's bibliography by key ("OAI-ACC"); a key means nothing in Slack, so every source
the bot shows is its short name linking to the document. ``source_links`` and ``source_markdown`` are the only
ways the bot renders a source, so the table they read can move (to the engine's ``scoring.sources``) without
touching a builder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.ui.blocks import escape
from scoring.sources import SOURCES


@dataclass(frozen=True)
class Source:
    title: str  # as the decision guide cites it
    short: str  # what a message shows, linked
    url: str


def _arxiv(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


# From the decision guide's bibliography (§7, and §8 for the distillation and small-model evidence).
SOURCE_DETAILS: Final[dict[str, Source]] = {
    "OAI-FT": Source(
        "OpenAI, Fine-tuning guide",
        "OpenAI fine-tuning guide",
        "https://platform.openai.com/docs/guides/fine-tuning",
    ),
    "OAI-ACC": Source(
        "OpenAI, Optimizing LLMs for accuracy",
        "OpenAI accuracy guide",
        "https://platform.openai.com/docs/guides/optimizing-llm-accuracy",
    ),
    "OAI-DD23": Source(
        "OpenAI DevDay 2023, A Survey of Techniques for Maximizing LLM Performance",
        "OpenAI DevDay 2023 talk",
        "https://www.youtube.com/watch?v=ahnGLM-RC1Y",
    ),
    "OAI-BP": Source(
        "OpenAI, Fine-tuning best practices",
        "OpenAI fine-tuning best practices",
        "https://developers.openai.com/api/docs/guides/fine-tuning-best-practices",
    ),
    "OAI-DEP": Source(
        "OpenAI, Deprecations", "OpenAI deprecations", "https://developers.openai.com/api/docs/deprecations"
    ),
    "ANT-PE": Source(
        "Anthropic, Prompt engineering overview: when to prompt engineer",
        "Anthropic prompt engineering guide",
        "https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/overview",
    ),
    "ANT-FT": Source(
        "Anthropic, Fine-tuning for Claude 3 Haiku in Amazon Bedrock",
        "Anthropic on fine-tuning Claude 3 Haiku",
        "https://www.anthropic.com/news/fine-tune-claude-3-haiku-ga",
    ),
    "AZ-FT": Source(
        "Microsoft, When to use Azure OpenAI fine-tuning",
        "Azure fine-tuning guidance",
        "https://learn.microsoft.com/azure/ai-services/openai/concepts/fine-tuning-considerations",
    ),
    "MSL-OPT": Source(
        "Microsoft Learn, Optimize generative AI model performance",
        "Microsoft Learn: optimizing models",
        "https://learn.microsoft.com/training/modules/optimize-generative-ai-model-performance/",
    ),
    "MS-GAB": Source(
        "Microsoft, Generative AI for Beginners, lesson 18: Fine-Tuning Your LLM",
        "Generative AI for Beginners, lesson 18",
        "https://github.com/microsoft/generative-ai-for-beginners/tree/main/18-fine-tuning",
    ),
    "MS-LFTA": Source(
        "Microsoft, LLM-Fine-Tuning-Azure",
        "Microsoft LLM fine-tuning on Azure",
        "https://github.com/microsoft/LLM-Fine-Tuning-Azure",
    ),
    "GCP-TUNE": Source(
        "Google Cloud, Introduction to tuning",
        "Google Cloud: introduction to tuning",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/models/tune-models",
    ),
    "GCP-SFT": Source(
        "Google Cloud, About supervised fine-tuning for Gemini models",
        "Google Cloud: Gemini fine-tuning",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning",
    ),
    "GCP-GROUND": Source(
        "Google Cloud, Ground responses using RAG",
        "Google Cloud: grounding with RAG",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/grounding/ground-responses-using-rag",
    ),
    "AWS-NOVA": Source(
        "AWS, Fine-tuning Amazon Nova models",
        "AWS: fine-tuning Nova",
        "https://docs.aws.amazon.com/nova/latest/userguide/customize-fine-tune.html",
    ),
    "AWS-BLOG": Source(
        "AWS ML Blog, Model customization, RAG, or both: A case study with Amazon Nova",
        "AWS: customization, RAG or both",
        "https://aws.amazon.com/blogs/machine-learning/model-customization-rag-or-both-a-case-study-with-amazon-nova/",
    ),
    "MIS-FT": Source(
        "Mistral docs, Fine-tuning", "Mistral fine-tuning docs", "https://docs.mistral.ai/guides/finetuning"
    ),
    "COH": Source(
        "Cohere docs, Fine-tuning for Cohere's Chat Model",
        "Cohere fine-tuning docs",
        "https://docs.cohere.com/docs/chat-fine-tuning",
    ),
    "OVADIA": Source(
        "Ovadia et al., Fine-Tuning or Retrieval? Comparing Knowledge Injection in LLMs (EMNLP 2024)",
        "Ovadia et al. 2024",
        _arxiv("2312.05934"),
    ),
    "BALAGUER": Source(
        "Balaguer et al., RAG vs Fine-tuning: Pipelines, Tradeoffs, and a Case Study on Agriculture (2024)",
        "Balaguer et al. 2024",
        _arxiv("2401.08406"),
    ),
    "SOUDANI": Source(
        "Soudani et al., Fine Tuning vs. Retrieval Augmented Generation for Less Popular Knowledge "
        "(SIGIR-AP 2024)",
        "Soudani et al. 2024",
        _arxiv("2403.01432"),
    ),
    "FTBENCH": Source(
        "Wu et al., FineTuneBench: How well do commercial fine-tuning APIs infuse knowledge into LLMs? "
        "(2024)",
        "FineTuneBench 2024",
        _arxiv("2411.05059"),
    ),
    "GEKHMAN": Source(
        "Gekhman et al., Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations? (EMNLP 2024)",
        "Gekhman et al. 2024",
        _arxiv("2405.05904"),
    ),
    "RAFT": Source(
        "Zhang et al., RAFT: Adapting Language Model to Domain Specific RAG (2024)",
        "RAFT 2024",
        _arxiv("2403.10131"),
    ),
    "LEWIS": Source(
        "Lewis et al., Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks (NeurIPS 2020)",
        "Lewis et al. 2020",
        _arxiv("2005.11401"),
    ),
    "XU-LC": Source(
        "Xu et al., Retrieval meets Long Context Large Language Models (2023)",
        "Xu et al. 2023",
        _arxiv("2310.03025"),
    ),
    "LORA": Source(
        "Hu et al., LoRA: Low-Rank Adaptation of Large Language Models (ICLR 2022)",
        "LoRA 2022",
        _arxiv("2106.09685"),
    ),
    "QLORA": Source(
        "Dettmers et al., QLoRA: Efficient Finetuning of Quantized LLMs (NeurIPS 2023)",
        "QLoRA 2023",
        _arxiv("2305.14314"),
    ),
    "LLLF": Source(
        "Biderman et al., LoRA Learns Less and Forgets Less (TMLR 2024)",
        "LoRA Learns Less 2024",
        _arxiv("2405.09673"),
    ),
    "LORALAND": Source(
        "Zhao et al., LoRA Land: 310 Fine-tuned LLMs that Rival GPT-4 (2024)",
        "LoRA Land 2024",
        _arxiv("2405.00732"),
    ),
    "BUCHER": Source(
        "Bucher & Martini, Fine-Tuned 'Small' LLMs (Still) Significantly Outperform Zero-Shot Generative AI "
        "Models in Text Classification (2024)",
        "Bucher & Martini 2024",
        _arxiv("2406.08660"),
    ),
    "TFEW": Source(
        "Liu et al., Few-Shot Parameter-Efficient Fine-Tuning is Better and Cheaper than In-Context Learning "
        "(NeurIPS 2022)",
        "Liu et al. 2022",
        _arxiv("2205.05638"),
    ),
    "MOSBACH": Source(
        "Mosbach et al., Few-shot Fine-tuning vs. In-context Learning: A Fair Comparison and Evaluation "
        "(ACL Findings 2023)",
        "Mosbach et al. 2023",
        _arxiv("2305.16938"),
    ),
    "LESCAO": Source(
        "Le Scao & Rush, How Many Data Points is a Prompt Worth? (NAACL 2021)",
        "Le Scao & Rush 2021",
        _arxiv("2103.08493"),
    ),
    "MEDPROMPT": Source(
        "Nori et al., Can Generalist Foundation Models Outcompete Special-Purpose Tuning? (2023)",
        "Medprompt 2023",
        _arxiv("2311.16452"),
    ),
    "HOTZ": Source(
        "Hotz, RAG vs Finetuning: Which Is the Best Tool to Boost Your LLM Application? "
        "(Towards Data Science, 2023)",
        "Hotz 2023",
        "https://towardsdatascience.com/rag-vs-finetuning-which-is-the-best-tool-to-boost-your-llm-application-94654b1eaba7",
    ),
    "MANNING": Source(
        "Building Reliable AI Systems (Manning), ch. 5: Fine-tuning LLMs for improved performance",
        "Building Reliable AI Systems, ch. 5",
        "https://livebook.manning.com/learn/building-reliable-ai-systems/chapter-5",
    ),
    # §8: distillation, small models, managed retrieval.
    "AWS-DISTILL": Source(
        "Amazon Bedrock user guide, Prepare your training datasets for distillation",
        "Amazon Bedrock distillation guide",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-prepare-datasets.html",
    ),
    "OAI-DISTILL": Source(
        "OpenAI, Model Distillation in the API",
        "OpenAI model distillation",
        "https://openai.com/index/api-model-distillation/",
    ),
    "OAI-LAT": Source(
        "OpenAI, Latency optimization",
        "OpenAI latency guide",
        "https://platform.openai.com/docs/guides/latency-optimization",
    ),
    "DSS": Source(
        "Hsieh et al., Distilling Step-by-Step! (Findings of ACL 2023)",
        "Distilling Step-by-Step 2023",
        _arxiv("2305.02301"),
    ),
    "SETFIT": Source(
        "Tunstall et al., Efficient Few-Shot Learning Without Prompts (SetFit)",
        "SetFit 2022",
        _arxiv("2209.11055"),
    ),
    "HF-SYNTH": Source(
        "Hugging Face, Synthetic data: save money, time and carbon with open source",
        "Hugging Face on synthetic data",
        "https://huggingface.co/blog/synthetic-data-save-costs",
    ),
    "ANYSCALE-FF": Source(
        "Anyscale, Fine tuning is for form, not facts",
        "Anyscale: form, not facts",
        "https://www.anyscale.com/blog/fine-tuning-is-for-form-not-facts",
    ),
    "ANYSCALE-L2": Source(
        "Anyscale, Fine-Tuning Llama-2: A Comprehensive Case Study",
        "Anyscale Llama-2 case study",
        "https://www.anyscale.com/blog/fine-tuning-llama-2-a-comprehensive-case-study-for-tailoring-models-to-unique-applications",
    ),
    "MANYSHOT": Source(
        "Agarwal et al., Many-Shot In-Context Learning", "Many-shot ICL 2024", _arxiv("2404.11018")
    ),
    "LIMA": Source("Zhou et al., LIMA: Less Is More for Alignment", "LIMA 2023", _arxiv("2305.11206")),
    "GCP-GSEARCH": Source(
        "Google, Grounding with Google Search",
        "Gemini grounding with Search",
        "https://ai.google.dev/gemini-api/docs/grounding",
    ),
    "COH-RAG": Source(
        "Cohere docs, RAG Citations", "Cohere RAG citations", "https://docs.cohere.com/docs/rag-citations"
    ),
    "ANT-CR": Source(
        "Anthropic, Introducing Contextual Retrieval",
        "Anthropic contextual retrieval",
        "https://www.anthropic.com/news/contextual-retrieval",
    ),
    "CHIPNEMO": Source(
        "Liu et al., ChipNeMo: Domain-Adapted LLMs for Chip Design", "ChipNeMo 2023", _arxiv("2311.00176")
    ),
    "GORILLA": Source(
        "Patil et al., Gorilla: Large Language Model Connected with Massive APIs",
        "Gorilla 2023",
        _arxiv("2305.15334"),
    ),
    "OAI-MS": Source(
        "OpenAI customer story, Morgan Stanley",
        "OpenAI: Morgan Stanley",
        "https://openai.com/index/morgan-stanley/",
    ),
    "OAI-HARVEY": Source(
        "OpenAI customer story, Harvey", "OpenAI: Harvey", "https://openai.com/customer-stories/harvey"
    ),
    "DOORDASH": Source(
        "DoorDash Engineering, LLM-based Dasher support automation",
        "DoorDash support bot",
        "https://careers.doordash.com/blog/large-language-modules-based-dasher-support-automation/",
    ),
    "REPLIT": Source(
        "Replit, Building LLMs for Code Repair", "Replit code repair", "https://blog.replit.com/code-repair"
    ),
}


def source_for(key: str) -> Source | None:
    return SOURCE_DETAILS.get(key)


def source_link(key: str) -> str:
    """One source in mrkdwn: its short name linking to the document.

    A key only a team's own policy knows (no URL here) shows its title, or the key, unlinked.
    """
    source = source_for(key)
    if source is None:
        return escape(SOURCES.get(key, key))
    return f"<{source.url}|{escape(source.short)}>"


def source_links(keys: Iterable[str], limit: int | None = None) -> str:
    """Several sources in mrkdwn, separated by middle dots; the first ``limit`` of them."""
    shown = list(dict.fromkeys(keys))
    if limit is not None:
        shown = shown[:limit]
    return " · ".join(source_link(key) for key in shown)


def source_titled_link(key: str) -> str:
    """One source with its full title, linked: for lists of the evidence."""
    source = source_for(key)
    if source is None:
        return escape(SOURCES.get(key, key))
    return f"<{source.url}|{escape(source.title)}>"


def source_markdown(key: str) -> str:
    """One source as a Markdown link with its full title, for the exported decision record."""
    source = source_for(key)
    if source is None:
        return SOURCES.get(key, key)
    return f"[{source.title}]({source.url})"

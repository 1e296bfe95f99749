"""The decision guide's bibliography (§7 and §8): every source key a rule, gate, cap or note may cite.

``SOURCE_DETAILS`` is the structured table: a title, a short readable name for people ("OpenAI accuracy
guide", "Ovadia et al. 2024") and a URL, so every interface can link what it cites. Papers link to their
arXiv abstract page. ``SOURCES`` is the same table as key → title, kept for readers that only need the title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    short: str
    url: str


def _arxiv(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


_TABLE: Final[tuple[Source, ...]] = (
    # --- Vendor guidance (§7) -----------------------------------------------------------------------------
    Source(
        "OAI-FT",
        "OpenAI, Fine-tuning guide",
        "OpenAI fine-tuning guide",
        "https://platform.openai.com/docs/guides/fine-tuning",
    ),
    Source(
        "OAI-ACC",
        "OpenAI, Optimizing LLMs for accuracy",
        "OpenAI accuracy guide",
        "https://platform.openai.com/docs/guides/optimizing-llm-accuracy",
    ),
    Source(
        "OAI-DD23",
        "OpenAI DevDay 2023, A Survey of Techniques for Maximizing LLM Performance",
        "OpenAI DevDay 2023 talk",
        "https://www.youtube.com/watch?v=ahnGLM-RC1Y",
    ),
    Source(
        "OAI-BP",
        "OpenAI, Fine-tuning best practices",
        "OpenAI fine-tuning best practices",
        "https://developers.openai.com/api/docs/guides/fine-tuning-best-practices",
    ),
    Source(
        "OAI-DEP",
        "OpenAI, Deprecations",
        "OpenAI deprecations",
        "https://developers.openai.com/api/docs/deprecations",
    ),
    Source(
        "ANT-PE",
        "Anthropic, Prompt engineering overview: when to prompt engineer",
        "Anthropic prompt engineering guide",
        "https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/overview",
    ),
    Source(
        "ANT-FT",
        "Anthropic, Fine-tuning for Claude 3 Haiku in Amazon Bedrock",
        "Anthropic Haiku fine-tuning",
        "https://www.anthropic.com/news/fine-tune-claude-3-haiku-ga",
    ),
    Source(
        "AZ-FT",
        "Microsoft, When to use Azure OpenAI fine-tuning",
        "Azure fine-tuning considerations",
        "https://learn.microsoft.com/azure/ai-services/openai/concepts/fine-tuning-considerations",
    ),
    Source(
        "MSL-OPT",
        "Microsoft Learn, Optimize generative AI model performance",
        "Microsoft Learn optimisation module",
        "https://learn.microsoft.com/training/modules/optimize-generative-ai-model-performance/",
    ),
    Source(
        "MS-GAB",
        "Microsoft, Generative AI for Beginners, lesson 18",
        "Generative AI for Beginners",
        "https://github.com/microsoft/generative-ai-for-beginners/tree/main/18-fine-tuning",
    ),
    Source(
        "MS-LFTA",
        "microsoft/LLM-Fine-Tuning-Azure",
        "Microsoft LLM-Fine-Tuning-Azure",
        "https://github.com/microsoft/LLM-Fine-Tuning-Azure",
    ),
    Source(
        "GCP-TUNE",
        "Google Cloud, Introduction to tuning",
        "Google Vertex AI tuning guide",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/models/tune-models",
    ),
    Source(
        "GCP-SFT",
        "Google Cloud, About supervised fine-tuning for Gemini models",
        "Google supervised fine-tuning guide",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning",
    ),
    Source(
        "GCP-GROUND",
        "Google Cloud, Ground responses using RAG",
        "Google grounding guide",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/grounding/ground-responses-using-rag",
    ),
    Source(
        "AWS-NOVA",
        "AWS, Fine-tuning Amazon Nova models",
        "AWS Nova fine-tuning guide",
        "https://docs.aws.amazon.com/nova/latest/userguide/customize-fine-tune.html",
    ),
    Source(
        "AWS-BLOG",
        "AWS ML Blog, Model customization, RAG, or both",
        "AWS Nova case study",
        "https://aws.amazon.com/blogs/machine-learning/model-customization-rag-or-both-a-case-study-with-amazon-nova/",
    ),
    Source(
        "MIS-FT",
        "Mistral docs, Fine-tuning",
        "Mistral fine-tuning docs",
        "https://docs.mistral.ai/guides/finetuning",
    ),
    Source(
        "COH",
        "Cohere docs, Fine-tuning for Cohere's Chat Model",
        "Cohere fine-tuning docs",
        "https://docs.cohere.com/docs/chat-fine-tuning",
    ),
    # --- Research (§7) ------------------------------------------------------------------------------------
    Source(
        "OVADIA",
        "Ovadia et al., Fine-Tuning or Retrieval? (EMNLP 2024)",
        "Ovadia et al. 2024",
        _arxiv("2312.05934"),
    ),
    Source(
        "BALAGUER",
        "Balaguer et al., RAG vs Fine-tuning: a case study on agriculture (2024)",
        "Balaguer et al. 2024",
        _arxiv("2401.08406"),
    ),
    Source(
        "SOUDANI",
        "Soudani et al., Fine Tuning vs. RAG for Less Popular Knowledge (SIGIR-AP 2024)",
        "Soudani et al. 2024",
        _arxiv("2403.01432"),
    ),
    Source(
        "FTBENCH", "Wu et al., FineTuneBench (2024)", "Wu et al. 2024 (FineTuneBench)", _arxiv("2411.05059")
    ),
    Source(
        "GEKHMAN",
        "Gekhman et al., Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations? (2024)",
        "Gekhman et al. 2024",
        _arxiv("2405.05904"),
    ),
    Source(
        "RAFT",
        "Zhang et al., RAFT: Adapting Language Model to Domain Specific RAG (2024)",
        "Zhang et al. 2024 (RAFT)",
        _arxiv("2403.10131"),
    ),
    Source(
        "LEWIS",
        "Lewis et al., Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks (NeurIPS 2020)",
        "Lewis et al. 2020",
        _arxiv("2005.11401"),
    ),
    Source(
        "XU-LC",
        "Xu et al., Retrieval meets Long Context LLMs (2023)",
        "Xu et al. 2023",
        _arxiv("2310.03025"),
    ),
    Source("LORA", "Hu et al., LoRA (ICLR 2022)", "Hu et al. 2022 (LoRA)", _arxiv("2106.09685")),
    Source(
        "QLORA", "Dettmers et al., QLoRA (NeurIPS 2023)", "Dettmers et al. 2023 (QLoRA)", _arxiv("2305.14314")
    ),
    Source(
        "LLLF",
        "Biderman et al., LoRA Learns Less and Forgets Less (TMLR 2024)",
        "Biderman et al. 2024",
        _arxiv("2405.09673"),
    ),
    Source("LORALAND", "Zhao et al., LoRA Land (2024)", "Zhao et al. 2024 (LoRA Land)", _arxiv("2405.00732")),
    Source(
        "BUCHER",
        "Bucher & Martini, Fine-Tuned 'Small' LLMs (Still) Outperform Zero-Shot Models (2024)",
        "Bucher & Martini 2024",
        _arxiv("2406.08660"),
    ),
    Source(
        "TFEW",
        "Liu et al., Few-Shot PEFT is Better and Cheaper than In-Context Learning (NeurIPS 2022)",
        "Liu et al. 2022 (T-Few)",
        _arxiv("2205.05638"),
    ),
    Source(
        "MOSBACH",
        "Mosbach et al., Few-shot Fine-tuning vs. In-context Learning (ACL Findings 2023)",
        "Mosbach et al. 2023",
        _arxiv("2305.16938"),
    ),
    Source(
        "LESCAO",
        "Le Scao & Rush, How Many Data Points is a Prompt Worth? (NAACL 2021)",
        "Le Scao & Rush 2021",
        _arxiv("2103.08493"),
    ),
    Source(
        "MEDPROMPT",
        "Nori et al., Can Generalist Foundation Models Outcompete Special-Purpose Tuning? (2023)",
        "Nori et al. 2023 (Medprompt)",
        _arxiv("2311.16452"),
    ),
    # --- Practitioners (§7) -------------------------------------------------------------------------------
    Source(
        "HOTZ",
        "Hotz, RAG vs Finetuning (Towards Data Science, 2023)",
        "Hotz 2023",
        "https://towardsdatascience.com/rag-vs-finetuning-which-is-the-best-tool-to-boost-your-llm-application-94654b1eaba7",
    ),
    Source(
        "MANNING",
        "Building Reliable AI Systems (Manning), the fine-tuning chapter",
        "Building Reliable AI Systems (Manning)",
        "https://livebook.manning.com/learn/building-reliable-ai-systems/chapter-5",
    ),
    # --- Additions (§8) -----------------------------------------------------------------------------------
    Source(
        "AWS-DISTILL",
        "Amazon Bedrock, Prepare your training datasets for distillation",
        "Amazon Bedrock distillation guide",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-prepare-datasets.html",
    ),
    Source(
        "OAI-DISTILL",
        "OpenAI, Model Distillation in the API",
        "OpenAI model distillation",
        "https://openai.com/index/api-model-distillation/",
    ),
    Source(
        "OAI-LAT",
        "OpenAI, Latency optimization",
        "OpenAI latency guide",
        "https://platform.openai.com/docs/guides/latency-optimization",
    ),
    Source(
        "DSS",
        "Hsieh et al., Distilling Step-by-Step! (Findings of ACL 2023)",
        "Hsieh et al. 2023",
        _arxiv("2305.02301"),
    ),
    Source(
        "SETFIT",
        "Tunstall et al., Efficient Few-Shot Learning Without Prompts (SetFit, 2022)",
        "Tunstall et al. 2022 (SetFit)",
        _arxiv("2209.11055"),
    ),
    Source(
        "HF-SYNTH",
        "Hugging Face, Synthetic data: save money, time and carbon with open source",
        "Hugging Face synthetic data post",
        "https://huggingface.co/blog/synthetic-data-save-costs",
    ),
    Source(
        "ANYSCALE-FF",
        "Anyscale, Fine tuning is for form, not facts",
        "Anyscale: form, not facts",
        "https://www.anyscale.com/blog/fine-tuning-is-for-form-not-facts",
    ),
    Source(
        "ANYSCALE-L2",
        "Anyscale, Fine-Tuning Llama-2: A Comprehensive Case Study",
        "Anyscale Llama-2 case study",
        "https://www.anyscale.com/blog/fine-tuning-llama-2-a-comprehensive-case-study-for-tailoring-models-to-unique-applications",
    ),
    Source(
        "MANYSHOT",
        "Agarwal et al., Many-Shot In-Context Learning (2024)",
        "Agarwal et al. 2024",
        _arxiv("2404.11018"),
    ),
    Source(
        "LIMA",
        "Zhou et al., LIMA: Less Is More for Alignment (2023)",
        "Zhou et al. 2023",
        _arxiv("2305.11206"),
    ),
    Source(
        "GCP-GSEARCH",
        "Google, Grounding with Google Search (Gemini API)",
        "Google Search grounding",
        "https://ai.google.dev/gemini-api/docs/grounding",
    ),
    Source(
        "COH-RAG",
        "Cohere docs, RAG Citations",
        "Cohere RAG citations",
        "https://docs.cohere.com/docs/rag-citations",
    ),
    Source(
        "ANT-CR",
        "Anthropic, Introducing Contextual Retrieval",
        "Anthropic contextual retrieval",
        "https://www.anthropic.com/news/contextual-retrieval",
    ),
    Source(
        "CHIPNEMO",
        "Liu et al., ChipNeMo: Domain-Adapted LLMs for Chip Design (2023)",
        "Liu et al. 2023 (ChipNeMo)",
        _arxiv("2311.00176"),
    ),
    Source(
        "GORILLA",
        "Patil et al., Gorilla: Large Language Model Connected with Massive APIs (2023)",
        "Patil et al. 2023 (Gorilla)",
        _arxiv("2305.15334"),
    ),
    Source(
        "OAI-MS",
        "OpenAI customer story, Morgan Stanley",
        "OpenAI: Morgan Stanley",
        "https://openai.com/index/morgan-stanley/",
    ),
    Source(
        "OAI-HARVEY",
        "OpenAI customer story, Harvey",
        "OpenAI: Harvey",
        "https://openai.com/customer-stories/harvey",
    ),
    Source(
        "DOORDASH",
        "DoorDash Engineering, LLM-based Dasher support automation",
        "DoorDash support automation",
        "https://careers.doordash.com/blog/large-language-modules-based-dasher-support-automation/",
    ),
    Source(
        "REPLIT",
        "Replit, Building LLMs for Code Repair",
        "Replit code repair",
        "https://blog.replit.com/code-repair",
    ),
    # --- Added with the advice review: structured outputs, before training for a format ------------------
    Source(
        "OAI-SO",
        "OpenAI, Structured Outputs",
        "OpenAI structured outputs guide",
        "https://platform.openai.com/docs/guides/structured-outputs",
    ),
    Source(
        "GCP-CGO",
        "Google Cloud, Control generated output (structured output)",
        "Google structured output guide",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/control-generated-output",
    ),
    # --- Added with the claims check: services a team can use today, and the arithmetic of eval sets ------
    Source(
        "AWS-FT",
        "Amazon Bedrock user guide, Customize a model with fine-tuning",
        "Amazon Bedrock fine-tuning guide",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-fine-tuning.html",
    ),
    Source(
        "AWS-KB",
        "Amazon Bedrock user guide, Knowledge Bases: how retrieval works",
        "Amazon Bedrock Knowledge Bases",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/kb-how-retrieval.html",
    ),
    Source(
        "AZ-FOUNDRY-FT",
        "Microsoft, Fine-tuning in Microsoft Foundry (overview)",
        "Microsoft Foundry fine-tuning",
        "https://learn.microsoft.com/azure/foundry/fine-tuning/overview",
    ),
    Source(
        "AZ-FIQ",
        "Microsoft, Azure AI Search tool and Foundry IQ knowledge bases",
        "Azure AI Search with Foundry IQ",
        "https://learn.microsoft.com/azure/foundry/agents/how-to/tools/ai-search",
    ),
    Source(
        "PGVECTOR",
        "pgvector: open-source vector similarity search for Postgres",
        "pgvector",
        "https://github.com/pgvector/pgvector",
    ),
    Source(
        "OPENSEARCH-KNN",
        "OpenSearch documentation, Vector search",
        "OpenSearch vector search",
        "https://docs.opensearch.org/docs/latest/vector-search/",
    ),
    Source(
        "QDRANT",
        "Qdrant: vector similarity search engine and database",
        "Qdrant",
        "https://github.com/qdrant/qdrant",
    ),
    Source(
        "SBERT",
        "sentence-transformers: embeddings and rerankers",
        "sentence-transformers",
        "https://github.com/huggingface/sentence-transformers",
    ),
    Source(
        "HANLEY83",
        "Hanley & Lippman-Hand, If Nothing Goes Wrong, Is Everything All Right? (JAMA 1983)",
        "Hanley & Lippman-Hand 1983",
        "https://doi.org/10.1001/jama.1983.03330370053031",
    ),
    Source(
        "CLOPPER34",
        "Clopper & Pearson, The Use of Confidence or Fiducial Limits (Biometrika 1934)",
        "Clopper & Pearson 1934",
        "https://doi.org/10.1093/biomet/26.4.404",
    ),
    Source(
        "VLLM-SO",
        "vLLM documentation, Structured Outputs",
        "vLLM structured outputs",
        "https://docs.vllm.ai/en/stable/features/structured_outputs/",
    ),
)

SOURCE_DETAILS: Final[dict[str, Source]] = {source.key: source for source in _TABLE}
SOURCES: Final[dict[str, str]] = {source.key: source.title for source in _TABLE}

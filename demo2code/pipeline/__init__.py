"""The Demo2Code pipeline: recursive summarization, recursive expansion, and the methods
built from them. `synthesize` and `summarize` are the library calls behind the commands."""

from demo2code.pipeline.expand import Expansion, expand
from demo2code.pipeline.methods import (
    METHODS,
    Method,
    get_method,
    scenario_texts,
    summarize,
    synthesize,
)
from demo2code.pipeline.records import Limits, ScenarioSummary, StageRecord, Synthesis
from demo2code.pipeline.runner import Runner
from demo2code.pipeline.summarize import BudgetError, Summarizer, chunk_text, split_blocks

__all__ = [
    "METHODS",
    "BudgetError",
    "Expansion",
    "Limits",
    "Method",
    "Runner",
    "ScenarioSummary",
    "StageRecord",
    "Summarizer",
    "Synthesis",
    "chunk_text",
    "expand",
    "get_method",
    "scenario_texts",
    "split_blocks",
    "summarize",
    "synthesize",
]

"""Measuring generated code: sandboxed episodes, unit tests, BLEU/CodeBLEU, resumable run
directories, summaries, reports and plots. `evaluate` is the library call behind `eval`."""

from demo2code.evaluation.episodes import EpisodeResult, run_episode
from demo2code.evaluation.harness import EvalResult, evaluate
from demo2code.evaluation.metrics import BLEU_SETTINGS, bleu, code_tokens, codebleu

__all__ = [
    "BLEU_SETTINGS",
    "EpisodeResult",
    "EvalResult",
    "bleu",
    "code_tokens",
    "codebleu",
    "evaluate",
    "run_episode",
]

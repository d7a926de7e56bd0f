"""The LLM reasoner: fills the stage's template from `prompts/<benchmark>/<stage>.txt`,
asks the model, and turns the answer into a `StageAnswer`.

Templates are plain text with markers replaced in one pass (text inserted is never scanned
again, so braces in code are safe): `{name}` for a stage value, `{api}` for the benchmark's
API reference, and examples read from `prompts/<benchmark>/examples/<file>.py`:
`{example:file}` (the whole program), `{example_main:file}` (its statements outside
functions), `{example_def:file:function}` (one function). A marker the stage does not know
is an error, so a typo in a template cannot reach the model.

Answer formats: summaries end with a line `Summarized enough: yes|no` (missing means no: the
pipeline's depth limit ends the recursion); code answers hold a ```python block (see
`codegen.extract_code`). An empty answer, or code that is missing or does not parse, is
asked for again once with a short correction; a second failure raises GenerationFailed.
"""

from __future__ import annotations

import ast
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code import codegen, pyparse
from demo2code.errors import InputError
from demo2code.llm.client import ChatClient, Completion
from demo2code.paths import prompts_dir
from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext

STAGES: dict[str, frozenset[str]] = {
    "summarize_step": frozenset({"text", "level", "next_level"}),
    "specify": frozenset({"summaries", "instruction"}),
    "write_code": frozenset({"api", "spec"}),
    "define": frozenset({"api", "signature", "name", "program"}),
    "code_from_demos": frozenset({"api", "demos", "instruction"}),
    "spec_from_demos": frozenset({"demos", "instruction"}),
    "low_level_actions": frozenset({"text"}),
    "repair": frozenset({"api", "program", "failure"}),
}
CODE_STAGES = frozenset({"write_code", "define", "code_from_demos", "repair"})
NO_INSTRUCTION = "(No instruction is given: infer the task from the demonstrations alone.)"

_MARKER = re.compile(r"\{(example(?:_main|_def)?:[A-Za-z0-9_.:-]+|[a-z_]+)\}")
_ENOUGH = re.compile(
    r"^[\s*#>_-]*summari[sz]ed enough[\s*_]*:?[\s*_]*(yes|no)\b.*$", re.IGNORECASE | re.MULTILINE
)


class AnswerFailed(GenerationFailed):
    """GenerationFailed that keeps the raw answer and what the failed calls cost."""

    def __init__(self, message: str, text: str, calls: int, prompt: int, completion: int):
        super().__init__(message)
        self.text, self.calls = text, calls
        self.prompt_tokens, self.completion_tokens = prompt, completion


def parse_summary(text: str) -> tuple[str, bool]:
    """(summary without the verdict line, done?). The last verdict line counts."""
    matches = list(_ENOUGH.finditer(text))
    if not matches:
        return text.strip(), False
    last = matches[-1]
    done = last.group(1).lower() == "yes"
    body = _ENOUGH.sub("", text)
    return body.strip(), done


def _split_example(source: str) -> tuple[dict[str, str], str]:
    """Functions and main statements of an example, keeping the file's own text."""
    tree = pyparse.parse(source)
    lines = source.splitlines()
    defs: dict[str, str] = {}
    main: list[str] = []
    for node in tree.body:
        start = node.lineno - 1
        if isinstance(node, ast.FunctionDef):
            start -= len(node.decorator_list)
        chunk = "\n".join(lines[start : node.end_lineno])
        if isinstance(node, ast.FunctionDef):
            defs[node.name] = chunk
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            main.append(chunk)  # a module docstring is not part of the main body
    return defs, "\n".join(main)


@dataclass
class Templates:
    """Loads, checks and fills the templates of one prompts folder."""

    root: Path
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def raw(self, benchmark: str, stage: str) -> str:
        key = (benchmark, stage)
        with self._lock:
            if key not in self._cache:
                path = self.root / benchmark / f"{stage}.txt"
                try:
                    self._cache[key] = path.read_text(encoding="utf-8")
                except FileNotFoundError:
                    raise InputError(str(path), "file", f"a prompt template for {stage}") from None
            return self._cache[key]

    def system(self, benchmark: str) -> str | None:
        path = self.root / benchmark / "system.txt"
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None

    def example(self, benchmark: str, marker: str) -> str:
        kind, _, rest = marker.partition(":")
        name, _, function = rest.partition(":")
        path = self.root / benchmark / "examples" / f"{name}.py"
        try:
            source = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(str(path), "file", f"the example named by {{{marker}}}") from None
        if kind == "example":
            return source.strip()
        defs, main = _split_example(source)
        if kind == "example_main":
            return main
        if function not in defs:
            raise InputError(str(path), function or "function", f"a function for {{{marker}}}")
        return defs[function]

    def markers(self, benchmark: str, stage: str) -> list[str]:
        return _MARKER.findall(self.raw(benchmark, stage))

    def fill(self, benchmark: str, stage: str, values: dict[str, str]) -> str:
        template = self.raw(benchmark, stage)
        allowed = STAGES[stage]
        path = self.root / benchmark / f"{stage}.txt"

        def replace(match: re.Match[str]) -> str:
            marker = match.group(1)
            if marker.startswith("example"):
                return self.example(benchmark, marker)
            if marker not in allowed:
                raise InputError(str(path), f"{{{marker}}}", f"one of {sorted(allowed)}")
            return values[marker]

        return _MARKER.sub(replace, template)


class PromptedReasoner:
    """Answers every stage with the model behind `client`."""

    name = "prompted"

    def __init__(self, client: ChatClient, prompts_root: Path | None = None):
        self.client = client
        self.templates = Templates(Path(prompts_root) if prompts_root else prompts_dir())

    # --- the stages -------------------------------------------------------------------------
    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        values = {"text": text, "level": str(level), "next_level": str(level + 1)}
        return self._ask(ctx, "summarize_step", values)

    def specify(
        self, ctx: StageContext, summaries: list[str], instruction: str | None
    ) -> StageAnswer:
        values = {"summaries": _numbered(summaries), "instruction": instruction or NO_INSTRUCTION}
        return self._ask(ctx, "specify", values)

    def write_code(self, ctx: StageContext, spec: str) -> StageAnswer:
        return self._ask(ctx, "write_code", {"api": ctx.api_reference, "spec": spec})

    def define(self, ctx: StageContext, signature: str, program_so_far: str) -> StageAnswer:
        values = {
            "api": ctx.api_reference,
            "signature": signature,
            "name": signature.split("(", 1)[0].strip(),
            "program": program_so_far.strip(),
        }
        return self._ask(ctx, "define", values)

    def code_from_demos(
        self, ctx: StageContext, demos: list[str], instruction: str | None
    ) -> StageAnswer:
        values = {
            "api": ctx.api_reference,
            "demos": "\n".join(demos),
            "instruction": instruction or NO_INSTRUCTION,
        }
        return self._ask(ctx, "code_from_demos", values)

    def spec_from_demos(
        self, ctx: StageContext, demos: list[str], instruction: str | None
    ) -> StageAnswer:
        values = {"demos": "\n".join(demos), "instruction": instruction or NO_INSTRUCTION}
        return self._ask(ctx, "spec_from_demos", values)

    def low_level_actions(self, ctx: StageContext, text: str) -> StageAnswer:
        return self._ask(ctx, "low_level_actions", {"text": text})

    def repair(self, ctx: StageContext, program: str, failure: str) -> StageAnswer:
        """The program and the self-check's words only: no test seed, test or reference."""
        values = {"api": ctx.api_reference, "program": program.strip(), "failure": failure}
        return self._ask(ctx, "repair", values)

    # --- asking and checking ----------------------------------------------------------------
    def messages(self, ctx: StageContext, stage: str, values: dict[str, str]) -> list[dict]:
        """The chat messages for one stage (public so tests and tools can inspect them)."""
        out: list[dict[str, Any]] = []
        system = self.templates.system(ctx.benchmark)
        if system:
            out.append({"role": "system", "content": system})
        out.append({"role": "user", "content": self.templates.fill(ctx.benchmark, stage, values)})
        return out

    def _ask(self, ctx: StageContext, stage: str, values: dict[str, str]) -> StageAnswer:
        messages = self.messages(ctx, stage, values)
        spent: list[Completion] = []
        problem = ""
        for attempt in range(2):
            completion = self.client.complete(messages, stage)
            spent.append(completion)
            answer, problem = self._interpret(stage, values, completion.text)
            if answer is not None:
                return StageAnswer(
                    text=answer.text,
                    done=answer.done,
                    code=answer.code,
                    calls=len(spent),
                    prompt_tokens=sum(c.prompt_tokens for c in spent),
                    completion_tokens=sum(c.completion_tokens for c in spent),
                    cached=all(c.cached for c in spent),
                    extra={"retried": attempt > 0, "problem": problem} if attempt else {},
                )
            messages = [
                *messages,
                {"role": "assistant", "content": completion.text},
                {"role": "user", "content": problem + " " + _FORMAT_HINT[stage]},
            ]
        raise AnswerFailed(
            f"{stage}: {problem} (after one corrective retry)",
            spent[-1].text,
            len(spent),
            sum(c.prompt_tokens for c in spent),
            sum(c.completion_tokens for c in spent),
        )

    @staticmethod
    def _interpret(stage: str, values: dict[str, str], text: str) -> tuple[StageAnswer | None, str]:
        """(answer, "") when usable, else (None, what is wrong in one sentence)."""
        if not text.strip():
            return None, "Your answer was empty."
        if stage == "summarize_step":
            body, done = parse_summary(text)
            if not body:
                return None, "Your answer held no summary."
            return StageAnswer(text=body, done=done), ""
        if stage not in CODE_STAGES:
            return StageAnswer(text=text.strip()), ""
        code = codegen.extract_code(text)
        if code is None:
            return None, "Your answer contained no Python code."
        try:
            pyparse.parse(code)
        except SyntaxError as err:
            return None, f"The code in your answer does not parse ({err.msg}, line {err.lineno})."
        if stage == "define":
            name = values["name"]
            if name not in codegen.defined_functions(code):
                return None, f"Your answer does not define the function `{name}`."
        return StageAnswer(text=text, code=code), ""


_CODE_HINT = "Answer again with only the Python code in one ```python block."
_FORMAT_HINT = {
    "summarize_step": "Answer again: the summary, then a last line `Summarized enough: yes` "
    "or `Summarized enough: no`.",
    "specify": "Answer again with the specification.",
    "spec_from_demos": "Answer again with the specification.",
    "low_level_actions": "Answer again with the list of low-level actions.",
    "write_code": _CODE_HINT,
    "define": _CODE_HINT,
    "code_from_demos": _CODE_HINT,
    "repair": _CODE_HINT,
}


def _numbered(summaries: list[str]) -> str:
    return "\n\n".join(f"[Scenario {i}]\n{s.strip()}" for i, s in enumerate(summaries, start=1))

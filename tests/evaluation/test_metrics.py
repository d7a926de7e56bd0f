"""BLEU tokenization and scores, CodeBLEU, on the paper's recipe (docs/architecture.md#scoring)."""

from __future__ import annotations

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation.metrics import BLEU_SETTINGS, bleu, code_tokens, codebleu

PROGRAM = """\
patty = get_unused_obj('patty', used_objs)
say("I will cook the patty now")
cook_obj(patty)
while not is_cooked(patty):
    noop()
"""


def test_tokens_split_on_spaces_quotes_and_newlines() -> None:
    tokens = code_tokens("x = f('a b', \"c\")\n  y")
    assert tokens == ["x", "=", "f(", "a", "b", ",", "c", ")", "y"]


def test_say_lines_are_dropped_before_tokenizing() -> None:
    tokens = code_tokens(PROGRAM)
    assert "say(" not in " ".join(tokens)
    assert "I" not in tokens and "cook_obj(patty)" in tokens


def test_identical_programs_score_one() -> None:
    assert bleu(PROGRAM, PROGRAM) == 1.0
    assert codebleu(PROGRAM, PROGRAM) == pytest.approx(1.0)


def test_say_lines_do_not_change_bleu() -> None:
    without_say = "\n".join(line for line in PROGRAM.splitlines() if "say(" not in line)
    assert bleu(without_say, PROGRAM) == 1.0
    assert bleu(PROGRAM.replace("cook the patty", "do something else"), PROGRAM) == 1.0


def test_different_programs_score_below_one() -> None:
    changed = PROGRAM.replace("cook_obj(patty)", "cut_obj(patty)").replace("noop()", "wait()")
    assert 0.0 < bleu(changed, PROGRAM) < 1.0
    assert 0.0 < codebleu(changed, PROGRAM) < 1.0
    unrelated = "for i in range(3):\n    print(i)\n"
    assert bleu(unrelated, PROGRAM) < bleu(changed, PROGRAM)
    assert codebleu(unrelated, PROGRAM) < codebleu(changed, PROGRAM)


def test_missing_program_scores_zero() -> None:
    assert bleu(None, PROGRAM) == 0.0
    assert codebleu(None, PROGRAM) == 0.0
    assert bleu("", PROGRAM) == 0.0


def test_every_robotouille_reference_scores_one_against_itself() -> None:
    bench = get_benchmark("robotouille")
    tasks = bench.tasks()
    assert tasks
    for task in tasks:
        code = bench.reference_code(task)
        assert bleu(code, code) == 1.0, task.id
        assert codebleu(code, code) == pytest.approx(1.0), task.id


def test_settings_name_the_recipe() -> None:
    assert BLEU_SETTINGS["tokenize"] == "none"
    assert "say(" in BLEU_SETTINGS["pre_tokenization"]


_PAIR = """
import json, sys
from demo2code.benchmarks import get_benchmark
from demo2code.evaluation.metrics import codebleu, library_names, task_code
bench = get_benchmark("robotouille")
first, second = [bench.reference_code(t) for t in list(bench.tasks())[:2]]
lib = library_names("robotouille")
pair = (task_code(first, lib), task_code(second, lib))
if sys.argv[1] == "library":
    from codebleu import calc_codebleu
    print(json.dumps(calc_codebleu([pair[1]], [pair[0]], lang="python")["codebleu"]))
else:
    print(json.dumps(codebleu(*pair)))
"""


def _in_process(hash_seed: str, how: str) -> float:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _PAIR, how], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-1000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_codebleu_is_the_same_whatever_the_process_hash_seed() -> None:
    """The library's data-flow score follows set order, so its raw figure for this pair moves
    with the hash seed; ours is the library's figure at PYTHONHASHSEED=0 in every process."""
    raw = {seed: _in_process(seed, "library") for seed in ("0", "1", "2", "3")}
    assert len(set(raw.values())) > 1  # the pair really is sensitive to the seed
    ours = {seed: _in_process(seed, "ours") for seed in ("1", "2", "3")}
    assert set(ours.values()) == {round(raw["0"], 6)}

"""The rules behind the figures: BLEU/CodeBLEU edge cases (metrics.py) and the averaging of
rows into variant, group and overall numbers (summary.py). Expected values by hand."""

from __future__ import annotations

import math

import pytest

from demo2code.benchmarks.base import TaskVariant
from demo2code.evaluation import metrics, summary
from demo2code.evaluation.metrics import bleu, code_tokens, codebleu, similarity

# --- metrics --------------------------------------------------------------------------------


def test_tokens_split_on_space_quotes_and_newline_but_not_tabs():
    assert code_tokens("a  'b'\"c\"\nd\te") == ["a", "b", "c", "d\te"]


def test_tokens_drop_every_line_containing_say_call():
    assert code_tokens("x = 1\n  say('hi')\ny = 2 # say( too\nz") == ["x", "=", "1", "z"]


def test_short_hypothesis_against_long_reference_gets_brevity_penalty():
    # Hypothesis: 4 tokens, all n-grams (n=1..4) present in the 8-token reference, so every
    # precision is 1. Brevity penalty exp(1 - 8/4) = exp(-1) = 0.36787944...; rounded to 6.
    assert bleu("a b c d", "a b c d e f g h") == round(math.exp(-1), 6) == 0.367879


def test_long_hypothesis_against_short_reference_has_no_brevity_penalty():
    # Hypothesis "a b c d a" (5) vs reference "a b c d" (4): matches clipped: unigrams 4/5,
    # bigrams 3/4, trigrams 2/3, 4-grams 1/2; BP = 1 (hypothesis longer).
    # BLEU = (4/5 * 3/4 * 2/3 * 1/2) ** (1/4) = 0.2 ** 0.25 = 0.668740...
    assert bleu("a b c d a", "a b c d") == round(0.2**0.25, 6)


def test_bleu_is_on_a_zero_to_one_scale_and_one_for_identical_programs():
    assert bleu("x = f(y)\n", "x = f(y)\n") == 1.0


def test_bleu_of_nothing_against_nothing_is_one_and_against_something_zero():
    assert bleu("", "") == 1.0
    assert bleu(None, "say('only')") == 1.0  # the reference has no tokens either
    assert bleu(None, "x = 1") == 0.0
    assert bleu("x = 1", "") == 0.0
    assert bleu("say('a')", "x") == 0.0


def test_codebleu_of_a_missing_or_blank_program():
    assert codebleu(None, "x = 1") == 0.0
    assert codebleu("  \n", "x = 1") == 0.0
    assert codebleu("", "   ") == 1.0
    assert codebleu(None, "") == 1.0


def test_codebleu_is_one_for_identical_programs():
    code = "def f(a):\n    b = a + 1\n    return b\n"
    assert codebleu(code, code) == 1.0


def test_codebleu_is_rounded_to_six_places():
    # The library's raw figure for this pair has many decimals (0.4823403...); the metric
    # keeps six. Rounding to six of the library's own value is the documented recipe.
    from codebleu import calc_codebleu

    prog = "def f(a):\n    b = a * 2\n    return b\n"
    ref = "def f(a):\n    b = a + 1\n    c = b\n    return c\n"
    raw = calc_codebleu([ref], [prog], lang="python")["codebleu"]
    assert raw != round(raw, 6)  # the example really needs rounding
    assert codebleu(prog, ref) == round(raw, 6)


def test_similarity_holds_both_scores():
    code = "def f(a):\n    b = a + 1\n    return b\n"
    assert similarity(code, code) == {"bleu": 1.0, "codebleu": 1.0}
    assert similarity(None, code) == {"bleu": 0.0, "codebleu": 0.0}


# --- task-specific code (bleu_task, codebleu_task) -----------------------------------------

LIB = frozenset({"move_to", "helper"})


def test_task_code_rule_drops_library_defs_with_their_body_and_blank_lines():
    code = "def move_to(x):\n    go(x)\n\n    return x\n\ndef mine():\n    move_to(1)\n\nmine()\n"
    # move_to's def, body and the blank lines below it go; mine() and the call stay
    assert metrics.task_code(code, LIB) == "def mine():\n    move_to(1)\n\nmine()\n"


def test_task_code_rule_keeps_a_def_whose_name_is_not_in_the_library():
    code = "def move_to_table(x):\n    go(x)\nmove_to_table(1)\n"
    assert metrics.task_code(code, LIB) == code  # a prefix of a library name is not it


def test_task_code_rule_only_top_level_defs_are_library_defs():
    code = "class K:\n    def move_to(self):\n        pass\nK()\n"
    assert metrics.task_code(code, LIB) == code


def test_task_code_rule_a_tab_indented_body_and_async_def_are_cut_too():
    code = "async def helper():\n\tpass\nx = 1\n"
    assert metrics.task_code(code, LIB) == "x = 1\n"


def test_task_code_rule_works_on_code_that_does_not_parse():
    code = "def helper(:\n    )(\nrun(\n"
    assert metrics.task_code(code, LIB) == "run(\n"


def test_task_code_rule_of_nothing_left_is_empty():
    assert metrics.task_code("def helper():\n    pass\n", LIB) == ""
    assert metrics.task_code(None, LIB) == "" and metrics.task_code("\n\n", LIB) == ""


def test_task_code_rule_leading_and_trailing_blank_lines_go():
    assert metrics.task_code("\n\nx = 1\n\n\n", LIB) == "x = 1\n"


def test_task_code_rule_a_top_level_line_after_a_library_def_is_kept_whatever_its_letter():
    code = "def helper():\n    pass\nX = 1\nXY()\n"
    assert metrics.task_code(code, LIB) == "X = 1\nXY()\n"


def test_task_code_rule_an_indented_first_line_is_kept_with_its_indent():
    # nothing is being skipped before the first def; leading spaces are code, not blank
    assert metrics.task_code("    y = 1\nx = 2\n", LIB) == "    y = 1\nx = 2\n"


def test_names_in_rule_reads_each_top_level_def_name(tmp_path):
    path = tmp_path / "skills.py"
    path.write_text("def a(x):\n    def inner():\n        pass\nasync def b():\n    pass\nc = 1\n")
    assert metrics._names_in(path) == frozenset({"a", "b"})


def test_library_names_rule_are_the_top_level_defs_of_the_skills_file():
    from demo2code.paths import packaged_data_dir

    text = (packaged_data_dir() / "robotouille" / "skills.py").read_text()
    defs = {ln[4:].split("(")[0] for ln in text.splitlines() if ln.startswith("def ")}
    assert metrics.library_names("robotouille") == frozenset(defs) and "move_to" in defs


def test_library_names_rule_a_benchmark_without_a_library_has_none(tmp_path):
    assert metrics.library_names("no-such-benchmark") == frozenset()
    assert metrics._names_in(tmp_path / "missing.py") == frozenset()


def test_task_similarity_rule_library_plus_noop_is_low_though_whole_bleu_is_high():
    """A program made of the skill library and one `noop()` shares most of its tokens with a
    reference (which carries the library verbatim) and none of its task."""
    from demo2code.paths import packaged_data_dir

    library = (packaged_data_dir() / "robotouille" / "skills.py").read_text()
    reference = (packaged_data_dir() / "robotouille" / "reference" / "cheese-burger.py").read_text()
    program = library + "\n\nnoop()\n"
    whole = similarity(program, reference)
    task = metrics.task_similarity(program, reference, metrics.library_names("robotouille"))
    assert whole["bleu"] > 0.5 and whole["codebleu"] > 0.5
    assert task["bleu_task"] < 0.1 and task["codebleu_task"] < 0.4
    assert task["bleu_task"] < whole["bleu"] - 0.5


def test_task_similarity_rule_scores_the_cut_code_of_both_sides():
    prog = "def helper():\n    a = 1\nx = f(y)\nz = x + 1\n"
    ref = "def helper():\n    b = 2\nx = f(y)\nz = x + 1\n"
    # both sides cut to the same two lines: identical task code
    assert metrics.task_similarity(prog, ref, LIB) == {"bleu_task": 1.0, "codebleu_task": 1.0}
    assert metrics.task_similarity(None, ref, LIB) == {"bleu_task": 0.0, "codebleu_task": 0.0}
    # no library: the whole programs, which differ in the helper
    assert metrics.task_similarity(prog, ref, frozenset())["bleu_task"] < 1.0


# --- summary --------------------------------------------------------------------------------


def row(variant, seed, *, family="f", executed=True, passed=True, outcome="ok", bleu=0.5):
    return {
        "variant": variant,
        "family": family,
        "seed": seed,
        "executed": executed,
        "passed": passed,
        "outcome": outcome,
        "bleu": bleu,
        "codebleu": bleu / 2,
        "code_sha256": f"sha-{variant}",
        "calls": 1,
        "tokens": 10,
    }


def variant(vid, family="f", seeds=(0, 1, 2)):
    return TaskVariant(vid, family, "i", "s", "test", seeds=tuple(seeds))


def test_mean_of_nothing_is_none_and_means_are_rounded_to_six_places():
    assert summary._mean([]) is None  # nothing measured is not 0.0
    assert summary._mean([1.0, 0.0, 0.0]) == 0.333333  # 1/3 rounded to 6


def test_exec_and_pass_are_fractions_of_the_seeds():
    rows = [
        row("v", 0, executed=True, passed=True),
        row("v", 1, executed=True, passed=False, outcome="wrong"),
        row("v", 2, executed=False, passed=False, outcome="error"),
    ]
    got = summary.variant_scores(rows)
    # exec 2/3, pass 1/3
    assert got["exec"] == 0.666667 and got["pass"] == 0.333333
    assert got["episodes"] == 3
    assert got["failed_seeds"] == [1, 2]
    assert got["outcomes"] == {"error": 1, "ok": 1, "wrong": 1}
    assert list(got["outcomes"]) == ["error", "ok", "wrong"]  # sorted by name


def test_bleu_and_codebleu_of_a_variant_come_from_its_one_program():
    rows = [row("v", 0, bleu=0.4), row("v", 1, bleu=0.4)]
    got = summary.variant_scores(rows)
    assert (got["bleu"], got["codebleu"], got["code_sha256"]) == (0.4, 0.2, "sha-v")
    assert (got["family"], got["calls"], got["tokens"]) == ("f", 1, 10)


def test_outcomes_are_counted():
    rows = [row("v", s, outcome=o) for s, o in enumerate(["a", "b", "a", "a"])]
    assert summary.variant_scores(rows)["outcomes"] == {"a": 3, "b": 1}


def test_groups_average_their_variants_in_first_seen_order():
    variants = {
        "v1": {"family": "g2", "exec": 1.0, "pass": 1.0, "bleu": 0.5, "codebleu": 0.1},
        "v2": {"family": "g1", "exec": 0.0, "pass": 0.0, "bleu": 0.3, "codebleu": 0.3},
        "v3": {"family": "g2", "exec": 0.0, "pass": 0.5, "bleu": 0.2, "codebleu": 0.2},
    }
    got = summary.group_scores(variants)
    assert list(got) == ["g2", "g1"]
    # g2: exec (1+0)/2, pass (1+0.5)/2, bleu (0.5+0.2)/2, codebleu (0.1+0.2)/2
    assert got["g2"] == {
        "exec": 0.5,
        "pass": 0.75,
        "bleu": 0.35,
        "codebleu": 0.15,
        "bleu_task": None,  # the variants have no task scores (rows older than them)
        "codebleu_task": None,
        "variants": 2,
    }
    assert got["g1"]["variants"] == 1


def test_overall_averages_variants_and_overall_by_group_averages_group_means():
    tasks = [variant("a", "g1"), variant("b", "g1"), variant("c", "g2")]
    seeds = {"a": [0], "b": [0], "c": [0]}
    rows = [
        row("a", 0, family="g1", passed=True),
        row("b", 0, family="g1", passed=True),
        row("c", 0, family="g2", passed=False),
    ]
    got = summary.summarize_rows(rows, tasks, seeds)
    # overall pass: variants 1, 1, 0 -> 2/3; by group: g1 = 1, g2 = 0 -> 1/2
    assert got["overall"]["pass"] == 0.666667
    assert got["overall_by_group"]["pass"] == 0.5
    assert list(got["groups"]) == ["g1", "g2"]
    assert got["groups"]["g1"]["variants"] == 2
    assert set(got) == {"episodes", "complete", "overall", "overall_by_group", "groups", "variants"}


def test_summary_counts_only_the_selected_variant_seed_pairs():
    tasks = [variant("a")]
    rows = [row("a", 0), row("a", 1, passed=False), row("a", 5, passed=False), row("z", 0)]
    got = summary.summarize_rows(rows, tasks, {"a": [0, 1]})
    # seed 5 and variant z are not selected: 2 episodes, pass 1/2
    assert got["episodes"] == 2 and got["complete"] is True
    assert list(got["variants"]) == ["a"]
    assert got["variants"]["a"]["pass"] == 0.5


def test_summary_is_incomplete_when_selected_rows_are_missing():
    tasks = [variant("a"), variant("b")]
    got = summary.summarize_rows([row("a", 0)], tasks, {"a": [0, 1], "b": [0]})
    assert got["episodes"] == 1 and got["complete"] is False
    assert list(got["variants"]) == ["a"]  # b has no rows: left out, not zero


def test_variants_keep_catalogue_order_and_seeds_are_sorted():
    tasks = [variant("b"), variant("a")]
    rows = [row("a", 2, passed=False), row("a", 1), row("b", 0)]
    got = summary.summarize_rows(rows, tasks, {"a": [1, 2], "b": [0]})
    assert list(got["variants"]) == ["b", "a"]
    assert got["variants"]["a"]["failed_seeds"] == [2]


def test_a_later_row_for_the_same_pair_replaces_the_earlier():
    tasks = [variant("a")]
    rows = [row("a", 0, passed=False), row("a", 0, passed=True)]
    got = summary.summarize_rows(rows, tasks, {"a": [0]})
    assert got["episodes"] == 1 and got["variants"]["a"]["pass"] == 1.0


def test_empty_summary_is_none_not_zero():
    got = summary.summarize_rows([], [variant("a")], {"a": [0]})
    assert got["overall"] == dict.fromkeys(summary.METRICS)  # every metric None
    assert got["overall_by_group"] == dict.fromkeys(summary.METRICS)
    assert got["episodes"] == 0 and got["complete"] is False


@pytest.mark.parametrize("key", metrics.BLEU_SETTINGS)
def test_bleu_settings_are_the_ones_used(key):
    # The recipe printed in reports must be what the metric object was built with.
    if key in ("tokenize", "smooth_method", "effective_order", "lowercase"):
        bleu_obj = metrics._bleu_metric()
        attr = {"tokenize": "tokenize", "smooth_method": "smooth_method"}.get(key, key)
        if hasattr(bleu_obj, attr):
            assert getattr(bleu_obj, attr) == metrics.BLEU_SETTINGS[key]

"""summary.py's rules, one per test, each named in the test's name; expected values worked
out by hand in the comments. (The older cases are in test_metrics_summary_rules.py.)"""

from __future__ import annotations

from demo2code.benchmarks.base import TaskVariant
from demo2code.evaluation import summary as S


def row(variant, seed, *, passed=True, executed=True, **extra):
    base = {
        "variant": variant,
        "family": "fam",
        "seed": seed,
        "executed": executed,
        "passed": passed,
        "outcome": "finished",
        "bleu": 0.5,
        "codebleu": 0.25,
        "bleu_task": 0.125,
        "codebleu_task": 0.0625,
        "code_sha256": "sha",
        "calls": 3,
        "tokens": 30,
    }
    return base | extra


def repair_row(variant, seed, *, passed=True, before=False, **extra):
    fields = {
        "passed_before_repair": before,
        "self_check": False,
        "self_check_after": True,
        "first_disagreement": "step 2",
        "repairs": 1,
        "repair_stopped": "agrees",
        "repair_calls": 2,
        "repair_tokens": 40,
    }
    return row(variant, seed, passed=passed, **(fields | extra))


def task(vid, family="fam"):
    return TaskVariant(vid, family, "i", "s", "test", seeds=(0, 1))


# --- variant_scores -------------------------------------------------------------------------


def test_variant_scores_rule_task_scores_come_from_the_first_row():
    got = S.variant_scores([row("v", 0), row("v", 1, bleu_task=0.9)])
    assert (got["bleu_task"], got["codebleu_task"]) == (0.125, 0.0625)


def test_variant_scores_rule_rows_without_task_scores_give_none():
    old = {k: v for k, v in row("v", 0).items() if k not in ("bleu_task", "codebleu_task")}
    got = S.variant_scores([old])
    assert got["bleu_task"] is None and got["codebleu_task"] is None


def test_variant_scores_rule_token_split_defaults_to_zero_and_else_is_the_first_rows():
    assert S.variant_scores([row("v", 0)])["prompt_tokens"] == 0
    assert S.variant_scores([row("v", 0)])["completion_tokens"] == 0
    got = S.variant_scores([row("v", 0, prompt_tokens=7, completion_tokens=2), row("v", 1)])
    assert (got["prompt_tokens"], got["completion_tokens"]) == (7, 2)


def test_variant_scores_rule_exact_keys_without_repair():
    got = S.variant_scores([row("v", 0)])
    assert set(got) == {
        "family", "episodes", "exec", "pass", "bleu", "codebleu", "bleu_task",
        "codebleu_task", "code_sha256", "calls", "tokens", "prompt_tokens",
        "completion_tokens", "outcomes", "failed_seeds",
    }  # fmt: skip


def test_variant_scores_rule_exec_counts_executed_not_passed():
    # executed but failed on both seeds: exec 2/2 = 1.0, pass 0/2 = 0.0
    got = S.variant_scores([row("v", 0, passed=False), row("v", 1, passed=False)])
    assert (got["exec"], got["pass"]) == (1.0, 0.0)


# --- repair scores --------------------------------------------------------------------------


def test_repair_scores_rule_fields_of_a_repaired_variant():
    rows = [repair_row("v", 0, before=True), repair_row("v", 1, before=False),
            repair_row("v", 2, before=False)]  # fmt: skip
    got = S.variant_scores(rows)
    # pass before repair: 1 of 3 seeds = 0.333333; flags False -> 0.0, True -> 1.0
    assert got["pass_before_repair"] == 0.333333
    assert (got["self_check"], got["self_check_after"]) == (0.0, 1.0)
    assert got["first_disagreement"] == "step 2" and got["repairs"] == 1
    assert got["repair_stopped"] == "agrees"
    assert (got["repair_calls"], got["repair_tokens"]) == (2, 40)


def test_repair_scores_rule_an_unknown_self_check_stays_none():
    got = S.variant_scores([repair_row("v", 0, self_check=None, self_check_after=None)])
    assert got["self_check"] is None and got["self_check_after"] is None


def test_repair_scores_rule_flags_come_from_the_first_row():
    rows = [repair_row("v", 0, self_check=True), repair_row("v", 1, self_check=False)]
    assert S.variant_scores(rows)["self_check"] == 1.0


# --- average --------------------------------------------------------------------------------


def test_average_rule_task_metric_is_none_when_any_entry_lacks_it():
    entries = [
        {"exec": 1.0, "pass": 1.0, "bleu": 1.0, "codebleu": 1.0, "bleu_task": 0.5},
        {"exec": 0.0, "pass": 0.0, "bleu": 0.0, "codebleu": 0.0, "bleu_task": 0.25},
    ]
    got = S.average(entries)
    # bleu_task (0.5 + 0.25) / 2 = 0.375; codebleu_task missing from both: None
    assert got["bleu_task"] == 0.375 and got["codebleu_task"] is None
    entries[1]["bleu_task"] = None
    assert S.average(entries)["bleu_task"] is None


def test_average_rule_repair_metric_averages_known_values_when_every_entry_has_it():
    base = dict.fromkeys(S.METRICS, 1.0)
    entries = [base | {"self_check": 1.0}, base | {"self_check": None},
               base | {"self_check": 0.0}]  # fmt: skip
    # the None is skipped: (1 + 0) / 2 = 0.5
    assert S.average(entries)["self_check"] == 0.5
    assert "self_check" not in S.average([base | {"self_check": 1.0}, base])  # not every entry
    assert "self_check" not in S.average([base | {"self_check": None}])  # nothing known


def test_average_rule_of_no_entries_is_none_for_every_metric():
    assert S.average([]) == dict.fromkeys(S.METRICS)


# --- summarize_rows -------------------------------------------------------------------------


def test_summarize_rows_rule_repair_cost_sums_the_variants():
    rows = [repair_row("a", 0), repair_row("a", 1), repair_row("b", 0, repairs=2)]
    got = S.summarize_rows(rows, [task("a"), task("b")], {"a": [0, 1], "b": [0]})
    # repairs 1 (a) + 2 (b) = 3; calls 2 + 2 = 4; tokens 40 + 40 = 80
    assert got["repair_cost"] == {"repairs": 3, "calls": 4, "tokens": 80}
    assert got["overall"]["pass_before_repair"] == 0.0


def test_summarize_rows_rule_no_repair_cost_without_repair_rows():
    got = S.summarize_rows([row("a", 0)], [task("a")], {"a": [0]})
    assert "repair_cost" not in got
    assert got["overall"]["bleu_task"] == 0.125


def test_summarize_rows_rule_complete_counts_episodes_not_variants():
    got = S.summarize_rows([row("a", 0), row("a", 1)], [task("a")], {"a": [0, 1]})
    assert got["complete"] is True and got["episodes"] == 2


# --- generation_totals ----------------------------------------------------------------------


def test_generation_totals_rule_sums_records_and_stages():
    records = [
        {"calls": 2, "prompt_tokens": 10, "completion_tokens": 5,
         "records": [{"stage": "specify", "calls": 1, "prompt_tokens": 4},
                     {"stage": "write_code", "calls": 1, "prompt_tokens": 6,
                      "completion_tokens": 5}]},
        {"calls": 1, "prompt_tokens": None, "completion_tokens": 3,
         "records": [{"calls": 1, "completion_tokens": 3},
                     {"stage": "specify", "calls": None, "prompt_tokens": 2}]},
        {},
    ]  # fmt: skip
    got = S.generation_totals(records)
    # calls 2 + 1 = 3; prompt 10 + 0 (None) = 10; completion 5 + 3 = 8
    assert (got["calls"], got["prompt_tokens"], got["completion_tokens"]) == (3, 10, 8)
    assert got["by_stage"] == {
        "specify": {"calls": 1, "prompt_tokens": 6, "completion_tokens": 0},  # 4 + 2
        "write_code": {"calls": 1, "prompt_tokens": 6, "completion_tokens": 5},
        "?": {"calls": 1, "prompt_tokens": 0, "completion_tokens": 3},  # no stage named
    }
    assert list(got) == ["calls", "prompt_tokens", "completion_tokens", "by_stage"]


def test_generation_totals_rule_of_nothing_is_zero_calls():
    assert S.generation_totals([]) == {
        "calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "by_stage": {},
    }  # fmt: skip


# --- spread and combine_seeds ---------------------------------------------------------------


def test_spread_rule_mean_min_max_of_the_known_values():
    # 0.9, 1.0, 0.8 (None left out): mean 2.7 / 3 = 0.9, min 0.8, max 1.0
    assert S.spread([0.9, None, 1.0, 0.8]) == {"mean": 0.9, "min": 0.8, "max": 1.0}
    assert S.spread([None, None]) == {"mean": None, "min": None, "max": None}
    assert S.spread([1 / 3]) == {"mean": 0.333333, "min": 1 / 3, "max": 1 / 3}


def seed_part(passes: dict[str, float], family: dict[str, str] | None = None, episodes=2):
    family = family or {}
    variants = {
        v: {**dict.fromkeys(S.METRICS, 1.0), "pass": p, "family": family.get(v, "g"),
            "episodes": episodes}
        for v, p in passes.items()
    }  # fmt: skip
    groups = S.group_scores(variants)
    return {
        "episodes": episodes * len(variants),
        "complete": True,
        "overall": S.average(variants.values()),
        "overall_by_group": S.average(groups.values()),
        "groups": groups,
        "variants": variants,
    }


def test_combine_seeds_rule_variants_average_over_the_seeds_that_ran_them():
    per_seed = {
        2: seed_part({"a": 1.0, "b": 0.5}),
        0: seed_part({"a": 0.5, "b": 0.0}),
        1: seed_part({"a": 0.0}),
    }
    got = S.combine_seeds(per_seed)
    # a: (0.5 + 0.0 + 1.0) / 3 = 0.5 over 3 seeds; b: (0.0 + 0.5) / 2 = 0.25 over 2 seeds
    assert got["variants"]["a"]["pass"] == 0.5 and got["variants"]["a"]["noise_seeds"] == 3
    assert got["variants"]["b"]["pass"] == 0.25 and got["variants"]["b"]["noise_seeds"] == 2
    assert got["variants"]["a"]["episodes"] == 6 and got["variants"]["b"]["episodes"] == 4
    assert list(got["variants"]) == ["a", "b"]  # first seen in seed order (0 first)
    # overall: mean of the variants (0.5 + 0.25) / 2 = 0.375
    assert got["overall"]["pass"] == 0.375
    assert got["episodes"] == 4 + 4 + 2 and got["complete"] is True


def test_combine_seeds_rule_spread_is_over_each_seeds_overall():
    per_seed = {0: seed_part({"a": 0.5, "b": 0.0}), 1: seed_part({"a": 1.0, "b": 1.0})}
    got = S.combine_seeds(per_seed)
    # seed 0 overall pass 0.25, seed 1 overall pass 1.0: mean 0.625, min 0.25, max 1.0
    assert got["noise_spread"]["overall"]["pass"] == {"mean": 0.625, "min": 0.25, "max": 1.0}
    assert got["noise_spread"]["overall"]["exec"] == {"mean": 1.0, "min": 1.0, "max": 1.0}
    assert set(got["noise_spread"]) == {"overall", "overall_by_group"}
    assert set(got["noise_spread"]["overall"]) == set(S.METRICS)
    assert got["by_noise_seed"]["0"]["overall"]["pass"] == 0.25
    assert got["by_noise_seed"]["1"] == {
        "episodes": 4, "complete": True,
        "overall": per_seed[1]["overall"], "overall_by_group": per_seed[1]["overall_by_group"],
    }  # fmt: skip
    assert list(got["by_noise_seed"]) == ["0", "1"]


def test_combine_seeds_rule_groups_average_the_combined_variants():
    fam = {"a": "g1", "b": "g1", "c": "g2"}
    per_seed = {0: seed_part({"a": 1.0, "b": 0.0, "c": 0.0}, fam),
                1: seed_part({"a": 1.0, "b": 1.0, "c": 1.0}, fam)}  # fmt: skip
    got = S.combine_seeds(per_seed)
    # a 1.0, b 0.5, c 0.5 -> g1 (1.0 + 0.5) / 2 = 0.75, g2 0.5; by group (0.75 + 0.5) / 2
    assert got["groups"]["g1"]["pass"] == 0.75 and got["groups"]["g2"]["pass"] == 0.5
    assert got["overall_by_group"]["pass"] == 0.625
    assert got["groups"]["g1"]["variants"] == 2
    # overall by group across seeds: seed 0 (0.5 + 0) / 2 = 0.25, seed 1: 1.0
    assert got["noise_spread"]["overall_by_group"]["pass"]["min"] == 0.25


def test_combine_seeds_rule_incomplete_when_any_seed_is():
    per_seed = {0: seed_part({"a": 1.0}), 1: seed_part({"a": 1.0}) | {"complete": False}}
    assert S.combine_seeds(per_seed)["complete"] is False


def test_combine_seeds_rule_a_seed_that_measured_nothing_is_left_out_of_the_spread():
    empty = {"episodes": 0, "complete": False, "overall": S.average([]),
             "overall_by_group": S.average([]), "groups": {}, "variants": {}}  # fmt: skip
    got = S.combine_seeds({0: seed_part({"a": 0.5}), 1: empty})
    assert got["noise_spread"]["overall"]["pass"] == {"mean": 0.5, "min": 0.5, "max": 0.5}
    assert got["by_noise_seed"]["1"]["overall"]["pass"] is None

"""The rules of the trace checker (demo2code/benchmarks/trace_check.py), one per test.

Every trace is built by hand; kinds are the object name without its trailing digits
(`patty1` -> `patty`). Expected verdicts are worked out by hand in the comments.
"""

from __future__ import annotations

import pytest

from demo2code.benchmarks import trace_check
from demo2code.benchmarks.trace_check import TraceTest, check_trace
from demo2code.errors import InputError


def kind(name: str) -> str:
    return name.rstrip("0123456789")


def step(*changes: tuple[str, ...], value: bool = True) -> dict:
    return {"changes": [{"predicate": c[0], "args": list(c[1:]), "value": value} for c in changes]}


def trace(initial=(), steps=(), final=(), failures=()) -> dict:
    return {
        "initial": [list(f) for f in initial],
        "steps": list(steps),
        "final": [list(f) for f in final],
        "failures": list(failures),
    }


def make_test(objects=None, chains=(), final=(), never=()) -> TraceTest:
    data = {
        "objects": objects or {},
        "chains": [list(c) for c in chains],
        "final": list(final),
        "never": list(never),
    }
    return TraceTest.from_json(data, "<test>")


# --- chains: "at or after" ----------------------------------------------------------------


def test_stage_goal_already_true_at_start_counts_at_step_zero():
    # cooked p held initially (time 0); the chain's first stage needs it at a time >= 0.
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    tr = trace(initial=[("cooked", "patty1")])
    assert check_trace(t, tr, kind).passed


def test_two_stages_reached_in_same_step_pass():
    # Step 1 makes both facts true; stage 2 needs a time >= stage 1's time (1), and 1 >= 1.
    t = make_test({"p": "patty", "s": "stove"}, chains=[["at p s", "cooked p"]])
    tr = trace(steps=[step(("at", "patty1", "stove1"), ("cooked", "patty1"))])
    assert check_trace(t, tr, kind).passed


def test_initial_fact_satisfies_second_stage_only_if_first_stage_is_at_step_zero_too():
    # Both facts hold initially: stage 1 at 0, stage 2 at 0 >= 0: pass.
    t = make_test({"p": "patty", "s": "stove"}, chains=[["at p s", "cooked p"]])
    tr = trace(initial=[("at", "patty1", "stove1"), ("cooked", "patty1")])
    assert check_trace(t, tr, kind).passed


def test_stage_reached_before_previous_stage_does_not_count():
    # cooked at step 1, at-stove at step 2: stage 2 (cooked) needs a time >= 2, none exists.
    t = make_test({"p": "patty", "s": "stove"}, chains=[["at p s", "cooked p"]])
    tr = trace(steps=[step(("cooked", "patty1")), step(("at", "patty1", "stove1"))])
    v = check_trace(t, tr, kind)
    assert not v.passed
    assert v.reasons == (
        "subgoal 2/2 'cooked patty1' never happened after 'at patty1 stove1' (step 2)",
    )


def test_goal_that_becomes_true_again_later_counts_at_the_later_time():
    # cut l: true at 1, (false), true again at 3; stage 1 (at l b) at step 2, so stage 2 uses 3.
    t = make_test({"l": "lettuce", "b": "board"}, chains=[["at l b", "cut l"]])
    tr = trace(
        steps=[
            step(("cut", "lettuce1")),
            step(("at", "lettuce1", "board1")),
            step(("cut", "lettuce1")),
        ]
    )
    assert check_trace(t, tr, kind).passed


def test_fact_becoming_false_is_not_an_event():
    # The only change to `cut` is value False: it never became true.
    t = make_test({"l": "lettuce"}, chains=[["cut l"]])
    tr = trace(
        initial=[("at", "lettuce1", "board1")], steps=[step(("cut", "lettuce1"), value=False)]
    )
    v = check_trace(t, tr, kind)
    assert v.reasons == ("subgoal 1/1 'cut lettuce1' never happened",)


def test_change_without_value_counts_as_becoming_true():
    # A change with no "value" key is a fact that became true (value defaults to True).
    t = make_test({"l": "lettuce"}, chains=[["cut l"]])
    tr = {"steps": [{"changes": [{"predicate": "cut", "args": ["lettuce1"]}]}]}
    assert check_trace(t, tr, kind).passed


def test_steps_are_numbered_from_one_in_reasons():
    # at l b happens in the first step: the reason names step 1 as the previous stage's time.
    t = make_test({"l": "lettuce", "b": "board"}, chains=[["at l b", "cut l"]])
    tr = trace(steps=[step(("at", "lettuce1", "board1"))])
    v = check_trace(t, tr, kind)
    assert v.reasons == (
        "subgoal 2/2 'cut lettuce1' never happened after 'at lettuce1 board1' (step 1)",
    )


def test_stage_time_is_the_latest_of_its_unordered_goals():
    # Stage 1 = cut l & cooked p: cut at 1, cooked at 3 -> stage time 3.
    # Stage 2 = atop l p must then happen at >= 3; it happens at 2 only: fail.
    t = make_test(
        {"l": "lettuce", "p": "patty"},
        chains=[["cut l & cooked p", "atop l p"]],
    )
    tr = trace(
        steps=[
            step(("cut", "lettuce1")),
            step(("atop", "lettuce1", "patty1")),
            step(("cooked", "patty1")),
        ]
    )
    v = check_trace(t, tr, kind)
    assert not v.passed
    assert v.reasons == (
        "subgoal 2/2 'atop lettuce1 patty1' never happened after "
        "'cut lettuce1 & cooked patty1' (step 3)",
    )


def test_goals_of_one_stage_are_unordered_among_themselves():
    # cooked at 1, cut at 2: the stage "cut l & cooked p" lists cut first, still passes.
    t = make_test({"l": "lettuce", "p": "patty"}, chains=[["cut l & cooked p"]])
    tr = trace(steps=[step(("cooked", "patty1")), step(("cut", "lettuce1"))])
    assert check_trace(t, tr, kind).passed


def test_goals_of_one_stage_all_start_from_the_previous_stage_time():
    # Stage 1 at l b at step 2; stage 2 "cut l & cooked p": cooked at 1 only (< 2): fail,
    # although cut happens at 3.
    t = make_test(
        {"l": "lettuce", "p": "patty", "b": "board"},
        chains=[["at l b", "cut l & cooked p"]],
    )
    tr = trace(
        steps=[
            step(("cooked", "patty1")),
            step(("at", "lettuce1", "board1")),
            step(("cut", "lettuce1")),
        ]
    )
    v = check_trace(t, tr, kind)
    assert v.reasons == (
        "subgoal 2/2 'cooked patty1' never happened after 'at lettuce1 board1' (step 2)",
    )


def test_chains_are_independent_of_each_other():
    # Chain A reaches its stage at step 2, chain B's stage happened at step 1: B starts at 0.
    t = make_test({"l": "lettuce", "p": "patty"}, chains=[["cut l"], ["cooked p"]])
    tr = trace(steps=[step(("cooked", "patty1")), step(("cut", "lettuce1"))])
    assert check_trace(t, tr, kind).passed


def test_first_subgoal_failure_has_no_after_clause():
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    v = check_trace(t, trace(), kind)
    # No object of kind patty appears anywhere: the binding fails first.
    assert v.reasons == ("no patty for 'p'",)
    tr = trace(initial=[("at", "patty1", "table1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("subgoal 1/1 'cooked patty1' never happened",)


# --- final facts ----------------------------------------------------------------------------


def test_final_fact_must_hold_at_the_end():
    t = make_test({"p": "patty"}, final=["cooked p"])
    tr = trace(initial=[("cooked", "patty1")], final=[("at", "patty1", "t1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("final: 'cooked patty1' does not hold at the end",)
    assert check_trace(t, trace(final=[("cooked", "patty1")]), kind).passed


def test_negated_final_fact_must_not_hold_at_the_end():
    t = make_test({"p": "patty"}, final=["!cooked p"])
    v = check_trace(t, trace(final=[("cooked", "patty1")]), kind)
    assert v.reasons == ("final: 'cooked patty1' still holds at the end",)
    assert check_trace(t, trace(final=[("raw", "patty1")]), kind).passed


def test_final_facts_are_checked_before_chains():
    # Both the final fact and the chain fail; the reason names the final one.
    t = make_test({"p": "patty"}, chains=[["cooked p"]], final=["cooked p"])
    v = check_trace(t, trace(final=[("at", "patty1", "t1")]), kind)
    assert v.reasons == ("final: 'cooked patty1' does not hold at the end",)


# --- bindings -------------------------------------------------------------------------------


def test_variables_keep_their_binding_across_chains_and_final():
    # patty1 is cooked, patty2 is stacked: no single patty does both -> fail.
    t = make_test({"p": "patty", "b": "bun"}, chains=[["cooked p"]], final=["atop p b"])
    tr = trace(
        steps=[step(("cooked", "patty1"))],
        final=[("atop", "patty2", "bun1"), ("cooked", "patty1")],
    )
    assert not check_trace(t, tr, kind).passed
    # The same patty does both -> pass.
    tr2 = trace(steps=[step(("cooked", "patty2"))], final=[("atop", "patty2", "bun1")])
    assert check_trace(t, tr2, kind).passed


def test_distinct_variables_bind_distinct_objects():
    # Two patty variables but one patty in the trace: no binding (the only combo repeats it).
    t = make_test({"p": "patty", "q": "patty"}, chains=[["cooked p", "cooked q"]])
    tr = trace(steps=[step(("cooked", "patty1"))])
    v = check_trace(t, tr, kind)
    assert v == trace_check.Verdict(False, ("no binding of the test's objects",))


def test_distinct_variables_bind_distinct_objects_when_enough_exist():
    t = make_test({"p": "patty", "q": "patty"}, chains=[["cooked p"], ["cooked q"]])
    tr = trace(steps=[step(("cooked", "patty1")), step(("cooked", "patty2"))])
    assert check_trace(t, tr, kind).passed


def test_objects_are_taken_from_final_facts_too():
    # patty1 appears only in the final facts; it must still be a candidate for p.
    t = make_test({"p": "patty"}, final=["cooked p"])
    assert check_trace(t, trace(final=[("cooked", "patty1")]), kind).passed


def test_verdict_names_the_failure_of_the_binding_that_got_furthest():
    # Binding p=patty1 reaches 0 subgoals, p=patty2 reaches 1 (cooked) and fails at atop.
    t = make_test({"p": "patty", "b": "bun"}, chains=[["cooked p", "atop p b"]])
    tr = trace(
        initial=[("at", "patty1", "t1"), ("at", "bun1", "t1")], steps=[step(("cooked", "patty2"))]
    )
    v = check_trace(t, tr, kind)
    assert v.reasons == (
        "subgoal 2/2 'atop patty2 bun1' never happened after 'cooked patty2' (step 1)",
    )


def test_final_progress_breaks_ties_between_bindings():
    # Neither binding reaches a subgoal; p=patty2 satisfies the first final fact, patty1
    # none. Score (0, 1) > (0, 0): the reason is patty2's second final fact.
    t = TraceTest.from_json(
        {"objects": {"p": "patty", "t": "table"}, "final": ["at p t", "cooked p"]}, "<t>"
    )
    tr = trace(final=[("at", "patty2", "table1"), ("at", "patty1", "shelf1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("final: 'cooked patty2' does not hold at the end",)


def test_first_binding_wins_a_tie():
    # Both patties fail in the same way (score (0, 0)); the first binding in sorted order
    # (patty1) names the reason.
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    tr = trace(initial=[("at", "patty2", "t1"), ("at", "patty1", "t1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("subgoal 1/1 'cooked patty1' never happened",)


def test_binding_search_stops_after_max_bindings(monkeypatch):
    # With the cap at 1, only p=patty1 is tried (fails); patty2 would pass but is never tried.
    monkeypatch.setattr(trace_check, "MAX_BINDINGS", 1)
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    tr = trace(initial=[("at", "patty1", "t1")], steps=[step(("cooked", "patty2"))])
    assert not check_trace(t, tr, kind).passed
    monkeypatch.setattr(trace_check, "MAX_BINDINGS", 2)
    assert check_trace(t, tr, kind).passed


def test_repeated_bindings_do_not_count_towards_max_bindings(monkeypatch):
    # Combos in order: (p1,p1) skipped, (p1,p2) tried #1 fails, (p2,p1) tried #2 passes.
    monkeypatch.setattr(trace_check, "MAX_BINDINGS", 2)
    t = make_test({"p": "patty", "q": "patty"}, chains=[["cooked p", "cut q"]])
    tr = trace(steps=[step(("cooked", "patty2")), step(("cut", "patty1"))])
    assert check_trace(t, tr, kind).passed


# --- never --------------------------------------------------------------------------------


def test_never_fact_that_happens_fails_a_passing_trace():
    t = make_test({"p": "patty"}, chains=[["cooked p"]], never=["burnt patty"])
    tr = trace(steps=[step(("cooked", "patty1")), step(("burnt", "patty1"))])
    v = check_trace(t, tr, kind)
    assert v == trace_check.Verdict(False, ("'burnt patty1' happened at step 2 but must not",))


def test_never_fact_that_held_initially_is_not_a_violation():
    # Only becoming true at a step > 0 counts.
    t = make_test({"p": "patty"}, chains=[["cooked p"]], never=["burnt patty"])
    tr = trace(initial=[("burnt", "patty1")], steps=[step(("cooked", "patty1"))])
    assert check_trace(t, tr, kind).passed


def test_never_reports_the_last_step_the_fact_became_true():
    # burnt at 1 and again at 3 -> the reason names step 3 (the max).
    t = make_test({"p": "patty"}, never=["burnt patty"])
    tr = trace(steps=[step(("burnt", "patty1")), step(("x", "patty1")), step(("burnt", "patty1"))])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("'burnt patty1' happened at step 3 but must not",)


def test_never_pattern_accepts_variables_as_kind_wildcards():
    # `p` is a patty variable; the never pattern "burnt p" matches any patty.
    t = make_test({"p": "patty"}, never=["burnt p"])
    tr = trace(steps=[step(("burnt", "patty2"))])
    assert check_trace(t, tr, kind).reasons == ("'burnt patty2' happened at step 1 but must not",)


def test_never_pattern_needs_same_predicate_arity_and_kinds():
    t = make_test({}, never=["atop patty bun"])
    tr = trace(
        steps=[
            step(("atop", "patty1", "lettuce1")),  # wrong kind of second arg
            step(("atop", "patty1")),  # wrong arity
            step(("under", "patty1", "bun1")),  # wrong predicate
            step(("atop", "patty1", "bun1", "x1")),  # wrong arity
        ]
    )
    assert check_trace(t, tr, kind).passed


def test_never_violation_is_listed_before_the_chain_reason():
    t = make_test({"p": "patty"}, chains=[["cooked p"]], never=["burnt patty"])
    tr = trace(steps=[step(("burnt", "patty1"))])
    v = check_trace(t, tr, kind)
    assert v.reasons == (
        "'burnt patty1' happened at step 1 but must not",
        "subgoal 1/1 'cooked patty1' never happened",
    )


def test_never_violation_is_kept_when_no_object_of_a_kind_exists():
    t = make_test({"b": "bun"}, never=["burnt patty"])
    tr = trace(steps=[step(("burnt", "patty1"))])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("'burnt patty1' happened at step 1 but must not", "no bun for 'b'")


# --- execution failures ---------------------------------------------------------------------


def test_execution_failure_decides_the_verdict_with_the_first_failure():
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    tr = trace(
        steps=[step(("cooked", "patty1"))],
        failures=[{"action": "cook", "message": "too hot"}, {"action": "x", "message": "y"}],
    )
    v = check_trace(t, tr, kind)
    assert v == trace_check.Verdict(False, ("execution failed: cook: too hot",))


def test_empty_failures_list_is_no_failure():
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    assert check_trace(t, trace(steps=[step(("cooked", "patty1"))], failures=[]), kind).passed


def test_test_with_no_variables_and_no_goals_passes():
    # One empty binding, nothing to check.
    assert check_trace(make_test(), trace(), kind) == trace_check.Verdict(True, ())


# --- the JSON form (parser strictness) ------------------------------------------------------


def test_stage_is_split_on_ampersand_into_goals():
    t = make_test({"p": "patty", "l": "lettuce"}, chains=[["cooked p & cut l", "atop l p"]])
    assert t.chains == (((("cooked", "p"), ("cut", "l")), (("atop", "l", "p"),)),)


def test_final_bang_prefix_means_must_not_hold():
    t = make_test({"p": "patty"}, final=["!cooked p", "at p p"])
    assert t.final == ((False, ("cooked", "p")), (True, ("at", "p", "p")))


def test_to_json_round_trips():
    data = {
        "objects": {"p": "patty", "l": "lettuce"},
        "chains": [["cooked p & cut l", "atop l p"]],
        "final": ["!cooked p", "atop l p"],
        "never": ["burnt patty"],
    }
    assert TraceTest.from_json(data, "<t>").to_json() == data


def test_missing_sections_default_to_empty():
    t = TraceTest.from_json({}, "<t>")
    assert t == TraceTest({}, (), (), ())


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "test"),
        ({"objects": ["p"]}, "test.objects"),
        ({"objects": {"p": 1}}, "test.objects"),
        ({"objects": {1: "patty"}}, "test.objects"),
        ({"chains": ["cooked p"]}, "test.chains[0]"),
        ({"objects": {"p": "patty"}, "chains": [[1]]}, "test.chains[0][0]"),
        ({"objects": {"p": "patty"}, "chains": [["cooked p & "]]}, "test.chains[0][0]"),
        ({"final": [" "]}, "test.final[0]"),
        ({"final": [3]}, "test.final[0]"),
        ({"final": ["!"]}, "test.final[0]"),
        ({"never": [""]}, "test.never[0]"),
    ],
)
def test_malformed_test_is_refused_naming_the_place(data, where):
    with pytest.raises(InputError) as err:
        TraceTest.from_json(data, "src.json")
    assert (err.value.source, err.value.where) == ("src.json", where)


def test_goal_argument_that_is_no_variable_is_refused():
    with pytest.raises(InputError, match="'x' is no variable"):
        TraceTest.from_json({"objects": {"p": "patty"}, "chains": [["atop p x"]]}, "<t>")
    with pytest.raises(InputError, match="'x' is no variable"):
        TraceTest.from_json({"objects": {"p": "patty"}, "final": ["!atop x p"]}, "<t>")


def test_never_may_name_kinds_that_are_no_variables():
    t = TraceTest.from_json({"never": ["burnt patty"]}, "<t>")
    assert t.never == (("burnt", "patty"),)


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_trace_without_steps_or_changes_keys_is_read_as_empty():
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    assert check_trace(t, {"initial": [["cooked", "patty1"]]}, kind).passed
    tr = {"initial": [["at", "patty1", "t1"]], "steps": [{}, {"changes": []}]}
    assert check_trace(t, tr, kind).reasons == ("subgoal 1/1 'cooked patty1' never happened",)


def test_binding_that_reached_more_subgoals_wins_over_fewer():
    # patty1 reaches 1 of 3 subgoals (cooked), patty2 reaches 2 (cooked, at): patty2's
    # failure (subgoal 3) is the reason, although patty1 is tried first.
    t = make_test(
        {"p": "patty", "s": "stove", "b": "bun"},
        chains=[["cooked p", "at p s", "atop p b"]],
    )
    tr = trace(
        initial=[("at", "bun1", "t1")],
        steps=[
            step(("cooked", "patty1"), ("cooked", "patty2")),
            step(("at", "patty2", "stove1")),
        ],
    )
    v = check_trace(t, tr, kind)
    assert v.reasons == (
        "subgoal 3/3 'atop patty2 bun1' never happened after 'at patty2 stove1' (step 2)",
    )


def test_binding_that_passed_more_final_facts_wins():
    # Three final facts. patty1 passes the first only; patty2 the first two.
    t = TraceTest.from_json(
        {"objects": {"p": "patty", "t": "table"}, "final": ["hot p", "at p t", "cooked p"]},
        "<t>",
    )
    tr = trace(final=[("hot", "patty1"), ("hot", "patty2"), ("at", "patty2", "table1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("final: 'cooked patty2' does not hold at the end",)


def test_binding_failing_a_chain_beats_one_failing_a_final_fact():
    # Final facts are checked first: a binding that passes them and fails the first chain
    # subgoal got further than one that fails a final fact.
    t = make_test({"p": "patty"}, chains=[["cooked p"]], final=["hot p"])
    tr = trace(final=[("hot", "patty2"), ("at", "patty1", "t1")])
    v = check_trace(t, tr, kind)
    assert v.reasons == ("subgoal 1/1 'cooked patty2' never happened",)


def test_missing_kind_is_a_failed_verdict():
    t = make_test({"p": "patty"}, chains=[["cooked p"]])
    assert check_trace(t, trace(), kind) == trace_check.Verdict(False, ("no patty for 'p'",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "<t>: test: expected an object with objects/chains/final/never"),
        ({"objects": []}, "<t>: test.objects: expected a map of variable -> kind"),
        ({"final": [""]}, "<t>: test.final[0]: expected a fact like 'atop p b'"),
        ({"chains": ["x"]}, "<t>: test.chains[0]: expected a list of stages"),
        ({"chains": [[1]]}, "<t>: test.chains[0][0]: expected a string like 'cooked p & cut l'"),
        (
            {"objects": {"p": "patty"}, "chains": [["atop p x"]]},
            "<t>: test: 'atop p x': 'x' is no variable",
        ),
    ],
)
def test_malformed_test_messages(data, message):
    with pytest.raises(InputError) as err:
        TraceTest.from_json(data, "<t>")
    assert str(err.value) == message


def test_stage_time_is_the_latest_goal_whatever_order_the_goals_are_listed_in():
    # Stage 1 = cooked p & cut l: cooked at 3, cut at 1 -> stage time 3 (not the last-listed
    # goal's 1). Stage 2 (atop l p) at step 2 is before it: fail.
    t = make_test({"l": "lettuce", "p": "patty"}, chains=[["cooked p & cut l", "atop l p"]])
    tr = trace(
        steps=[
            step(("cut", "lettuce1")),
            step(("atop", "lettuce1", "patty1")),
            step(("cooked", "patty1")),
        ]
    )
    assert check_trace(t, tr, kind).reasons == (
        "subgoal 2/2 'atop lettuce1 patty1' never happened after "
        "'cooked patty1 & cut lettuce1' (step 3)",
    )


# --- step budget (max_steps) -----------------------------------------------------------------


def test_step_budget_is_met_at_exactly_max_steps_and_missed_one_above():
    # max_steps 2: a trace of 2 steps passes (2 > 2 is false); 3 steps fail (3 > 2).
    t = TraceTest.from_json({"max_steps": 2}, "<t>")
    assert t.max_steps == 2
    assert check_trace(t, trace(steps=[step(), step()]), kind).passed
    assert check_trace(t, trace(steps=[step(), step(), step()]), kind).reasons == (
        "took 3 steps; the step budget is 2, which only work done while something cooks, "
        "fries or boils can meet",
    )


def test_step_budget_absent_means_no_limit():
    t = make_test()
    assert t.max_steps is None and "max_steps" not in t.to_json()
    assert check_trace(t, trace(steps=[step()] * 50), kind).passed


@pytest.mark.parametrize("bad", [0, -3, 1.5, "2", True, False])
def test_step_budget_must_be_a_whole_number_from_one(bad):
    # bools are ints in Python but no budget; 0 and below leave no room for any step
    with pytest.raises(InputError) as err:
        TraceTest.from_json({"max_steps": bad}, "src.json")
    assert str(err.value) == "src.json: test.max_steps: expected an integer >= 1"


def test_step_budget_of_one_is_accepted_and_round_trips():
    t = TraceTest.from_json({"max_steps": 1}, "<t>")
    assert t.max_steps == 1
    assert t.to_json()["max_steps"] == 1
    assert TraceTest.from_json(t.to_json(), "<t>") == t

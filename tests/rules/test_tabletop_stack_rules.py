"""Tabletop stack rules of checks.py: the partial order of a `one_stack` check (a contiguous
run, in order, anywhere in the stack), the `stacks` height limit (no stack taller than the
limit, as few stacks as possible, every stack but the last one built full) and the build
order read from the trace's steps (first move of any object of a stack; untouched stacks
last). Scenes are hand-built: stacks are columns of blocks 0.15 apart, listed in the poses
in the order given, which is the order `predicates.stacks` returns them in.
"""

from __future__ import annotations

from demo2code.benchmarks.tabletop import checks as C

T = 0.025  # z of a block standing on the table (SIZE 0.05 / 2)
R, B, G, P, CY, Y = (
    "red block",
    "blue block",
    "green block",
    "pink block",
    "cyan block",
    "gray block",
)


def scene(*stacks: list[str], steps: list[dict] | None = None) -> dict:
    """Final poses: each stack a column at x = 0.15 * k; nothing moved from the start."""
    final = {}
    for k, stack in enumerate(stacks):
        for level, o in enumerate(stack):
            final[o] = [round(-0.3 + 0.15 * k, 2), 0.0, T + 0.05 * level]
    trace = {"objects": list(final), "final_poses": final, "initial_poses": final}
    if steps is not None:
        trace["steps"] = steps
    return trace


def put(first: str, second: str) -> dict:
    return {"action": f"put_first_on_second({first!r}, {second!r})", "changes": []}


def text(stack: list[str]) -> str:
    return "[" + ", ".join(stack) + "] (bottom to top)"


# --- partial order (one_stack `order`) -------------------------------------------------------


def order(*run: str) -> list[dict]:
    return [{"kind": "one_stack", "type": "block", "order": list(run)}]


def test_partial_order_run_at_the_bottom_or_the_top_passes():
    # [red, green, pink]: the run [green, pink] starts at index 1 = len 3 - run 2, the last
    # start there is; [red, green] starts at index 0.
    assert C.judge(order(G, P), scene([R, G, P])) == []
    assert C.judge(order(R, G), scene([R, G, P])) == []
    assert C.judge(order(R, G, P), scene([R, G, P])) == []  # the run is the whole stack


def test_partial_order_reversed_fails_naming_the_run_and_the_stack():
    assert C.judge(order(G, P), scene([R, P, G])) == [
        f"expected {text([G, P])} one right on the other somewhere in the stack, "
        f"found {text([R, P, G])}"
    ]


def test_partial_order_is_contiguous_one_right_on_the_other():
    # green below pink but with red between them: not "one right on the other"
    assert len(C.judge(order(G, P), scene([G, R, P]))) == 1


def test_partial_order_is_ignored_without_an_order():
    assert C.judge([{"kind": "one_stack", "type": "block"}], scene([P, G])) == []


def test_partial_order_is_read_in_the_first_involved_stack_when_split():
    # two stacks: the one-stack reason, and the order read in the first stack, [pink]
    assert C.judge(order(G, P), scene([P], [G])) == [
        f"expected all blocks in one stack, found 2: {text([P])}; {text([G])}",
        f"expected {text([G, P])} one right on the other somewhere in the stack, found {text([P])}",
    ]


def test_contains_run_rule_contiguous_in_order_anywhere():
    assert C._contains_run(["a", "b", "c", "d"], ["c", "d"])  # at the top: start 2 = 4 - 2
    assert C._contains_run(["a", "b", "c", "d"], ["a"])
    assert not C._contains_run(["a", "b", "c", "d"], ["b", "d"])  # a gap
    assert not C._contains_run(["a", "b"], ["b", "a"])  # reversed
    assert not C._contains_run(["a"], ["a", "b"])  # longer than the stack


# --- height limit (`stacks` with max_height) -------------------------------------------------


def limit(k: int) -> list[dict]:
    return [{"kind": "stacks", "type": "block", "max_height": k}]


def test_height_limit_stacks_of_exactly_the_limit_pass():
    # 4 blocks, limit 2: ceil(4 / 2) = 2 stacks of 2, each exactly the limit (not taller,
    # not lower)
    assert C.judge(limit(2), scene([R, B], [G, P])) == []


def test_height_limit_last_stack_may_be_lower():
    # 5 blocks, limit 2: ceil(5 / 2) = 3 stacks; [cyan] is the last one built
    assert C.judge(limit(2), scene([R, B], [G, P], [CY])) == []


def test_height_limit_taller_stack_is_named():
    # 4 blocks, limit 2: [red, blue, green] is 3 > 2; 2 stacks = ceil(4 / 2); the early
    # stack [red, blue, green] is not lower than 2
    assert C.judge(limit(2), scene([R, B, G], [P])) == [f"stack {text([R, B, G])} is taller than 2"]


def test_height_limit_needs_the_fewest_stacks():
    # 4 blocks, limit 2 in 3 stacks: ceil(4 / 2) = 2 needed; the early [green] is short
    assert C.judge(limit(2), scene([R, B], [G], [P])) == [
        "expected 2 stacks of at most 2 blocks, found 3",
        f"only the last stack built may be lower than 2, found: {text([G])}",
    ]
    # 6 blocks, limit 4: ceil(6 / 4) = 2, not 6 * 4 nor 6 / 4 rounded down
    assert C.judge(limit(4), scene([R, B, G, P], [CY, Y])) == []


def test_height_limit_a_short_stack_in_the_middle_is_not_the_last():
    # 5 blocks, limit 2, built [red, blue], [green], [pink, cyan]: 3 = ceil(5 / 2) stacks,
    # but the second one built is short
    assert C.judge(limit(2), scene([R, B], [G], [P, CY])) == [
        f"only the last stack built may be lower than 2, found: {text([G])}"
    ]


def test_height_limit_lists_every_short_early_stack():
    # 6 blocks, limit 3, built [red], [blue, green], [pink, cyan, gray]: ceil(6 / 3) = 2
    # needed, 3 found; the first two are short
    assert C.judge(limit(3), scene([R], [B, G], [P, CY, Y])) == [
        "expected 2 stacks of at most 3 blocks, found 3",
        f"only the last stack built may be lower than 3, found: {text([R])}; {text([B, G])}",
    ]


# --- build order from the steps ---------------------------------------------------------------


def test_build_order_a_stack_moved_into_first_is_built_first():
    # poses list [red, blue] then [green]; the steps move green first (step 0), then blue
    # onto red (step 1): built order [green], [red, blue], so the short [green] is early.
    steps = [put(G, "table"), put(B, R)]
    assert C.judge(limit(2), scene([R, B], [G], steps=steps)) == [
        f"only the last stack built may be lower than 2, found: {text([G])}"
    ]


def test_build_order_untouched_stacks_come_last():
    # poses list [green] first, but only [red, blue] was moved into (step 0): [green]
    # comes last and may be short
    assert C.judge(limit(2), scene([G], [R, B], steps=[put(B, R)])) == []
    # without steps the poses' order stands: [green] is first and short
    assert C.judge(limit(2), scene([G], [R, B])) == [
        f"only the last stack built may be lower than 2, found: {text([G])}"
    ]


def test_build_order_counts_an_objects_first_move_not_its_last():
    # blue onto red at step 0, green to the table at step 1, blue onto red again at step 2:
    # [red, blue] started at 0, [green] at 1, so [green] is the last one built.
    steps = [put(B, R), put(G, "table"), put(B, R)]
    assert C.judge(limit(2), scene([G], [R, B], steps=steps)) == []


def test_build_order_skips_steps_without_a_move():
    # a step without an action (None) or with another call is not a move
    steps = [{"action": None, "changes": []}, {"action": "say('hi')"}, put(B, R)]
    assert C.judge(limit(2), scene([G], [R, B], steps=steps)) == []
    assert C._build_order([["g"], ["r", "b"]], [{"changes": []}]) == [["g"], ["r", "b"]]

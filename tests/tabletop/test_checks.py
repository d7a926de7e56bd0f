"""Unit-test checks judged on hand-built final poses: partial orders and height limits mean
what the paper's do (data/README.md)."""

from __future__ import annotations

from demo2code.benchmarks.tabletop.checks import judge
from demo2code.benchmarks.tabletop.geometry import SIZE

H = SIZE / 2
BLOCKS = ["red block", "blue block", "green block", "pink block", "cyan block", "gray block"]


def trace(stacks: list[list[str]]) -> dict:
    """Every object starts on the table in a row; `stacks` are the final stacks."""
    initial = {o: [-0.3 + 0.1 * i, -0.3, H] for i, o in enumerate(BLOCKS)}
    final = {}
    for s, stack in enumerate(stacks):
        for level, o in enumerate(stack):
            final[o] = [-0.3 + 0.15 * s, 0.2, H + level * SIZE]
    return {"objects": BLOCKS, "initial_poses": initial, "final_poses": final}


ORDER = [{"kind": "one_stack", "type": "block", "order": ["green block", "pink block"]}]


def test_ordered_objects_may_stand_anywhere_in_the_stack():
    middle = ["red block", "blue block", "green block", "pink block", "cyan block", "gray block"]
    assert judge(ORDER, trace([middle])) == []
    top = ["red block", "blue block", "cyan block", "gray block", "green block", "pink block"]
    assert judge(ORDER, trace([top])) == []


def test_ordered_objects_out_of_order_or_apart_fail():
    swapped = ["red block", "pink block", "green block", "blue block", "cyan block", "gray block"]
    reasons = judge(ORDER, trace([swapped]))
    assert len(reasons) == 1 and "one right on the other" in reasons[0]
    apart = ["green block", "red block", "pink block", "blue block", "cyan block", "gray block"]
    assert judge(ORDER, trace([apart]))


def moves(*names: str) -> list[dict]:
    """Trace steps that moved these objects, in this order."""
    return [{"action": f"put_first_on_second('{n}', 'table')", "changes": []} for n in names]


def test_a_height_limit_needs_every_stack_but_the_last_one_built_full():
    limit = [{"kind": "stacks", "type": "block", "max_height": 4}]
    full_first = trace([BLOCKS[:4], BLOCKS[4:]]) | {"steps": moves(*BLOCKS[1:4], BLOCKS[5])}
    assert judge(limit, full_first) == []
    short_first = trace([BLOCKS[:2], BLOCKS[2:]]) | {"steps": moves(BLOCKS[1], *BLOCKS[3:])}
    assert judge(limit, short_first) == [
        "only the last stack built may be lower than 4, found: "
        "[red block, blue block] (bottom to top)"
    ]
    reasons = judge(limit, trace([BLOCKS[:3], BLOCKS[3:]]) | {"steps": moves(*BLOCKS)})
    assert reasons == [  # 3 + 3: the first one built is not full
        "only the last stack built may be lower than 4, found: "
        "[red block, blue block, green block] (bottom to top)"
    ]
    assert any("taller than 4" in r for r in judge(limit, trace([BLOCKS[:5], BLOCKS[5:]])))

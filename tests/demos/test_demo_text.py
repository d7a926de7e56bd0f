"""The paper's text form: exact rendering per style, parsing, round trips and error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo2code.demo_text import (
    detect_style,
    load_demonstration,
    parse,
    render,
    render_scenario,
    save_text,
)
from demo2code.demos import Change, Demonstration, Scenario, Step, demonstration_from_json
from demo2code.errors import InputError, UnknownName

DATA = Path(__file__).parent / "data"


def C(pred: str, *args: str, value: bool = True) -> Change:
    return Change(pred, tuple(args), value)


def robotouille_demo() -> Demonstration:
    steps = [
        Step("move robot1 table2 stove1", [C("at", "robot1", "table2", value=False),
                                            C("vacant", "table2"),
                                            C("at", "robot1", "stove1")]),
        Step("pick-up patty1", [C("holding", "robot1", "patty1"), C("clear", "patty1")]),
        Step("cook patty1", [C("empty", "stove1")]),  # bookkeeping only: an empty state
        Step("noop", []),
        Step("noop", [C("cooked", "patty1"), C("cut", "lettuce2", value=False)]),
        Step("stack", [C("atop", "patty1", "bottom_bun1"), C("smelly", "patty1", "stove1")]),
    ]  # fmt: skip
    other = Scenario(7, [Step("move", [C("at", "robot1", "table1")])], instruction="Move.")
    first = Scenario(3, steps, [C("at", "a", "b")])
    return Demonstration("robotouille", "cook-patty", "Cook a patty.", [first, other])


ROBOTOUILLE_TEXT = """\
[Scenario 1]
Cook a patty.

State 2:
'robot1' is not at 'table2'
'robot1' is at 'stove1'

State 3:
'robot1' is holding 'patty1'

State 4:


State 5:


State 6:
'patty1' is cooked
'lettuce2' is not cut

State 7:
'patty1' is on top of 'bottom_bun1'
'patty1' is smelly 'stove1'

[Scenario 2]
Move.

State 2:
'robot1' is at 'table1'
"""


def tabletop_demo() -> Demonstration:
    initial = [C("atop", "red block", "table"), C("left_of", "red block", "blue cylinder")]
    steps = [
        Step("put red on blue", [C("moved", "red block"), C("atop", "red block", "blue cylinder"),
                                 C("left_of", "red block", "blue cylinder", value=False),
                                 C("right_of", "blue cylinder", "red block", value=False)]),
        Step("put blue at corner", [C("at", "blue cylinder", "top left corner"),
                                    C("behind", "a", "b"), C("in_front_of", "b", "a", value=False),
                                    C("moved", "red block", value=False)]),
    ]  # fmt: skip
    objects = ["red block", "blue cylinder"]
    return Demonstration(
        "tabletop", "stack", "Stack the red block.", [Scenario(1, steps, initial, objects=objects)]
    )


TABLETOP_TEXT = """\
objects=['red block', 'blue cylinder']
[Scenario 1]
Stack the red block.

Initial State (State 1):
'red block' is on top of 'table'
'red block' is to the left of 'blue cylinder'

State 2:
'red block' has moved
'red block' is on top of 'blue cylinder'
'red block' is not to the left of 'blue cylinder'
'blue cylinder' is not to the right of 'red block'

State 3:
'blue cylinder' is at 'top left corner'
'a' is behind 'b'
'b' is not in front of 'a'
'red block' has not moved
"""


def epic_demo() -> Demonstration:
    extra = {"objects_to_clean": [["bowl_1", "sink_1"], ["mug_1", "counter_1"]]}
    initial = [C("in", "bowl_1", "sink_1"), C("at", "sink_1")]
    steps = [
        Step("pick up", [C("is_in_hand", "bowl_1")]),
        Step("nothing", []),
        Step("soap", [C("is_soapy", "bowl_1"), C("in", "bowl_1", "sink_1", value=False)]),
    ]
    scen = Scenario(None, steps, initial, extra=extra)
    return Demonstration("epic", "P01_01", "Wash the dishes.", [scen])


EPIC_TEXT = """\
[Scenario 1]
Wash the dishes.
Objects to clean
    - bowl_1 in sink_1
    - mug_1 in counter_1

Initial Condition (State 1):
in(`bowl_1`, `sink_1`)
at(`sink_1`)

State 2:
is_in_hand(`bowl_1`)

State 3:


State 4:
is_soapy(`bowl_1`)
not in(`bowl_1`, `sink_1`)
"""


def test_render_robotouille_exact() -> None:
    assert render(robotouille_demo()) == ROBOTOUILLE_TEXT


def test_render_tabletop_exact() -> None:
    assert render(tabletop_demo()) == TABLETOP_TEXT


def test_render_epic_exact() -> None:
    assert render(epic_demo()) == EPIC_TEXT


def test_actions_never_shown() -> None:
    for demo in (robotouille_demo(), tabletop_demo(), epic_demo()):
        text = render(demo)
        for scen in demo.scenarios:
            for step in scen.steps:
                assert step.action not in text.splitlines()
        assert "pick" not in text and "noop" not in text


def test_render_selected_scenarios_renumbers() -> None:
    text = render(robotouille_demo(), scenarios=[1])
    assert text == "[Scenario 1]\nMove.\n\nState 2:\n'robot1' is at 'table1'\n"
    assert render_scenario(robotouille_demo(), 1, number=2).startswith("[Scenario 2]\nMove.\n")


def test_explicit_style_overrides_benchmark() -> None:
    text = render(epic_demo(), "robotouille")
    assert "'bowl_1' is not in 'sink_1'" in text and "Initial" not in text
    with pytest.raises(UnknownName, match="text style"):
        render(epic_demo(), "epik")


def test_tabletop_objects_per_scenario_when_they_differ() -> None:
    demo = tabletop_demo()
    demo.scenarios.append(Scenario(2, [Step(None, [C("moved", "x")])], objects=["x"]))
    text = render(demo)
    assert text.startswith("objects=['red block', 'blue cylinder']\n[Scenario 1]\n")
    assert "\nobjects=['x']\n[Scenario 2]\n" in text
    back = parse(text)
    assert [s.objects for s in back.scenarios] == [["red block", "blue cylinder"], ["x"]]
    assert render(back) == text


@pytest.mark.parametrize("make", [robotouille_demo, tabletop_demo, epic_demo])
def test_round_trip(make) -> None:
    demo = make()
    text = render(demo)
    back = parse(text)
    assert render(back) == text
    assert back.benchmark == demo.benchmark
    style = demo.benchmark
    for original, parsed in zip(demo.scenarios, back.scenarios, strict=True):
        assert all(step.action is None for step in parsed.steps)
        hidden = {"vacant", "clear", "empty"} if style == "robotouille" else set()
        shown = [[c for c in s.changes if c.predicate not in hidden] for s in original.steps]
        assert [s.changes for s in parsed.steps] == shown
        if style != "robotouille":
            assert parsed.initial_state == original.initial_state
        assert parsed.objects == original.objects
        assert parsed.extra == original.extra
    assert back.scenarios[-1].instruction == demo.scenarios[-1].instruction


def test_unknown_predicates_round_trip_in_quoted_styles() -> None:
    odd = [C("is_in_hand", "cup"), C("cut", "a", "b"), C("at", "x"), C("p", "a", "b", "c")]
    demo = Demonstration("tabletop", "t", "Do.", [Scenario(None, [Step("a", odd)])])
    text = render(demo)
    assert "'cup' is is_in_hand" in text and "'a' is cut 'b'" in text
    assert parse(text).scenarios[0].steps[0].changes == odd


def test_unrenderable_predicate_is_one_line_error() -> None:
    demo = Demonstration("robotouille", "t", "Do.", [Scenario(None, [Step("a", [C("handempty")])])])
    with pytest.raises(InputError, match=r"scenarios\[0\]\.steps\[0\]: .*no subject"):
        render(demo)


def test_parse_robotouille_file() -> None:
    demo = load_demonstration(DATA / "robotouille_cook.txt")
    assert (demo.benchmark, demo.task, demo.instruction) == (
        "robotouille",
        "robotouille_cook",
        "Cook a patty.",
    )
    first, second = demo.scenarios
    assert len(first.steps) == 6 and len(second.steps) == 2
    assert first.steps[4].changes == [] and first.steps[4].action is None
    assert first.steps[5].changes == [C("cooked", "patty3")]
    assert first.steps[0].changes == [
        C("at", "robot1", "table2", value=False),
        C("at", "robot1", "table5"),
    ]
    assert first.steps[2].changes[0] == C("at", "robot1", "stove1")
    assert second.steps[0].changes[1] == C("holding", "robot1", "patty1")
    assert second.instruction is None  # same as the demonstration's


def test_parse_tabletop_file_with_objects_gap_and_second_instruction() -> None:
    demo = load_demonstration(DATA / "tabletop_stack.txt")
    assert demo.benchmark == "tabletop"
    first, second = demo.scenarios
    assert first.objects == second.objects == ["red block", "blue cylinder", "green block"]
    assert first.steps[0].changes == [
        C("atop", "red block", "table", value=False),
        C("moved", "red block"),
        C("atop", "red block", "green block"),
    ]
    assert second.instruction == "Put the red block to the left of the blue cylinder."
    # 'State 4:' right after the header: states 2 and 3 were left out, kept as empty steps
    assert [len(s.changes) for s in second.steps] == [0, 0, 4]
    assert second.steps[2].changes[-1] == C("at", "red block", "top left corner")
    assert "State 3:\n\n\nState 4:\n'red block' has moved" in render(demo)


def test_parse_epic_file() -> None:
    demo = load_demonstration(DATA / "epic_wash.txt", task="mine")
    assert (demo.benchmark, demo.task) == ("epic", "mine")
    (scen,) = demo.scenarios
    assert scen.extra["objects_to_clean"] == [["cup_1", "sink_1"], ["cup_2", "counter_1"]]
    assert scen.extra["objects_to_clean_relations"] == ["in", "at"]
    assert scen.extra["notes"] == ["A note from the person who recorded it:"]
    assert scen.initial_state == [C("at", "counter_1"), C("on", "cup_2", "counter_1")]
    assert scen.steps[1].changes == [C("at", "sink_1"), C("is_on", "tap_1")]
    assert scen.steps[2].changes[1] == C("in", "cup_2", "rack_1")
    text = render(demo)
    assert "    - cup_2 at counter_1\nA note from the person who recorded it:\n\n" in text
    assert render(parse(text)) == text


@pytest.mark.parametrize(
    ("name", "style"),
    [("robotouille_cook.txt", "robotouille"), ("tabletop_stack.txt", "tabletop"),
     ("epic_wash.txt", "epic")],
)  # fmt: skip
def test_detect_style(name: str, style: str) -> None:
    assert detect_style((DATA / name).read_text()) == style


def test_negated_epic_call_is_accepted() -> None:
    demo = parse("[Scenario 1]\nWash.\n\nState 2:\nnot is_on(`tap_1`)\n")
    assert demo.scenarios[0].steps[0].changes == [C("is_on", "tap_1", value=False)]


def test_json_and_text_files_load_and_save(tmp_path: Path) -> None:
    demo = tabletop_demo()
    demo.save(tmp_path / "d.json")
    assert load_demonstration(tmp_path / "d.json").to_json() == demo.to_json()
    save_text(demo, tmp_path / "out" / "d.txt")
    assert (tmp_path / "out" / "d.txt").read_text() == TABLETOP_TEXT
    back = load_demonstration(tmp_path / "out" / "d.txt")
    assert back.task == "d" and render(back) == TABLETOP_TEXT


def test_missing_file() -> None:
    with pytest.raises(InputError, match="nope.txt: file: not found"):
        load_demonstration(DATA / "nope.txt")


def _error(text: str, **kw) -> str:
    with pytest.raises(InputError) as info:
        parse(text, source="demo.txt", **kw)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_error_garbage_predicate_names_line() -> None:
    text = "[Scenario 1]\nCook.\n\nState 2:\n'robot1' is at 'table1'\nthe robot went away\n"
    assert _error(text) == (
        "demo.txt: line 6: expected a predicate like 'a' is at 'b' or a 'State N:' header, "
        "got 'the robot went away'"
    )


def test_error_bad_state_header() -> None:
    text = "[Scenario 1]\nCook.\n\nState 2:\n'a' is cut\n\nState two:\n'a' is cooked\n"
    assert _error(text).startswith("demo.txt: line 7: expected a predicate like")
    text = "[Scenario 1]\nCook.\n\nState 3:\n'a' is cut\n\nState 3:\n'a' is cooked\n"
    assert _error(text) == "demo.txt: line 7: expected 'State 4:' or later, got 'State 3:'"


def test_error_missing_scenario_header() -> None:
    assert _error("Cook a patty.\n\nState 2:\n'a' is cut\n") == (
        "demo.txt: line 1: expected a '[Scenario N]' header, got 'Cook a patty.'"
    )
    assert _error('"""\n\n"""\n').startswith("demo.txt: line 3: expected a '[Scenario N]'")


def test_a_scenario_without_instruction_is_read_and_recorded_as_missing() -> None:
    """The release's DemoNoLang2Code inputs have no instruction line; the JSON says so."""
    demo = parse("[Scenario 1]\n\nState 2:\n'a' is cut\n")
    assert demo.instruction == "" and not demo.instruction_given
    assert demo.scenarios[0].steps[0].changes == [C("cut", "a")]
    assert demo.to_json()["instruction"] is None
    again = demonstration_from_json(json.loads(demo.dumps()))
    assert not again.instruction_given and again.instruction == ""
    assert render(demo).startswith("[Scenario 1]\n\nState 2:\n")  # no instruction line
    with_one = parse("[Scenario 1]\nCut it.\nState 2:\n'a' is cut\n")
    assert with_one.instruction_given and with_one.to_json()["instruction"] == "Cut it."


def test_an_initial_state_above_the_first_header_belongs_to_that_scenario() -> None:
    text = (
        "objects=['red block', 'blue block']\n\"\"\"\nInitial State (State 1):\n"
        "'red block' is on top of 'table'\n\n[Scenario 1]\nState 2:\n'red block' has moved\n"
    )
    demo = parse(text)
    assert not demo.instruction_given
    assert demo.scenarios[0].initial_state == [C("atop", "red block", "table")]
    assert demo.scenarios[0].objects == ["red block", "blue block"]


def test_error_header_without_body_and_stray_header_text() -> None:
    assert _error("[Scenario 1]\n[Scenario 2]\nDo.\n") == (
        "demo.txt: line 2: expected the instruction after '[Scenario 1]'"
    )
    assert _error("State 2:\n'a' is cut\n").startswith(
        "demo.txt: line 1: expected a '[Scenario N]' header"
    )
    msg = _error("[Scenario 1]\nCook.\nsome words\nState 2:\n")
    assert msg.startswith("demo.txt: line 3: expected 'State 2:' or an initial-state block")


def test_error_epic_bad_call_and_bad_objects_line() -> None:
    text = "[Scenario 1]\nWash.\n\nState 2:\nin(`a`, `b`)\nin(`a`, b)\n"
    assert _error(text, style="epic") == (
        "demo.txt: line 6: expected a predicate like in(`a`, `b`) or a 'State N:' header, "
        "got 'in(`a`, b)'"
    )
    assert "line 1: expected objects=" in _error("objects=[1, 2\n[Scenario 1]\nDo.\n")
    assert "line 2: expected objects=" in _error("\nobjects = [1, 2]\n[Scenario 1]\nDo.\n")


def test_robotouille_pddl_names_render_as_the_vocabulary() -> None:
    changes = [C("loc", "robot1", "table1"), C("has", "robot1", "patty1", value=False)]
    demo = Demonstration("robotouille", "t", "Do.", [Scenario(None, [Step("a", changes)])])
    text = render(demo)
    assert "'robot1' is at 'table1'\n'robot1' is not holding 'patty1'\n" in text
    assert parse(text).scenarios[0].steps[0].changes[0] == C("at", "robot1", "table1")


def test_demos_import_takes_a_file_without_instruction(tmp_path: Path) -> None:
    """`demos import` on a DemoNoLang2Code-style file: accepted, and the JSON says so."""
    from typer.testing import CliRunner

    from demo2code.cli import app

    src = tmp_path / "demonolang2code_high-level-cook-and-cut_cook-only_main_demo.txt"
    src.write_text(
        "\"\"\"\n[Scenario 1]\n\nState 2:\n'robot1' is holding 'patty1'\n\n"
        'State 3:\n\'patty1\' is cooked\n"""\n'
    )
    out = tmp_path / "demo.json"
    result = CliRunner().invoke(app, ["demos", "import", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no instruction line, recorded as null" in result.output
    data = json.loads(out.read_text())
    assert data["instruction"] is None and data["benchmark"] == "robotouille"
    assert len(data["scenarios"][0]["steps"]) == 2

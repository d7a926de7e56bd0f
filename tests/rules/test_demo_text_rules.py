"""The rules of the demonstration text form (demo2code/demo_text.py) stated in its docstrings:
parser strictness, state numbering, style detection, the reversible generic phrase."""

from __future__ import annotations

import pytest

from demo2code import demo_text as D
from demo2code.demos import Change, Demonstration, Scenario, Step
from demo2code.errors import InputError, UnknownName


def C(pred: str, *args: str, value: bool = True) -> Change:
    return Change(pred, tuple(args), value)


def demo(style: str, *scenarios: Scenario, instruction: str = "Do it.") -> Demonstration:
    return Demonstration(style, "t", instruction, list(scenarios))


# --- rendering one predicate ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "style", "line"),
    [
        (C("in", "bowl_1", "sink_1"), "epic", "in(`bowl_1`, `sink_1`)"),
        (C("is_on", "tap_1", value=False), "epic", "not is_on(`tap_1`)"),
        (C("nothing"), "epic", "nothing()"),
        (C("at", "p1", "s1"), "robotouille", "'p1' is at 's1'"),
        (C("loc", "r1", "s1"), "robotouille", "'r1' is at 's1'"),  # PDDL alias
        (C("has", "r1", "p1", value=False), "robotouille", "'r1' is not holding 'p1'"),
        (C("iscut", "l1"), "robotouille", "'l1' is cut"),
        (C("iscooked", "p1"), "robotouille", "'p1' is cooked"),
        (C("moved", "a"), "tabletop", "'a' has moved"),
        (C("moved", "a", value=False), "tabletop", "'a' has not moved"),
        (C("in_front_of", "a", "b"), "tabletop", "'a' is in front of 'b'"),
        (C("loc", "a", "b"), "tabletop", "'a' is loc 'b'"),  # aliases are Robotouille's only
        (C("smelly", "a", "b", "c"), "tabletop", "'a' is smelly 'b' 'c'"),
        (C("at", "a"), "tabletop", "'a' is at"),  # "at" with one argument is generic
    ],
)
def test_render_change_per_style(change, style, line):
    assert D.render_change(change, style) == line


@pytest.mark.parametrize(
    ("change", "style", "message"),
    [
        (C("bad name", "a"), "epic", "cannot be written as a call"),
        (C("in", "a`b"), "epic", "contains a back-quote"),
        (C("cooked"), "robotouille", "has no subject"),
        (C("at", "it's", "b"), "tabletop", "contains a quote"),
        (C("not", "a"), "tabletop", "cannot be written in tabletop style"),
        (C("two words", "a"), "robotouille", "cannot be written in robotouille style"),
    ],
)
def test_render_change_refuses_what_cannot_be_read_back(change, style, message):
    with pytest.raises(ValueError, match=message):
        D.render_change(change, style)


# --- parsing one predicate ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "style", "change"),
    [
        ("in(`bowl_1`, `sink_1`)", "epic", C("in", "bowl_1", "sink_1")),
        ("not  is_on(`tap_1`)", "epic", C("is_on", "tap_1", value=False)),
        ("nothing()", "epic", C("nothing")),
        ("'p1' is at 's1'", "robotouille", C("at", "p1", "s1")),
        ("'a' has not moved", "tabletop", C("moved", "a", value=False)),
        ("'a' is to the left of 'b'", "tabletop", C("left_of", "a", "b")),
        ("'a' is smelly 'b' 'c'", "tabletop", C("smelly", "a", "b", "c")),
        ("'a' is at", "tabletop", C("at", "a")),  # one argument: generic "at"
        ("'l1' is cut", "robotouille", C("cut", "l1")),
    ],
)
def test_parse_change_reads_each_style(line, style, change):
    assert D.parse_change(line, style) == change


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("in(bowl_1, sink_1)", "epic"),  # arguments must be back-quoted
        ("in(`a` `b`)", "epic"),  # and separated by commas
        ("in(`a`, )", "epic"),
        ("'a' is at 'b' now", "tabletop"),  # stray words after the arguments
        ("'a' is at 'b' and 'c'", "tabletop"),  # stray words between them
        ("'a' has smelly", "tabletop"),  # "has" only for vocabulary phrases
        ("'a' is two words", "tabletop"),  # a generic name is one word
        ("'a' is not not", "tabletop"),
        ("a is at 'b'", "robotouille"),  # the subject is quoted
        ("'a' was at 'b'", "robotouille"),
    ],
)
def test_parser_is_strict_about_predicate_lines(line, style):
    assert D.parse_change(line, style) is None


def test_vocabulary_phrase_is_looked_up_with_its_number_of_arguments():
    # "moved" with two arguments is no vocabulary phrase, and "has" needs one: not a line.
    assert D.parse_change("'a' has moved 'b'", "tabletop") is None
    # "is moved" is a generic predicate named "moved".
    assert D.parse_change("'a' is moved 'b'", "tabletop") == C("moved", "a", "b")


# --- detecting the style --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("[Scenario 1]\nx\nState 2:\nin(`a`, `b`)\n", "epic"),
        ("[Scenario 1]\nx\nInitial Condition (State 1):\n", "epic"),
        ("[Scenario 1]\nx\nObjects to clean\n", "epic"),
        ("objects=['a']\n[Scenario 1]\nx\n", "tabletop"),
        ("[Scenario 1]\nx\nState 2:\n'a' has moved\n", "tabletop"),
        ("[Scenario 1]\nx\nState 2:\n'a' is not behind 'b'\n", "tabletop"),
        ("[Scenario 1]\nx\nInitial State (State 1):\n", "tabletop"),
        ("[Scenario 1]\nx\nState 2:\n'a' is at 'b'\n", "robotouille"),
        ("[Scenario 1]\nx\nState 2:\nin(a, b)\n", "robotouille"),  # no back-quote: no call
    ],
)
def test_detect_style(text, style):
    assert D.detect_style(text) == style


def test_epic_wins_over_tabletop_hints_anywhere_in_the_text():
    text = "objects=['a']\n[Scenario 1]\nx\nState 2:\n'a' has moved\nin(`a`, `b`)\n"
    assert D.detect_style(text) == "epic"


def test_style_of_explicit_then_benchmark_then_robotouille():
    assert D.style_of(demo("epic"), "tabletop") == "tabletop"
    assert D.style_of(demo("epic")) == "epic"
    assert D.style_of(demo("tabletop")) == "tabletop"
    assert D.style_of(demo("something")) == "robotouille"
    with pytest.raises(UnknownName):
        D.style_of(demo("epic"), "fancy")


# --- parsing a file -------------------------------------------------------------------------


def test_triple_quotes_are_accepted_on_their_own_line_or_glued():
    text = '"""\n[Scenario 1]\n"""Cook."""\nState 2:\n\'p1\' is cooked"""\n"""'
    d = D.parse(text, "robotouille")
    assert d.instruction == "Cook."
    assert d.scenarios[0].steps[0].changes == [C("cooked", "p1")]


def test_state_numbers_start_at_two_and_gaps_become_empty_steps():
    text = "[Scenario 1]\nCook.\nState 3:\n'p1' is cooked\nState 5:\n"
    steps = D.parse(text, "robotouille").scenarios[0].steps
    # State 2 missing -> one empty step; State 4 missing -> another.
    assert [s.changes for s in steps] == [[], [C("cooked", "p1")], [], []]
    assert all(s.action is None for s in steps)


def test_state_numbers_must_increase():
    text = "[Scenario 1]\nCook.\nState 3:\nState 3:\n"
    with pytest.raises(InputError) as err:
        D.parse(text, "robotouille", "f.txt")
    assert (err.value.source, err.value.where) == ("f.txt", "line 4")
    assert err.value.expected == "expected 'State 4:' or later, got 'State 3:'"


def test_state_one_is_the_initial_state_not_a_step():
    with pytest.raises(InputError, match="expected 'State 2:' or later, got 'State 1:'"):
        D.parse("[Scenario 1]\nCook.\nState 1:\n", "robotouille")


def test_a_file_without_any_instruction_line_is_read_and_says_so():
    # the release's DemoNoLang2Code inputs: no instruction at all is allowed, and recorded
    demo = D.parse("[Scenario 1]\nState 2:\n", "robotouille")
    assert demo.instruction_given is False and demo.instruction == ""


def test_once_a_file_has_an_instruction_every_scenario_needs_one():
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nCook.\n[Scenario 2]\n[Scenario 3]\nx\n", "robotouille")
    assert (err.value.where, err.value.expected) == (
        "line 4",
        "expected the instruction after '[Scenario 2]'",
    )
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nCook.\n\n[Scenario 2]\n\n", "robotouille")
    assert (err.value.where, err.value.expected) == (
        "line 5",
        "expected the instruction after '[Scenario 2]'",
    )


def test_initial_state_must_come_before_state_two():
    text = "[Scenario 1]\nx\nState 2:\nInitial State (State 1):\n"
    with pytest.raises(InputError, match="expected the initial state before 'State 2:'"):
        D.parse(text, "tabletop")


def test_text_before_the_first_scenario_is_refused():
    with pytest.raises(InputError) as err:
        D.parse("hello\n[Scenario 1]\nx\n", "robotouille")
    assert (err.value.where, err.value.expected) == (
        "line 1",
        "expected a '[Scenario N]' header, got 'hello'",
    )


def test_empty_text_has_no_scenarios():
    with pytest.raises(InputError) as err:
        D.parse("\n\n", "robotouille")
    assert (err.value.where, err.value.expected) == (
        "line 2",
        "expected a '[Scenario N]' header, found no scenarios",
    )
    with pytest.raises(InputError, match="line 1"):
        D.parse("", "robotouille")


def test_long_bad_lines_are_shortened_in_errors():
    line = "x" * 80
    with pytest.raises(InputError) as err:
        D.parse(line, "robotouille")
    assert err.value.expected == f"expected a '[Scenario N]' header, got {'x' * 57 + '...'!r}"
    exact = "y" * 60
    with pytest.raises(InputError) as err:
        D.parse(exact, "robotouille")
    assert err.value.expected.endswith(repr(exact))


def test_quoted_style_header_text_is_refused():
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nCook.\nsome note\n", "robotouille")
    assert err.value.expected == "expected 'State 2:' or an initial-state block, got 'some note'"


def test_bad_predicate_line_names_what_each_style_expects():
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nx\nState 2:\nblah\n", "robotouille")
    assert err.value.expected == (
        "expected a predicate like 'a' is at 'b' or a 'State N:' header, got 'blah'"
    )
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nx\nState 2:\nblah\n", "epic")
    assert err.value.expected == (
        "expected a predicate like in(`a`, `b`) or a 'State N:' header, got 'blah'"
    )


def test_unknown_style_is_refused():
    with pytest.raises(UnknownName):
        D.parse("[Scenario 1]\nx\n", "fancy")


def test_epic_header_reads_objects_to_clean_relations_and_notes():
    text = (
        "[Scenario 1]\nWash.\nA note.\nObjects to clean:\n  - bowl_1 in sink_1\n"
        "  - mug_1 on counter top_1\nInitial Condition (State 1):\nat(`sink_1`)\n"
    )
    scen = D.parse(text, "epic").scenarios[0]
    assert scen.extra == {
        "notes": ["A note."],
        "objects_to_clean": [["bowl_1", "sink_1"], ["mug_1", "counter top_1"]],
        "objects_to_clean_relations": ["in", "on"],
    }
    assert scen.initial_state == [C("at", "sink_1")]


def test_epic_relations_are_kept_only_when_some_are_not_in():
    text = "[Scenario 1]\nWash.\nObjects to clean\n- bowl_1 in sink_1\nState 2:\n"
    assert D.parse(text, "epic").scenarios[0].extra == {"objects_to_clean": [["bowl_1", "sink_1"]]}


def test_epic_item_lines_outside_the_clean_list_are_notes():
    text = "[Scenario 1]\nWash.\n- bowl_1 in sink_1\nState 2:\n"
    assert D.parse(text, "epic").scenarios[0].extra == {"notes": ["- bowl_1 in sink_1"]}


def test_objects_line_before_any_scenario_is_shared_and_later_ones_are_per_scenario():
    text = (
        "objects=['a block']\n[Scenario 1]\nx\n"
        "objects=['b block']\n[Scenario 2]\ny\n[Scenario 3]\nz\n"
    )
    d = D.parse(text, "tabletop")
    assert [s.objects for s in d.scenarios] == [["a block"], ["b block"], ["a block"]]


@pytest.mark.parametrize("value", ["['a', 1]", "'a'", "[a]", "["])
def test_objects_line_must_be_a_list_of_strings(value):
    with pytest.raises(InputError) as err:
        D.parse(f"objects={value}\n[Scenario 1]\nx\n", "tabletop", "f.txt")
    assert (err.value.where, err.value.expected) == ("line 1", "expected objects=['name', ...]")


def test_scenario_instruction_is_kept_only_when_it_differs_from_the_first():
    d = D.parse("[Scenario 1]\nA.\n[Scenario 2]\nA.\n[Scenario 3]\nB.\n", "robotouille")
    assert d.instruction == "A."
    assert [s.instruction for s in d.scenarios] == [None, None, "B."]


def test_parsed_demonstration_names_benchmark_and_task():
    d = D.parse("[Scenario 1]\nA.\n", "epic", "dir/demo2code_wash_P01_1_demo.txt")
    assert (d.benchmark, d.task) == ("epic", "wash_P01_1")
    d = D.parse("[Scenario 1]\nA.\n", "robotouille", "demo2code_burger_main_demo.txt")
    assert d.task == "burger"
    d = D.parse("[Scenario 1]\nA.\n", "robotouille", "<stdin>")
    assert d.task == "custom"
    d = D.parse("[Scenario 1]\nA.\n", "robotouille", "x", benchmark="b", task="t")
    assert (d.benchmark, d.task) == ("b", "t")
    assert D._task_from_source("demo2code__demo.txt", "epic") == "custom"
    assert D._task_from_source("a/tabletop_main.txt", "tabletop") == "tabletop_main"


# --- rendering scenarios --------------------------------------------------------------------


def test_robotouille_hides_bookkeeping_and_has_no_initial_block():
    scen = Scenario(
        None,
        [Step(None, [C("vacant", "s1"), C("clear", "p1"), C("at", "p1", "s1")])],
        [C("at", "p1", "s0")],
    )
    assert D.render(demo("robotouille", scen)) == (
        "[Scenario 1]\nDo it.\n\nState 2:\n'p1' is at 's1'\n"
    )


def test_tabletop_keeps_every_predicate_and_an_initial_block():
    scen = Scenario(None, [Step(None, [C("clear", "a")])], [C("atop", "a", "table")])
    assert D.render(demo("tabletop", scen)) == (
        "[Scenario 1]\nDo it.\n\nInitial State (State 1):\n'a' is on top of 'table'\n\n"
        "State 2:\n'a' is clear\n"
    )


def test_empty_state_renders_a_blank_line():
    scen = Scenario(None, [Step(None, []), Step(None, [C("cooked", "p1")])])
    assert D.render(demo("robotouille", scen)) == (
        "[Scenario 1]\nDo it.\n\nState 2:\n\n\nState 3:\n'p1' is cooked\n"
    )


def test_epic_header_renders_relations_default_in():
    extra = {"objects_to_clean": [["a_1", "sink_1", "x"]], "notes": ["N."]}
    scen = Scenario(None, [], extra=extra)
    assert D.render(demo("epic", scen)) == (
        "[Scenario 1]\nDo it.\nObjects to clean\n    - a_1 in sink_1\nN.\n"
    )
    extra["objects_to_clean_relations"] = ["on"]
    assert "    - a_1 on sink_1" in D.render(demo("epic", scen))


def test_render_scenario_error_names_the_place():
    scen = Scenario(None, [Step(None, [C("bad name", "a")])])
    with pytest.raises(InputError) as err:
        D.render(demo("tabletop", scen))
    assert (err.value.source, err.value.where) == ("<demonstration t>", "scenarios[0].steps[0]")
    scen = Scenario(None, [], [C("bad name", "a")])
    with pytest.raises(InputError) as err:
        D.render(demo("tabletop", scen))
    assert err.value.where == "scenarios[0].initial_state"


def test_render_refuses_scenario_indexes_out_of_range():
    d = demo("robotouille", Scenario(None, []))
    with pytest.raises(IndexError, match=r"scenario index 1 out of range \(0\.\.0\)"):
        D.render(d, scenarios=[1])
    with pytest.raises(IndexError):
        D.render(d, scenarios=[-1])


def test_shared_objects_line_is_hoisted_once_and_differing_ones_stay_per_scenario():
    a = Scenario(None, [], objects=["x block"])
    b = Scenario(None, [], objects=["x block"])
    assert D.render(demo("tabletop", a, b)) == (
        "objects=['x block']\n[Scenario 1]\nDo it.\n\n[Scenario 2]\nDo it.\n"
    )
    c = Scenario(None, [], objects=["y block"])
    assert D.render(demo("tabletop", a, c)) == (
        "objects=['x block']\n[Scenario 1]\nDo it.\n\nobjects=['y block']\n[Scenario 2]\nDo it.\n"
    )
    none = Scenario(None, [])
    assert (
        D.render(demo("tabletop", none, none)) == "[Scenario 1]\nDo it.\n\n[Scenario 2]\nDo it.\n"
    )


def test_render_number_and_scenario_instruction():
    d = demo("robotouille", Scenario(None, [], instruction="Other."))
    assert D.render_scenario(d, 0, number=4) == "[Scenario 4]\nOther.\n"
    assert D.render(d, "epic") == "[Scenario 1]\nOther.\n"


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_parse_errors_default_to_the_source_text():
    with pytest.raises(InputError) as err:
        D.parse("junk", "robotouille")
    assert str(err.value) == "<text>: line 1: expected a '[Scenario N]' header, got 'junk'"
    assert D.parse("[Scenario 1]\nA.\n", "robotouille").task == "custom"


def test_unknown_style_names_the_text_style():
    with pytest.raises(UnknownName) as err:
        D.parse("[Scenario 1]\nx\n", "fancy")
    assert (err.value.kind, err.value.name) == ("text style", "fancy")
    with pytest.raises(UnknownName) as err:
        D.style_of(demo("epic"), "fancy")
    assert err.value.kind == "text style"


def test_initial_block_after_state_two_names_its_line():
    text = "[Scenario 1]\nx\nState 2:\nInitial State (State 1):\n"
    with pytest.raises(InputError) as err:
        D.parse(text, "tabletop", "f.txt")
    assert (err.value.where, err.value.expected) == (
        "line 4",
        "expected the initial state before 'State 2:'",
    )


def test_objects_line_errors_name_the_source():
    with pytest.raises(InputError) as err:
        D.parse("objects=3\n[Scenario 1]\nx\n", "tabletop", "f.txt")
    assert err.value.source == "f.txt"


def test_error_lines_up_to_sixty_characters_are_shown_whole():
    line = "z" * 61
    with pytest.raises(InputError) as err:
        D.parse(line, "robotouille")
    assert err.value.expected.endswith(repr("z" * 57 + "..."))


def test_missing_instruction_at_the_end_names_the_last_scenario():
    with pytest.raises(InputError) as err:
        D.parse("[Scenario 1]\nA.\n[Scenario 2]\nB.\n[Scenario 3]\n", "robotouille")
    assert err.value.expected == "expected the instruction after '[Scenario 3]'"


def test_objects_line_is_tabletop_only():
    scen = Scenario(None, [], objects=["a"])
    assert D.render(demo("robotouille", scen, scen)) == (
        "[Scenario 1]\nDo it.\n\n[Scenario 2]\nDo it.\n"
    )


def test_render_scenario_defaults_to_number_one_with_its_objects():
    d = demo("tabletop", Scenario(None, [], objects=["a block"]))
    assert D.render_scenario(d, 0) == "objects=['a block']\n[Scenario 1]\nDo it.\n"


def test_load_demonstration_reads_json_by_suffix_or_by_a_leading_brace(tmp_path):
    d = demo("robotouille", Scenario(None, [Step(None, [C("cooked", "p1")])]))
    upper = tmp_path / "d.JSON"
    upper.write_text(d.dumps())
    assert D.load_demonstration(upper).to_json() == d.to_json()
    txt = tmp_path / "d.txt"
    txt.write_text("\n  " + d.dumps())
    assert D.load_demonstration(txt).to_json() == d.to_json()
    over = D.load_demonstration(txt, benchmark="b", task="t2")
    assert (over.benchmark, over.task) == ("b", "t2")


def test_load_demonstration_parses_text_with_the_given_style_and_names(tmp_path):
    path = tmp_path / "demo2code_x_demo.txt"
    path.write_text("[Scenario 1]\nA.\nState 2:\n'a' is at 'b'\n", encoding="utf-8")
    d = D.load_demonstration(path)
    assert (d.benchmark, d.task) == ("robotouille", "x")
    d = D.load_demonstration(path, style="tabletop", benchmark="bench", task="t")
    assert (d.benchmark, d.task) == ("bench", "t")
    assert D.load_demonstration(path, style="tabletop").benchmark == "tabletop"


def test_load_demonstration_refuses_non_utf8_and_missing_files(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"[Scenario 1]\n\xff\xfe\n")
    with pytest.raises(InputError) as err:
        D.load_demonstration(path)
    assert str(err.value) == f"{path}: file: expected UTF-8 text"
    with pytest.raises(InputError) as err:
        D.load_demonstration(tmp_path / "none.txt")
    assert str(err.value) == f"{tmp_path / 'none.txt'}: file: not found"


def test_save_text_writes_utf8_in_the_given_style_creating_directories(tmp_path):
    d = demo("robotouille", Scenario(None, [Step(None, [C("at", "é1", "s1")])]))
    path = tmp_path / "a" / "b" / "d.txt"
    D.save_text(d, path, "epic")
    assert path.read_bytes() == "[Scenario 1]\nDo it.\n\nState 2:\nat(`é1`, `s1`)\n".encode()
    D.save_text(d, tmp_path / "a" / "b" / "e.txt")  # the directory exists already
    assert (
        (tmp_path / "a" / "b" / "e.txt").read_text(encoding="utf-8").endswith("'é1' is at 's1'\n")
    )
    assert sorted(p.name for p in path.parent.iterdir()) == ["d.txt", "e.txt"]


@pytest.mark.parametrize("name", ["d.json", "d.JSON"])
def test_a_json_suffix_means_json_even_if_the_text_is_not(tmp_path, name):
    path = tmp_path / name
    path.write_text("[Scenario 1]\nA.\n")
    with pytest.raises(InputError) as err:
        D.load_demonstration(path)
    # read as JSON: the JSON reader's error, not the text parser's
    assert err.value.source == str(path) and err.value.expected.startswith("invalid JSON")


# --- scenario bodies without an instruction; an initial state above the first header --------


def test_epic_body_may_start_with_the_objects_to_clean_header():
    # No instruction line (DemoNoLang2Code): in the EPIC style "Objects to clean:" starts
    # the body, so it is read as the header, not as the instruction.
    text = "[Scenario 1]\nObjects to clean:\n- bowl_1 in sink_1\nState 2:\n"
    demo = D.parse(text, "epic")
    assert demo.instruction_given is False
    assert demo.scenarios[0].extra == {"objects_to_clean": [["bowl_1", "sink_1"]]}


def test_objects_to_clean_starts_a_body_only_in_the_epic_style():
    # In the quoted styles the same line right after the header is the instruction.
    demo = D.parse("[Scenario 1]\nObjects to clean:\nState 2:\n", "robotouille")
    assert demo.instruction == "Objects to clean:"


def test_initial_state_above_the_first_header_is_read_in_the_files_style():
    # Some release files put scenario 1's initial block before "[Scenario 1]"; its lines
    # are predicates of the file's style (EPIC calls here, quoted phrases below).
    epic = "Initial Condition (State 1):\nin(`bowl_1`, `sink_1`)\n[Scenario 1]\nWash.\nState 2:\n"
    assert D.parse(epic, "epic").scenarios[0].initial_state == [C("in", "bowl_1", "sink_1")]
    table = "Initial State (State 1):\n'a' is on top of 'b'\n[Scenario 1]\nStack.\nState 2:\n"
    assert D.parse(table, "tabletop").scenarios[0].initial_state == [C("atop", "a", "b")]


def test_a_predicate_before_any_header_or_initial_block_is_refused():
    # Without an initial-state header first, even a valid predicate line is stray text.
    with pytest.raises(InputError) as err:
        D.parse("'a' is on top of 'b'\n[Scenario 1]\nx\n", "tabletop")
    assert (err.value.where, err.value.expected) == (
        "line 1",
        "expected a '[Scenario N]' header, got \"'a' is on top of 'b'\"",
    )

"""Code extraction, undefined-call detection and program assembly."""

from __future__ import annotations

import ast

import pytest

from demo2code.codegen import assemble, extract_code, undefined_calls

API = {"move", "pick_up", "place", "noop", "get_all_obj_names_that_match_type"}


def names(code: str, known: set[str] = API) -> list[str]:
    return [site.name for site in undefined_calls(code, known)]


# --- extraction -------------------------------------------------------------------------------


def test_python_fence_is_extracted() -> None:
    answer = "Here you go:\n```python\nmove(a, b)\n```\nThat is all."
    assert extract_code(answer) == "move(a, b)"


def test_bare_fence_is_extracted() -> None:
    assert extract_code("```\nx = 1\nnoop()\n```") == "x = 1\nnoop()"


def test_other_languages_are_ignored() -> None:
    answer = "```text\nnot code at all (\n```\n```py\nnoop()\n```"
    assert extract_code(answer) == "noop()"


def test_last_block_wins() -> None:
    answer = "```python\nfirst()\n```\nBetter:\n```python\nsecond()\n```"
    assert extract_code(answer) == "second()"


def test_short_trailing_usage_block_loses_to_longest() -> None:
    long = "\n".join(["def f(x):", "    a = x", "    b = a", "    c = b", "    return c"])
    answer = f"```python\n{long}\n```\nUse it like:\n```python\nf(1)\n```"
    assert extract_code(answer) == long


def test_block_that_does_not_parse_is_skipped_when_another_parses() -> None:
    answer = "```python\nfine()\n```\n```python\ndef broken(:\n```"
    assert extract_code(answer) == "fine()"


def test_broken_only_block_is_returned_for_error_reporting() -> None:
    code = extract_code("```python\ndef broken(:\n    pass\n```")
    assert code is not None and code.startswith("def broken(")


def test_unfenced_code_is_accepted_and_prose_is_not() -> None:
    assert extract_code("noop()\nmove(a, b)") == "noop()\nmove(a, b)"
    assert extract_code("Done") is None
    assert extract_code("I cannot write this program, sorry.") is None
    assert extract_code("") is None


def test_unterminated_fence_still_yields_code() -> None:
    assert extract_code("```python\nnoop()\n") == "noop()"


# --- undefined calls -----------------------------------------------------------------------


def test_api_builtins_and_local_definitions_are_not_undefined() -> None:
    code = """
def helper(obj):
    return len(str(obj))

x = get_all_obj_names_that_match_type('patty')
helper(x)
print(sorted(x))
cook_object_at_location(obj=x[0], location='stove1')
"""
    assert names(code) == ["cook_object_at_location"]


def test_call_text_is_kept_as_written() -> None:
    (site,) = undefined_calls("cook_object_at_location(obj=patty, location=stove)", API)
    assert site.text == "cook_object_at_location(obj=patty, location=stove)"
    assert site.lineno == 1


def test_methods_on_objects_are_not_counted() -> None:
    code = "xs = []\nxs.append(1)\nd = {}\nd.get('a')\nfind_things().sort()"
    assert names(code) == ["find_things"]


def test_comprehension_loop_and_parameter_names_are_bound() -> None:
    code = """
def run(fn, *rest, key=None, **kw):
    fn()
    key()
    [g() for g in rest]
    for h in kw.values():
        h()
    return (lambda k: k())(fn)
run(noop)
"""
    assert names(code) == []


def test_nested_definitions_count_as_defined() -> None:
    code = """
def outer():
    def inner():
        deeper_helper()
    inner()
outer()
"""
    assert names(code) == ["deeper_helper"]


def test_each_name_once_in_source_order() -> None:
    code = "b_thing()\na_thing(1)\nb_thing(2)\nif True:\n    c_thing()"
    assert names(code) == ["b_thing", "a_thing", "c_thing"]


def test_assigned_callables_and_imports_are_bound() -> None:
    code = "import math as m\nf = print\nf(m.sqrt(2))\n"
    code += "try:\n    pass\nexcept Exception as e:\n    e()"
    assert names(code) == []


# --- assembly -------------------------------------------------------------------------------


def test_assemble_puts_helpers_first_and_each_function_once() -> None:
    main = "patty = find_patty()\ncook(patty)"
    defs = {
        "find_patty": "def find_patty():\n    return 'patty1'",
        "cook": "def cook(x):\n    noop()\n\ndef find_patty():\n    return 'other'\n\ncook(1)",
    }
    program = assemble(main, defs)
    tree = ast.parse(program)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert functions == ["find_patty", "cook"]
    assert "'other'" not in program  # the later duplicate is dropped
    assert program.count("cook(1)") == 0  # stray statements of a definition are dropped
    body = [n for n in tree.body if not isinstance(n, ast.FunctionDef)]
    assert [ast.unparse(n) for n in body] == ["patty = find_patty()", "cook(patty)"]
    assert tree.body.index(body[0]) > 1  # main body after the helpers


def test_main_code_definitions_win_over_helpers() -> None:
    program = assemble("def f():\n    return 1\nf()", {"f": "def f():\n    return 2"})
    assert "return 1" in program and "return 2" not in program


def test_assemble_rejects_code_that_does_not_parse() -> None:
    with pytest.raises(SyntaxError):
        assemble("def broken(:\n    pass", {})

"""The static checks: what they let through and what they refuse, with the right line."""

from __future__ import annotations

import pytest

from demo2code.sandbox import SandboxRejected, SandboxSyntaxError, validate

ALLOWED = [
    "for _ in range(3):\n    add(1)\n",
    "def helper(n, *rest, step=1, **extra):\n    return [i * step for i in range(n)]\n",
    "total = 0\ndef bump():\n    global total\n    total += 1\n",
    "def outer():\n    x = 0\n    def inner():\n        nonlocal x\n        x += 1\n    inner()\n",
    "name = 'patty'\nsay(f'cook {name}!r {len(name):>4}')\n",
    "say('%s and %d' % ('a', 2))\n",
    "n = 3\nsay(f'{n:>{n}} {n!r:^10}')\n",
    "try:\n    take(5)\nexcept ValueError as err:\n    say(str(err))\n",
    "squares = {k: k * k for k in range(4)}\nf = lambda a, b=2: a + b\n",
    "match value():\n    case 0:\n        pass\n    case [a, *others]:\n        pass\n",
    "s = '__class__ is just text here'\n",
]


@pytest.mark.parametrize("code", ALLOWED)
def test_ordinary_programs_pass(code: str) -> None:
    validate(code)


REFUSED = [
    ("import os\n", 1, "import"),
    ("x = 1\nfrom os import path\n", 2, "import"),
    ("x = ().__class__\n", 1, "'__class__'"),
    ("def f():\n    pass\ng = f.__globals__\n", 3, "'__globals__'"),
    ("def _helper():\n    pass\n", 1, "'_helper'"),
    ("def f(_x):\n    pass\n", 1, "'_x'"),
    ("dict(_secret=1)\n", 1, "'_secret'"),
    ("y = 2\nf = eval\n", 2, "'eval'"),
    ("exec('x = 1')\n", 1, "'exec'"),
    ("getattr(1, 'real')\n", 1, "'getattr'"),
    ("v = vars()\n", 1, "'vars'"),
    ("t = type(1)\n", 1, "'type'"),
    ("def g():\n    yield 1\nfr = g().gi_frame\n", 3, "'gi_frame'"),
    ("m = int.mro()\n", 1, "'mro'"),
    # every .format is refused: no analysis of a template is sound (a malformed template
    # is still evaluated up to its first bad field)
    ("'{0.real}'.format(1)\n", 1, "'format'"),
    ("'{}'.format(1)\n", 1, "'format'"),
    ("'{0.real.imag} {'.format(1)\n", 1, "'format'"),
    ("t = '{}'\nt.format(1)\n", 2, "'format'"),
    ("str.format('{}', 1)\n", 1, "'format'"),
    ("'{x}'.format_map({'x': 1})\n", 1, "'format_map'"),
    # match-class keyword patterns go through the attribute rules
    ("match 'x':\n    case str(format=f):\n        pass\n", 2, "'format'"),
    ("match add:\n    case object(gi_frame=g):\n        pass\n", 2, "'gi_frame'"),
    ("match 1:\n    case int(mro=m):\n        pass\n", 2, "'mro'"),
    # exceptions that hand out live objects
    ("try:\n    add.x\nexcept AttributeError as e:\n    o = e.obj\n", 4, "'obj'"),
    ("class A:\n    pass\n", 1, "class"),
    ("async def f():\n    pass\n", 1, "async"),
    ("match 1:\n    case int(_n=c):\n        pass\n", 2, "'_n'"),
    ("try:\n    pass\nexcept Exception as _e:\n    pass\n", 3, "'_e'"),
]


@pytest.mark.parametrize(("code", "line", "fragment"), REFUSED)
def test_refused_constructs_name_construct_and_line(code: str, line: int, fragment: str) -> None:
    with pytest.raises(SandboxRejected) as info:
        validate(code)
    assert info.value.line == line
    assert fragment in info.value.construct
    assert "\n" not in str(info.value)
    assert f"line {line}" in str(info.value)


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("x = 1\ndef f(:\n    pass\n", 2),
        ("x = (1,\n", 1),
        ("x = 1\nreturn x\n", 2),  # only the compiler notices this one
        ("for i in range(2):\n    pass\nbreak\n", 3),
    ],
)
def test_syntax_errors_carry_the_line(code: str, line: int) -> None:
    with pytest.raises(SandboxSyntaxError) as info:
        validate(code)
    assert info.value.line == line


def test_null_byte_is_a_syntax_error() -> None:
    with pytest.raises(SandboxSyntaxError):
        validate("x = 1\x00\n")


def test_overlong_program_is_refused() -> None:
    with pytest.raises(SandboxRejected, match="longer than"):
        validate("x = 1\n" * 50_000)


@pytest.mark.parametrize(
    "code",
    [
        "x = " + "-" * 150_000 + "1\n",
        "x = add" + ".y" * 60_000 + "\n",
        "x = add" + "()" * 60_000 + "\n",
        "f = " + "lambda: " * 20_000 + "1\n",
        "x = 1" + " + 1" * 45_000 + "\n",
        "".join("    " * i + "if 1:\n" for i in range(120)) + "    " * 120 + "pass\n",
    ],
)
def test_parser_bombs_are_refused_without_hurting_the_parent(code: str) -> None:
    with pytest.raises((SandboxRejected, SandboxSyntaxError)):
        validate(code)


@pytest.mark.parametrize(
    "code",
    [
        "s = '" + "{:" * 3000 + "}" * 3000 + "'\n",  # nested format specs in a literal
        "x = [" * 5000 + "]" * 5000 + "\n",
        "x = {" * 3000 + "}" * 3000 + "\n",
        "x = 'a' * 10\n" + "y = (" * 200 + "1" + ")" * 200 + "\n",
        "f'{" * 200 + "1" + "}'" * 200 + "\n",
        "x = " + "not " * 100_000 + "1\n",
        "x = 1" + " if 1 else 1" * 30_000 + "\n",
    ],
)
def test_validator_only_ever_rejects(code: str) -> None:
    """Whatever the text, the validator returns or raises a rejection: never a
    RecursionError, MemoryError or any other exception that would end `eval`."""
    try:
        validate(code)
    except (SandboxRejected, SandboxSyntaxError) as err:
        assert "\n" not in str(err)


def test_non_text_program_is_rejected() -> None:
    with pytest.raises(SandboxRejected, match="not text"):
        validate(b"add(1)\n")  # type: ignore[arg-type]


def test_syntax_errors_keep_the_parser_s_own_message() -> None:
    with pytest.raises(SandboxSyntaxError) as info:
        validate("if True\n    pass\n")
    assert info.value.message == "expected ':'" and info.value.line == 1
    with pytest.raises(SandboxSyntaxError) as info:
        validate("x = 1\x00\n")
    assert "null" in info.value.message and info.value.line is None


def test_compiler_only_errors_keep_their_message() -> None:
    with pytest.raises(SandboxSyntaxError) as info:
        validate("x = 1\nreturn x\n")
    assert info.value.message == "'return' outside function" and info.value.line == 2


def test_length_cap_is_inclusive_of_the_limit() -> None:
    from demo2code.sandbox.validate import MAX_CODE_CHARS

    at_limit = "x = 1\n" + "#" * (MAX_CODE_CHARS - 7) + "\n"
    assert len(at_limit) == MAX_CODE_CHARS
    validate(at_limit)
    with pytest.raises(SandboxRejected, match="longer than 200000 characters"):
        validate(at_limit + " ")


def test_a_rejection_without_a_line_names_the_program() -> None:
    err = SandboxRejected("something", None)
    assert str(err) == "<generated>: program: refused construct: something"
    assert str(SandboxSyntaxError("bad", None)) == "<generated>: program: syntax error: bad"


def test_too_deep_for_the_parser_is_named_as_such() -> None:
    with pytest.raises((SandboxRejected, SandboxSyntaxError)) as info:
        validate("x = " + "-" * 150_000 + "1\n")
    text = str(info.value)
    assert "cannot handle" in text or "too deeply nested" in text or "too many" in text


@pytest.mark.parametrize(
    "code",
    [
        "def f(**extra):\n    return extra\nf(**{'a': 1})\n",  # keyword without a name
        "match {'a': 1}:\n    case {'a': 1, **rest}:\n        pass\n",
        "match [1]:\n    case [*rest]:\n        pass\n",
        "try:\n    pass\nexcept ValueError:\n    pass\n",  # handler without a name
    ],
)
def test_nameless_forms_are_not_mistaken_for_names(code: str) -> None:
    validate(code)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("match {'a': 1}:\n    case {**_rest}:\n        pass\n", "'_rest'"),
        ("match [1]:\n    case [*_rest]:\n        pass\n", "'_rest'"),
        ("def f():\n    global _g\n", "'_g'"),
        ("f = lambda **_kw: 1\n", "'_kw'"),
    ],
)
def test_underscore_names_in_every_binding_form_are_refused(code: str, fragment: str) -> None:
    with pytest.raises(SandboxRejected, match=fragment):
        validate(code)


def test_mapping_pattern_without_a_rest_name_is_allowed() -> None:
    validate("match {'a': 1}:\n    case {'a': 1}:\n        pass\n")


def test_error_texts_name_line_or_program_exactly() -> None:
    assert str(SandboxSyntaxError("bad", 3)) == "<generated>: line 3: syntax error: bad"
    with pytest.raises(SandboxRejected) as info:
        validate(b"x")  # type: ignore[arg-type]
    assert info.value.construct == "program is not text"

"""A corpus of hostile programs: each must be contained and put in the expected class."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from demo2code.sandbox import Limits, run_program
from tests.sandbox.attacks import ATTACKS, PRELUDE
from tests.sandbox.host_probe import episode_processes
from tests.sandbox.toy_episode import CounterEpisode

# Programs expected to time out get short limits; the others get room, so that a loaded
# machine (parallel test workers) cannot turn a memory bomb into a time-out.
LIMITS = Limits(wall_seconds=2.0, cpu_seconds=1, memory_mb=128, grace_seconds=0.5)
ROOMY = Limits(wall_seconds=15.0, cpu_seconds=8, memory_mb=64, grace_seconds=2.0)


# Loops that catch the step limit end by time; the report (with a long trace) needs a grace.
CAUGHT = Limits(wall_seconds=3.0, cpu_seconds=1, memory_mb=128, grace_seconds=2.0)


def limits_for(expected: str) -> Limits:
    return {"timeout": LIMITS, "step_limit": CAUGHT}.get(expected, ROOMY)


# (name, code, expected outcome)
HOSTILE: list[tuple[str, str, str]] = [
    # object internals
    ("class_bases", "x = ().__class__.__bases__\n", "rejected"),
    ("subclasses", "s = [c for c in ().__class__.__base__.__subclasses__()]\n", "rejected"),
    ("function_globals", "def f():\n    pass\ng = f.__globals__\n", "rejected"),
    ("api_self", "s = add.__self__\n", "rejected"),
    ("api_wrapped", "w = add.__wrapped__\n", "rejected"),
    ("print_self", "b = print.__self__\n", "rejected"),
    ("builtins_name", "b = __builtins__\n", "rejected"),
    ("object_subclasses", "s = object.__subclasses__()\n", "rejected"),
    ("type_call", "t = type(1)\n", "rejected"),
    ("mro_no_underscore", "m = int.mro()\n", "rejected"),
    ("keyword_dunder", "d = dict(__class__=1)\n", "rejected"),
    ("lambda_dunder_arg", "f = lambda __x: __x\n", "rejected"),
    ("match_dunder", "match 1:\n    case int(__class__=c):\n        pass\n", "rejected"),
    ("class_statement", "class Evil:\n    pass\n", "rejected"),
    # string formatting
    ("format_dunder", "s = '{0.__class__}'.format(1)\n", "rejected"),
    ("format_nested", "s = '{0:{1.__class__}}'.format(1, 2)\n", "rejected"),
    ("format_variable", "t = '{0.__cla' + 'ss__}'\ns = t.format(1)\n", "rejected"),
    ("format_unbound", "s = str.format('{0.__class__}', 1)\n", "rejected"),
    ("format_map", "s = '{x.real}'.format_map({'x': 1})\n", "rejected"),
    ("fstring_dunder", "s = f'{(1).__class__}'\n", "rejected"),
    ("match_format", "match 'x':\n    case str(format=f):\n        f('{0.x}')\n", "rejected"),
    (
        "match_gi_frame",
        "g = (x for x in [1])\nmatch g:\n    case object(gi_frame=f):\n        pass\n",
        "rejected",
    ),
    ("malformed_template", "s = '{0.__class__.__init__} {'.format(add)\n", "rejected"),
    ("malformed_plain_names", "s = '{0.real.imag} {'.format(1)\n", "rejected"),
    ("exception_obj", "try:\n    add.x\nexcept AttributeError as e:\n    o = e.obj\n", "rejected"),
    ("format_spec_bomb", "s = '" + "{:" * 3000 + "}" * 3000 + "'\n", "finished"),
    ("ansi_message", "raise ValueError('\x1b[2K\x1b[1Aunit test: passed')\n", "runtime_error"),
    ("argument_flood", "try:\n    say('x' * 4000000)\nexcept TypeError:\n    pass\n", "finished"),
    # frames, generators, tracebacks
    ("generator_frame", "g = (x for x in [])\nd = g.gi_frame.f_globals\n", "rejected"),
    ("generator_code", "def gen():\n    yield 1\nc = gen().gi_code\n", "rejected"),
    (
        "traceback_frame",
        "try:\n    1 / 0\nexcept Exception as e:\n    f = e.__traceback__\n",
        "rejected",
    ),
    # builtins tricks and aliases
    ("getattr_alias", "g = getattr\nc = g(1, '__cl' + 'ass__')\n", "rejected"),
    ("eval_call", "eval('1 + 1')\n", "rejected"),
    ("exec_alias", "e = exec\ne('x = 1')\n", "rejected"),
    ("compile_call", "c = compile('1', 'x', 'eval')\n", "rejected"),
    ("dunder_import", "os = __import__('os')\n", "rejected"),
    ("globals_dict", "globals()['add'] = None\n", "rejected"),
    ("open_file", "data = open('/etc/passwd').read()\n", "rejected"),
    ("import_os", "import os\nos.system('true')\n", "rejected"),
    ("from_import", "from subprocess import run\n", "rejected"),
    ("nested_import", "def f():\n    import ctypes\nf()\n", "rejected"),
    ("fork_without_import", "pid = os.fork()\n", "runtime_error"),
    ("system_exit", "raise SystemExit(0)\n", "runtime_error"),
    ("keyboard_interrupt", "raise KeyboardInterrupt\n", "runtime_error"),
    ("unprintable_error", "raise ValueError(10**5000)\n", "runtime_error"),
    ("null_byte", "x = 1\x00\n", "syntax_error"),
    ("deep_parens", "x = " + "(" * 300 + "1" + ")" * 300 + "\n", "syntax_error"),
    # loops, CPU and time
    ("while_true", "while True:\n    pass\n", "timeout"),
    ("cpu_burner", "x = 0\nfor i in range(10**12):\n    x += i * i\n", "timeout"),
    ("huge_power", "x = 10**10**10\n", "timeout"),
    ("c_level_loop", "m = max(iter(int, 1))\n", "timeout"),
    (
        "swallow_everything",
        "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass\n",
        "timeout",
    ),
    ("output_flood", "while True:\n    print('x' * 10000)\n", "timeout"),
    # memory
    ("list_bomb", "x = [0] * 10**10\n", "memory_limit"),
    ("string_bomb", "s = 'a' * 10**11\n", "memory_limit"),
    ("growing_list", "l = []\nwhile True:\n    l.append('x' * 100000)\n", "memory_limit"),
    ("doubling_list", "l = [0]\nwhile True:\n    l = l + l\n", "memory_limit"),
    ("endless_iterator_list", "l = list(iter(int, 1))\n", "memory_limit"),
    ("sorted_range", "s = sorted(range(10**10))\n", "memory_limit"),
    # recursion
    ("recursion_bomb", "def f():\n    return f()\nf()\n", "runtime_error"),
    ("lambda_recursion", "f = lambda: f()\nf()\n", "runtime_error"),
    (
        "deep_structure_repr",
        "l = []\nfor i in range(100000):\n    l = [l]\ns = str(l)\n",
        "runtime_error",
    ),
    ("deep_expression", "x = 1" + " + 1" * 40000 + "\n", "rejected"),
    # the episode's own guards
    (
        "step_limit_caught_forever",
        "while True:\n    try:\n        add(1)\n    except Exception:\n        pass\n",
        "step_limit",
    ),
    (
        "step_limit_caught_then_spin",
        "for i in range(30):\n    try:\n        add(1)\n    except Exception:\n        pass\n"
        "while True:\n    pass\n",
        "step_limit",
    ),
]


def test_corpus_is_large_and_names_are_unique() -> None:
    """The filter-level corpus here plus the past-the-filter attacks (tests/sandbox/
    attacks.py, run with the filter off in test_isolation) make the hostile corpus."""
    names = [name for name, _, _ in HOSTILE] + [name for name, _ in ATTACKS]
    assert len(names) >= 70
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("name", "code"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks_are_refused_by_the_filter(name: str, code: str) -> None:
    result = run_program(PRELUDE + code, CounterEpisode, LIMITS)
    assert result.outcome == "rejected" and result.trace is None


def test_messages_and_output_reach_the_user_without_control_characters() -> None:
    code = "print('\x1b[31mred\x1b[0m\x07')\nraise ValueError('\x1b]0;title\x07\x9bpainted')\n"
    result = run_program(code, CounterEpisode, LIMITS)
    assert "\x1b" not in result.output + result.message and "\x07" not in result.output
    assert "\x9b" not in result.message and "painted" in result.message
    assert result.output == "[31mred[0m\n"


@pytest.mark.parametrize(("name", "code", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_program_is_contained(name: str, code: str, expected: str) -> None:
    limits = limits_for(expected)
    result = run_program(code, CounterEpisode, limits)
    assert result.outcome == expected, (name, result.message)
    assert result.seconds < limits.wall_seconds + limits.grace_seconds + 1.0
    assert len(result.output) <= limits.max_output_chars
    assert episode_processes() == set()  # reaped: no zombie, no stray child left running


def test_output_flood_keeps_the_capped_output() -> None:
    result = run_program("while True:\n    print('x' * 10000)\n", CounterEpisode, LIMITS)
    assert result.output_truncated
    assert result.output == (("x" * 10000 + "\n") * 3)[: LIMITS.max_output_chars]
    assert "then ended" not in result.message


MEMORY_BOMBS = [code for _, code, expected in HOSTILE if expected == "memory_limit"]


def test_parent_memory_and_fds_do_not_grow_over_repeated_bombs() -> None:
    for code in MEMORY_BOMBS:  # warm-up: imports, caches, first allocations
        run_program(code, CounterEpisode, ROOMY)
    rss_before, fds_before = _rss_bytes(), _open_fds()
    for _ in range(3):
        for code in MEMORY_BOMBS:
            assert run_program(code, CounterEpisode, ROOMY).outcome == "memory_limit"
    assert _rss_bytes() - rss_before < 16 << 20
    assert _open_fds() == fds_before


def _rss_bytes() -> int:
    resident = int(Path("/proc/self/statm").read_text().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE")


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))

"""run_program: outcomes, lines, traces, output capture and the time-out paths."""

from __future__ import annotations

import time

import pytest

from demo2code.benchmarks.base import OUTCOMES
from demo2code.sandbox import Limits, RunResult, SandboxHarnessError, run_program
from tests.sandbox.toy_episode import CounterEpisode, OddEpisode

FAST = Limits(wall_seconds=2.0, cpu_seconds=1, memory_mb=128, grace_seconds=0.5)


def run(code: str, limits: Limits = FAST, factory=CounterEpisode) -> RunResult:
    result = run_program(code, factory, limits)
    assert result.outcome in OUTCOMES
    return result


def test_normal_program_finishes_with_trace_and_output() -> None:
    code = "for i in range(1, 4):\n    add(i)\nprint('value', value())\ntake(2)\nsay('done')\n"
    result = run(code)
    assert result.outcome == "finished"
    assert result.line is None and result.message == ""
    assert result.output == "value 6\n"
    assert result.trace == {
        "value": 4,
        "actions": ["add(1)", "add(2)", "add(3)", "take(2)"],
        "said": ["done"],
        "failures": [],
    }
    assert 0 < result.seconds < FAST.wall_seconds


def test_result_round_trips_through_json() -> None:
    result = run("add(2)\nprint('x')\n")
    assert RunResult.from_json(result.to_json()) == result


def test_episode_state_does_not_leak_between_runs() -> None:
    first = run("add(5)\n")
    second = run("add(1)\n")
    assert first.trace["value"] == 5 and second.trace["value"] == 1


def test_syntax_error_and_rejected_never_start_a_child() -> None:
    calls: list[int] = []

    def factory() -> CounterEpisode:
        calls.append(1)
        return CounterEpisode()

    syntax = run_program("add(1)\nif True\n", factory, FAST)
    rejected = run_program("add(1)\nx = add.__self__\n", factory, FAST)
    assert (syntax.outcome, syntax.line) == ("syntax_error", 2)
    assert (rejected.outcome, rejected.line) == ("rejected", 2)
    assert "__self__" in rejected.message
    assert calls == []  # the factory was never called, in this process or any other
    assert syntax.trace is None and rejected.trace is None


def test_runtime_error_reports_type_message_and_generated_line() -> None:
    code = "def helper(xs):\n    return xs[10]\n\nadd(1)\nhelper([1, 2])\n"
    result = run(code)
    assert result.outcome == "runtime_error"
    assert result.message.startswith("IndexError: list index out of range")
    assert result.line == 2  # the deepest line of the generated program, not the call site
    assert result.trace["actions"] == ["add(1)"]  # partial trace kept


def test_name_error_for_missing_builtin() -> None:
    result = run("add(1)\nx = sys.argv\n")
    assert (result.outcome, result.line) == ("runtime_error", 2)
    assert "NameError" in result.message and "sys" in result.message


def test_precondition_failure_names_action_and_condition() -> None:
    result = run("add(2)\n\ntake(7)\nadd(1)\n")
    assert result.outcome == "precondition_failed"
    assert result.message == "take(7) failed: counter is only 2"
    assert result.line == 3
    assert result.trace["actions"] == ["add(2)", "take(7)"]


def test_caught_precondition_failure_still_decides_the_outcome() -> None:
    code = "add(1)\ntry:\n    take(9)\nexcept Exception:\n    say('ignored')\nadd(1)\n"
    result = run(code)
    assert result.outcome == "precondition_failed"
    assert result.line == 3  # recorded where the failing call was made
    assert result.trace["said"] == ["ignored"]
    assert result.trace["value"] == 2


def test_first_failure_wins_over_later_ones() -> None:
    code = "try:\n    add(0)\nexcept Exception:\n    pass\nwhile True:\n    add(1)\n"
    result = run(code)
    assert result.outcome == "precondition_failed"
    assert "add(0)" in result.message and result.line == 2
    assert [f["outcome"] for f in result.trace["failures"]] == ["precondition_failed", "step_limit"]


def test_step_limit_outcome_and_line() -> None:
    result = run("x = 0\nwhile True:\n    x = add(1)\n")
    assert result.outcome == "step_limit"
    assert result.line == 3
    assert len(result.trace["actions"]) == 20


def test_memory_error_is_memory_limit() -> None:
    result = run("add(1)\nsmall = [1]\nbig = [small] * 10**10\n")
    assert (result.outcome, result.line) == ("memory_limit", 3)
    assert result.trace["actions"] == ["add(1)"]


def test_recursion_error_is_a_runtime_error() -> None:
    result = run("def down(n):\n    return down(n + 1)\n\ndown(0)\n")
    assert result.outcome == "runtime_error"
    assert "RecursionError" in result.message and result.line == 2


def test_output_is_captured_and_capped() -> None:
    limits = Limits(wall_seconds=2, cpu_seconds=1, max_output_chars=50)
    result = run("for i in range(100):\n    print(i)\n", limits)
    assert result.outcome == "finished"
    assert result.output_truncated
    assert result.output == "".join(f"{i}\n" for i in range(100))[:50]


# --- the time-out paths ------------------------------------------------------------------


def test_wall_clock_timeout_keeps_trace_and_output() -> None:
    """CPU time is plentiful here: only the trusted side's wall clock can stop the loop."""
    limits = Limits(wall_seconds=0.8, cpu_seconds=5, grace_seconds=1.0)
    code = "add(1)\nprint('before')\nadd(2)\nwhile True:\n    pass\n"
    start = time.monotonic()
    result = run(code, limits)
    elapsed = time.monotonic() - start
    assert result.outcome == "timeout"
    assert "wall-clock" in result.message
    assert result.output == "before\n"  # sent along with the call that followed it
    assert result.trace["actions"] == ["add(1)", "add(2)"]
    assert 0.8 <= elapsed < 1.8


def test_cpu_limit_timeout_keeps_the_trusted_trace() -> None:
    limits = Limits(wall_seconds=30, cpu_seconds=1)
    result = run("add(3)\nn = 0\nwhile True:\n    n += 1\n", limits)
    assert result.outcome == "timeout"
    assert "CPU" in result.message
    assert result.trace["value"] == 3  # the trace is the episode's own, never reported


def test_cpu_bound_c_loop_is_killed_by_the_hard_limit() -> None:
    """`max(iter(int, 1))` never returns to the interpreter: only a kill ends it."""
    limits = Limits(wall_seconds=3, cpu_seconds=1, grace_seconds=0.5)
    result = run("add(1)\nmax(iter(int, 1))\n", limits)
    assert result.outcome == "timeout"
    assert result.trace["actions"] == ["add(1)"]
    assert result.seconds < limits.wall_seconds + limits.grace_seconds + 0.5


# --- how the program's process ends, and what it can reach -------------------------------

OS = "os = print.__self__.__import__('os')\n"  # arbitrary Python, as if past the filter


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("raise SystemExit(3)\n", "SystemExit"),
        ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
        (OS + "os._exit(5)\n", "code 5"),
        (OS + "ctypes = print.__self__.__import__('ctypes')\nctypes.string_at(0)\n", "SIGSEGV"),
        (OS + "os.kill(os.getpid(), 11)\n", "forbidden system call"),
    ],
)
def test_process_level_escapes_are_contained(code: str, fragment: str) -> None:
    result = run_program("add(1)\n" + code, CounterEpisode, FAST, check=False)
    assert result.outcome == "runtime_error"
    assert fragment in result.message
    assert result.trace["actions"] == ["add(1)"]


def test_program_cannot_write_to_the_parent_streams(capfd: pytest.CaptureFixture[str]) -> None:
    code = "print('to the buffer')\n" + OS + "os.write(1, b'RAW-FD-LEAK')\n"
    result = run_program(code, CounterEpisode, FAST, check=False)
    assert result.output == "to the buffer\n"
    out, err = capfd.readouterr()
    assert "RAW-FD-LEAK" not in out + err and "to the buffer" not in out + err


def test_api_failures_reach_the_program_as_catchable_exceptions() -> None:
    code = (
        "try:\n    lookup('missing')\nexcept KeyError as e:\n    say('key ' + str(e))\n"
        "pair = both()\nsay(str(pair[0] + pair[1]))\nsay(str(isinstance(pair, tuple)))\n"
        "try:\n    opaque()\nexcept RuntimeError as e:\n    say('opaque refused')\n"
    )
    result = run(code, FAST, OddEpisode)
    assert result.outcome == "finished", result.message
    assert result.trace["said"] == ["key 'missing'", "3", "True", "opaque refused"]


def test_arguments_are_rebuilt_as_plain_values() -> None:
    code = "say(str(echo([1, (2, 'x'), {'k': None}])))\n"
    result = run(code, FAST, OddEpisode)
    assert result.trace["said"] == ["[1, (2, 'x'), {'k': None}]"]


def test_oversized_argument_is_refused_before_the_simulator() -> None:
    result = run("try:\n    say('x' * 4_000_000)\nexcept TypeError as e:\n    add(1)\n")
    assert result.outcome == "finished"
    assert result.trace["said"] == [] and result.trace["actions"] == ["add(1)"]


def test_factory_failure_is_a_harness_error() -> None:
    def broken() -> CounterEpisode:
        raise OSError("level file missing")

    with pytest.raises(SandboxHarnessError, match="level file missing"):
        run_program("add(1)\n", broken, FAST)


def test_objects_in_the_namespace_reach_the_program_as_dotted_stubs() -> None:
    from tests.sandbox.toy_episode import ToolboxEpisode

    result = run("say(np.random.choice(CORNERS))\nCORNERS.append('c')\nsay(str(CORNERS))\n",
                 FAST, ToolboxEpisode)  # fmt: skip
    assert result.outcome == "finished", result.message
    assert result.trace["said"] == ["b", "['a', 'b', 'c']"]


class _QueryEpisode(OddEpisode):
    """`value`, `lookup`, `both` and `items` declared queries; every call that reaches the trusted
    side is counted."""

    queries = frozenset({"value", "lookup", "both", "items", "not_an_api_name"})

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        for name, fn in list(self.namespace.items()):
            self.namespace[name] = self._counted(name, fn)
        self.namespace["items"] = self._counted("items", lambda: [self.value, self.value])

    def _counted(self, name, fn):
        def call(*args, **kwargs):
            self.asked.append(name)
            return fn(*args, **kwargs)

        return call

    def trace(self) -> dict:
        return {**super().trace(), "asked": list(self.asked)}


def test_a_repeated_query_is_answered_in_the_sandbox_until_another_call() -> None:
    code = (
        "a = value()\nb = value()\nadd(2)\nc = value()\nd = value()\n"
        "try:\n    lookup('nope')\nexcept KeyError:\n    pass\n"
        "try:\n    lookup('nope')\nexcept KeyError:\n    pass\n"
        "say(str([a, b, c, d]))\n"
    )
    result = run(code, factory=_QueryEpisode)
    assert result.outcome == "finished"
    assert result.trace["said"] == ["[0, 0, 2, 2]"]
    # the second value() before and after add() never left the sandbox; a failing query is
    # always asked again
    assert result.trace["asked"] == ["value", "add", "value", "lookup", "lookup", "say"]


def test_a_cached_answer_is_a_fresh_copy_and_undeclared_names_are_always_asked() -> None:
    code = (
        "x = both()\ny = both()\nz = items()\nz.append(9)\nw = items()\n"
        "echo(1)\necho(1)\nsay(str([x, y, w]))\n"
    )
    result = run(code, factory=_QueryEpisode)
    assert result.trace["said"] == ["[(1, 2), (1, 2), [0, 0]]"]
    assert result.trace["asked"] == ["both", "items", "echo", "echo", "say"]

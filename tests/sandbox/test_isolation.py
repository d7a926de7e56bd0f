"""The boundary without the filter: arbitrary Python in the untrusted process, as root and
as an ordinary user, and each isolation layer on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation.episodes import judge
from demo2code.sandbox import Limits, available_layers, run_program
from tests.sandbox.attacks import ATTACKS, PRELUDE
from tests.sandbox.host_probe import run_attacks
from tests.sandbox.toy_episode import CounterEpisode

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3.11"  # readable by any uid, unlike a venv under /root
NOBODY = 65534
FAST = Limits(wall_seconds=3.0, cpu_seconds=1, memory_mb=128, grace_seconds=0.5)


def _assert_contained(report: dict) -> None:
    name = report["name"]
    assert not report["canary"], f"{name}: the canary environment reached the result"
    assert report["breaches"] == [], f"{name}: reached the host: {report['breaches']}"
    assert report["left"] == [], f"{name}: processes outlived the episode"
    assert not report["control"], f"{name}: control characters in the result"


@pytest.mark.parametrize(("name", "code"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_without_filter_is_contained(
    name: str, code: str, capfd: pytest.CaptureFixture[str]
) -> None:
    (report,) = run_attacks([(name, code)], None)
    _assert_contained(report)
    out, err = capfd.readouterr()
    assert "unit test: passed" not in out + err  # nothing reached this terminal


def _as_user(layers: str, names: list[str] | None = None, root: bool = False) -> dict:
    """Run host_probe in a fresh trusted process whose initial environment holds the
    canary, as an ordinary user (dropping to `nobody` when the tests run as root)."""
    if not Path(SYSTEM_PYTHON).is_file():
        pytest.skip(f"{SYSTEM_PYTHON} is needed to run as an ordinary user")
    site = [p for p in sys.path if p.endswith("site-packages")]
    argv = ["host_probe", layers, ",".join(names or [])]
    probe = str(ROOT / "tests/sandbox/host_probe.py")
    script = (
        f"import sys; sys.path[:0] = {[str(ROOT), *site]!r}; sys.argv = {argv!r}; "
        f"import runpy; runpy.run_path({probe!r}, run_name='__main__')"
    )
    drop = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    if root or os.getuid() != 0:
        drop = {}
    canary = "CANARY" + os.urandom(8).hex()
    done = subprocess.run(
        [SYSTEM_PYTHON, "-I", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "DEMO2CODE_TEST_CANARY": canary},
        **drop,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["uid"] == 0) == (root and os.getuid() == 0)
    return result


def test_attacks_as_an_ordinary_user_are_contained() -> None:
    """Same corpus, the trusted process an unprivileged user holding the canary: it
    survives every attack (it printed its report) and nothing reached the host."""
    result = _as_user("all")
    assert len(result["reports"]) == len(ATTACKS)
    for report in result["reports"]:
        _assert_contained(report)


@pytest.mark.skipif(os.getuid() != 0, reason="the tests do not run as root")
def test_attacks_as_root_with_the_canary_in_the_initial_environment() -> None:
    result = _as_user("all", root=True)
    assert len(result["reports"]) == len(ATTACKS)
    for report in result["reports"]:
        _assert_contained(report)


FORGERIES = [code for name, code in ATTACKS if name.startswith(("forge", "call_private"))]


@pytest.mark.parametrize("code", FORGERIES)
def test_forged_reports_never_pass_a_unit_test(code: str) -> None:
    bench = get_benchmark("robotouille")
    task = bench.tasks("test")[0]
    result = run_program(PRELUDE + code, lambda: bench.episode(task, 0), FAST, check=False)
    verdict = judge(bench, task, result)
    assert not verdict.passed
    assert result.trace["steps"] == []  # the trace is the simulator's: nothing happened


# --- one layer at a time ------------------------------------------------------------------

MKDIR = PRELUDE + "os.mkdir('/tmp/d2c-TOKEN-dir')\n"
SOCKET = PRELUDE + "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nsay('made')\n"


def _run_alone(code: str, layers: set[str]) -> tuple[dict, list[str]]:
    from tests.sandbox.host_probe import Host

    host = Host()
    try:
        result = run_program(
            host.program(code), CounterEpisode, FAST, check=False, layers=frozenset(layers)
        )
        return result.to_json(), host.breaches()
    finally:
        host.close()


def _needs(*layers: str) -> None:
    found = available_layers()
    missing = [f"{n}: {found[n]}" for n in layers if found.get(n) is not None]
    if missing:
        pytest.skip("; ".join(missing))


def test_seccomp_alone_stops_socket() -> None:
    _needs("seccomp")
    result, _ = _run_alone(SOCKET, {"seccomp"})
    assert result["outcome"] == "runtime_error" and "system call" in result["message"]
    control, _ = _run_alone(SOCKET, set())
    assert control["outcome"] == "finished" and control["trace"]["said"] == ["made"]


def test_empty_root_alone_stops_mkdir_in_tmp() -> None:
    _needs("namespaces", "empty_root")
    result, breaches = _run_alone(MKDIR, {"namespaces", "empty_root"})
    assert breaches == [] and result["outcome"] == "runtime_error"
    assert "FileNotFoundError" in result["message"] or "OSError" in result["message"]


def test_landlock_alone_stops_mkdir_in_tmp() -> None:
    _needs("landlock")
    result, breaches = _run_alone(MKDIR, {"landlock"})
    assert breaches == [] and "PermissionError" in result["message"]


def test_no_layer_lets_mkdir_through_so_the_layer_tests_mean_something() -> None:
    result, breaches = _run_alone(MKDIR, set())
    assert result["outcome"] == "finished" and len(breaches) == 1


def test_namespaces_alone_stop_tcp_to_localhost() -> None:
    _needs("namespaces")
    code = PRELUDE + "socket.create_connection(('127.0.0.1', PORT), 2)\n"
    result, breaches = _run_alone(code, {"namespaces"})
    assert breaches == [] and result["outcome"] == "runtime_error"
    control, breaches = _run_alone(code, set())
    assert control["outcome"] == "finished" and breaches == ["tcp connection"]


def test_namespaces_alone_hide_every_other_process() -> None:
    _needs("namespaces")
    code = PRELUDE + "say(str(os.getpid()))\nsay(str(os.getppid()))\n"
    result, _ = _run_alone(code, {"namespaces"})
    assert result["trace"]["said"] == ["1", "0"]  # PID 1 of its own namespace, no parent


def test_rlimits_alone_stop_file_bytes_and_processes() -> None:
    code = PRELUDE + "r = B.__import__('resource')\nsay(str(r.getrlimit(r.RLIMIT_FSIZE)))\n"
    result, _ = _run_alone(code, {"rlimits"})
    assert result["trace"]["said"] == ["(0, 0)"]


def test_new_session_alone_detaches_from_the_terminal() -> None:
    code = PRELUDE + "say(str(os.getsid(0)))\n"
    result, _ = _run_alone(code, {"new_session"})
    (sid,) = result["trace"]["said"]
    assert int(sid) != os.getsid(0)  # another session: no controlling terminal of ours


@pytest.mark.skipif(os.getuid() != 0, reason="uid_drop applies to a root-started run")
def test_uid_drop_alone_runs_the_program_as_nobody() -> None:
    code = PRELUDE + "say(str(os.getuid()) + ' ' + str(os.getgid()))\n"
    result, _ = _run_alone(code, {"uid_drop"})
    assert result["trace"]["said"] == [f"{NOBODY} {NOBODY}"]


def test_nondumpable_parent_alone_keeps_its_environment_from_a_same_uid_program() -> None:
    """As an ordinary user: with every other layer off the program can read the trusted
    process's /proc entries, except for its environment once it is non-dumpable."""
    off = _as_user("", ["ppid_chain_environ"])["reports"][0]
    on = _as_user("parent_nondumpable", ["ppid_chain_environ"])["reports"][0]
    assert off["canary"], "control: without the layer the canary is readable"
    assert not on["canary"]


def test_strict_isolation_refuses_when_a_layer_is_missing(tmp_path: Path) -> None:
    code = tmp_path / "p.py"
    code.write_text("noop()\n")
    found = available_layers()
    done = subprocess.run(
        [sys.executable, "-m", "demo2code.cli", "run", str(code), "--task", "cheese-burger",
         "--isolation", "strict", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    missing = [n for n, why in found.items() if why is not None and n != "uid_drop"]
    if missing:
        assert done.returncode == 2 and "strict" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    else:
        assert done.returncode == 1, done.stderr  # noop() fails the unit test
        assert "seccomp" in json.loads(done.stdout)["isolation"]

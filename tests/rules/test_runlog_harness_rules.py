"""The rules of the run directory (evaluation/runlog.py) and of the harness's bookkeeping
(evaluation/harness.py): resume identity, torn rows, row fields, stopping on failure.
Episodes themselves are not run here (their runner is tested on its own)."""

from __future__ import annotations

import json
import threading
import time
from types import SimpleNamespace

import pytest

from demo2code.benchmarks.base import TaskVariant
from demo2code.errors import InputError, UnknownName
from demo2code.evaluation import harness, runlog
from demo2code.evaluation.generation import REFERENCE, Generation
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec

# --- run.json: the identity of a run --------------------------------------------------------


def config(**over) -> dict:
    base = {k: None for k in runlog.IDENTITY_KEYS}
    base.update(benchmark="robotouille", method="demo2code", model="m", noise="")
    base.update(over)
    return base


def test_first_use_records_exactly_the_identity_keys(tmp_path):
    out = tmp_path / "run"
    runlog.check_run_config(out, config(workers=4, tasks=["a"]))
    stored = json.loads((out / runlog.RUN_FILE).read_text())
    assert stored == {k: config()[k] for k in runlog.IDENTITY_KEYS}
    assert list(stored) == list(runlog.IDENTITY_KEYS)


@pytest.mark.parametrize("key", runlog.IDENTITY_KEYS)
def test_every_identity_key_must_match_to_resume(tmp_path, key):
    out = tmp_path / "run"
    runlog.check_run_config(out, config())
    with pytest.raises(InputError) as err:
        runlog.check_run_config(out, config(**{key: "other"}))
    assert err.value.where == key
    assert f"{key}=" in err.value.expected and "'other'" in err.value.expected


def test_settings_outside_the_identity_may_differ_on_resume(tmp_path):
    out = tmp_path / "run"
    runlog.check_run_config(out, config(workers=1))
    runlog.check_run_config(out, config(workers=8, seeds=[1, 2]))


def test_identity_keys_are_the_documented_ones():
    assert runlog.IDENTITY_KEYS == (
        "benchmark", "method", "model", "noise", "noise_seed", "temperature", "max_tokens",
    )  # fmt: skip


def test_results_without_run_json_are_refused(tmp_path):
    (tmp_path / runlog.RESULTS_FILE).write_text("{}\n")
    with pytest.raises(InputError) as err:
        runlog.check_run_config(tmp_path, config())
    assert (err.value.where, err.value.expected) == (
        runlog.RUN_FILE,
        "missing next to results.jsonl (not a run dir?)",
    )


def test_broken_run_json_names_the_line(tmp_path):
    (tmp_path / runlog.RUN_FILE).write_text("{\n  oops\n}")
    with pytest.raises(InputError) as err:
        runlog.check_run_config(tmp_path, config())
    assert (err.value.where, err.value.expected) == ("line 2", "valid JSON")


def test_write_atomic_replaces_the_whole_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "sub" / "f.txt"
    runlog.write_atomic(path, "long old text")
    runlog.write_atomic(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in path.parent.iterdir()] == ["f.txt"]


# --- results.jsonl --------------------------------------------------------------------------


def test_rows_are_appended_one_line_each(tmp_path):
    log = runlog.ResultsLog(tmp_path / "r.jsonl")
    assert log.read() == []  # no file yet
    log.append({"a": 1, "t": "é"})
    log.append({"a": 2})
    assert log.read() == [{"a": 1, "t": "é"}, {"a": 2}]
    assert (tmp_path / "r.jsonl").read_text(encoding="utf-8") == '{"a": 1, "t": "é"}\n{"a": 2}\n'


def test_torn_last_line_is_set_aside_and_the_file_rewritten_without_it(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": 2}\n{"a": ')
    log = runlog.ResultsLog(path)
    assert log.read() == [{"a": 1}, {"a": 2}]
    assert path.read_bytes() == b'{"a": 1}\n{"a": 2}\n'
    assert log.set_aside == [3]
    # the torn line, under its line number, in the .corrupt file next to the log
    assert log.corrupt_path.read_bytes() == b'# line 3\n{"a": \n'
    log.append({"a": 3})
    assert log.read() == [{"a": 1}, {"a": 2}, {"a": 3}]


def test_complete_line_that_is_not_json_is_set_aside_and_later_rows_survive(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": 1}\nnot json\n{"a": 3}\n')
    log = runlog.ResultsLog(path)
    assert log.read() == [{"a": 1}, {"a": 3}]
    assert path.read_bytes() == b'{"a": 1}\n{"a": 3}\n'
    assert log.set_aside == [2]


def test_a_line_without_the_required_keys_is_not_a_row(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"variant": "v", "seed": 0}\n{"seed": 1}\n[1]\n')
    log = runlog.ResultsLog(path, runlog.ROW_KEYS)
    assert log.read() == [{"variant": "v", "seed": 0}]
    assert log.set_aside == [2, 3]


def test_intact_file_is_not_rewritten(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    before = path.stat().st_mtime_ns
    time.sleep(0.01)
    runlog.ResultsLog(path).read()
    assert path.stat().st_mtime_ns == before


def test_concurrent_appends_never_interleave(tmp_path):
    log = runlog.ResultsLog(tmp_path / "r.jsonl")
    big = "x" * 5000

    def write(n: int) -> None:
        for i in range(20):
            log.append({"n": n, "i": i, "pad": big})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = log.read()
    assert len(rows) == 80 and all(r["pad"] == big for r in rows)


# --- saved programs -------------------------------------------------------------------------


def test_program_paths(tmp_path):
    assert runlog.program_paths(tmp_path, "v") == (
        tmp_path / "programs" / "v.py",
        tmp_path / "programs" / "v.json",
        tmp_path / "programs" / "v.transcript.jsonl",
    )


def test_generation_record_round_trip_and_absence(tmp_path):
    assert runlog.load_generation(tmp_path, "v") is None
    runlog.save_generation(tmp_path, "v", "x = 1\n", {"method": "m", "é": 1})
    assert runlog.load_generation(tmp_path, "v") == {"method": "m", "é": 1}
    assert (tmp_path / "programs" / "v.py").read_text() == "x = 1\n"


def test_failed_generation_saves_the_record_but_no_program(tmp_path):
    runlog.save_generation(tmp_path, "v", None, {"error": "e"})
    assert not (tmp_path / "programs" / "v.py").exists()
    assert runlog.load_generation(tmp_path, "v") == {"error": "e"}


def test_broken_generation_record_counts_as_never_generated(tmp_path):
    _, record, _ = runlog.program_paths(tmp_path, "v")
    record.parent.mkdir(parents=True)
    record.write_text("{half")
    assert runlog.load_generation(tmp_path, "v") is None


# --- harness: identity, rows ----------------------------------------------------------------


def test_run_identity_of_a_model_run():
    cfg = ModelConfig(model="gpt-x", temperature=0.5, max_tokens=99)
    ident = harness.run_identity("tabletop", "demo2code", cfg, [NoiseSpec("drop-state", 0.1)], 7)
    assert ident == {
        "benchmark": "tabletop",
        "method": "demo2code",
        "model": "gpt-x",
        "noise": "drop-state=0.1",
        "noise_seed": 7,
        "temperature": 0.5,
        "max_tokens": 99,
    }
    assert tuple(ident) == runlog.IDENTITY_KEYS


def test_run_identity_without_noise_records_no_noise_seed():
    ident = harness.run_identity("t", "demo2code", ModelConfig(model="m"), [], 7)
    assert (ident["noise"], ident["noise_seed"]) == ("", None)


def test_reference_runs_record_no_model_and_no_sampling():
    ident = harness.run_identity("t", REFERENCE, ModelConfig(model="m", temperature=1.0), [], 0)
    assert (ident["model"], ident["temperature"], ident["max_tokens"]) == (None, None, None)


def test_offline_runs_record_the_model_but_no_sampling():
    cfg = ModelConfig(temperature=1.0)
    assert cfg.offline
    ident = harness.run_identity("t", "demo2code", cfg, [], 0)
    assert ident["model"] == cfg.model
    assert (ident["temperature"], ident["max_tokens"]) == (None, None)


def test_unknown_method_is_refused_with_suggestions():
    harness.check_method(REFERENCE)
    with pytest.raises(UnknownName) as err:
        harness.check_method("demo2cod")
    assert err.value.kind == "--method"


def result(passed: bool, reasons=(), executed=True):
    return SimpleNamespace(
        outcome="ok" if passed else "failed",
        message="msg",
        line=3,
        executed=executed,
        passed=passed,
        reasons=tuple(reasons),
        seconds=0.5,
        isolation=("seccomp",),
    )


def test_row_fields_and_token_sum():
    task = TaskVariant("v1", "fam", "i", "s", "test")
    gen = Generation(
        "x = 1\n",
        None,
        "in-sha",
        calls=2,
        prompt_tokens=10,
        completion_tokens=5,
        latency_s=1.5,
        seconds=2.5,
    )
    ident = {"benchmark": "b", "method": "m", "model": "mod"}
    scores = {"bleu": 0.25, "codebleu": 0.5, "bleu_task": 0.125, "codebleu_task": 0.375}
    row = harness.make_row(ident, task, 4, gen, result(True), scores)
    assert row == {
        "benchmark": "b",
        "method": "m",
        "model": "mod",
        "variant": "v1",
        "family": "fam",
        "seed": 4,
        "code_sha256": gen.code_sha256,
        "inputs_sha256": "in-sha",
        "outcome": "ok",
        "message": "msg",
        "line": 3,
        "executed": True,
        "passed": True,
        "reasons": [],
        "failed_subgoal": None,
        "bleu": 0.25,
        "codebleu": 0.5,
        "bleu_task": 0.125,
        "codebleu_task": 0.375,
        "calls": 2,
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "tokens": 15,
        "latency_s": 1.5,
        "generation_seconds": 2.5,
        "run_seconds": 0.5,
        "isolation": ["seccomp"],  # the sandbox layers the episode ran under
    }


def test_failed_subgoal_is_the_last_reason_of_a_failed_episode():
    task = TaskVariant("v1", "fam", "i", "s", "test")
    gen = Generation(None, "no", "sha")
    ident = {"benchmark": "b", "method": "m", "model": None}
    scores = {"bleu": 0.0, "codebleu": 0.0}
    row = harness.make_row(ident, task, 0, gen, result(False, ["never: x", "subgoal 2"]), scores)
    assert row["failed_subgoal"] == "subgoal 2" and row["code_sha256"] is None
    row = harness.make_row(ident, task, 0, gen, result(False, []), scores)
    assert row["failed_subgoal"] is None
    row = harness.make_row(ident, task, 0, gen, result(True, ["note"]), scores)
    assert row["failed_subgoal"] is None


# --- harness: running jobs ------------------------------------------------------------------


def test_shared_counts_rows_and_reports_progress(tmp_path):
    seen = []
    shared = harness._Shared(
        runlog.ResultsLog(tmp_path / "r.jsonl"), 3, 10, lambda d, t: seen.append((d, t))
    )
    shared.add({"a": 1})
    shared.add({"a": 2})
    assert (shared.done, shared.written, seen) == (5, 2, [(4, 10), (5, 10)])
    shared.unreached("v", "down")
    assert shared.unreachable == {"v": "down"}
    assert not shared.stop.is_set()


def test_run_all_runs_every_job(tmp_path):
    done = []
    shared = harness._Shared(runlog.ResultsLog(tmp_path / "r"), 0, 3, None)
    harness._run_all([1, 2, 3], done.append, 2, shared)
    assert sorted(done) == [1, 2, 3]
    assert not shared.stop.is_set()


def test_run_all_stops_new_work_and_reraises_the_first_failure(tmp_path):
    shared = harness._Shared(runlog.ResultsLog(tmp_path / "r"), 0, 3, None)
    started = []

    def work(job):
        started.append(job)
        if job == 1:
            raise RuntimeError("boom")
        time.sleep(0.05)

    with pytest.raises(RuntimeError, match="boom"):
        harness._run_all([1, 2, 3, 4, 5, 6], work, 1, shared)
    assert shared.stop.is_set()
    assert started[0] == 1 and len(started) < 6


def test_sigterm_becomes_keyboard_interrupt_in_the_main_thread():
    import os
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with harness._sigterm_as_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
    assert signal.getsignal(signal.SIGTERM) == before


def test_sigterm_handler_is_left_alone_off_the_main_thread():
    import signal

    seen = []

    def run():
        with harness._sigterm_as_interrupt():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert seen == [before]


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_run_json_is_written_one_key_per_line_in_a_new_nested_directory(tmp_path):
    out = tmp_path / "a" / "b" / "run"
    runlog.check_run_config(out, config(noise_seed=3))
    assert (out / runlog.RUN_FILE).read_text() == (
        "{\n"
        ' "benchmark": "robotouille",\n'
        ' "method": "demo2code",\n'
        ' "model": "m",\n'
        ' "noise": "",\n'
        ' "noise_seed": 3,\n'
        ' "temperature": null,\n'
        ' "max_tokens": null\n'
        "}\n"
    )


def test_existing_empty_directory_can_become_a_run(tmp_path):
    runlog.check_run_config(tmp_path, config())
    assert (tmp_path / runlog.RUN_FILE).is_file()


def test_resume_refusal_names_the_directory_and_both_values(tmp_path):
    runlog.check_run_config(tmp_path, config(model="a"))
    with pytest.raises(InputError) as err:
        runlog.check_run_config(tmp_path, config(model="b"))
    assert str(err.value) == (
        f"{tmp_path}: model: this directory holds a run with model='a', not 'b'; "
        "use another --out or the same settings"
    )


def test_run_dir_errors_name_the_file_or_directory(tmp_path):
    (tmp_path / runlog.RESULTS_FILE).write_text("")
    with pytest.raises(InputError) as err:
        runlog.check_run_config(tmp_path, config())
    assert err.value.source == str(tmp_path)
    (tmp_path / runlog.RUN_FILE).write_text("{")
    with pytest.raises(InputError) as err:
        runlog.check_run_config(tmp_path, config())
    assert err.value.source == str(tmp_path / runlog.RUN_FILE)


def test_write_atomic_creates_missing_parents_and_writes_utf8(tmp_path):
    path = tmp_path / "x" / "y" / "f.txt"
    runlog.write_atomic(path, "é\n")
    assert path.read_bytes() == "é\n".encode()


def test_generation_record_is_indented_utf8_text(tmp_path):
    runlog.save_generation(tmp_path, "v", None, {"note": "é", "n": [1]})
    _, record, _ = runlog.program_paths(tmp_path, "v")
    assert record.read_text(encoding="utf-8") == '{\n "note": "é",\n "n": [\n  1\n ]\n}\n'


def test_results_file_is_created_readable_and_not_executable(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        runlog.ResultsLog(tmp_path / "r.jsonl").append({"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.jsonl").stat().st_mode) == 0o644


# --- harness: evaluate with a stand-in benchmark, generator and episode runner ------------


class FakeBench:
    """Two variants: "a" (seeds 0, 1) and "b" (seed 0); the reference is one line."""

    name = "fake"

    def __init__(self):
        self.variants = [
            TaskVariant("a", "g1", "i", "s", "test", seeds=(0, 1)),
            TaskVariant("b", "g2", "i", "s", "test", seeds=(0,)),
            TaskVariant("c", "g2", "i", "s", "train", seeds=(0,)),
        ]

    def tasks(self, split):
        return [t for t in self.variants if t.split == split]

    def reference_code(self, task):
        return f"ref = {task.id!r}\n"


@pytest.fixture
def fake(monkeypatch):
    """Stand-ins for generation, episodes, scores and the derived files; each records the
    arguments it was given and the thread it ran on."""
    calls = {"generate": [], "gen_args": [], "run": [], "run_args": [], "sim": [], "outputs": []}
    calls["threads"] = set()
    state = {"program": "x = 1\n", "error": None, "retryable": False, "fail_seed": None}
    state["sleep"] = 0.0

    def generate(*args):
        task = args[1]
        calls["generate"].append(task.id)
        calls["gen_args"].append(args)
        calls["threads"].add(threading.current_thread().name)
        time.sleep(state["sleep"])
        return Generation(
            state["program"], state["error"], "sha-in", calls=1, retryable=state["retryable"]
        )

    def run_episode(*args):
        bench, task, seed, program, limits, _isolation = args
        calls["run"].append((task.id, seed))
        calls["run_args"].append(args)
        if seed == state["fail_seed"]:
            raise RuntimeError("episode crashed")
        return SimpleNamespace(
            outcome="ok" if seed == 0 else "wrong",
            passed=seed == 0,
            message="",
            line=None,
            executed=True,
            reasons=() if seed == 0 else ("subgoal 1/1 'x' never happened",),
            seconds=0.0,
            isolation=(),
        )

    def similarity(program, reference):
        calls["sim"].append((program, reference))
        return {"bleu": 1.0, "codebleu": 0.5}

    monkeypatch.setattr(harness, "generate", generate)
    monkeypatch.setattr(harness, "run_episode", run_episode)
    monkeypatch.setattr(harness, "similarity", similarity)
    monkeypatch.setattr(harness, "write_outputs", lambda out, s: calls["outputs"].append((out, s)))
    return SimpleNamespace(calls=calls, state=state)


def test_evaluate_runs_each_test_variant_on_each_of_its_seeds(tmp_path, fake):
    seen = []
    res = harness.evaluate(
        FakeBench(), REFERENCE, tmp_path / "run", progress=lambda d, t: seen.append((d, t))
    )
    assert sorted(fake.calls["run"]) == [("a", 0), ("a", 1), ("b", 0)]
    assert sorted(fake.calls["generate"]) == ["a", "b"]  # one program per variant
    assert res.new_rows == 3 and res.unreachable == {}
    rows = runlog.ResultsLog(tmp_path / "run" / runlog.RESULTS_FILE).read()
    assert sorted((r["variant"], r["seed"], r["passed"]) for r in rows) == [
        ("a", 0, True), ("a", 1, False), ("b", 0, True),
    ]  # fmt: skip
    assert seen[0] == (0, 3) and seen[-1] == (3, 3) and len(seen) == 4
    s = res.summary
    assert (s["episodes"], s["complete"]) == (3, True)
    # a: pass 1/2, b: pass 1 -> overall 0.75; groups g1 0.5, g2 1.0 -> 0.75
    assert s["overall"]["pass"] == 0.75 and s["overall_by_group"]["pass"] == 0.75
    assert fake.calls["outputs"] == [(tmp_path / "run", s)]
    assert res.out_dir == tmp_path / "run"


def test_evaluate_summary_holds_identity_settings_and_timing(tmp_path, fake):
    from dataclasses import asdict

    from demo2code.sandbox import Limits

    s = harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run").summary
    for key in runlog.IDENTITY_KEYS:
        assert key in s
    assert (s["benchmark"], s["method"], s["model"]) == ("fake", REFERENCE, None)
    assert s["settings"]["seeds"] == "per variant"
    assert s["settings"]["sandbox_limits"] == asdict(Limits())
    assert s["settings"]["bleu"]["library"].startswith("sacrebleu")
    assert s["settings"]["codebleu"]["library"].startswith("codebleu")
    assert s["timing"]["wall_seconds"] >= 0


def test_evaluate_with_given_seeds_and_tasks(tmp_path, fake):
    bench = FakeBench()
    res = harness.evaluate(
        bench, REFERENCE, tmp_path / "run", tasks=[bench.variants[2]], seeds=[5, 6]
    )
    assert fake.calls["run"] == [("c", 5), ("c", 6)]
    assert res.summary["settings"]["seeds"] == [5, 6]


def test_evaluate_resumes_without_redoing_finished_rows(tmp_path, fake):
    out = tmp_path / "run"
    harness.evaluate(FakeBench(), REFERENCE, out, seeds=[0])
    fake.calls["run"].clear()
    fake.calls["generate"].clear()
    seen = []
    res = harness.evaluate(
        FakeBench(), REFERENCE, out, seeds=[0, 1], progress=lambda d, t: seen.append((d, t))
    )
    assert sorted(fake.calls["run"]) == [("a", 1), ("b", 1)]
    assert res.new_rows == 2 and seen[0] == (2, 4)
    fake.calls["generate"].clear()
    res = harness.evaluate(FakeBench(), REFERENCE, out, seeds=[0, 1])
    assert res.new_rows == 0 and fake.calls["generate"] == []  # nothing left: no program made


def test_failed_generation_gives_failed_rows_with_the_error(tmp_path, fake):
    fake.state.update(program=None, error="model said no")
    res = harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run")
    rows = runlog.ResultsLog(tmp_path / "run" / runlog.RESULTS_FILE).read()
    assert fake.calls["run"] == []
    assert {r["outcome"] for r in rows} == {harness.GENERATION_FAILED}
    assert all(r["passed"] is False and r["executed"] is False for r in rows)
    assert rows[0]["message"] == "model said no"
    assert rows[0]["reasons"] == ["no program: model said no"]
    assert res.new_rows == 3


def test_unreachable_model_leaves_the_variant_to_do(tmp_path, fake):
    fake.state.update(program=None, error="connection refused", retryable=True)
    res = harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run")
    assert res.new_rows == 0
    assert res.unreachable == {"a": "connection refused", "b": "connection refused"}
    assert runlog.ResultsLog(tmp_path / "run" / runlog.RESULTS_FILE).read() == []
    assert res.summary["complete"] is False


def test_offline_model_refuses_free_text_methods(tmp_path, fake):
    from demo2code.reasoners.base import UnsupportedMethod

    with pytest.raises(UnsupportedMethod, match="--method lang2code reads free text"):
        harness.evaluate(FakeBench(), "lang2code", tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_a_crashing_episode_stops_the_run_and_keeps_finished_rows(tmp_path, fake):
    fake.state["fail_seed"] = 1
    with pytest.raises(RuntimeError, match="episode crashed"):
        harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run", workers=0)
    rows = runlog.ResultsLog(tmp_path / "run" / runlog.RESULTS_FILE).read()
    assert ("a", 0) in {(r["variant"], r["seed"]) for r in rows}
    assert ("a", 1) not in {(r["variant"], r["seed"]) for r in rows}
    assert fake.calls["outputs"] == []  # no summary from a broken run


def test_write_outputs_writes_summary_report_and_plots(tmp_path, monkeypatch):
    import demo2code.evaluation.plots as plots
    import demo2code.evaluation.report as report

    monkeypatch.setattr(report, "run_markdown", lambda s: "# report\n")
    seen = []
    monkeypatch.setattr(plots, "write_plots", lambda s, d: seen.append(d))
    harness.write_outputs(tmp_path, {"a": 1})
    assert (tmp_path / "summary.json").read_text() == '{\n "a": 1\n}\n'
    assert (tmp_path / "results.md").read_text() == "# report\n"
    assert seen == [tmp_path / "plots"]


def test_evaluate_hands_its_settings_to_generation_episodes_and_scores(tmp_path, fake):
    from demo2code.sandbox import Limits

    bench = FakeBench()
    cfg = ModelConfig(model="m", cache_mode="off")
    noise = [NoiseSpec("drop-state", 0.5)]
    limits, plimits = Limits(wall_seconds=3.0), object()
    res = harness.evaluate(
        bench, "demo2code", tmp_path / "run", config=cfg, tasks=[bench.variants[1]],
        noise=noise, noise_seed=3, limits=limits, concurrency=7, pipeline_limits=plimits,
    )  # fmt: skip
    assert fake.calls["gen_args"] == [
        (bench, bench.variants[1], "demo2code", cfg, tmp_path / "run", noise, 3, 7, plimits, 0)
    ]
    assert fake.calls["run_args"] == [(bench, bench.variants[1], 0, "x = 1\n", limits, "best")]
    assert fake.calls["sim"] == [("x = 1\n", "ref = 'b'\n")]
    assert (res.summary["model"], res.summary["noise"], res.summary["noise_seed"]) == (
        "m",
        "drop-state=0.5",
        3,
    )


def test_evaluate_defaults(tmp_path, fake):
    from demo2code.sandbox import Limits

    bench = FakeBench()
    res = harness.evaluate(
        bench, "demo2code", tmp_path / "run", noise=[NoiseSpec("drop-state", 0.5)]
    )
    args = fake.calls["gen_args"][0]
    assert (args[3], args[6], args[7], args[8]) == (ModelConfig(), 0, 4, None)
    assert fake.calls["run_args"][0][4] == Limits()
    assert res.summary["noise_seed"] == 0
    assert fake.calls["threads"] == {"eval_0"}  # one worker by default


def test_evaluate_runs_variants_on_at_most_the_given_worker_threads(tmp_path, fake):
    fake.state["sleep"] = 0.05
    harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run", workers=0)
    assert fake.calls["threads"] == {"eval_0"}
    fake.calls["threads"].clear()
    harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run2", workers=2)
    assert fake.calls["threads"] == {"eval_0", "eval_1"}


def test_evaluate_accepts_a_benchmark_name(tmp_path, fake, monkeypatch):
    names = []
    monkeypatch.setattr(harness, "get_benchmark", lambda n: names.append(n) or FakeBench())
    harness.evaluate("fake-bench", REFERENCE, tmp_path / "run")
    assert names == ["fake-bench"]


def test_free_text_refusal_says_what_to_do(tmp_path, fake):
    from demo2code.reasoners.base import UnsupportedMethod

    with pytest.raises(UnsupportedMethod) as err:
        harness.evaluate(FakeBench(), "spec2code", tmp_path / "run")
    assert str(err.value) == (
        "--method spec2code reads free text, which the offline reasoner cannot; "
        "give a model with --model (and --base-url for a local server)"
    )


def test_unreachable_without_a_message_gets_a_default_one(tmp_path, fake):
    fake.state.update(program=None, error=None, retryable=True)
    res = harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run")
    assert set(res.unreachable.values()) == {"the model could not be reached"}


def test_failed_generation_without_a_message_has_an_empty_message(tmp_path, fake):
    fake.state.update(program=None, error=None)
    harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run")
    rows = runlog.ResultsLog(tmp_path / "run" / runlog.RESULTS_FILE).read()
    assert {r["message"] for r in rows} == {""}
    assert sorted(fake.calls["sim"]) == [(None, "ref = 'a'\n"), (None, "ref = 'b'\n")]


def test_wall_seconds_are_rounded_to_milliseconds(tmp_path, fake):
    fake.state["sleep"] = 0.0123
    wall = harness.evaluate(FakeBench(), REFERENCE, tmp_path / "run").summary["timing"][
        "wall_seconds"
    ]
    assert isinstance(wall, float) and 0.02 <= wall < 30
    assert wall == round(wall, 3)


def test_interrupt_delivered_to_a_worker_thread_stops_the_run_promptly(tmp_path):
    """The main thread polls (every _POLL_SECONDS), so a SIGTERM that lands on a worker
    thread still interrupts within a fraction of a second; running work then finishes."""
    import signal

    shared = harness._Shared(runlog.ResultsLog(tmp_path / "r"), 0, 1, None)
    started, finished = threading.Event(), threading.Event()

    def work(job):
        started.set()
        for _ in range(60):  # up to 3 s, unless told to stop
            if shared.stop.is_set():
                break
            time.sleep(0.05)
        finished.set()

    def killer():
        started.wait(5)
        time.sleep(0.1)
        worker = next(t for t in threading.enumerate() if t.name.startswith("eval"))
        signal.pthread_kill(worker.ident, signal.SIGTERM)

    threading.Thread(target=killer, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with harness._sigterm_as_interrupt():
            harness._run_all([1], work, 1, shared)
    assert time.monotonic() - t0 < 1.5
    assert shared.stop.is_set()
    assert finished.is_set()  # the running job was waited for before the error left


def test_write_outputs_derives_every_file_from_the_summary(tmp_path, monkeypatch):
    import demo2code.evaluation.plots as plots
    import demo2code.evaluation.report as report

    seen = []
    monkeypatch.setattr(report, "run_markdown", lambda s: seen.append(("md", s)) or "# r\n")
    monkeypatch.setattr(plots, "write_plots", lambda s, d: seen.append(("plots", s)))
    harness.write_outputs(tmp_path, {"a": 1})
    assert seen == [("md", {"a": 1}), ("plots", {"a": 1})]

"""Bad input at the command line: one line naming the file, field or option, a non-zero
exit, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from demo2code.cli import app  # noqa: E402
from robotouille.cli import app as robotouille_app  # noqa: E402

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
COOK_PATTY = str(ROOT / "data" / "robotouille" / "demos" / "cook-patty.json")


def one_line_error(result, *needles: str) -> None:
    assert result.exit_code != 0
    text = result.output.strip()
    assert "Traceback" not in text
    assert len(text.splitlines()) == 1, text
    for needle in needles:
        assert needle in text, text


def test_malformed_demonstration_names_file_and_field(tmp_path):
    bad = tmp_path / "demo.json"
    bad.write_text(
        json.dumps(
            {
                "benchmark": "robotouille",
                "task": "x",
                "instruction": "Cook.",
                "scenarios": [{"seed": 1, "steps": [{"action": "noop()"}]}],
            }
        )
    )
    one_line_error(
        runner.invoke(app, ["synthesize", str(bad)]),
        str(bad),
        "scenarios[0].steps[0].changes",
        "missing",
    )


def test_invalid_json_names_the_line(tmp_path):
    bad = tmp_path / "demo.json"
    bad.write_text('{"benchmark": "robotouille",\n "task": }')
    one_line_error(runner.invoke(app, ["summarize", str(bad)]), str(bad), "line 2")


def test_malformed_text_demonstration_names_the_line(tmp_path):
    bad = tmp_path / "demo.txt"
    bad.write_text("[Scenario 1]\nCook a patty.\n\nState 2:\nthe patty got warm\n")
    one_line_error(runner.invoke(app, ["demos", "show", str(bad)]), str(bad), "line 5")


def test_missing_file(tmp_path):
    one_line_error(runner.invoke(app, ["synthesize", str(tmp_path / "nope.json")]), "nope.json")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["tasks", "list", "--benchmark", "robotouile"],
            ["robotouile", "Did you mean 'robotouille'"],
        ),
        (["tasks", "verify", "--tasks", "zzz*"], ["--tasks pattern", "zzz*"]),
        (["tasks", "list", "--split", "dev"], ["--split", "dev"]),
        (
            ["demos", "show", COOK_PATTY, "--noise", "drop-all=2"],
            ["drop-all"],
        ),
    ],
)
def test_bad_options_say_what_was_expected(args, needles):
    one_line_error(runner.invoke(app, args), *needles)


def test_unknown_method_suggests_the_right_one():
    result = runner.invoke(app, ["synthesize", COOK_PATTY, "--method", "demo2cod"])
    one_line_error(result, "demo2cod", "Did you mean 'demo2code'")


def test_malformed_level_for_the_game(tmp_path):
    level = json.loads((ROOT / "robotouille" / "environments" / "burger.json").read_text())
    level["stations"][1]["kind"] = "oven"
    bad = tmp_path / "level.json"
    bad.write_text(json.dumps(level))
    result = runner.invoke(
        robotouille_app, ["render", "--env", str(bad), "--out", str(tmp_path / "x.png")]
    )
    one_line_error(result, str(bad), "stations[1].kind", "oven")


def test_output_path_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = runner.invoke(app, ["synthesize", COOK_PATTY, "--out", str(blocker / "prog.py")])
    one_line_error(result, "afile")


def test_a_directory_instead_of_a_demonstration_is_one_line(tmp_path):
    one_line_error(runner.invoke(app, ["demos", "show", str(tmp_path)]), str(tmp_path))


def test_benchmark_subcommands_report_bad_input_in_one_line(tmp_path):
    csv = ROOT / "data" / "epic" / "narrations.csv"
    one_line_error(runner.invoke(app, ["epic", "import", str(csv), "--video", "P99_99"]), "P99_99")
    one_line_error(
        runner.invoke(
            app, ["tabletop", "render", "--task", "nope", "--out", str(tmp_path / "s.png")]
        ),
        "nope",
    )


def test_token_budget_too_small_is_one_line():
    one_line_error(
        runner.invoke(app, ["synthesize", COOK_PATTY, "--token-budget", "10"]),
        "--token-budget",
        "at least 50",
    )

"""The software-rendered scene picture and the typer commands."""

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from demo2code.benchmarks.tabletop.cli import app


def test_render_writes_a_picture_with_coloured_objects(tmp_path):
    out = tmp_path / "scene.png"
    result = CliRunner().invoke(
        app, ["render", "--task", "stack-two-by-type", "--seed", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert pixels.shape == (480, 640, 3)
    saturated = (
        pixels.max(axis=2) - pixels.min(axis=2)
    ) > 120  # vivid object colours, not the table
    assert saturated.sum() > 200


def test_render_unknown_task_is_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["render", "--task", "nope", "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "unknown tabletop task 'nope'" in result.output
    assert len(result.output.strip().splitlines()) == 1

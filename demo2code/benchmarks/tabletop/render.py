"""A picture of a task's scene with PyBullet's software renderer (no GPU, no window)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from demo2code.benchmarks.tabletop._pybullet import pybullet as p
from demo2code.benchmarks.tabletop.benchmark import TabletopBenchmark


def render_scene(
    task_id: str, seed: int, out_png: Path, width: int = 640, height: int = 480
) -> Path:
    """Build the (task, seed) scene as generated code would first see it and save a PNG."""
    bench = TabletopBenchmark()
    episode = bench.episode(bench.task(task_id), seed)
    cid = episode.sim.cid
    view = p.computeViewMatrix([0, -1.05, 0.95], [0, -0.05, 0], [0, 0, 1], physicsClientId=cid)
    proj = p.computeProjectionMatrixFOV(50, width / height, 0.05, 5, physicsClientId=cid)
    _, _, rgba, _, _ = p.getCameraImage(
        width, height, view, proj, renderer=p.ER_TINY_RENDERER, physicsClientId=cid
    )
    pixels = np.reshape(np.asarray(rgba, dtype=np.uint8), (height, width, 4))[:, :, :3]
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(out_png)
    return out_png

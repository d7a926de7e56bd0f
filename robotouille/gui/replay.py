"""Looking back: step through a recorded scenario (window or GIF) and picture a level.

A replay re-runs the recorded actions through KitchenAPI and compares the changes with the
recorded ones, so a recording that no longer matches the simulator is reported, not hidden.
With a `judge` (the task's unit test, see robotouille/gui/session.py) the panel ticks the
test's goals as the replay reaches them. Pictures (PNG, GIF) carry no interactive footer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame

from robotouille.api import KitchenAPI
from robotouille.env import KitchenEnv
from robotouille.gui.render import Panel, Renderer, checklist_of, panel_height, save_png
from robotouille.gui.scene import Layout, Scene, build_scene, finished_in, finished_message
from robotouille.gui.session import Judge
from robotouille.level import Level
from robotouille.recording import run_action, step_json


def _judged(panel: Panel, api: KitchenAPI, judge: Judge | None) -> Panel:
    if judge is None:
        return panel
    env = api.env
    trace = {"initial": api.initial, "steps": api.steps, "final": sorted(map(list, env.facts))}
    goal = judge(trace)
    panel.checklist, panel.problems = checklist_of(goal), list(goal.problems)
    panel.budget, panel.goal_reached = goal.budget, goal.passed
    if goal.passed and panel.tone != "error":
        panel.message, panel.tone = "Goal reached: the task's test passes.", "good"
    return panel


def replay_frames(
    level: Level,
    steps: list[dict[str, Any]],
    instruction: str,
    heading: str,
    judge: Judge | None = None,
) -> Iterator[tuple[Scene, KitchenEnv, Panel]]:
    """The start state, then the state after each recorded step (env is live: draw at once)."""
    env = KitchenEnv(level)
    api = KitchenAPI(env)
    layout = Layout(level)
    scene = build_scene(env, layout)
    yield scene, env, _judged(Panel(heading, instruction, 0), api, judge)
    for n, step in enumerate(steps, start=1):
        action = step.get("action")
        if not isinstance(action, str):
            message = f"Step {n} has no action; it cannot be replayed."
            yield scene, env, Panel(heading, instruction, n, "", message, "error")
            return
        run_action(api, action)
        got = step_json(api.steps[-1])["changes"]
        panel = Panel(heading, instruction, n, action)
        panel.finished = finished_in(api.steps[-1]["changes"], env.facts)
        if got != step.get("changes"):
            panel.message, panel.tone = (
                f"Step {n} changed different predicates than recorded.",
                "error",
            )
        else:
            panel.message = finished_message(api.steps[-1]["changes"])
        scene = build_scene(env, layout, scene)
        yield scene, env, _judged(panel, api, judge)


def _renderer(level: Level, cell: int, judge: Judge | None) -> Renderer:
    rows = 0
    if judge is not None:
        env = KitchenEnv(level)
        trace = {"initial": sorted(map(list, env.facts)), "steps": [], "final": []}
        rows = len(judge(trace).subgoals)
    return Renderer(Layout(level), cell, min_height=panel_height(rows))


def render_level_png(
    level: Level,
    out: str | Path,
    instruction: str,
    heading: str,
    cell: int = 72,
    judge: Judge | None = None,
) -> None:
    """A picture of the level's start state with the side panel (no window needed)."""
    renderer = _renderer(level, cell, judge)
    surf = pygame.Surface(renderer.size)
    scene, env, panel = next(replay_frames(level, [], instruction, heading, judge))
    renderer.draw(surf, scene, env, panel)
    save_png(surf, out)


def write_gif(
    level: Level,
    steps: list[dict[str, Any]],
    out: str | Path,
    instruction: str,
    heading: str,
    delay_ms: int = 500,
    cell: int = 56,
    judge: Judge | None = None,
) -> int:
    """An animation of the replay; returns the number of frames."""
    from PIL import Image  # noqa: PLC0415 (only needed for GIFs)

    renderer = _renderer(level, cell, judge)
    surf = pygame.Surface(renderer.size)
    images = []
    for scene, env, panel in replay_frames(level, steps, instruction, heading, judge):
        renderer.draw(surf, scene, env, panel)
        raw = pygame.image.tobytes(surf, "RGB")
        images.append(Image.frombytes("RGB", renderer.size, raw).quantize(colors=128))
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(out.parent))
    images[0].save(out, save_all=True, append_images=images[1:], duration=delay_ms, loop=0)
    return len(images)


REPLAY_KEYS = "Space: pause  |  Left/Right: step  |  Q: quit"


def replay_window(
    level: Level,
    steps: list[dict[str, Any]],
    instruction: str,
    heading: str,
    delay_ms: int = 500,
    judge: Judge | None = None,
) -> None:
    """Auto-plays every `delay_ms`; Space pauses, Left/Right step, Q or Esc quits."""
    frames = window_frames(level, steps, instruction, heading, judge)
    pygame.init()
    try:
        _loop(frames, _renderer(level, 72, judge), delay_ms)
    finally:
        pygame.quit()


def _loop(frames: list, renderer: Renderer, delay_ms: int) -> None:
    screen = pygame.display.set_mode(renderer.size)
    pygame.display.set_caption("Robotouille replay")
    index, paused, dirty = 0, False, True
    clock, last = pygame.time.Clock(), pygame.time.get_ticks()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
            if event.type == pygame.KEYDOWN:
                if event.key in (pygame.K_q, pygame.K_ESCAPE):
                    return
                if event.key == pygame.K_SPACE:
                    paused = not paused
                elif event.key == pygame.K_RIGHT:
                    index, paused = min(index + 1, len(frames) - 1), True
                elif event.key == pygame.K_LEFT:
                    index, paused = max(index - 1, 0), True
                dirty = True
        now = pygame.time.get_ticks()
        if not paused and now - last >= delay_ms and index < len(frames) - 1:
            index, last, dirty = index + 1, now, True
        if dirty:
            scene, env, panel = frames[index]
            renderer.draw(screen, scene, env, panel)
            pygame.display.flip()
            dirty = False
        clock.tick(30)


def window_frames(level, steps, instruction, heading, judge=None) -> list:
    """The replay window's frames: snapshots, each panel showing the window's keys."""
    frames = list(replay_frames_snapshots(level, steps, instruction, heading, judge))
    for _, _, panel in frames:
        panel.footer = REPLAY_KEYS
    return frames


def replay_frames_snapshots(level, steps, instruction, heading, judge=None):
    """Like replay_frames, but each frame keeps its own copy of the progress it shows."""
    for scene, env, panel in replay_frames(level, steps, instruction, heading, judge):
        yield scene, _Snapshot(env), panel


class _Snapshot:
    """The parts of a KitchenEnv the renderer reads, frozen at one step."""

    def __init__(self, env: KitchenEnv):
        self.facts = set(env.facts)
        self.cut_progress = dict(env.cut_progress)
        self.cooking = dict(env.cooking)
        self.frying = dict(env.frying)
        self.heating = dict(env.heating)
        self.simmering = dict(env.simmering)
        self.cut_steps, self.cook_steps = env.cut_steps, env.cook_steps
        self.fry_steps = env.fry_steps
        self.boil_steps, self.soup_steps = env.boil_steps, env.soup_steps

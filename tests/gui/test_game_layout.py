"""What the game window and its pictures look like (issue 17): the window fits the level, no
label or antenna is cut, help sits on a dark panel, only errors are red, screenshots are
numbered, pictures carry no interactive footer, and `play` without a display says so."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from demo2code.benchmarks.robotouille import RobotouilleBenchmark  # noqa: E402
from robotouille.cli import _task  # noqa: E402
from robotouille.gui import art  # noqa: E402
from robotouille.gui.app import App, next_screenshot  # noqa: E402
from robotouille.gui.render import GOOD, PANEL_BG, TEXT, WARN, Renderer  # noqa: E402
from robotouille.gui.replay import (  # noqa: E402
    REPLAY_KEYS,
    render_level_png,
    replay_frames,
    window_frames,
)
from robotouille.gui.scene import Layout  # noqa: E402
from robotouille.gui.session import Session  # noqa: E402
from robotouille.kinds import kind_of  # noqa: E402
from robotouille.level import ENVIRONMENTS, load_level  # noqa: E402
from robotouille.recording import run_action  # noqa: E402

BENCH = RobotouilleBenchmark()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _pygame() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def game(task_id: str = "cook-then-cut", **kw) -> App:
    found = _task(task_id)
    task = BENCH.task(task_id)
    session = Session(lambda s: BENCH.level(task, s), 100, task.instruction, judge=found.judge)
    return App(session, heading=task_id, **kw)


@pytest.mark.parametrize("env", sorted(p.stem for p in ENVIRONMENTS.glob("*.json")))
def test_window_is_the_level_beside_the_panel_and_labels_fit(env: str) -> None:
    level = load_level(ENVIRONMENTS / f"{env}.json")
    renderer = Renderer(Layout(level), 72, min_height=480)
    w, h = renderer.size
    assert h == renderer.grid_size[1] == level.height * renderer.cell  # no band below
    assert h >= 480 and w == renderer.grid_size[0] + renderer.panel_width
    board = pygame.Rect((0, 0), renderer.grid_size)
    for name, (tag, _label) in renderer.label_tags().items():
        assert board.contains(tag), name  # a name at the edge is never cut
        assert tag.w <= renderer.cell, name  # shrunk to its cell: never over a neighbour


def test_antenna_stays_inside_a_top_row_cell() -> None:
    surf = pygame.Surface((200, 200))
    surf.fill((0, 0, 0))
    cell = pygame.Rect(50, 50, 72, 72)
    art.draw_robot(surf, cell, "down")
    drawn = [
        (x, y) for x in range(200) for y in range(200) if tuple(surf.get_at((x, y)))[:3] != (0,) * 3
    ]
    assert drawn and all(cell.collidepoint(p) for p in drawn)


def test_help_overlay_is_a_dark_panel_over_the_board() -> None:
    app = game()
    app.show_help = True
    app.draw(force=True)
    centre = app.screen.get_rect().center
    assert tuple(app.screen.get_at(centre))[:3] == (24, 26, 32)


def test_information_is_neutral_and_errors_are_red() -> None:
    app = game()
    s = app.session
    s.wait()
    s.undo()
    assert s.message == "Undid the last step." and s.tone == "info"
    assert app.panel().tone == "info"
    s.undo()
    assert s.message == "Nothing to undo." and s.tone == "error"
    s.cut()  # nothing to cut where the robot stands
    assert s.tone == "error"
    from robotouille.gui.render import TONES

    assert TONES == {"info": TEXT, "error": WARN, "good": GOOD}


def test_p_saves_numbered_screenshots(tmp_path: Path) -> None:
    app = game(screenshots=tmp_path)
    for _ in range(2):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_p, mod=0, unicode="p"))
        app.pump()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "robotouille-001.png",
        "robotouille-002.png",
    ]
    assert app.session.message == f"Screenshot saved to {tmp_path / 'robotouille-002.png'}."
    (tmp_path / "robotouille-001.png").unlink()
    assert next_screenshot(tmp_path).name == "robotouille-001.png"


def test_pictures_have_no_footer_and_the_replay_window_shows_its_keys(tmp_path: Path) -> None:
    task = BENCH.task("cook-then-cut")
    scen = BENCH.demos(task).scenarios[0]
    level = BENCH.level(task, scen.seed)
    steps = [{"action": s.action} for s in scen.steps]
    assert all(p.footer == "" for _, _, p in replay_frames(level, steps, "x", "h"))
    render_level_png(level, tmp_path / "l.png", "x", "h", 72, _task(task.id).judge)
    shot = pygame.image.load(str(tmp_path / "l.png"))
    w, h = shot.get_size()
    grid_w = level.width * (h // level.height)
    bottom = {
        tuple(shot.get_at((x, y)))[:3] for x in range(grid_w + 1, w) for y in range(h - 40, h)
    }
    assert bottom == {PANEL_BG}  # no footer, and the panel is not cut short either
    frames = window_frames(level, steps, "x", "h")
    assert len(frames) == len(steps) + 1 and {p.footer for _, _, p in frames} == {REPLAY_KEYS}
    renderer = Renderer(Layout(level), 72)
    surf = pygame.Surface(renderer.size)
    renderer.draw(surf, *frames[0])
    w, h = renderer.size
    footer = {
        tuple(surf.get_at((x, y)))[:3]
        for x in range(renderer.grid_size[0], w)
        for y in range(h - 24, h)
    }
    assert footer != {PANEL_BG}


def test_every_station_in_progress_has_its_bar() -> None:
    """Cooking and cutting at once: both stations show a bar, the panel lists both."""
    task = BENCH.task("async-cook-patty-while-cutting-lettuce")
    scen = BENCH.demos(task).scenarios[0]
    level = BENCH.level(task, scen.seed)
    renderer = Renderer(Layout(level), 72)
    surf = pygame.Surface(renderer.size)
    steps = [{"action": s.action} for s in scen.steps]
    both = 0
    for scene, env, panel in replay_frames(level, steps, "x", "h"):
        rows = renderer.progress_rows(env)
        if len(rows) < 2:
            continue
        both += 1
        renderer.draw(surf, scene, env, panel)
        for station, stack in scene.stacks.items():
            busy = any(look.cooking is not None or look.cut_progress for look in stack)
            if not busy:
                continue
            rect = renderer.station_rect(station)
            colour = (
                (90, 170, 255) if kind_of(station) == "cutting_board" else (255, 140, 50)
            )  # CUT_BAR / COOK_BAR
            bar = {
                tuple(surf.get_at((x, y)))[:3]
                for x in range(rect.x, rect.right)
                for y in range(rect.y, rect.y + 12)
            }
            assert colour in bar, station
    assert both


def test_finished_item_is_tagged_on_its_station() -> None:
    task = BENCH.task("cook-patty")
    scen = BENCH.demos(task).scenarios[0]
    app = game("cook-patty")
    for step in scen.steps:
        run_action(app.session.api, step.action)
    assert app.session.finished  # the last step of cook-patty is the patty getting cooked
    (station,) = app.session.finished
    app.draw(force=True)
    rect = app.renderer.station_rect(station)
    pixels = {
        tuple(app.screen.get_at((x, y)))[:3]
        for x in range(rect.x, rect.right)
        for y in range(rect.y, rect.y + rect.h // 2)
    }
    assert GOOD in pixels


def _no_display_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is an X11/Wayland rule")
@pytest.mark.parametrize(
    ("command", "driver"),
    [
        (["play", "--task", "cut-lettuce"], None),
        (["play", "--task", "cut-lettuce"], "dummy"),
        (["replay", str(ROOT / "data" / "robotouille" / "demos" / "cut-lettuce.json")], None),
    ],
)
def test_a_window_without_a_display_says_so_in_one_line(
    command: list[str], driver: str | None
) -> None:
    env = _no_display_env()
    if driver:
        env["SDL_VIDEODRIVER"] = driver
    out = subprocess.run(
        [sys.executable, "-m", "robotouille.cli", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no display:"), out.stderr
    assert ("SDL_VIDEODRIVER=dummy" in lines[0]) == bool(driver)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is an X11/Wayland rule")
def test_make_play_does_not_inherit_the_dummy_driver() -> None:
    """`make` exports SDL_VIDEODRIVER=dummy for the tests; `make play` must not use it, so
    without a display it fails on the missing display, not on a driver it never chose."""
    bin_dir = Path(sys.executable).parent
    if shutil.which("make") is None or not (bin_dir / "robotouille").exists():
        pytest.skip("make or the installed robotouille command is missing")
    out = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "play", f"BIN={bin_dir}"],
        cwd=ROOT,
        env=_no_display_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode != 0
    assert "error: no display: neither DISPLAY nor WAYLAND_DISPLAY is set" in out.stderr

"""The Robotouille game window, headless: scripted input events, frames, recording, replay."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from demo2code.benchmarks.robotouille import RobotouilleBenchmark  # noqa: E402
from demo2code.demo_text import render as render_text  # noqa: E402
from demo2code.demos import load_json  # noqa: E402
from robotouille.api import KitchenAPI  # noqa: E402
from robotouille.cli import app as cli_app  # noqa: E402
from robotouille.env import SHOWN, KitchenEnv  # noqa: E402
from robotouille.gui import art  # noqa: E402
from robotouille.gui.app import App  # noqa: E402
from robotouille.gui.replay import render_level_png, replay_frames, write_gif  # noqa: E402
from robotouille.gui.session import Session  # noqa: E402
from robotouille.kinds import kind_of  # noqa: E402
from robotouille.level import Level  # noqa: E402
from robotouille.recording import Recorder, parse_action  # noqa: E402

BENCH = RobotouilleBenchmark()
TASK = BENCH.task("cook-then-cut")
SEED = 100


@pytest.fixture(autouse=True)
def _pygame() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def make_level(seed: int) -> Level:
    return BENCH.level(TASK, seed)


def new_app(tmp_path: Path, name: str = "demo.json") -> App:
    recorder = Recorder(tmp_path / name, TASK.id, TASK.instruction)
    return App(Session(make_level, SEED, TASK.instruction, recorder), heading=TASK.id)


def click(app: App, station: str) -> None:
    pygame.event.post(
        pygame.event.Event(
            pygame.MOUSEBUTTONDOWN, pos=app.renderer.station_rect(station).center, button=1
        )
    )
    app.pump()


def key(app: App, k: int, char: str = "") -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=char))
    app.pump()


def station_of(env: KitchenEnv, item: str) -> str:
    return next(f[2] for f in env.facts if f[0] == "at" and f[1] == item)


def empty_station(env: KitchenEnv, kind: str) -> str:
    return next(s for s in env.stations if kind_of(s) == kind and ("empty", s) in env.facts)


def play_script(app: App) -> list[tuple[str, tuple[str, ...]]]:
    """Cook the patty and cut the lettuce with clicks and keys; returns the API calls meant."""
    env = app.session.env
    patty = next(i for i in env.items if kind_of(i) == "patty")
    lettuce = next(i for i in env.items if kind_of(i) == "lettuce")
    stove, board = empty_station(env, "stove"), empty_station(env, "cutting_board")
    here = app.session.api.get_curr_location()
    p_at, l_at = station_of(env, patty), station_of(env, lettuce)
    calls: list[tuple[str, tuple[str, ...]]] = []

    def go(station: str) -> None:
        nonlocal here
        if station != here:
            click(app, station)
            calls.append(("move", (here, station)))
            here = station

    go(p_at)
    click(app, p_at)
    calls.append(("pick_up", (patty, p_at)))
    go(stove)
    click(app, stove)
    calls.append(("place", (patty, stove)))
    key(app, pygame.K_k, "k")
    calls.append(("start_cooking", (patty,)))
    go(l_at)
    click(app, l_at)
    calls.append(("pick_up", (lettuce, l_at)))
    go(board)
    click(app, board)
    calls.append(("place", (lettuce, board)))
    click(app, board)  # a lone uncut lettuce on a board: pick up or cut -> chooser
    labels = [o.method for o in app.choices]
    assert labels == ["pick_up", "cut"]
    key(app, pygame.K_1 + labels.index("cut"), "2")
    calls.append(("cut", (lettuce,)))
    key(app, pygame.K_c, "c")
    key(app, pygame.K_c, "c")
    calls += [("cut", (lettuce,))] * 2
    key(app, pygame.K_w, "w")
    key(app, pygame.K_SPACE, " ")
    calls += [("noop", ())] * 2
    return calls


def direct_demo(level: Level, calls: list[tuple[str, tuple[str, ...]]]) -> dict:
    """The same calls straight through KitchenAPI, written out by hand."""
    env = KitchenEnv(level)
    api = KitchenAPI(env)
    initial = [
        {"predicate": f[0], "args": list(f[1:]), "value": True}
        for f in sorted(env.facts)
        if f[0] in SHOWN
    ]
    for method, args in calls:
        getattr(api, method)(*args)
    steps = [
        {
            "action": s["action"],
            "changes": [c for c in s["changes"] if c["predicate"] in SHOWN],
        }
        for s in api.steps
    ]
    return {"initial_state": initial, "steps": steps, "done": env.done}


def test_scripted_session_records_what_the_api_does(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    calls = play_script(app)
    data = json.loads((tmp_path / "demo.json").read_text())
    expected = direct_demo(make_level(SEED), calls)
    assert expected["done"] and app.session.env.done
    (scen,) = data["scenarios"]
    assert scen["seed"] == SEED and scen["instruction"] == TASK.instruction
    assert scen["initial_state"] == expected["initial_state"]
    assert scen["steps"] == expected["steps"]
    assert len(scen["steps"]) == len(calls)
    assert any(c["predicate"] == "cooked" for s in scen["steps"] for c in s["changes"])
    # the recorded file is a demonstration like any other, byte for byte
    demo = load_json(tmp_path / "demo.json")
    assert demo.dumps() == (tmp_path / "demo.json").read_text()
    text = render_text(demo)
    assert text.startswith("[Scenario 1]\nCook a patty and cut a lettuce.")
    assert "is cooked" in text and "is cut" in text
    assert not list(tmp_path.glob("*.tmp"))


def test_frame_size_content_robot_and_held_item(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    app.draw(force=True)
    assert app.screen.get_size() == app.renderer.size
    w, h = app.renderer.size
    colours = {tuple(app.screen.get_at((x, y)))[:3] for x in range(0, w, 7) for y in range(0, h, 7)}
    assert len(colours) > 30  # not a blank or single-colour frame
    scene = app.session.scene
    assert tuple(app.screen.get_at(app.renderer.robot_spot(scene)))[:3] == art.ROBOT
    held_centre = app.renderer.held_rect(scene).center
    assert tuple(app.screen.get_at(held_centre))[:3] == art.ROBOT  # empty hands

    env = app.session.env
    patty = next(i for i in env.items if kind_of(i) == "patty")
    spot = station_of(env, patty)
    click(app, spot)
    click(app, spot)
    scene = app.session.scene
    assert scene.held is not None and scene.held.name == patty
    robot_rect = app.renderer.cell_rect(scene.robot_cell)
    sx, sy = app.renderer.layout.cells[spot]
    assert (
        abs(robot_rect.x // app.renderer.cell - sx) + abs(robot_rect.y // app.renderer.cell - sy)
        == 1
    )
    assert tuple(app.screen.get_at(app.renderer.robot_spot(scene)))[:3] == art.ROBOT
    assert tuple(app.screen.get_at(app.renderer.held_rect(scene).center))[:3] == art.main_color(
        scene.held
    )
    # the station the patty left shows no patty colour any more
    layer = app.renderer.station_rect(spot)
    pixels = {
        tuple(app.screen.get_at((x, y)))[:3]
        for x in range(layer.x, layer.right)
        for y in range(layer.y, layer.bottom)
    }
    assert art.MAIN["patty"] not in pixels


def test_redraws_only_when_something_changed(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    app.pump()
    drawn = app.frames
    app.pump()
    app.pump()
    assert app.frames == drawn
    key(app, pygame.K_w, "w")
    assert app.frames == drawn + 1


def test_refused_action_shows_why_and_records_nothing(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    env = app.session.env
    here = app.session.api.get_curr_location()
    table = next(
        s
        for s in env.stations
        if kind_of(s) == "table"
        and s != here
        and any(f[0] == "on" and f[2] == s for f in env.facts)
    )
    click(app, table)  # move next to an item on a table
    key(app, pygame.K_c, "c")  # cutting on a table is not allowed
    assert app.session.message.startswith("Not allowed:")
    assert "is not a cutting board" in app.session.message
    data = json.loads((tmp_path / "demo.json").read_text())
    assert len(data["scenarios"][0]["steps"]) == 1


def test_failed_screenshot_never_touches_the_recording(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    env = app.session.env
    click(app, next(s for s in env.stations if s != app.session.api.get_curr_location()))
    before = (tmp_path / "demo.json").read_bytes()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    assert not app.save_screenshot(blocker / "shot.png")
    assert app.session.message.startswith("Could not save the screenshot")
    assert (tmp_path / "demo.json").read_bytes() == before
    load_json(tmp_path / "demo.json")
    assert app.save_screenshot(tmp_path / "shot.png")
    assert pygame.image.load(str(tmp_path / "shot.png")).get_size() == app.renderer.size


def test_unwritable_recording_keeps_playing_and_keeps_steps(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    recorder = Recorder(blocker / "demo.json", TASK.id, TASK.instruction)
    session = Session(make_level, SEED, TASK.instruction, recorder)
    assert session.wait()
    assert session.save_error.startswith("could not save the recording")
    assert len(recorder.current.steps) == 1 and session.steps == 1


def test_undo_restores_the_previous_state(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    session = app.session
    play_script(app)
    for _ in range(4):  # undo across a cut, through cooking progress
        facts, cuts = set(session.env.facts), dict(session.env.cut_progress)
        cooking, history = dict(session.env.cooking), list(session.history)
        file_before = json.loads((tmp_path / "demo.json").read_text())
        scene = session.scene
        session.wait()
        key(app, pygame.K_u, "u")
        assert session.env.facts == facts
        assert session.env.cut_progress == cuts and session.env.cooking == cooking
        assert session.history == history and session.scene == scene
        assert json.loads((tmp_path / "demo.json").read_text()) == file_before
        key(app, pygame.K_u, "u")  # and one more real step back
    assert len(json.loads((tmp_path / "demo.json").read_text())["scenarios"][0]["steps"]) == len(
        session.history
    )


def test_restart_and_empty_recording(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    key(app, pygame.K_w, "w")
    assert (tmp_path / "demo.json").exists()
    key(app, pygame.K_r, "r")
    assert app.session.steps == 0
    assert not (tmp_path / "demo.json").exists()  # a demonstration needs a played scenario


def test_next_scenario_and_reopening_append(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    key(app, pygame.K_w, "w")
    key(app, pygame.K_n, "n")
    key(app, pygame.K_n, "n")  # an unplayed scenario is replaced, not kept
    key(app, pygame.K_w, "w")
    key(app, pygame.K_w, "w")
    data = json.loads((tmp_path / "demo.json").read_text())
    assert [len(s["steps"]) for s in data["scenarios"]] == [1, 2]
    seeds = [s["seed"] for s in data["scenarios"]]
    assert seeds[0] == SEED and seeds[1] != SEED
    assert data["scenarios"][1]["extra"]["level"]["meta"]["seed"] == seeds[1]
    assert make_level(seeds[1]).to_json() == data["scenarios"][1]["extra"]["level"]

    again = Recorder(tmp_path / "demo.json", TASK.id, TASK.instruction)
    session = Session(make_level, max(again.used_seeds()) + 1, TASK.instruction, again)
    session.wait()
    demo = load_json(tmp_path / "demo.json")
    assert len(demo.scenarios) == 3 and len({s.seed for s in demo.scenarios}) == 3
    assert "[Scenario 3]" in render_text(demo)
    other = Recorder(tmp_path / "other.json", "cut-lettuce", "x")
    assert other.used_seeds() == set()
    with pytest.raises(ValueError, match="task"):
        Recorder(tmp_path / "demo.json", "cut-lettuce", "Cut a lettuce.")


def test_replay_matches_and_writes_gif_and_png(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    calls = play_script(app)
    data = json.loads((tmp_path / "demo.json").read_text())
    scen = data["scenarios"][0]
    level = make_level(SEED)
    frames = list(replay_frames(level, scen["steps"], TASK.instruction, "h"))
    assert len(frames) == len(calls) + 1
    assert all(panel.tone != "error" for _, _, panel in frames)
    scen["steps"][0]["changes"] = []
    frames = list(replay_frames(level, scen["steps"], TASK.instruction, "h"))
    assert "different" in frames[1][2].message

    from PIL import Image

    n = write_gif(level, scen["steps"][:3], tmp_path / "out.gif", "x", "h", 100)
    with Image.open(tmp_path / "out.gif") as gif:
        assert gif.n_frames == n == 4
    render_level_png(level, tmp_path / "level.png", "x", "h")
    with Image.open(tmp_path / "level.png") as png:
        assert png.size[0] > level.width * 72


def test_cli_render_and_replay(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    play_script(app)
    runner = CliRunner()
    out = runner.invoke(
        cli_app, ["replay", str(tmp_path / "demo.json"), "--gif", str(tmp_path / "a.gif")]
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "a.gif").stat().st_size > 0
    out = runner.invoke(cli_app, ["replay", str(tmp_path / "demo.json"), "--scenario", "2"])
    assert out.exit_code == 1 and "expected 1..1" in out.output
    out = runner.invoke(
        cli_app, ["render", "--task", TASK.id, "--seed", "3", "--out", str(tmp_path / "l.png")]
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli_app, ["render", "--env", "burger", "--out", str(tmp_path / "b.png")])
    assert out.exit_code == 0 and (tmp_path / "b.png").exists()
    out = runner.invoke(cli_app, ["render", "--out", str(tmp_path / "c.png")])
    assert out.exit_code == 1 and "exactly one of" in out.output


def test_parse_action_round_trip() -> None:
    assert parse_action("move('table1', 'stove1')") == ("move", ("table1", "stove1"))
    assert parse_action("noop()") == ("noop", ())
    for bad in ("move(table1)", "x.y('a')", "move('a', b='c')", "1 +"):
        with pytest.raises(ValueError):
            parse_action(bad)


def test_help_overlay_and_chooser_by_mouse(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    key(app, pygame.K_SLASH, "?")
    assert app.show_help
    dimmed = tuple(app.screen.get_at(app.renderer.robot_spot(app.session.scene)))[:3]
    assert dimmed != art.ROBOT  # the overlay covers the kitchen
    key(app, pygame.K_x, "x")  # any key closes it, and does nothing else
    assert not app.show_help and app.session.steps == 0
    env = app.session.env
    lettuce = next(i for i in env.items if kind_of(i) == "lettuce")
    board = empty_station(env, "cutting_board")
    start = station_of(env, lettuce)
    for station in (start, start, board, board, board):  # go, pick up, go, place, click
        if station == start and app.session.api.get_curr_location() == start:
            if app.session.scene.held is None:
                click(app, station)
            continue
        click(app, station)
    assert [o.method for o in app.choices] == ["pick_up", "cut"]
    row = app.choice_rects[1].center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=row, button=1))
    app.pump()
    assert app.session.last_action == f"cut('{lettuce}')" and not app.choices
    assert app.running


@pytest.mark.parametrize(
    ("kind", "fried", "colour"),
    [("potato", False, art.MAIN["potato"]), ("potato", True, art.FRIED["potato"]),
     ("chicken", True, art.FRIED["chicken"])],
)  # fmt: skip
def test_fried_food_is_drawn_golden(kind: str, fried: bool, colour: tuple) -> None:
    from robotouille.gui.scene import ItemLook

    look = ItemLook(f"{kind}1", kind, False, False, 0, None, fried, None)
    surf = pygame.Surface((80, 40))
    surf.fill((0, 0, 0))
    rect = pygame.Rect(10, 10, 60, art.layer_height(look, 72))
    art.draw_item(surf, look, rect)
    assert art.main_color(look) == colour
    assert tuple(surf.get_at(rect.center))[:3] == colour


def test_frying_shows_progress_and_ends_fried_in_a_replay(tmp_path: Path) -> None:
    """The shipped demonstration of a frying task, replayed frame by frame through the
    renderer: the panel lists the frying while it goes on, and the potato ends fried."""
    from robotouille.gui.render import Renderer
    from robotouille.gui.replay import replay_frames_snapshots
    from robotouille.gui.scene import Layout

    task = BENCH.task("async-fry-potato-while-cutting-tomato")
    demo = load_json(BENCH.demo_path(task))
    scen = demo.scenarios[0]
    level = BENCH.level(task, scen.seed)
    steps = [{"action": s.action, "changes": []} for s in scen.steps]
    renderer = Renderer(Layout(level), 48)
    surf = pygame.Surface(renderer.size)
    frying_seen, last = False, None
    for scene, env, panel in replay_frames_snapshots(level, steps, task.instruction, "h"):
        renderer.draw(surf, scene, env, panel)
        frying_seen |= bool(env.frying)
        last = scene
    assert frying_seen
    potatoes = [look for stack in last.stacks.values() for look in stack if look.kind == "potato"]
    held = [last.held] if last.held and last.held.kind == "potato" else []
    assert any(look.fried for look in potatoes + held)


def test_a_player_makes_soup_in_the_window_and_records_it(tmp_path: Path) -> None:
    """Boiling by clicks alone: the sink offers to fill the pot, the stove to boil it, the
    pot takes the onion; the frame shows the pot's water and the simmering bar, and the
    recording is a demonstration whose episode passes the variant's unit test."""
    task = BENCH.task("async-onion-soup-while-cutting-lettuce")
    recorder = Recorder(tmp_path / "soup.json", task.id, task.instruction)
    app = App(Session(lambda s: BENCH.level(task, s), 0, task.instruction, recorder))
    s = app.session

    def act(station: str, method: str) -> None:
        if s.api.get_curr_location() != station:
            click(app, station)  # one click walks there
        (option,) = [o for o in s.options(station) if o.method == method]
        s.perform(option)

    def free(kind: str) -> str:
        return s.api.get_all_location_names_that_match_type(kind)[0]

    pot, onion, lettuce = (
        "pot1",
        *(s.api.get_all_obj_names_that_match_type(k)[0] for k in ("onion", "lettuce")),
    )
    act(s.api.get_obj_location(pot), "pick_up")
    sink = free("sink")
    act(sink, "place")
    act(sink, "fill")
    act(sink, "pick_up")
    stove = free("stove")
    act(stove, "place")
    assert not [o for o in s.options(sink) if o.method == "fill"]
    act(stove, "start_boiling")
    while not s.api.is_boiling(pot):
        s.wait()
    act(s.api.get_obj_location(onion), "pick_up")
    act(stove, "stack")
    assert s.api.is_simmering(onion)
    app.draw()
    water = app.renderer.layer_rects(stove, s.scene.stacks[stove])[0].center
    assert tuple(app.screen.get_at(water))[:3] == art.WATER
    act(s.api.get_obj_location(lettuce), "pick_up")
    board = free("cutting_board")
    act(board, "place")
    while not s.api.is_cut(lettuce):
        act(board, "cut")
    while not s.api.is_soup(onion):
        s.wait()
    assert BENCH.check(task, s.api.trace()).passed
    text = render_text(load_json(tmp_path / "soup.json"))
    assert "'pot1' is filled" in text and "'pot1' is boiling" in text and "is soup" in text

"""Drawing a whole frame: the kitchen grid (static background cached once per level, then
stacks, progress and the robot) and the side panel. Text surfaces are cached, so a frame of
the largest level draws in a few milliseconds.

The window is exactly the level beside the panel: when the level is too short for what the
panel must show, the cells grow instead of leaving an empty band under the board.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from robotouille.env import KitchenEnv  # noqa: E402
from robotouille.gui import art  # noqa: E402
from robotouille.gui.scene import (  # noqa: E402
    Cell,
    ItemLook,
    Layout,
    Scene,
    goal_words,
    station_under,
)
from robotouille.kinds import STATION_KINDS, kind_of  # noqa: E402

PANEL_BG = (40, 44, 52)
TEXT = (232, 234, 238)
DIM = (160, 166, 178)
WARN = (255, 110, 100)  # errors only
GOOD = (130, 220, 140)
ACCENT = (255, 206, 90)
CUT_BAR = (90, 170, 255)
COOK_BAR = (255, 140, 50)
# The processes that take time: the panel's verb, the timer (a KitchenEnv dict of steps so
# far, and the ItemLook field of the same name), the KitchenEnv duration, and the station
# flag under which it runs (elsewhere it is paused). Station bars and panel rows both read it.
TIMED = (
    ("Cooking", "cooking", "cook_steps", "cooks"),
    ("Frying", "frying", "fry_steps", "fries"),
    ("Simmering", "simmering", "soup_steps", "boils"),
    ("Heating", "heating", "boil_steps", "boils"),
)
TONES = {"info": TEXT, "error": WARN, "good": GOOD}
PLAY_FOOTER = "Click a station to act  |  H: help  |  P: screenshot"
LABEL_SIZE = 15  # station labels shrink from this to fit their cell, down to LABEL_MIN
LABEL_MIN = 11
PANEL_BASE = 390  # panel height for everything but the checklist (long instructions fit)
CHECK_ROW = 20


def panel_height(checklist_rows: int) -> int:
    """The height the side panel needs with a checklist of this many goals."""
    return PANEL_BASE + (CHECK_ROW * (checklist_rows + 1) if checklist_rows else 0)


@dataclass
class Panel:
    """What the side panel shows; built by the game or by the replay."""

    heading: str
    instruction: str
    step: int
    last_action: str = ""
    message: str = ""
    tone: str = "info"  # info (neutral), error (red) or good (green)
    notes: list[str] = field(default_factory=list)  # recording file
    errors: list[str] = field(default_factory=list)  # e.g. the recording cannot be saved
    footer: str = ""  # the keys of an interactive window; pictures have none
    checklist: list[tuple[str, bool]] = field(default_factory=list)  # the test's goals
    problems: list[str] = field(default_factory=list)  # broken budget / never rules
    budget: int | None = None
    goal_reached: bool = False
    finished: dict[str, str] = field(default_factory=dict)  # station -> "cooked" this step


def checklist_of(goal) -> list[tuple[str, bool]]:
    """A judge's subgoals (demo2code/benchmarks/goal_progress.py) as checklist rows."""
    if goal is None:
        return []
    return [(goal_words(tuple(g.fact), g.positive), bool(g.done)) for g in goal.subgoals]


class Renderer:
    def __init__(
        self, layout: Layout, cell: int = 72, panel_width: int = 340, min_height: int = PANEL_BASE
    ):
        """`cell` is the smallest cell size; cells grow until the board is `min_height` tall,
        so the window is the board's height with no empty band below it."""
        pygame.font.init()
        level = layout.level
        cell = max(cell, math.ceil(min_height / max(1, level.height)))
        self.layout, self.cell, self.panel_width = layout, cell, panel_width
        self.grid_size = (level.width * cell, level.height * cell)
        self.size = (self.grid_size[0] + panel_width, self.grid_size[1])
        self._fonts: dict[int, pygame.font.Font] = {}
        self._text: dict[tuple[str, int, tuple[int, int, int]], pygame.Surface] = {}
        self._wrapped: dict[tuple[str, int, int], list[str]] = {}
        self.background = self._background()

    # --- geometry -------------------------------------------------------------------------
    def cell_rect(self, cell: Cell) -> pygame.Rect:
        return pygame.Rect(cell[0] * self.cell, cell[1] * self.cell, self.cell, self.cell)

    def station_rect(self, station: str) -> pygame.Rect:
        return self.cell_rect(self.layout.cells[station])

    def station_at(self, pos: tuple[int, int]) -> str | None:
        x, y = pos
        if not (0 <= x < self.grid_size[0] and 0 <= y < self.grid_size[1]):
            return None
        return self.layout.by_cell.get((x // self.cell, y // self.cell))

    def robot_spot(self, scene: Scene) -> tuple[int, int]:
        """A pixel of the robot's body (below what it holds)."""
        body = art.robot_parts(self.cell_rect(scene.robot_cell))[0]
        return body.x + body.w // 4, body.bottom - max(3, body.h // 5)

    def held_rect(self, scene: Scene) -> pygame.Rect:
        return art.robot_parts(self.cell_rect(scene.robot_cell))[3]

    def layer_rects(self, station: str, stack: tuple[ItemLook, ...]) -> list[pygame.Rect]:
        """Where each item of a pile is drawn, bottom first, squeezed to fit the cell."""
        rect = self.station_rect(station)
        heights = [art.layer_height(look, self.cell) for look in stack]
        room = int(self.cell * 0.62)
        scale = min(1.0, room / max(1, sum(heights)))
        width = int(self.cell * 0.72)
        bottom = rect.y + self.cell - 18
        out = []
        for look, h in zip(stack, heights, strict=True):
            h = max(3, int(h * scale))
            w = h if look.kind in ("lettuce", "tomato", "onion") and not look.cut else width
            out.append(pygame.Rect(rect.centerx - w // 2, bottom - h, w, h))
            bottom -= h
        return out

    # --- text -----------------------------------------------------------------------------
    def font(self, size: int) -> pygame.font.Font:
        if size not in self._fonts:
            self._fonts[size] = pygame.font.Font(None, size)
        return self._fonts[size]

    def text(self, text: str, size: int, color: tuple[int, int, int]) -> pygame.Surface:
        key = (text, size, color)
        surf = self._text.get(key)
        if surf is None:
            if len(self._text) > 512:
                self._text.clear()
            surf = self._text[key] = self.font(size).render(text, True, color)
        return surf

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        key = (text, size, width)
        if key not in self._wrapped:
            font, lines, line = self.font(size), [], ""
            for word in text.split():
                trial = f"{line} {word}".strip()
                if line and font.size(trial)[0] > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            self._wrapped[key] = [*lines, line] if line else lines
        return self._wrapped[key]

    # --- drawing --------------------------------------------------------------------------
    def _background(self) -> pygame.Surface:
        surf = pygame.Surface(self.size)
        surf.fill(PANEL_BG)
        level = self.layout.level
        for y in range(level.height):
            for x in range(level.width):
                surf.fill(art.FLOOR if (x + y) % 2 == 0 else art.FLOOR_ALT, self.cell_rect((x, y)))
        for name, cell in self.layout.cells.items():
            art.draw_station(surf, self.layout.kinds[name], self.cell_rect(cell))
        for tag, label in self.label_tags().values():  # after every tile: none is covered
            pygame.draw.rect(surf, (30, 30, 36), tag, border_radius=4)
            surf.blit(label, label.get_rect(center=tag.center))
        return surf

    def label_tags(self) -> dict[str, tuple[pygame.Rect, pygame.Surface]]:
        """Each station's name tag: as large as fits its cell (never below LABEL_MIN), and
        kept inside the board so a name at the edge is never cut."""
        board = pygame.Rect((0, 0), self.grid_size)
        out = {}
        for name, cell in self.layout.cells.items():
            rect = self.cell_rect(cell)
            size = LABEL_SIZE
            while size > LABEL_MIN and self.font(size).size(name)[0] + 6 > rect.w:
                size -= 1
            label = self.text(name, size, TEXT)
            tag = label.get_rect(midbottom=(rect.centerx, rect.bottom - 3)).inflate(6, 1)
            out[name] = (tag.clamp(board), label)
        return out

    def draw(self, surf: pygame.Surface, scene: Scene, env: KitchenEnv, panel: Panel) -> None:
        surf.blit(self.background, (0, 0))
        self.draw_world(surf, scene, env)
        for station, what in panel.finished.items():
            self._badge(surf, self.station_rect(station), what)
        self.draw_panel(surf, scene, env, panel)

    def _badge(self, surf: pygame.Surface, rect: pygame.Rect, what: str) -> None:
        """A green tag on a station whose item just finished cutting, cooking or frying."""
        label = self.text(f"{what}!", 16, (20, 40, 20))
        tag = label.get_rect(midtop=(rect.centerx, rect.y + 13)).inflate(8, 2)
        tag.clamp_ip(pygame.Rect((0, 0), self.grid_size))
        pygame.draw.rect(surf, GOOD, tag, border_radius=4)
        surf.blit(label, label.get_rect(center=tag.center))

    def draw_world(self, surf: pygame.Surface, scene: Scene, env: KitchenEnv) -> None:
        for station, stack in scene.stacks.items():
            rect = self.station_rect(station)
            kind = STATION_KINDS[self.layout.kinds[station]]
            if (
                (kind.cooks and any(look.cooking is not None for look in stack))
                or (kind.fries and any(look.frying is not None for look in stack))
                or (kind.boils and any(look.heating is not None or look.boiling for look in stack))
            ):
                art.draw_heat(surf, rect)
            for look, layer in zip(stack, self.layer_rects(station, stack), strict=True):
                art.draw_item(surf, look, layer)
            for look in stack:  # the item in progress may be under another one
                if look.cut_progress and not look.cut:
                    self._bar(surf, rect, look.cut_progress / env.cut_steps, CUT_BAR)
                    continue
                for _, timer, duration, _ in TIMED:  # one bar per item: the first under way
                    if getattr(look, timer) is not None:
                        total = getattr(env, duration)
                        self._bar(surf, rect, getattr(look, timer) / total, COOK_BAR)
                        break
        cell = self.cell_rect(scene.robot_cell)
        art.draw_robot(surf, cell, scene.facing)
        if scene.held is not None:
            spot = self.held_rect(scene)
            look = scene.held
            if look.kind in ("lettuce", "tomato", "onion") and not look.cut:
                spot = pygame.Rect(0, 0, spot.h + 4, spot.h + 4)
                spot.center = self.held_rect(scene).center
            art.draw_item(surf, look, spot)

    def _bar(self, surf: pygame.Surface, rect: pygame.Rect, frac: float, color) -> None:
        outer = pygame.Rect(rect.x + 6, rect.y + 4, rect.w - 12, 7)
        pygame.draw.rect(surf, (20, 20, 24), outer, border_radius=3)
        inner = outer.inflate(-2, -2)
        inner.w = max(2, int(inner.w * min(1.0, frac)))
        pygame.draw.rect(surf, color, inner, border_radius=3)

    def draw_panel(self, surf: pygame.Surface, scene: Scene, env: KitchenEnv, p: Panel) -> None:
        x0 = self.grid_size[0]
        surf.fill(PANEL_BG, (x0, 0, self.panel_width, self.size[1]))
        x, y, width = x0 + 16, 12, self.panel_width - 32

        def line(text: str, size: int = 20, color=TEXT, gap: int = 2) -> None:
            nonlocal y
            for part in self.wrap(text, size, width):
                surf.blit(self.text(part, size, color), (x, y))
                y += self.font(size).get_linesize() + gap

        line("Robotouille", 30, ACCENT)
        line(p.heading, 18, DIM)
        y += 4
        line(p.instruction, 24, TEXT)
        y += 6
        steps = f"Step {p.step}" + (f" of at most {p.budget}" if p.budget else "")
        line(steps, 22, WARN if p.budget and p.step > p.budget else ACCENT)
        line(f"Robot at {scene.robot_station}", 20)
        line(f"Holding {scene.held.name if scene.held else 'nothing'}", 20)
        y += 4
        for label, n, total, color in self.progress_rows(env):
            surf.blit(self.text(f"{label} {n}/{total}", 19, TEXT), (x, y))
            bar = pygame.Rect(x + width - 80, y + 3, 80, 10)
            pygame.draw.rect(surf, (20, 20, 24), bar, border_radius=3)
            fill = bar.inflate(-2, -2)
            fill.w = max(2, int(fill.w * min(1.0, n / total)))
            pygame.draw.rect(surf, color, fill, border_radius=3)
            y += 20
        if p.checklist:
            y += 4
            done = sum(d for _, d in p.checklist)
            head = "Goal reached" if p.goal_reached else "Goal"
            line(f"{head}: {done}/{len(p.checklist)}", 19, GOOD if p.goal_reached else DIM, 1)
            for text, ok in p.checklist:
                self._check_row(surf, x, y, width, text, ok)
                y += CHECK_ROW
        for problem in p.problems:
            line(problem, 18, WARN)
        y += 4
        if p.last_action:
            line("Last action:", 17, DIM, 0)
            line(p.last_action, 19)
        if p.message:
            y += 4
            line(p.message, 20, TONES.get(p.tone, TEXT))
        y += 4
        for note in p.notes:
            line(note, 17, DIM)
        for error in p.errors:
            line(error, 17, WARN)
        if p.footer:
            surf.blit(self.text(p.footer, 17, DIM), (x, self.size[1] - 22))

    def _check_row(
        self, surf: pygame.Surface, x: int, y: int, width: int, text: str, ok: bool
    ) -> None:
        box = pygame.Rect(x, y + 2, 13, 13)
        pygame.draw.rect(surf, GOOD if ok else DIM, box, 0 if ok else 1, border_radius=2)
        if ok:  # a tick
            pygame.draw.lines(
                surf, PANEL_BG, False, [(x + 3, y + 8), (x + 5, y + 11), (x + 10, y + 5)], 2
            )
        size = 18
        while size > 13 and self.font(size).size(text)[0] > width - 20:
            size -= 1
        surf.blit(self.text(text, size, TEXT if ok else DIM), (x + 20, y + 2))

    def progress_rows(self, env: KitchenEnv) -> list[tuple[str, int, int, tuple[int, int, int]]]:
        """Every time-taking process under way, cutting, cooking and frying alike; one that
        is paused (its item taken off the station) says so."""
        rows = [
            (f"Cutting {item}", n, env.cut_steps, CUT_BAR)
            for item, n in sorted(env.cut_progress.items())
            if ("cut", item) not in env.facts
        ]
        for verb, timer, duration, can in TIMED:
            for item, n in sorted(getattr(env, timer).items()):
                where = station_under(env.facts, item)
                on = where is not None and getattr(STATION_KINDS[kind_of(where)], can)
                label = f"{verb} {item}" + ("" if on else " (paused)")
                rows.append((label, n, getattr(env, duration), COOK_BAR))
        return rows


def save_png(surf: pygame.Surface, path: str | Path) -> None:
    """Save a frame; OSError (e.g. an unwritable path) is left to the caller to report."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(path.parent))
    try:
        pygame.image.save(surf, str(path))
    except pygame.error as err:
        raise OSError(f"cannot write {path}: {err}") from None

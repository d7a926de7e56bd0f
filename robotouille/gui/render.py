"""Drawing a whole frame: the kitchen grid (static background cached once per level, then
stacks, progress and the robot) and the side panel. Text surfaces are cached, so a frame of
the largest level draws in a few milliseconds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from robotouille.env import KitchenEnv  # noqa: E402
from robotouille.gui import art  # noqa: E402
from robotouille.gui.scene import Cell, ItemLook, Layout, Scene  # noqa: E402
from robotouille.kinds import STATION_KINDS  # noqa: E402

PANEL_BG = (40, 44, 52)
TEXT = (232, 234, 238)
DIM = (160, 166, 178)
WARN = (255, 130, 110)
GOOD = (130, 220, 140)
ACCENT = (255, 206, 90)
CUT_BAR = (90, 170, 255)
COOK_BAR = (255, 140, 50)


@dataclass
class Panel:
    """What the side panel shows; built by the game or by the replay."""

    heading: str
    instruction: str
    step: int
    last_action: str = ""
    message: str = ""
    message_good: bool = False
    notes: list[str] = field(default_factory=list)  # recording file, errors
    footer: str = "Click a station to act  |  H: help"


class Renderer:
    def __init__(self, layout: Layout, cell: int = 72, panel_width: int = 340):
        pygame.font.init()
        self.layout, self.cell, self.panel_width = layout, cell, panel_width
        level = layout.level
        self.grid_size = (level.width * cell, level.height * cell)
        self.size = (self.grid_size[0] + panel_width, max(self.grid_size[1], 500))
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
            rect = self.cell_rect(cell)
            art.draw_station(surf, self.layout.kinds[name], rect)
            label = self.text(name, 15, TEXT)
            tag = label.get_rect(midbottom=(rect.centerx, rect.bottom - 3)).inflate(6, 1)
            pygame.draw.rect(surf, (30, 30, 36), tag, border_radius=4)
            surf.blit(label, label.get_rect(center=tag.center))
        return surf

    def draw(self, surf: pygame.Surface, scene: Scene, env: KitchenEnv, panel: Panel) -> None:
        surf.blit(self.background, (0, 0))
        self.draw_world(surf, scene, env)
        self.draw_panel(surf, scene, env, panel)

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
            top = stack[-1]
            if top.cut_progress and not top.cut:
                self._bar(surf, rect, top.cut_progress / env.cut_steps, CUT_BAR)
            elif top.cooking is not None:
                self._bar(surf, rect, top.cooking / env.cook_steps, COOK_BAR)
            elif top.frying is not None:
                self._bar(surf, rect, top.frying / env.fry_steps, COOK_BAR)
            elif top.simmering is not None:
                self._bar(surf, rect, top.simmering / env.soup_steps, COOK_BAR)
            elif stack[0].heating is not None:
                self._bar(surf, rect, stack[0].heating / env.boil_steps, COOK_BAR)
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
        x, y, width = x0 + 16, 14, self.panel_width - 32

        def line(text: str, size: int = 20, color=TEXT, gap: int = 2) -> None:
            nonlocal y
            for part in self.wrap(text, size, width):
                surf.blit(self.text(part, size, color), (x, y))
                y += self.font(size).get_linesize() + gap

        line("Robotouille", 32, ACCENT)
        line(p.heading, 18, DIM)
        y += 6
        line(p.instruction, 24, TEXT)
        y += 8
        line(f"Step {p.step}", 22, ACCENT)
        line(f"Robot at {scene.robot_station}", 20)
        line(f"Holding {scene.held.name if scene.held else 'nothing'}", 20)
        progress = [
            (f"Cutting {item}", n, env.cut_steps, CUT_BAR)
            for item, n in sorted(env.cut_progress.items())
            if ("cut", item) not in env.facts
        ]
        progress += [
            (f"Cooking {item}", n, env.cook_steps, COOK_BAR)
            for item, n in sorted(env.cooking.items())
        ]
        progress += [
            (f"Frying {item}", n, env.fry_steps, COOK_BAR) for item, n in sorted(env.frying.items())
        ]
        progress += [
            (f"Heating {item}", n, env.boil_steps, COOK_BAR)
            for item, n in sorted(env.heating.items())
        ]
        progress += [
            (f"Simmering {item}", n, env.soup_steps, COOK_BAR)
            for item, n in sorted(env.simmering.items())
        ]
        y += 4
        for label, n, total, color in progress:
            surf.blit(self.text(f"{label} {n}/{total}", 20, TEXT), (x, y))
            bar = pygame.Rect(x + width - 90, y + 3, 90, 10)
            pygame.draw.rect(surf, (20, 20, 24), bar, border_radius=3)
            fill = bar.inflate(-2, -2)
            fill.w = max(2, int(fill.w * n / total))
            pygame.draw.rect(surf, color, fill, border_radius=3)
            y += 22
        y += 6
        if p.last_action:
            line("Last action:", 18, DIM, 0)
            line(p.last_action, 20)
        if p.message:
            y += 6
            line(p.message, 21, GOOD if p.message_good else WARN)
        y += 6
        for note in p.notes:
            line(note, 17, WARN if note.startswith("could not") else DIM)
        footer = self.text(p.footer, 17, DIM)
        surf.blit(footer, (x, self.size[1] - 24))


def save_png(surf: pygame.Surface, path: str | Path) -> None:
    """Save a frame; OSError (e.g. an unwritable path) is left to the caller to report."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(path.parent))
    try:
        pygame.image.save(surf, str(path))
    except pygame.error as err:
        raise OSError(f"cannot write {path}: {err}") from None

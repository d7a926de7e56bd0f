"""The pygame window: turns mouse clicks and keys into Session calls and redraws only when
something changed (a dirty flag), so an idle window costs nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pygame

from robotouille.gui.render import (
    ACCENT,
    DIM,
    PLAY_FOOTER,
    TEXT,
    Panel,
    Renderer,
    checklist_of,
    panel_height,
    save_png,
)
from robotouille.gui.session import Option, Session

HEADLESS_DRIVERS = ("dummy", "offscreen")

HELP = [
    ("Click a station", "move there, or pick up / place / stack / unstack / fill / boil"),
    ("1-9 / click", "choose when several actions fit (Esc cancels)"),
    ("C", "cut the item here (one cut)"),
    ("K", "start cooking the item here"),
    ("W or Space", "wait one step"),
    ("U", "undo the last step"),
    ("R", "restart this scenario"),
    ("N", "next scenario (new seed, same task)"),
    ("S", "save the recording now"),
    ("P", "save a numbered screenshot"),
    ("H or ?", "show / hide this help"),
    ("Q or Esc", "quit"),
]


class App:
    def __init__(
        self,
        session: Session,
        *,
        cell: int = 72,
        heading: str = "",
        screenshots: str | Path = ".",
    ):
        self.session = session
        self.cell = cell
        self.heading = heading
        self.screenshots = Path(screenshots)  # P writes robotouille-001.png, -002, ... here
        self.renderer = self._renderer()
        self.screen = pygame.display.set_mode(self.renderer.size)
        pygame.display.set_caption("Robotouille")
        self.choices: list[Option] = []
        self.choice_rects: list[pygame.Rect] = []
        self.show_help = False
        self.running = True
        self.dirty = True
        self.frames = 0  # frames actually drawn (tests check the dirty flag with it)

    # --- panel ----------------------------------------------------------------------------
    def panel(self) -> Panel:
        s = self.session
        notes = []
        if s.recorder is not None:
            notes.append(f"Recording to {s.recorder.path.name} (scenario {s.scenario})")
        else:
            notes.append("Not recording (use --record FILE)")
        heading = f"{self.heading}  seed {s.seed}".strip()
        goal = s.goal
        return Panel(
            heading,
            s.instruction,
            s.steps,
            s.last_action,
            s.message,
            s.tone,
            notes,
            [s.save_error] if s.save_error else [],
            PLAY_FOOTER,
            checklist_of(goal),
            list(goal.problems) if goal is not None else [],
            goal.budget if goal is not None else None,
            s.goal_reached,
            dict(s.finished),
        )

    def _renderer(self) -> Renderer:
        rows = len(self.session.goal.subgoals) if self.session.goal is not None else 0
        return Renderer(self.session.layout, self.cell, min_height=panel_height(rows))

    # --- events ---------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._click(event.pos)
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE, pygame.WINDOWRESTORED):
            self.dirty = True

    def _click(self, pos: tuple[int, int]) -> None:
        self.dirty = True
        if self.show_help:
            self.show_help = False
            return
        if self.choices:
            for option, rect in zip(self.choices, self.choice_rects, strict=True):
                if rect.collidepoint(pos):
                    self._choose(option)
                    return
            self.choices = []  # a click elsewhere cancels the chooser
            return
        station = self.renderer.station_at(pos)
        if station is not None:
            self.choices = self.session.click(station)
            self._anchor = pos

    def _choose(self, option: Option) -> None:
        self.choices = []
        self.session.perform(option)

    def _key(self, event: pygame.event.Event) -> None:
        self.dirty = True
        key, char = event.key, getattr(event, "unicode", "")
        s = self.session
        if self.show_help:  # any key closes the help
            self.show_help = False
            return
        if self.choices:
            if key == pygame.K_ESCAPE:
                self.choices = []
            elif pygame.K_1 <= key <= pygame.K_9 and key - pygame.K_1 < len(self.choices):
                self._choose(self.choices[key - pygame.K_1])
            return
        if key in (pygame.K_q, pygame.K_ESCAPE):
            self.running = False
        elif key == pygame.K_h or char == "?":
            self.show_help = True
        elif key == pygame.K_c:
            s.cut()
        elif key == pygame.K_k:
            s.start_cooking()
        elif key in (pygame.K_w, pygame.K_SPACE):
            s.wait()
        elif key == pygame.K_u:
            s.undo()
        elif key == pygame.K_r:
            s.restart()
        elif key == pygame.K_n:
            s.next_scenario()
            self._relayout()
        elif key == pygame.K_s:
            s.save()
        elif key == pygame.K_p:
            self.save_screenshot(next_screenshot(self.screenshots))
        else:
            self.dirty = False

    def _relayout(self) -> None:
        """A new scenario may have a new layout: new background and maybe a new size."""
        self.renderer = self._renderer()
        if self.screen.get_size() != self.renderer.size:
            self.screen = pygame.display.set_mode(self.renderer.size)

    def save_screenshot(self, path: str | Path) -> bool:
        """Never touches the recording; a failure becomes a message."""
        self.draw(force=True)
        try:
            save_png(self.screen, path)
        except (OSError, pygame.error) as err:
            self.session.say(f"Could not save the screenshot to {path}: {err}", "error")
            self.dirty = True
            return False
        self.session.say(f"Screenshot saved to {path}.")
        self.dirty = True
        return True

    # --- drawing --------------------------------------------------------------------------
    def draw(self, force: bool = False) -> bool:
        if not (self.dirty or force):
            return False
        s = self.session
        self.renderer.draw(self.screen, s.scene, s.env, self.panel())
        if self.choices:
            self._draw_choices()
        if self.show_help:
            self._draw_help()
        self.dirty = False
        self.frames += 1
        return True

    def _draw_choices(self) -> None:
        r = self.renderer
        rows = [f"{k}. {o.label}" for k, o in enumerate(self.choices, start=1)]
        w = max(r.font(22).size(t)[0] for t in rows) + 24
        h = 30 * len(rows) + 34
        ax, ay = getattr(self, "_anchor", (20, 20))
        box = pygame.Rect(ax + 8, ay + 8, w, h)
        box.clamp_ip(self.screen.get_rect())
        pygame.draw.rect(self.screen, (28, 30, 36), box, border_radius=8)
        pygame.draw.rect(self.screen, (255, 206, 90), box, 2, border_radius=8)
        self.screen.blit(r.text("Choose (Esc cancels):", 18, DIM), (box.x + 12, box.y + 8))
        self.choice_rects = []
        for k, text in enumerate(rows):
            row = pygame.Rect(box.x + 6, box.y + 30 + 30 * k, w - 12, 28)
            pygame.draw.rect(self.screen, (52, 56, 66), row, border_radius=5)
            self.screen.blit(r.text(text, 22, TEXT), (row.x + 6, row.y + 6))
            self.choice_rects.append(row)

    def _draw_help(self) -> None:
        """The keys on an opaque dark panel, readable over any floor."""
        r = self.renderer
        shade = pygame.Surface(self.screen.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        self.screen.blit(shade, (0, 0))
        key_w = max(r.font(22).size(k)[0] for k, _ in HELP) + 24
        w = key_w + max(r.font(22).size(t)[0] for _, t in HELP) + 48
        h = 44 + 28 * len(HELP) + 44
        box = pygame.Rect(0, 0, w, h)
        box.center = self.screen.get_rect().center
        box.clamp_ip(self.screen.get_rect())
        pygame.draw.rect(self.screen, (24, 26, 32), box, border_radius=10)
        pygame.draw.rect(self.screen, ACCENT, box, 2, border_radius=10)
        x, y = box.x + 24, box.y + 16
        self.screen.blit(r.text("Controls", 34, ACCENT), (x, y))
        y += 44
        for key, what in HELP:
            self.screen.blit(r.text(key, 22, ACCENT), (x, y))
            self.screen.blit(r.text(what, 22, TEXT), (x + key_w, y))
            y += 28
        self.screen.blit(r.text("Press any key to close.", 20, DIM), (x, y + 10))

    # --- loop -----------------------------------------------------------------------------
    def pump(self) -> None:
        """Handle queued events and redraw if needed (one turn of the loop)."""
        for event in pygame.event.get():
            self.handle(event)
            if not self.running:
                return
        if self.draw():
            pygame.display.flip()

    def run(self, fps: int = 30) -> None:
        clock = pygame.time.Clock()
        while self.running:
            self.pump()
            clock.tick(fps)


def next_screenshot(folder: Path) -> Path:
    """The first free numbered name, so earlier screenshots are never overwritten."""
    n = 1
    while (folder / f"robotouille-{n:03d}.png").exists():
        n += 1
    return folder / f"robotouille-{n:03d}.png"


def display_problem() -> str | None:
    """Why no window can open here, in one line, or None. Checked before the window opens:
    a headless SDL driver would otherwise run an invisible game that never ends."""
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver in HEADLESS_DRIVERS:
        return (
            f"no display: SDL_VIDEODRIVER={driver} draws to no screen; unset it to play "
            "(robotouille render and replay --gif make pictures without one)"
        )
    unix = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    if unix and not driver and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return (
            "no display: neither DISPLAY nor WAYLAND_DISPLAY is set "
            "(robotouille render and replay --gif make pictures without one)"
        )
    try:
        pygame.display.init()
    except pygame.error as err:
        return f"no display: the window system cannot be opened ({err})"
    return None


def run_game(session: Session, *, cell: int = 72, heading: str = "") -> None:
    """Open the window and play until the player quits."""
    pygame.init()
    try:
        App(session, cell=cell, heading=heading).run()
    finally:
        pygame.quit()

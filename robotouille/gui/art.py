"""The game's art, drawn with pygame primitives (nothing downloaded).

Items are drawn side-on as layers so a stack reads as a pile (a burger looks like a burger).
Whole vegetables are round; cut ones are flat slices. Raw meat is pink; cooked meat is brown
with grill marks; fried food is golden (a potato becomes a heap of fries, chicken gets a
crumbed crust). A pot is steel, blue inside once filled, with bubbles while it boils; an
item that became soup is a creamy layer in it. The centre pixel of every item is its main
colour (tests sample it).
"""

from __future__ import annotations

import pygame

from robotouille.gui.scene import ItemLook

Color = tuple[int, int, int]

FLOOR = (236, 229, 214)
FLOOR_ALT = (226, 218, 202)
OUTLINE = (60, 45, 35)
ROBOT = (58, 118, 214)
ROBOT_DARK = (34, 72, 140)
ROBOT_HEAD = (120, 170, 240)

BUN = (222, 158, 78)
BUN_DARK = (170, 108, 45)
MAIN: dict[str, Color] = {
    "top_bun": BUN,
    "bottom_bun": BUN,
    "bread": (240, 214, 160),
    "cheese": (250, 204, 40),
    "lettuce": (92, 178, 60),
    "tomato": (220, 48, 40),
    "onion": (168, 92, 168),
    "patty": (222, 116, 120),
    "chicken": (244, 190, 176),
    "potato": (196, 150, 92),
    "pot": (150, 156, 166),
}
COOKED: dict[str, Color] = {"patty": (112, 62, 32), "chicken": (206, 140, 48)}
FRIED: dict[str, Color] = {"potato": (246, 200, 70), "chicken": (214, 150, 40)}
CUT: dict[str, Color] = {"onion": (236, 214, 236)}
WATER = (84, 150, 222)
SOUP: dict[str, Color] = {"onion": (214, 170, 104), "potato": (236, 220, 160)}


def main_color(look: ItemLook) -> Color:
    """The colour at the centre of the item's drawing."""
    if look.kind == "pot":
        return WATER if look.filled else MAIN["pot"]
    if look.soup and look.kind in SOUP:
        return SOUP[look.kind]
    if look.fried and look.kind in FRIED:
        return FRIED[look.kind]
    if look.cooked and look.kind in COOKED:
        return COOKED[look.kind]
    if look.cut and look.kind in CUT:
        return CUT[look.kind]
    return MAIN[look.kind]


def _darker(c: Color, f: float = 0.7) -> Color:
    return (int(c[0] * f), int(c[1] * f), int(c[2] * f))


def _lighter(c: Color, f: float = 0.35) -> Color:
    return tuple(int(v + (255 - v) * f) for v in c)  # type: ignore[return-value]


def layer_height(look: ItemLook, cell: int) -> int:
    """Height of the item's layer in a stack, for a cell of `cell` pixels."""
    whole = look.kind in ("lettuce", "tomato", "onion") and not look.cut
    frac = {
        "top_bun": 0.24,
        "bottom_bun": 0.16,
        "bread": 0.2,
        "cheese": 0.08,
        "lettuce": 0.11,
        "tomato": 0.1,
        "onion": 0.1,
        "patty": 0.17,
        "chicken": 0.18,
        "potato": 0.22,
        "pot": 0.3,
    }.get(look.kind, 0.15)
    if look.soup:
        return max(4, int(cell * 0.12))
    return max(4, int(cell * (0.42 if whole else frac)))


def draw_item(surf: pygame.Surface, look: ItemLook, rect: pygame.Rect) -> None:
    """One item filling `rect` (its layer in a pile, or the spot in the robot's hands)."""
    kind, color = look.kind, main_color(look)
    x, y, w, h = rect
    cx, cy = rect.center
    if kind == "pot":
        _draw_pot(surf, look, rect)
    elif look.soup:  # a creamy layer with a few darker bits
        pygame.draw.rect(surf, color, rect, border_radius=max(2, h // 2))
        for fx in (0.2, 0.45, 0.7):
            pygame.draw.circle(surf, _darker(color, 0.75), (x + int(w * fx), cy - 1), 2)
        pygame.draw.circle(surf, color, (cx, cy), 2)
    elif kind == "top_bun":
        clip = surf.get_clip()
        surf.set_clip(rect.clip(clip) if clip else rect)
        pygame.draw.ellipse(surf, color, (x, y, w, h * 2))
        pygame.draw.ellipse(surf, BUN_DARK, (x, y, w, h * 2), 2)
        surf.set_clip(clip)
        pygame.draw.line(surf, BUN_DARK, (x, y + h - 1), (x + w - 1, y + h - 1), 2)
        for fx, fy in ((0.3, 0.35), (0.62, 0.25), (0.75, 0.55), (0.4, 0.7)):
            pygame.draw.ellipse(surf, (250, 244, 220), (x + int(w * fx), y + int(h * fy), 4, 3))
    elif kind == "bottom_bun":
        pygame.draw.rect(surf, color, rect, border_radius=max(2, h // 2))
        pygame.draw.rect(surf, BUN_DARK, rect, 2, border_radius=max(2, h // 2))
        pygame.draw.line(surf, _lighter(color), (x + 4, y + 2), (x + w - 5, y + 2), 2)
    elif kind == "bread":
        pygame.draw.rect(surf, (176, 118, 58), rect, border_radius=max(2, h // 3))
        inner = rect.inflate(-6, -5)
        pygame.draw.rect(surf, color, inner, border_radius=max(2, h // 4))
    elif kind == "cheese":
        pygame.draw.rect(surf, color, rect)
        pygame.draw.polygon(surf, color, [(x + 3, y + h), (x + 10, y + h + 5), (x + 16, y + h)])
        pygame.draw.polygon(
            surf, color, [(x + w - 18, y + h), (x + w - 12, y + h + 5), (x + w - 6, y + h)]
        )
        pygame.draw.rect(surf, _darker(color, 0.8), rect, 1)
        for fx in (0.2, 0.75):
            pygame.draw.circle(surf, (222, 170, 20), (x + int(w * fx), cy), max(1, h // 4))
    elif kind in ("lettuce", "tomato", "onion") and not look.cut:
        _draw_whole(surf, kind, color, rect)
    elif kind == "lettuce":  # cut: a ruffled leaf layer
        step = max(5, h)
        for k, px in enumerate(range(x + step // 2, x + w, step)):
            shade = color if k % 2 else _darker(color, 0.85)
            pygame.draw.circle(surf, shade, (px, cy - 1), step // 2 + 1)
        pygame.draw.rect(surf, color, (x + 2, cy - h // 4, w - 4, max(2, h // 2)))
    elif kind == "tomato":  # cut: a slice with seeds
        pygame.draw.rect(surf, _darker(color, 0.8), rect, border_radius=max(2, h // 2))
        inner = rect.inflate(-4, -max(2, h // 3))
        pygame.draw.rect(surf, color, inner, border_radius=max(2, h // 3))
        for fx in (0.22, 0.38, 0.65, 0.8):
            pygame.draw.circle(surf, (250, 220, 120), (x + int(w * fx), cy), 1)
    elif kind == "onion":  # cut: rings
        pygame.draw.rect(surf, color, rect, border_radius=max(2, h // 2))
        for fx in (0.0, 0.34, 0.68):
            pygame.draw.ellipse(surf, MAIN["onion"], (x + int(w * fx) + 1, y, int(w * 0.32), h), 2)
    elif kind == "patty":
        pygame.draw.rect(surf, color, rect, border_radius=max(2, h // 2))
        pygame.draw.rect(surf, _darker(color, 0.75), rect, 2, border_radius=max(2, h // 2))
        if look.cooked:
            for fx in (0.22, 0.42, 0.62, 0.8):
                px = x + int(w * fx)
                pygame.draw.line(surf, (58, 30, 14), (px - 3, y + 3), (px + 3, y + h - 4), 2)
        else:
            for fx in (0.25, 0.7):
                pygame.draw.circle(surf, (245, 180, 180), (x + int(w * fx), cy), 2)
    elif kind == "chicken":
        pygame.draw.ellipse(surf, color, rect)
        pygame.draw.ellipse(surf, _darker(color, 0.75), rect, 2)
        pygame.draw.circle(surf, (246, 238, 225), (x + w - 4, cy), max(3, h // 3))  # bone end
        if look.cooked:
            for fx in (0.2, 0.35, 0.65):
                pygame.draw.circle(surf, (150, 90, 20), (x + int(w * fx), y + h // 3), 2)
        if look.fried:
            for fx in (0.15, 0.3, 0.45, 0.6, 0.75):
                pygame.draw.circle(surf, (170, 110, 25), (x + int(w * fx), y + 2 * h // 3), 2)
    elif kind == "potato" and look.fried:  # fries: golden sticks
        for k, fx in enumerate((0.12, 0.26, 0.4, 0.54, 0.68, 0.82)):
            stick = pygame.Rect(x + int(w * fx) - 2, y + (k % 2) * 2, 5, h - (k % 2) * 2)
            pygame.draw.rect(surf, _darker(color, 0.8), stick)
        pygame.draw.rect(surf, color, (x + 2, cy - 2, w - 4, 5))
    elif kind == "potato":
        pygame.draw.ellipse(surf, color, rect)
        pygame.draw.ellipse(surf, _darker(color, 0.7), rect, 2)
        for fx, fy in ((0.3, 0.35), (0.62, 0.6), (0.75, 0.3)):
            pygame.draw.circle(surf, _darker(color, 0.6), (x + int(w * fx), y + int(h * fy)), 1)


def _draw_pot(surf: pygame.Surface, look: ItemLook, rect: pygame.Rect) -> None:
    """A steel pot with handles; water inside once filled, bubbles while it boils."""
    x, y, w, h = rect
    steel = MAIN["pot"]
    body = pygame.Rect(x + 4, y, w - 8, h)
    pygame.draw.rect(surf, steel, body, border_radius=4)
    pygame.draw.rect(surf, _darker(steel, 0.6), body, 2, border_radius=4)
    for hx in (x, x + w - 5):  # handles
        pygame.draw.rect(surf, _darker(steel, 0.5), (hx, y + 2, 5, 4))
    if look.filled:
        water = body.inflate(-6, -max(2, h // 3))
        pygame.draw.rect(surf, WATER, water, border_radius=3)
        if look.boiling:
            for fx in (0.2, 0.5, 0.8):
                bx = water.x + int(water.w * fx)
                pygame.draw.circle(surf, _lighter(WATER, 0.6), (bx, water.y + 2), 2)
        pygame.draw.circle(surf, WATER, rect.center, 2)


def _draw_whole(surf: pygame.Surface, kind: str, color: Color, rect: pygame.Rect) -> None:
    r = min(rect.w, rect.h) // 2
    cx, cy = rect.center
    pygame.draw.circle(surf, color, (cx, cy), r)
    pygame.draw.circle(surf, _darker(color, 0.7), (cx, cy), r, 2)
    if kind == "lettuce":
        for dx in (-r // 2, r // 2):
            pygame.draw.arc(
                surf, _darker(color, 0.7), (cx + dx - r // 2, cy - r, r, 2 * r), 1.2, 4.9, 2
            )
    elif kind == "tomato":
        pygame.draw.circle(surf, _lighter(color, 0.5), (cx - r // 2, cy - r // 2), max(2, r // 5))
        for dx in (-4, 0, 4):
            pygame.draw.line(surf, (40, 140, 50), (cx, cy - r), (cx + dx, cy - r - 4), 3)
    elif kind == "onion":
        pygame.draw.polygon(
            surf, color, [(cx - 4, cy - r + 2), (cx + 4, cy - r + 2), (cx, cy - r - 6)]
        )
        pygame.draw.arc(surf, _lighter(color, 0.4), (cx - r // 2, cy - r, r, 2 * r), 1.9, 4.4, 2)


# --- stations -----------------------------------------------------------------------------
TABLE = (176, 124, 72)
STOVE = (72, 72, 80)
BOARD_COUNTER = (170, 176, 186)
FRYER = (150, 156, 168)
SINK = (196, 204, 214)


def draw_station(surf: pygame.Surface, kind: str, rect: pygame.Rect) -> None:
    """The station tile (the static part: drawn once per level into the background)."""
    x, y, w, h = rect
    inset = rect.inflate(-4, -4)
    if kind == "table":
        pygame.draw.rect(surf, TABLE, inset, border_radius=6)
        for k in (1, 2, 3):
            py = y + 2 + k * (h - 4) // 4
            pygame.draw.line(surf, _darker(TABLE, 0.85), (x + 6, py), (x + w - 7, py), 1)
        pygame.draw.rect(surf, _darker(TABLE, 0.6), inset, 2, border_radius=6)
    elif kind == "stove":
        pygame.draw.rect(surf, STOVE, inset, border_radius=6)
        pygame.draw.rect(surf, (30, 30, 34), inset, 2, border_radius=6)
        c = (x + w // 2, y + int(h * 0.5))
        for r in (int(w * 0.3), int(w * 0.2)):
            pygame.draw.circle(surf, (40, 40, 44), c, r, 3)
        for k in range(3):  # knobs
            pygame.draw.circle(surf, (200, 200, 200), (x + 12 + k * 10, y + 9), 3)
    elif kind == "cutting_board":
        pygame.draw.rect(surf, BOARD_COUNTER, inset, border_radius=6)
        pygame.draw.rect(surf, _darker(BOARD_COUNTER, 0.65), inset, 2, border_radius=6)
        board = pygame.Rect(x + 7, y + int(h * 0.38), w - 14, int(h * 0.46))
        pygame.draw.rect(surf, (222, 186, 130), board, border_radius=5)
        pygame.draw.rect(surf, (160, 120, 70), board, 2, border_radius=5)
        # the knife, top left
        pygame.draw.polygon(
            surf,
            (215, 220, 228),
            [(x + 8, y + 10), (x + 34, y + 10), (x + 30, y + 17), (x + 8, y + 17)],
        )
        pygame.draw.rect(surf, (60, 40, 30), (x + 34, y + 10, 14, 6), border_radius=2)
    elif kind == "fryer":
        pygame.draw.rect(surf, FRYER, inset, border_radius=6)
        pygame.draw.rect(surf, _darker(FRYER, 0.6), inset, 2, border_radius=6)
        oil = pygame.Rect(x + 8, y + int(h * 0.45), w - 16, int(h * 0.38))
        pygame.draw.rect(surf, (236, 196, 60), oil, border_radius=3)
        for k in range(1, 4):
            px = oil.x + k * oil.w // 4
            pygame.draw.line(surf, (120, 120, 120), (px, oil.y), (px, oil.bottom - 1), 1)
        pygame.draw.line(surf, (50, 50, 50), (x + w // 2, oil.y), (x + w // 2, y + 10), 3)
    elif kind == "sink":
        pygame.draw.rect(surf, SINK, inset, border_radius=6)
        pygame.draw.rect(surf, _darker(SINK, 0.6), inset, 2, border_radius=6)
        basin = pygame.Rect(x + 8, y + int(h * 0.4), w - 16, int(h * 0.42))
        pygame.draw.rect(surf, _darker(SINK, 0.8), basin, border_radius=8)
        pygame.draw.rect(surf, _lighter(WATER, 0.5), basin.inflate(-8, -8), border_radius=6)
        # the tap, top middle
        pygame.draw.line(surf, (110, 116, 126), (x + w // 2, y + 8), (x + w // 2, basin.y), 4)
        pygame.draw.line(surf, (110, 116, 126), (x + w // 2 - 8, y + 8), (x + w // 2 + 8, y + 8), 4)


def draw_heat(surf: pygame.Surface, rect: pygame.Rect) -> None:
    """A glowing burner under something that is cooking."""
    x, y, w, h = rect
    c = (x + w // 2, y + int(h * 0.5))
    pygame.draw.circle(surf, (250, 110, 30), c, int(w * 0.3), 3)
    pygame.draw.circle(surf, (255, 190, 60), c, int(w * 0.2), 2)


# --- robot --------------------------------------------------------------------------------
def robot_parts(cell: pygame.Rect) -> tuple[pygame.Rect, tuple[int, int], int, pygame.Rect]:
    """Body, head centre, head radius, and the spot where a held item is drawn."""
    x, y, w, h = cell
    body = pygame.Rect(x + int(w * 0.2), y + int(h * 0.46), int(w * 0.6), int(h * 0.48))
    head = (x + w // 2, y + int(h * 0.28))
    held = pygame.Rect(x + int(w * 0.2), y + int(h * 0.5), int(w * 0.6), int(h * 0.24))
    return body, head, int(w * 0.19), held


def draw_robot(surf: pygame.Surface, cell: pygame.Rect, facing: str) -> None:
    body, head, r, _ = robot_parts(cell)
    pygame.draw.rect(surf, ROBOT, body, border_radius=8)
    pygame.draw.rect(surf, ROBOT_DARK, body, 2, border_radius=8)
    tip = max(cell.y + 3, head[1] - r - 6)  # the antenna stays inside the cell (top row)
    pygame.draw.line(surf, ROBOT_DARK, (head[0], head[1] - r), (head[0], tip), 2)
    pygame.draw.circle(surf, (240, 80, 80), (head[0], tip), 3)
    pygame.draw.circle(surf, ROBOT_HEAD, head, r)
    pygame.draw.circle(surf, ROBOT_DARK, head, r, 2)
    dx, dy = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[facing]
    for side in (-1, 1):  # eyes look toward the station the robot works at
        ex = head[0] + dx * r // 2 + (side * r // 2 if dy or not dx else 0)
        ey = head[1] + dy * r // 2 + (side * r // 3 if dx else 0)
        pygame.draw.circle(surf, (255, 255, 255), (ex, ey), max(2, r // 4))
        pygame.draw.circle(surf, (20, 20, 30), (ex + dx * 2, ey + dy * 2), max(1, r // 8))
    # an arrow on the cell edge toward the station
    cx, cy = cell.center
    tip = (cx + dx * (cell.w // 2 - 2), cy + dy * (cell.h // 2 - 2))
    base = (cx + dx * (cell.w // 2 - 10), cy + dy * (cell.h // 2 - 10))
    px, py = -dy * 6, dx * 6
    pygame.draw.polygon(
        surf, ROBOT_DARK, [tip, (base[0] + px, base[1] + py), (base[0] - px, base[1] - py)]
    )

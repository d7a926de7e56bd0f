"""The physical scene: PyBullet in DIRECT mode, one client per thread, reset per episode.

Pick-and-place is a teleport above the target followed by a short, bounded physics settle,
so an unstable stack really falls, while a whole episode stays around a tenth of a second.
"""

from __future__ import annotations

import threading

from demo2code.benchmarks.tabletop._pybullet import pybullet as p
from demo2code.benchmarks.tabletop.geometry import HALF, SIZE, ScenePlan, obj_type

RGBA: dict[str, tuple[float, float, float, float]] = {
    "blue": (0.12, 0.35, 0.9, 1),
    "red": (0.85, 0.1, 0.1, 1),
    "green": (0.1, 0.65, 0.2, 1),
    "orange": (1.0, 0.55, 0.0, 1),
    "yellow": (0.95, 0.88, 0.1, 1),
    "purple": (0.5, 0.2, 0.7, 1),
    "pink": (1.0, 0.5, 0.75, 1),
    "cyan": (0.1, 0.85, 0.9, 1),
    "brown": (0.5, 0.3, 0.12, 1),
    "gray": (0.5, 0.5, 0.5, 1),
}
TIME_STEP = 1 / 120
SETTLE_MAX_STEPS = 150  # bounded: 1.25 s of simulated time at most
SETTLE_CHECK_EVERY = 6
STILL_SPEED = 0.01  # m/s (and rad/s) below which a body counts as at rest
DROP_GAP = 0.002  # released this far above the surface it should land on

Pose = tuple[float, float, float]

_clients = threading.local()


def _connect() -> int:
    """One DIRECT client per thread, reused across episodes (reconnecting costs more than a
    whole episode): eval's worker threads each run their own episodes' simulators."""
    client: int | None = getattr(_clients, "cid", None)
    if client is None or not p.isConnected(client):
        client = _clients.cid = p.connect(p.DIRECT)
    return client


class TableSim:
    """A table with blocks and cylinders; bodies are addressed by their readable names."""

    def __init__(self, plan: ScenePlan):
        self.cid = _connect()
        c = self.cid
        p.resetSimulation(physicsClientId=c)
        p.setGravity(0, 0, -9.81, physicsClientId=c)
        p.setPhysicsEngineParameter(
            fixedTimeStep=TIME_STEP, numSolverIterations=30, deterministicOverlappingPairs=1,
            physicsClientId=c,
        )  # fmt: skip
        top = p.createCollisionShape(p.GEOM_BOX, halfExtents=[HALF, HALF, 0.02], physicsClientId=c)
        look = p.createVisualShape(
            p.GEOM_BOX, halfExtents=[HALF, HALF, 0.02], rgbaColor=[0.82, 0.7, 0.55, 1],
            physicsClientId=c,
        )  # fmt: skip
        self.table = p.createMultiBody(0, top, look, [0, 0, -0.02], physicsClientId=c)
        p.changeDynamics(self.table, -1, lateralFriction=0.8, physicsClientId=c)
        h = SIZE / 2
        shapes = {
            "block": p.createCollisionShape(p.GEOM_BOX, halfExtents=[h, h, h], physicsClientId=c),
            "cylinder": p.createCollisionShape(
                p.GEOM_CYLINDER, radius=h, height=SIZE, physicsClientId=c
            ),
        }
        self.bodies: dict[str, int] = {}
        placed: dict[str, tuple[float, float, int]] = {}
        for names, (x, y) in plan.stacks:
            for level, name in enumerate(names):
                placed[name] = (x, y, level)
        for name in plan.objects:
            colour, kind = name.rsplit(" ", 1)
            if kind == "block":
                vis = p.createVisualShape(
                    p.GEOM_BOX, halfExtents=[h, h, h], rgbaColor=RGBA[colour], physicsClientId=c
                )
            else:
                vis = p.createVisualShape(
                    p.GEOM_CYLINDER, radius=h, length=SIZE, rgbaColor=RGBA[colour],
                    physicsClientId=c,
                )  # fmt: skip
            x, y, level = placed[name]
            body = p.createMultiBody(
                0.1, shapes[obj_type(name)], vis, [x, y, h + level * SIZE], physicsClientId=c
            )
            p.changeDynamics(
                body, -1, lateralFriction=0.8, spinningFriction=0.001, rollingFriction=0.001,
                physicsClientId=c,
            )  # fmt: skip
            self.bodies[name] = body
        self.settle()

    # --- state -------------------------------------------------------------------------

    def poses(self) -> dict[str, Pose]:
        """Rounded centre positions; rounding keeps traces stable and JSON small."""
        out = {}
        for name, body in self.bodies.items():
            pos, _ = p.getBasePositionAndOrientation(body, physicsClientId=self.cid)
            out[name] = (round(pos[0], 4), round(pos[1], 4), round(pos[2], 4))
        return out

    def tilts(self) -> dict[str, float]:
        """How far each object's up axis leans from vertical (cosine; 1.0 means upright)."""
        out = {}
        for name, body in self.bodies.items():
            _, orn = p.getBasePositionAndOrientation(body, physicsClientId=self.cid)
            m = p.getMatrixFromQuaternion(orn)
            out[name] = round(m[8], 3)
        return out

    def _top_under(self, x: float, y: float, skip: int) -> float:
        """Highest surface (z) of any body whose footprint overlaps an object at (x, y)."""
        top = 0.0
        for body in self.bodies.values():
            if body == skip:
                continue
            lo, hi = p.getAABB(body, physicsClientId=self.cid)
            if lo[0] - SIZE / 2 < x < hi[0] + SIZE / 2 and lo[1] - SIZE / 2 < y < hi[1] + SIZE / 2:
                top = max(top, hi[2])
        return top

    # --- actions -----------------------------------------------------------------------

    def place(self, name: str, x: float, y: float, on: str | None = None) -> None:
        """Release `name` upright just above `on` (or whatever lies at x, y) and let it settle."""
        body = self.bodies[name]
        if on is not None:
            target = self.bodies[on]
            (x, y, _), _ = p.getBasePositionAndOrientation(target, physicsClientId=self.cid)
            surface = p.getAABB(target, physicsClientId=self.cid)[1][2]
        else:
            surface = self._top_under(x, y, body)
        z = surface + SIZE / 2 + DROP_GAP
        p.resetBasePositionAndOrientation(body, [x, y, z], [0, 0, 0, 1], physicsClientId=self.cid)
        p.resetBaseVelocity(body, [0, 0, 0], [0, 0, 0], physicsClientId=self.cid)
        self.settle()

    def settle(self) -> int:
        """Step until every body is still (checked every few steps), at most a bounded number."""
        c = self.cid
        bodies = list(self.bodies.values())
        steps = 0
        while steps < SETTLE_MAX_STEPS:
            for _ in range(SETTLE_CHECK_EVERY):
                p.stepSimulation(physicsClientId=c)
            steps += SETTLE_CHECK_EVERY
            fastest = 0.0
            for body in bodies:
                lin, ang = p.getBaseVelocity(body, physicsClientId=c)
                fastest = max(fastest, *map(abs, lin), *map(abs, ang))
            if fastest < STILL_SPEED:
                break
        return steps

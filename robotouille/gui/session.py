"""The game's rules of play, without pygame: what a click on a station means, the keyed
actions, undo, restart and the next scenario. Every action goes through KitchenAPI, so a
recording equals running the same calls through the API.

Whether the goal is reached is the task's own unit test on the trace so far (a `judge` the
CLI builds from the task; see demo2code/benchmarks/goal_progress.py), not the level's PDDL
goal, which several tasks share. A bare level (`--env`) falls back to its PDDL goal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from robotouille.api import KitchenAPI, PreconditionFailed, StepLimitExceeded
from robotouille.env import KitchenEnv
from robotouille.gui.scene import Layout, Scene, build_scene, finished_in, finished_message
from robotouille.kinds import ITEM_KINDS, STATION_KINDS, kind_of
from robotouille.level import Level
from robotouille.recording import Recorder, run_action


class Subgoal(Protocol):
    fact: tuple[str, ...]
    positive: bool
    done: bool


class GoalStatus(Protocol):
    """What a judge answers about the trace so far (demo2code's GoalProgress fits)."""

    passed: bool
    subgoals: Sequence[Subgoal]
    problems: Sequence[str]
    budget: int | None


Judge = Callable[[dict[str, Any]], GoalStatus]
Tone = Literal["info", "error", "good"]


@dataclass(frozen=True)
class Option:
    """One API call the player may choose; `label` is what the chooser shows."""

    label: str
    method: str
    args: tuple[str, ...]


class Session:
    """One player's game: the level of the current scenario, its episode, and its history."""

    def __init__(
        self,
        make_level: Callable[[int], Level],
        seed: int,
        instruction: str,
        recorder: Recorder | None = None,
        *,
        cut_steps: int | None = None,  # None: the level's own durations
        cook_steps: int | None = None,
        judge: Judge | None = None,
    ):
        self.make_level, self.instruction, self.recorder = make_level, instruction, recorder
        self.cut_steps, self.cook_steps = cut_steps, cook_steps
        self.judge = judge
        self.goal: GoalStatus | None = None  # the judge's answer after the latest step
        self.finished: dict[str, str] = {}  # station -> "cooked" etc. done by the latest step
        self.seed = seed
        self.scenario = 1
        self.message = ""
        self.tone: Tone = "info"
        self.save_error = ""
        self.last_action = ""
        self.history: list[str] = []
        self._load(make_level(seed))
        if recorder is not None:
            self.scenario = len(recorder.earlier) + 1
            self._record(lambda: recorder.start(self.level, self.env, instruction))

    # --- episode ------------------------------------------------------------------------
    def _load(self, level: Level) -> None:
        self.level = level
        self.layout = Layout(level)
        self._fresh()

    def _fresh(self) -> None:
        self.env = KitchenEnv(self.level, cut_steps=self.cut_steps, cook_steps=self.cook_steps)
        self.api = KitchenAPI(self.env)
        self.scene: Scene = build_scene(self.env, self.layout)
        self.api.on_step = self._on_step
        self.finished = {}
        self._judge()

    def _on_step(self, step: dict[str, Any]) -> None:
        self.history.append(step["action"])
        self.last_action = step["action"]
        self.finished = finished_in(step["changes"], self.env.facts)
        self._judge()
        if self.recorder is not None:
            self._record(lambda: self.recorder.record(step))  # type: ignore[union-attr]

    def _judge(self) -> None:
        """Judge the steps so far; refused actions are not part of a demonstration, so the
        API's failure list is left out of the trace."""
        if self.judge is None:
            return
        trace = {
            "initial": self.api.initial,
            "steps": self.api.steps,
            "final": sorted(list(f) for f in self.env.facts),
        }
        self.goal = self.judge(trace)

    @property
    def goal_reached(self) -> bool:
        """The task's test passes on the steps so far (the level's goal without a task)."""
        if self.judge is not None:
            return self.goal is not None and self.goal.passed
        return bool(self.level.goal) and self.env.done

    def say(self, text: str, tone: Tone = "info") -> None:
        self.message, self.tone = text, tone

    def _record(self, write: Callable[[], None]) -> None:
        """A failed write must not stop the game: the steps stay in memory for the next save."""
        try:
            write()
            self.save_error = ""
        except OSError as err:
            self.save_error = f"could not save the recording: {err.strerror or err}"

    @property
    def steps(self) -> int:
        return len(self.history)

    # --- what a click means ---------------------------------------------------------------
    def options(self, station: str) -> list[Option]:
        here = self.api.get_curr_location()
        if station != here:
            return [Option(f"Move to {station}", "move", (here, station))]
        stack = self.scene.stacks.get(station, ())
        held = self.scene.held
        if held is not None:
            if not stack:
                return [Option(f"Place {held.name} on {station}", "place", (held.name, station))]
            top = stack[-1].name
            return [Option(f"Stack {held.name} on {top}", "stack", (held.name, top))]
        if not stack:
            return []
        top = stack[-1]
        if len(stack) > 1:
            opts = [
                Option(
                    f"Unstack {top.name} from {stack[-2].name}",
                    "unstack",
                    (top.name, stack[-2].name),
                )
            ]
        else:
            opts = [Option(f"Pick up {top.name}", "pick_up", (top.name, station))]
        kind = STATION_KINDS[kind_of(station)]
        item = ITEM_KINDS[top.kind]
        if len(stack) == 1 and kind.cuts and item.cuttable and not top.cut:
            done = self.env.cut_progress.get(top.name, 0)
            opts.append(Option(f"Cut {top.name} ({done}/{self.cut_steps})", "cut", (top.name,)))
        if (
            len(stack) == 1
            and kind.cooks
            and item.cookable
            and not top.cooked
            and top.name not in self.env.cooking
        ):
            opts.append(Option(f"Start cooking {top.name}", "start_cooking", (top.name,)))
        if (
            len(stack) == 1
            and kind.fries
            and item.fryable
            and ("fried", top.name) not in self.env.facts
            and top.name not in self.env.frying
        ):
            opts.append(Option(f"Start frying {top.name}", "start_frying", (top.name,)))
        pot = stack[0]
        if len(stack) == 1 and kind.fills and ITEM_KINDS[pot.kind].pot and not pot.filled:
            opts.append(Option(f"Fill {pot.name} with water", "fill", (pot.name,)))
        if (
            kind.boils
            and ITEM_KINDS[pot.kind].pot
            and pot.filled
            and not pot.boiling
            and pot.heating is None
        ):
            opts.append(Option(f"Start boiling {pot.name}", "start_boiling", (pot.name,)))
        return opts

    def click(self, station: str) -> list[Option]:
        """Do the one thing a click on `station` means; return the options when several fit."""
        opts = self.options(station)
        if not opts:
            self.say(f"Nothing to pick up at {station}, and the robot holds nothing.", "error")
            return []
        if len(opts) == 1:
            self.perform(opts[0])
            return []
        self.say("")
        return opts

    def perform(self, option: Option) -> bool:
        return self._act(option.method, *option.args)

    def _act(self, method: str, *args: str) -> bool:
        try:
            getattr(self.api, method)(*args)
        except PreconditionFailed as err:
            self.say(f"Not allowed: {err.condition}.", "error")
            return False
        except StepLimitExceeded as err:
            self.say(f"Stopped: {err}", "error")
            return False
        if self.goal_reached:
            self.say("Goal reached! Press N for the next scenario.", "good")
        else:
            self.say(finished_message(self.api.steps[-1]["changes"]) if self.api.steps else "")
        self.scene = build_scene(self.env, self.layout, self.scene)
        return True

    def _item_here(self, verb: str) -> str | None:
        stack = self.scene.stacks.get(self.scene.robot_station, ())
        if stack:
            return stack[-1].name
        if self.scene.held is not None:
            return self.scene.held.name  # the API explains why this cannot work
        self.say(f"Nothing to {verb} at {self.scene.robot_station}.", "error")
        return None

    # --- keyed actions --------------------------------------------------------------------
    def cut(self) -> bool:
        item = self._item_here("cut")
        return item is not None and self._act("cut", item)

    def start_cooking(self) -> bool:
        item = self._item_here("cook")
        return item is not None and self._act("start_cooking", item)

    def wait(self) -> bool:
        return self._act("noop")

    def undo(self) -> bool:
        """Rebuild the episode from the level and replay every step but the last."""
        if not self.history:
            self.say("Nothing to undo.", "error")
            return False
        keep = self.history[:-1]
        self._replay(keep)
        if self.recorder is not None:
            self._record(self.recorder.undo)
        self.say("Undid the last step.")
        return True

    def _replay(self, actions: list[str]) -> None:
        self.history = []
        self._fresh()
        self.api.on_step = None
        for action in actions:
            run_action(self.api, action)
            self.scene = build_scene(self.env, self.layout, self.scene)
        self.history = list(actions)
        self.last_action = actions[-1] if actions else ""
        self.api.on_step = self._on_step
        self.finished = {}
        self._judge()

    def restart(self) -> None:
        self._replay([])
        if self.recorder is not None:
            self._record(self.recorder.restart)
        self.say("Restarted this scenario.")

    def next_scenario(self) -> None:
        """A new seed of the same task; the finished scenario stays in the recording."""
        used = {self.seed} | (self.recorder.used_seeds() if self.recorder else set())
        played = bool(self.history)
        self.seed = max(used) + 1
        self.history, self.last_action = [], ""
        self._load(self.make_level(self.seed))
        if self.recorder is not None:
            if not self.recorder.current.steps:
                self.recorder.scenarios.pop()  # an unplayed scenario is replaced, not kept
            self._record(lambda: self.recorder.start(self.level, self.env))  # type: ignore[union-attr]
        self.scenario += 1 if played else 0
        self.say(f"Scenario {self.scenario}: seed {self.seed}.")

    def save(self) -> None:
        if self.recorder is None:
            self.say("Not recording: start with --record FILE to save a demonstration.", "error")
            return
        self._record(self.recorder.save)
        if not self.save_error:
            self.say(f"Saved to {self.recorder.path}.")

"""SWEEP.toml -> a checked `Sweep`: models, noise settings and the tables to fill.

Every mistake ends in one `InputError` naming the file and the field (`tables[1].methods`),
before any work starts. The layout of the file is described in `sweeps/offline.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo2code.errors import Demo2CodeError, InputError
from demo2code.llm.config import ModelConfig

ROW_KINDS = ("groups", "variants", "noise")
BENCHMARKS = ("robotouille", "tabletop", "epic")
ISOLATIONS = ("best", "strict")
NO_NOISE = "none"
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+-]*$")  # safe inside a directory name
_TOP_KEYS = {"seeds", "repair", "isolation", "cache", "models", "noise", "tables"}
_MODEL_KEYS = {"model", "base_url", "concurrency", "temperature", "max_tokens", "timeout"}
_NOISE_KEYS = {"specs", "seeds"}
_TABLE_KEYS = {
    "title", "benchmarks", "methods", "models", "noise", "repair", "rows", "tasks", "seeds",
}  # fmt: skip


@dataclass(frozen=True)
class ModelSpec:
    """One `[models.LABEL]` entry; `config` is what `eval --model ...` would build."""

    label: str
    config: ModelConfig


@dataclass(frozen=True)
class NoiseSetting:
    """One `[noise.LABEL]` entry: specs such as `drop-predicate=0.1`, and the noise seeds
    to draw them with (one cell per seed)."""

    label: str
    specs: tuple[str, ...]
    seeds: tuple[int, ...]


@dataclass(frozen=True)
class TableSpec:
    """One `[[tables]]` entry: which cells it needs and how its rows are laid out."""

    title: str
    benchmarks: tuple[str, ...]
    methods: tuple[str, ...]
    models: tuple[str, ...]
    noise: tuple[str, ...]
    repair: tuple[int, ...]
    rows: str
    tasks: dict[str, str]  # benchmark -> glob over its test variants (absent: all)
    seeds: tuple[int, ...] | None


@dataclass(frozen=True)
class Sweep:
    path: Path
    models: dict[str, ModelSpec]
    noise: dict[str, NoiseSetting]
    tables: tuple[TableSpec, ...]
    isolation: str = "best"


def load_sweep(path: Path) -> Sweep:
    """Read and check SWEEP.toml; raises `InputError` on the first problem."""
    path = Path(path)
    src = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(src, "file", f"a readable TOML file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(src, "file", "UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(src, "syntax", f"valid TOML ({exc})") from None
    _no_unknown(src, "", data, _TOP_KEYS)
    seeds = _seeds(src, "seeds", data.get("seeds"))
    repair = _ints(src, "repair", data.get("repair", [2]), low=0)
    isolation = data.get("isolation", "best")
    if isolation not in ISOLATIONS:
        raise InputError(src, "isolation", f"one of {', '.join(ISOLATIONS)}")
    cache = data.get("cache", "use")
    models = _models(src, _table(src, "models", data.get("models")), cache)
    noise = _noise(src, data.get("noise", {}))
    raw_tables = data.get("tables")
    if not isinstance(raw_tables, list) or not raw_tables:
        raise InputError(src, "tables", "at least one [[tables]] entry")
    tables = tuple(
        _table_spec(src, i, t, models, noise, seeds, repair) for i, t in enumerate(raw_tables)
    )
    return Sweep(path, models, noise, tables, isolation)


def _table(src: str, field: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise InputError(src, field, "a table with at least one entry")
    return value


def _no_unknown(src: str, prefix: str, data: dict[str, Any], known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise InputError(src, f"{prefix}{key}", f"a known key ({', '.join(sorted(known))})")


def _label(src: str, field: str, label: str) -> str:
    if not _LABEL.match(label):
        raise InputError(src, field, "a label of letters, digits, '+' and '-'")
    return label


def _ints(src: str, field: str, value: Any, *, low: int) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or any(isinstance(v, bool) or not isinstance(v, int) or v < low for v in items):
        raise InputError(src, field, f"a whole number of at least {low}, or a list of them")
    return tuple(dict.fromkeys(items))


def _seeds(src: str, field: str, value: Any) -> tuple[int, ...] | None:
    """Test seeds: absent (each variant's own), "0-9" / "0,3,5", or a list of numbers."""
    from demo2code.evaluation.options import parse_seeds

    if value is None:
        return None
    if isinstance(value, str):
        try:
            return tuple(parse_seeds(value))
        except InputError as exc:
            raise InputError(src, field, exc.expected) from None
    return _ints(src, field, value, low=0)


def _models(src: str, raw: dict[str, Any], cache: Any) -> dict[str, ModelSpec]:
    """Models sharing an endpoint share its smallest `concurrency`: one gate per endpoint
    and limit (demo2code/llm/gate.py), so the whole grid never floods one server."""
    models: dict[str, ModelSpec] = {}
    for label, entry in raw.items():
        field = f"models.{_label(src, f'models.{label}', label)}"
        if not isinstance(entry, dict):
            raise InputError(src, field, "a table with at least `model`")
        _no_unknown(src, f"{field}.", entry, _MODEL_KEYS)
        if not isinstance(entry.get("model"), str):
            raise InputError(src, f"{field}.model", "a model name ('symbolic' for offline)")
        try:
            config = ModelConfig.from_options(
                entry["model"],
                entry.get("base_url"),
                cache=cache,
                temperature=entry.get("temperature"),
                max_tokens=entry.get("max_tokens"),
                timeout=entry.get("timeout"),
                concurrency=entry.get("concurrency"),
            )
        except Demo2CodeError as exc:
            raise InputError(src, field, str(exc)) from None
        models[label] = ModelSpec(label, config)
    limits: dict[str, int] = {}
    for spec in models.values():
        if not spec.config.offline and spec.config.concurrency is not None:
            endpoint = spec.config.endpoint
            limits[endpoint] = min(limits.get(endpoint, spec.config.concurrency),
                                   spec.config.concurrency)  # fmt: skip
    return {
        label: ModelSpec(label, _with_concurrency(spec.config, limits))
        for label, spec in models.items()
    }


def _with_concurrency(config: ModelConfig, limits: dict[str, int]) -> ModelConfig:
    import dataclasses

    if config.offline or config.endpoint not in limits:
        return config
    return dataclasses.replace(config, concurrency=limits[config.endpoint])


def _noise(src: str, raw: Any) -> dict[str, NoiseSetting]:
    from demo2code.noise import NoiseSpec

    if not isinstance(raw, dict):
        raise InputError(src, "noise", "a table of [noise.LABEL] entries")
    settings = {NO_NOISE: NoiseSetting(NO_NOISE, (), (0,))}
    for label, entry in raw.items():
        field = f"noise.{_label(src, f'noise.{label}', label)}"
        if label == NO_NOISE:
            raise InputError(src, field, f"another label ({NO_NOISE!r} means no noise)")
        if not isinstance(entry, dict):
            raise InputError(src, field, "a table with `specs` and `seeds`")
        _no_unknown(src, f"{field}.", entry, _NOISE_KEYS)
        specs = entry.get("specs")
        if not isinstance(specs, list) or not specs or not all(isinstance(s, str) for s in specs):
            raise InputError(src, f"{field}.specs", "a list like ['drop-predicate=0.1']")
        for spec in specs:
            try:
                NoiseSpec.parse(spec)
            except Demo2CodeError as exc:
                raise InputError(src, f"{field}.specs", str(exc)) from None
        seeds = _ints(src, f"{field}.seeds", entry.get("seeds", [0]), low=0)
        settings[label] = NoiseSetting(label, tuple(specs), seeds)
    return settings


def _names(src: str, field: str, value: Any, known: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) for v in items):
        raise InputError(src, field, "a name or a list of names")
    for item in items:
        if item not in known:
            raise InputError(src, field, f"{item!r} is not one of {', '.join(known)}")
    return tuple(dict.fromkeys(items))


def _table_spec(
    src: str,
    index: int,
    raw: Any,
    models: dict[str, ModelSpec],
    noise: dict[str, NoiseSetting],
    seeds: tuple[int, ...] | None,
    repair: tuple[int, ...],
) -> TableSpec:
    from demo2code.evaluation.harness import REFERENCE, method_names
    from demo2code.reasoners.symbolic import offline_refusal

    field = f"tables[{index}]"
    if not isinstance(raw, dict):
        raise InputError(src, field, "a [[tables]] entry")
    _no_unknown(src, f"{field}.", raw, _TABLE_KEYS)
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(src, f"{field}.title", "a title such as 'Table 2: Robotouille'")
    benchmarks = _names(src, f"{field}.benchmarks", raw.get("benchmarks"), BENCHMARKS)
    methods = _names(src, f"{field}.methods", raw.get("methods"), method_names())
    chosen_models = _names(src, f"{field}.models", raw.get("models", list(models)), list(models))
    for method in methods:  # what `eval` refuses offline, refused here before any work
        for label in chosen_models:
            refusal = offline_refusal(method) if models[label].config.offline else None
            if refusal is not None:
                raise InputError(src, f"{field}.methods", f"model {label}: {refusal}")
    if REFERENCE in methods and len(methods) == 1 and len(chosen_models) > 1:
        chosen_models = chosen_models[:1]  # the reference program uses no model
    rows = raw.get("rows", "groups")
    if rows not in ROW_KINDS:
        raise InputError(src, f"{field}.rows", f"one of {', '.join(ROW_KINDS)}")
    tasks = _tasks(src, f"{field}.tasks", raw.get("tasks"), benchmarks)
    return TableSpec(
        title=title.strip(),
        benchmarks=benchmarks,
        methods=methods,
        models=chosen_models,
        noise=_names(src, f"{field}.noise", raw.get("noise", [NO_NOISE]), list(noise)),
        repair=_ints(src, f"{field}.repair", raw["repair"], low=0) if "repair" in raw else repair,
        rows=rows,
        tasks=tasks,
        seeds=_seeds(src, f"{field}.seeds", raw["seeds"]) if "seeds" in raw else seeds,
    )


def _tasks(src: str, field: str, value: Any, benchmarks: tuple[str, ...]) -> dict[str, str]:
    """One glob for every benchmark, or a table of globs by benchmark; each must match."""
    import fnmatch

    from demo2code.benchmarks import get_benchmark

    if value is None:
        return {}
    if isinstance(value, str):
        value = {b: value for b in benchmarks}
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise InputError(src, field, "a glob over task ids ('two-*'), or a table of them")
    for benchmark, pattern in value.items():
        if benchmark not in benchmarks:
            raise InputError(src, f"{field}.{benchmark}", "a benchmark of this table")
        ids = [t.id for t in get_benchmark(benchmark).tasks("test")]
        if not fnmatch.filter(ids, pattern):
            raise InputError(src, f"{field}.{benchmark}", f"a glob matching a test variant "
                             f"of {benchmark} ({pattern!r} matches none)")  # fmt: skip
    return value

"""How `--help` reads: flags without a type placeholder, options with a named value
(`--seeds SEEDS`, not `--seeds <str>`), and `--version` on every command. Applied once to
the finished command tree, so each command file keeps declaring options the plain way."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import typer
from typer.core import TyperGroup


def version() -> str:
    """The installed package's version (the one in pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("demo2code")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def print_version(ctx: typer.Context, value: bool) -> None:
    """Eager callback of `--version`: print and stop before any other option is read."""
    if value and not ctx.resilient_parsing:
        typer.echo(f"demo2code {version()}")
        ctx.exit()


def walk(command: Any) -> Iterator[tuple[str, Any]]:
    """Every command of the tree with its path (`"eval"`, `"tasks list"`), root first."""
    stack: list[tuple[str, Any]] = [("", command)]
    while stack:
        path, cmd = stack.pop(0)
        yield path, cmd
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            stack.append((f"{path} {name}".strip(), sub))


def value_name(option: Any) -> str:
    """`--max-tokens` -> MAX_TOKENS: the placeholder shown after an option that takes a value."""
    longest = max(option.opts, key=len).lstrip("-")
    return longest.replace("-", "_").upper()


def reflow(text: str) -> str:
    """Docstring paragraphs as single lines, so the terminal wraps them, not the source."""
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _no_type(ctx: Any = None) -> None:
    return None


def _flag_help_option(cmd: Any) -> None:
    """`--help` is made per invocation by the command; show it as a flag too."""
    make = cmd.get_help_option

    def get_help_option(ctx: typer.Context) -> Any:
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    cmd.get_help_option = get_help_option  # type: ignore[method-assign]


def polish(root: Any) -> Any:
    """Name every option's value, drop the placeholder of flags, reflow help paragraphs, and
    give every command the root's `--version` option."""
    version_option = next((p for p in root.params if "--version" in p.opts), None)
    for _, cmd in walk(root):
        for param in cmd.params:
            if param.param_type_name == "option" and param.metavar is None:
                param.metavar = "" if getattr(param, "is_flag", False) else value_name(param)
            elif param.param_type_name == "argument" and param.metavar is None:
                param.metavar = param.name.upper()  # DEMO in the usage line, as in the help
                param.display_type_rich = _no_type  # the name says it; no <path> beside it
        _flag_help_option(cmd)
        if cmd.help:
            cmd.help = reflow(cmd.help)
        if version_option is not None and cmd is not root:
            if not any("--version" in p.opts for p in cmd.params):
                option = copy.copy(version_option)
                option.expose_value = False  # the command's function has no such parameter
                cmd.params.append(option)
    return root


class PolishedGroup(TyperGroup):
    """The root group of `demo2code` (`typer.Typer(cls=PolishedGroup)`): it is built after
    every command below it, so polishing here covers the whole tree, however it is run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        polish(self)

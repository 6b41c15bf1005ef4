"""A config key as a dataclass field, and TOML values checked against those fields.

Each setting is a dataclass field whose metadata (range, choices, unit, check)
drives type and value checks, so adding a key is adding a field; a mistake is
reported with file, line and key and a "did you mean" hint.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any, get_args, get_origin, get_type_hints

from kiosk.config_toml import Locator
from kiosk.errors import ConfigError

# A check returns None when the value is fine, else what was expected.
Check = Callable[[Any], str | None]


def setting(
    default: Any,
    *,
    min: float | None = None,
    max: float | None = None,
    choices: tuple[str, ...] | None = None,
    unit: str = "",
    check: Check | None = None,
    int_as_text: bool = False,
) -> Any:
    """A config key: its default and what counts as a valid value.

    `int_as_text`: a text key that also takes a whole number (kept as its digits), for
    keys such as `[ui] camera` where `camera = 1` is what people write.
    """
    meta = {"min": min, "max": max, "choices": choices, "unit": unit, "check": check}
    meta["int_as_text"] = int_as_text
    return field(default=default, metadata={"setting": meta})


def settings_of(section_type: type) -> dict[str, tuple[type, dict[str, Any], Any]]:
    """Each key of a section: (python type, setting metadata, default)."""
    hints = get_type_hints(section_type)
    out: dict[str, tuple[type, dict[str, Any], Any]] = {}
    for f in dataclasses.fields(section_type):
        if "setting" in f.metadata:
            out[f.name] = (hints[f.name], f.metadata["setting"], f.default)
    return out


def build_sections(data: Mapping[str, Any], known: Mapping[str, type], where: Locator) -> dict[str, Any]:
    """Each `[section]` of `data` built into its `known` dataclass, checked key by key."""
    built: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            raise ConfigError(f"{where.where(name)}: unknown section [{name}]{_suggest(name, known)}")
        if not isinstance(value, dict):
            at = where.where(None, name)
            raise ConfigError(f"{at}: {name} must be a [{name}] section, not a single value")
        built[name] = _build_section(name, known[name], value, where)
    return built


def _build_section(name: str, section_type: type, values: Mapping[str, Any], where: Locator) -> Any:
    specs = settings_of(section_type)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in specs:
            raise ConfigError(f"{where.where(name, key)}: unknown key [{name}] {key}{_suggest(key, specs)}")
        py_type, meta, _default = specs[key]
        kwargs[key] = _convert(name, key, value, py_type, meta, where)
    section = section_type(**kwargs)
    cross = getattr(section, "cross_check", None)
    problem = cross() if cross else None
    if problem:
        key, expected = problem
        got = getattr(section, key)
        raise ConfigError(f"{where.where(name, key)}: [{name}] {key} must be {expected}, got {got!r}")
    return section


def _convert(section: str, key: str, value: Any, py_type: type, meta: dict[str, Any], where: Locator) -> Any:
    expected = _describe(py_type, meta)

    def fail(detail: str = "") -> ConfigError:
        return ConfigError(f"{where.where(section, key)}: [{section}] {key} must be {expected}{detail}")

    if get_origin(py_type) is tuple:
        return _convert_list(section, key, value, meta, where, fail)

    if py_type is bool:
        if not isinstance(value, bool):
            raise fail(f", got {_show(value)}")
        return value
    if py_type is int:
        # TOML booleans are Python ints; `budget_ms = true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f", got {_show(value)}")
    elif py_type is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f", got {_show(value)}")
        value = float(value)
        if value != value:  # nan
            raise fail(", got nan")
    elif py_type is str and meta["int_as_text"] and type(value) is int:
        if value < 0:
            raise fail(f", got {_show(value)}")
        value = str(value)
    elif py_type is str and not isinstance(value, str):
        raise fail(f", got {_show(value)}")
    lo, hi = meta["min"], meta["max"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise fail(f", got {_show(value)}")
    choices = meta["choices"]
    if choices is not None and value not in choices:
        raise fail(f", got {_show(value)}")
    check = meta["check"]
    if check is not None:
        problem = check(value)
        if problem:
            raise ConfigError(f"{where.where(section, key)}: [{section}] {key} must be {problem}")
    return value


def _convert_list(
    section: str,
    key: str,
    value: Any,
    meta: dict[str, Any],
    where: Locator,
    fail: Callable[[str], ConfigError],
) -> tuple[str, ...]:
    """A list of text: each item checked on its own, the first bad one named by position."""
    if not isinstance(value, list):
        raise fail(f", got {_show(value)}")
    if meta["max"] is not None and len(value) > meta["max"]:
        raise fail(f", got {len(value)} items")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise fail(f"; item {number} is {_show(item)}")
        problem = meta["check"](item) if meta["check"] else None
        if problem:
            at = where.where(section, key)
            raise ConfigError(f"{at}: [{section}] {key} item {number} ({_show(item)}) must be {problem}")
    return tuple(value)


def _describe(py_type: type, meta: dict[str, Any]) -> str:
    if get_origin(py_type) is tuple:
        (item, *_) = get_args(py_type)
        noun = {str: "text in quotes"}.get(item, getattr(item, "__name__", str(item)))
        most = f", at most {meta['max']:g}" if meta["max"] is not None else ""
        return f'a list of {noun} such as ["a", "b"] (or [] for none{most})'
    if meta["choices"]:
        return "one of " + ", ".join(f'"{c}"' for c in meta["choices"])
    noun = {int: "a whole number", float: "a number", str: "text in quotes", bool: "true or false"}.get(
        py_type, py_type.__name__
    )
    lo, hi = meta["min"], meta["max"]
    if lo is not None and hi is not None:
        noun += f" from {lo:g} to {hi:g}"
    elif lo is not None:
        noun += f" of at least {lo:g}"
    elif hi is not None:
        noun += f" of at most {hi:g}"
    if meta["unit"]:
        noun += f" ({meta['unit']})"
    return noun


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if not isinstance(value, float) else f"{value:g}"


def _suggest(word: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{close[0]}"?'
    return "; known: " + ", ".join(known)

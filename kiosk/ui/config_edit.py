"""Setting a few keys of the user's config.toml safely, for the admin screen and the set-up wizard (no Qt).

Edited in place with tomlkit so the installer's comments, ordering and every other
setting stay as they were; only the keys given change. The new text is checked with
the app's own config parser before anything is written, then written to a temporary
file beside config.toml (private to its user from the start), fsynced and renamed: a
crash or a full disk leaves the old file whole. A config.toml that does not parse is
left alone (the owner gets the parser's message, which names the line): rewriting it
would lose whatever the installer meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kiosk.config import Config, parse_config
from kiosk.config_layers import read_config_bytes
from kiosk.errors import ConfigError
from kiosk.owner_tools.atomic import atomic_path, output_error
from kiosk.paths import make_private

Values = Mapping[str, Mapping[str, Any]]  # {table: {key: value}}


def updated_text(current: str, values: Values, *, source: str) -> str:
    """`current` TOML text with `values` set; ConfigError if either text is invalid."""
    parse_config(current, source=source)  # a broken file is reported, never overwritten
    try:
        doc = tomlkit.parse(current)
    except TOMLKitError as exc:  # tomllib accepted it, tomlkit did not: do not guess
        raise ConfigError(
            f"{source}: cannot edit this file safely ({type(exc).__name__})", key="config.uneditable"
        ) from None
    for section, keys in values.items():
        table = doc.get(section)
        if table is None:
            table = tomlkit.table()
            doc.add(section, table)
        for key, value in keys.items():
            table[key] = value
    text = tomlkit.dumps(doc)
    parse_config(text, source=f"{source} (new settings)")  # e.g. a verdict time out of range
    return text


def save_values(path: Path, values: Values) -> Config:
    """Write `values` into `path` (created if missing, 0600); returns what that file now says.

    Raises ConfigError for a bad value or an unparsable file, OutputError when it cannot be written.
    """
    try:
        raw = read_config_bytes(path)
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        current = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8", key="config.not_utf8"
        ) from None
    text = updated_text(current, values, source=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, path) from None
    with atomic_path(path) as temp:  # created 0600: the file may hold the upstream key
        temp.write_text(text, encoding="utf-8")
    make_private(path)
    return parse_config(text, source=str(path), base_dir=path.parent)

"""A config file's text into TOML tables, and where a key sits in it for error messages."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from kiosk.errors import ConfigError


def read_toml(raw: bytes | str, source: str) -> tuple[dict[str, Any], str]:
    """The TOML tables of `raw` and its text; ConfigError naming `source` when it is not TOML."""
    if isinstance(raw, bytes):
        if raw.startswith(b"\xef\xbb\xbf"):  # Notepad writes a BOM; TOML does not allow one
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{source}: not UTF-8 text (byte {exc.start}); save it as UTF-8", key="config.not_utf8"
            ) from None
    else:
        text = raw
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(source, str(exc)), key="config.syntax") from None
    except RecursionError:
        # tomllib recurses once per nested array or table: thousands deep exhaust the stack.
        message = f"{source}: TOML syntax error: values nested too deeply"
        raise ConfigError(message, key="config.syntax") from None


class Locator:
    """Finds the line of a `[section] key` in the text, for messages; tomllib keeps no positions."""

    _HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
    _KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self._lines = text.splitlines()

    def where(self, section: str | None, key: str | None = None) -> str:
        """`file:line` of the key (or of the section header when key is None); `section` None = top level."""
        current = None
        for number, line in enumerate(self._lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = header.group(1)
                if key is None and current is not None and current == section:
                    return f"{self.source}:{number}"
                continue
            found = self._KEY.match(line)
            if key is not None and current == section and found and found.group(1).strip('"') == key:
                return f"{self.source}:{number}"
        return self.source


def _syntax_message(source: str, detail: str) -> str:
    # tomllib says "... (at line 3, column 5)"; editors understand file:line:column.
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", detail)
    if match:
        detail = detail[: match.start()]
        return f"{source}:{match.group(1)}:{match.group(2)}: TOML syntax error: {detail}"
    return f"{source}: TOML syntax error: {detail}"

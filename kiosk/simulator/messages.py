"""Request and response values shared by the simulator's routes and its transport layer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import InputError

MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        if not self.body:
            raise InputError("The request needs a JSON body.", key="invalid_json")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError("The request body is not valid JSON.", key="invalid_json") from exc

    def json_object(self) -> dict[str, Any]:
        data = self.json()
        if not isinstance(data, dict):
            raise InputError("The request body must be a JSON object.", key="invalid_json")
        return data


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def json_response(status: int, data: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json", headers)


def error_response(
    status: int, code: str, message: str, headers: tuple[tuple[str, str], ...] = (), **extra: Any
) -> Response:
    return json_response(status, {"error": code, "message": message, **extra}, headers)


def retry_after(seconds: float) -> tuple[tuple[str, str], ...]:
    # Retry-After takes whole seconds; round up so a client never retries early.
    whole = int(seconds) if float(seconds).is_integer() else int(seconds) + 1
    return (("Retry-After", str(max(whole, 0))),)

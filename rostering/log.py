"""What the CLI tells the operator on stderr: text for people, or one JSON object per event
(`rostering --log-format json ...`) for log collectors and cron wrappers."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

_format = "text"


def configure(log_format: str) -> None:
    global _format
    _format = log_format


def is_json() -> bool:
    return _format == "json"


def event(kind: str, message: str, **fields: Any) -> None:
    """One event: `kind` is progress, warning, error, explanation, instance or result."""
    if _format == "json":
        record = {"time": round(time.time(), 3), "event": kind, "message": message, **fields}
        sys.stderr.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    else:
        prefix = {"warning": "warning: ", "error": "error: "}.get(kind, "")
        sys.stderr.write(prefix + message + "\n")
    sys.stderr.flush()


def json_only(kind: str, message: str, **fields: Any) -> None:
    """An event for log collectors that people read on stdout already (the final result)."""
    if _format == "json":
        event(kind, message, **fields)

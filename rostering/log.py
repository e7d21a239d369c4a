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


def bar_wanted(stream: Any = None) -> bool:
    """A progress bar only for people: text format and stderr a terminal."""
    stream = stream or sys.stderr
    return _format == "text" and bool(getattr(stream, "isatty", lambda: False)())


class ProgressBar:
    """One line at the bottom of a terminal, redrawn in place (carriage return): a bar of
    `done / total`, a label and a note. While it is shown, `line()` prints a message above
    it. A timer thread redraws it every `tick` seconds when `clock` gives the `done` figure
    (a solve's elapsed time against its limit); `close()` erases it."""

    WIDTH = 30

    def __init__(
        self,
        total: float,
        label: str,
        *,
        unit: str = "",
        clock: Any = None,
        tick: float = 0.25,
        stream: Any = None,
    ) -> None:
        import threading

        self.total, self.label, self.unit = max(total, 1e-9), label, unit
        self.stream = stream or sys.stderr
        self.done, self.note = 0.0, ""
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.clock = clock
        self.thread = None
        if clock is not None:
            self.thread = threading.Thread(target=self._run, args=(tick,), daemon=True)
            self.thread.start()

    def _run(self, tick: float) -> None:
        while not self.stopped.wait(tick):
            self.update(self.clock())

    def _draw(self) -> None:
        share = min(1.0, max(0.0, self.done / self.total))
        filled = round(share * self.WIDTH)
        amount = (
            f"{self.done:.0f}/{self.total:.0f}{self.unit}"
            if not self.unit
            else f"{self.done:.0f}{self.unit}/{self.total:.0f}{self.unit}"
        )
        text = f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {amount} {self.note}"
        self.stream.write("\r\x1b[2K" + text.rstrip())
        self.stream.flush()

    def update(self, done: float, note: str | None = None) -> None:
        with self.lock:
            if self.stopped.is_set() and self.clock is not None and note is None:
                return
            self.done = done
            if note is not None:
                self.note = note
            self._draw()

    def above(self, write: Any) -> None:
        """Call `write()` (output of its own, e.g. on stdout) with the bar erased, then
        redraw it; the timer thread cannot draw in between."""
        with self.lock:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            write()
            self._draw()

    def line(self, message: str) -> None:
        """Print `message` on its own line above the bar."""
        with self.lock:
            self.stream.write("\r\x1b[2K" + message + "\n")
            self._draw()

    def close(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

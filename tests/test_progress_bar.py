"""The progress bar: on a terminal only, in text format only; lines above it stay whole."""

from __future__ import annotations

import io
import time

from rostering import log


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_only_on_a_terminal_in_text_format() -> None:
    assert log.bar_wanted(Terminal())
    assert not log.bar_wanted(io.StringIO())
    log.configure("json")
    try:
        assert not log.bar_wanted(Terminal())
    finally:
        log.configure("text")


def test_bar_draws_share_done_and_keeps_lines_above() -> None:
    screen = Terminal()
    bar = log.ProgressBar(4, "batch", stream=screen)
    bar.update(1, "first")
    bar.line("[1/4] first: OPTIMAL")
    bar.above(lambda: screen.write("printed by someone else\n"))
    bar.update(2, "second")
    bar.close()
    text = screen.getvalue()
    assert "batch [" + "#" * 8 + "." * 22 + "] 1/4 first" in text
    assert "batch [" + "#" * 15 + "." * 15 + "] 2/4 second" in text
    assert "\r\x1b[2K[1/4] first: OPTIMAL\n" in text
    assert "\r\x1b[2Kprinted by someone else\n\r\x1b[2Kbatch [" in text
    assert text.endswith("\r\x1b[2K")  # erased at the end


def test_timed_bar_redraws_itself_from_its_clock() -> None:
    screen = Terminal()
    bar = log.ProgressBar(10, "solve", unit="s", clock=lambda: 5.0, tick=0.01, stream=screen)
    deadline = time.monotonic() + 10
    while "5s/10s" not in screen.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    bar.close()
    assert "solve [" + "#" * 15 + "." * 15 + "] 5s/10s" in screen.getvalue()

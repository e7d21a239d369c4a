"""Open a page in headless Chromium (Debian's `chromium`) over the DevTools protocol.

Chromium runs with `--remote-debugging-pipe`: it reads commands from file descriptor 3 and
writes replies and events to descriptor 4, each a JSON text ended by a NUL byte, so no
websocket library is needed. The network is off for the page: every host name resolves to
nothing and every proxied request goes to a closed local port; any request that is not
file: or data: is recorded, as are console errors, uncaught exceptions and log errors.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageVisit:
    """What happened while a page loaded and what its DOM held."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # URLs other than file: and data:
    values: dict[str, Any] = field(default_factory=dict)  # expression -> value
    ready_ms: float | None = None  # performance.now() when the page said it was ready
    screenshot: bytes = b""


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 30.0) -> dict[str, Any]:  # fmt: skip
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from the browser")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed its DevTools pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return dict(json.loads(text))

    def wait_for(self, method: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self.receive(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)


def visit(
    path: Path,
    expressions: list[str],
    *,
    width: int = 1400,
    height: int = 1000,
    timeout: float = 60.0,
) -> PageVisit:
    """Load `path` as a file: URL, wait for its load event and for `document.body.dataset.
    ready` to be set, evaluate each expression, take a screenshot of the viewport."""
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("chromium not found")
    profile = tempfile.mkdtemp(prefix="rostering-chromium-")
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    args = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
        f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        "--disable-component-update", "--mute-audio", "--disable-dev-shm-usage", "about:blank",
    ]  # fmt: skip

    def wire() -> None:
        # in the child: the pipe ends on descriptors 3 and 4, by way of free high numbers so
        # that neither end overwrites the other; close_fds=False keeps them (os.pipe's own
        # descriptors are not inherited)
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
        os.dup2(high[0], 3)
        os.dup2(high[1], 4)
        for fd in high:
            os.close(fd)

    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=wire, close_fds=False,
    )  # fmt: skip
    os.close(to_browser_r)
    os.close(from_browser_w)
    pipe = _Pipe(to_browser_w, from_browser_r)
    result = PageVisit()
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=session)  # fmt: skip
        pipe.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired", timeout)
        deadline = time.monotonic() + timeout
        while True:
            ready = pipe.send(
                "Runtime.evaluate",
                {"expression": "document.body && document.body.dataset.ready ? "
                 "performance.now() : null", "returnByValue": True},
                session=session,
            )["result"].get("value")  # fmt: skip
            if ready is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        result.ready_ms = ready
        for expression in expressions:
            reply = pipe.send("Runtime.evaluate",
                              {"expression": expression, "returnByValue": True},
                              session=session)  # fmt: skip
            result.values[expression] = reply["result"].get("value")
        shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
        result.screenshot = base64.b64decode(shot["data"])
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                exc = details.get("exception", {})
                result.errors.append(str(exc.get("description") or details.get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                result.errors.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                )
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                result.errors.append(str(params["entry"].get("text")))
            elif method == "Network.requestWillBeSent":
                url = str(params["request"]["url"])
                if not url.startswith(("file:", "data:")):
                    result.requests.append(url)
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            pipe.send("Browser.close", timeout=10)
    finally:
        os.close(to_browser_w)
        os.close(from_browser_r)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return result

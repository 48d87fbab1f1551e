"""Drive headless Chromium over the DevTools protocol with the stdlib only.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol
messages on fd 3 and writes replies on fd 4, each a JSON text ended by a NUL
byte.  No websocket library, no Node, no Playwright.

    with Chromium() as browser:
        page = browser.new_page()
        page.navigate("file:///tmp/chain.html")
        page.evaluate("document.title")

Every network request the page makes is recorded in ``page.requests`` (from
``Network.requestWillBeSent``), and the browser's resolver maps every host to
NOTFOUND, so nothing can leave the machine even if a page tried.
"""

from __future__ import annotations

import base64
import fcntl
import itertools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    env = os.environ.get("KGRAPH_CHROMIUM")
    if env:
        return env
    for name in (
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ):
        path = shutil.which(name)
        if path:
            return path
    return None


class CDPError(RuntimeError):
    pass


class Chromium:
    def __init__(self, binary: str | None = None, timeout: float = 30.0):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise CDPError("chromium not found")
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._replies: dict[int, dict] = {}
        self._events: queue.Queue[dict] = queue.Queue()
        self._cond = threading.Condition()
        self._closed = False

    # --- process -------------------------------------------------------------
    def __enter__(self) -> Chromium:
        self.profile = tempfile.mkdtemp(prefix="kgraph-chromium-")
        cmd_r, cmd_w = os.pipe()
        out_r, out_w = os.pipe()
        # Park the child's ends above fd 10 so dup2 onto 3 and 4 cannot clobber them.
        child_in = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(out_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(out_w)

        def wire() -> None:  # runs in the child between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        self._out = os.fdopen(cmd_w, "wb", buffering=0)
        self._in = os.fdopen(out_r, "rb", buffering=0)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(
            target=lambda: self._stderr.extend(self.proc.stderr), daemon=True
        ).start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close", timeout=5)
                except Exception:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
        finally:
            self._closed = True
            for fh in (self._out, self._in):
                try:
                    fh.close()
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def stderr_tail(self, lines: int = 15) -> str:
        text = b"".join(self._stderr).decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    # --- protocol ------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw.decode("utf-8"))
                if "id" in msg:
                    with self._cond:
                        self._replies[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    self._events.put(msg)

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict:
        msg_id = next(self._ids)
        msg: dict = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode("utf-8") + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while msg_id not in self._replies:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise CDPError(
                        f"no reply to {method} ({'browser exited' if self._closed else 'timeout'})\n{self.stderr_tail()}"
                    )
                self._cond.wait(left)
            reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def new_page(self, width: int = 1400, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        page = Page(self, session)
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            page.send(method)
        page.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        return page


class Page:
    def __init__(self, browser: Chromium, session: str):
        self.browser = browser
        self.session = session
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, session=self.session)

    def _pump(self, until: str | None = None, timeout: float = 30.0) -> dict | None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if until:
                    raise CDPError(f"timed out waiting for {until}")
                return None
            try:
                ev = self.browser._events.get(
                    timeout=min(left, 0.2) if not until else left
                )
            except queue.Empty:
                if not until:
                    return None
                continue
            if ev.get("sessionId") != self.session:
                continue
            self.events.append(ev)
            method, params = ev.get("method"), ev.get("params", {})
            if method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif method == "Runtime.exceptionThrown":
                self.console_errors.append(
                    json.dumps(params.get("exceptionDetails", {}), ensure_ascii=False)[
                        :500
                    ]
                )
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                self.console_errors.append(str(params.get("args")))
            if until and method == until:
                return ev

    def navigate(self, url: str, timeout: float = 30.0) -> None:
        self.send("Page.navigate", {"url": url})
        self._pump("Page.loadEventFired", timeout)

    def settle(self, seconds: float = 0.5) -> None:
        """Collect the events that arrive within ``seconds``."""
        self._pump(None, seconds)

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise CDPError(f"JS error: {result['exceptionDetails']}")
        self.settle(0.05)
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        base = {"x": x, "y": y, "button": "left", "clickCount": 1}
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.send("Input.dispatchMouseEvent", {"type": "mousePressed", **base})
        self.send("Input.dispatchMouseEvent", {"type": "mouseReleased", **base})
        self.settle(0.1)

    def screenshot(self, path: str | os.PathLike) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        out = Path(path)
        out.write_bytes(base64.b64decode(data))
        return out

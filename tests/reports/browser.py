"""Open a page in headless Chromium over DevTools: console errors, DOM facts, a screenshot."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCALE = 2  # device pixels per CSS pixel, as on most phones
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--remote-allow-origins=*"]  # fmt: skip


@dataclass
class PageVisit:
    """What a visit to a page showed."""

    errors: list[str] = field(default_factory=list)
    facts: Any = None
    screenshot: bytes = b""


def visit(page: Path, script: str, *, width: int = 390, height: int = 844) -> PageVisit:
    """Load `page` at a viewport (a phone's by default), evaluate `script`, screenshot the whole
    page."""
    profile = page.parent / "chromium-profile"
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        port = _devtools_port(profile, process)
        return asyncio.run(_visit(port, page, script, width, height))
    finally:
        process.terminate()
        process.wait(timeout=30)


def _devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}")
        time.sleep(0.05)  # polling for the browser to start, not timing the code under test
    raise TimeoutError("chromium did not open its DevTools port")


async def _visit(port: int, page: Path, script: str, width: int, height: int) -> PageVisit:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t["type"] == "page")
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            return await _drive(_Cdp(ws), page, script, width, height)


class _Cdp:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.next_id, self.events = ws, 0, []  # type: list[dict[str, Any]]

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads((await self.ws.receive(timeout=60)).data)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    async def until(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads((await self.ws.receive(timeout=60)).data))


async def _drive(cdp: _Cdp, page: Path, script: str, width: int, height: int) -> PageVisit:
    for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
        await cdp.call(domain)
    await cdp.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                   deviceScaleFactor=SCALE, mobile=width < 800)  # fmt: skip
    await cdp.call("Page.navigate", url=page.resolve().as_uri())
    await cdp.until("Page.loadEventFired")
    facts = await cdp.call("Runtime.evaluate", expression=script, returnByValue=True)
    shot = await cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    return PageVisit(_errors(cdp.events), facts["result"].get("value"),
                     base64.b64decode(shot["data"]))  # fmt: skip


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for e in events:
        params = e.get("params", {})
        if e.get("method") == "Runtime.exceptionThrown":
            found.append(str(params.get("exceptionDetails", {}).get("text")))
        if e.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append(json.dumps(params.get("args")))
        if e.get("method") == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(str(params["entry"].get("text")))
    return found


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

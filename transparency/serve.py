"""The preview: build, serve on localhost, rebuild when a source changes, reload the browser.

Pages get one extra script, /__preview.js, served beside the site (a file, so the site's
Content-Security-Policy allows it). It polls /__preview.json and reloads the page after each
new build, or shows the build's problems over the page while the data is invalid.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from pathlib import Path
from stat import S_ISREG
from typing import Callable

from .console import Stages
from .site import Build, build

WATCHED = ("agreements.yml", "reports", "templates", "content", "mkdocs.yml", "schema")
_SCRIPT = b'<script src="/__preview.js"></script>'
_PREVIEW_JS = b"""// The preview's live reload: poll the build counter, reload after a new build, show problems.
(function () {
  "use strict";
  var seen = null;
  function show(problems) {
    var box = document.getElementById("__preview-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "__preview-problems";
      box.setAttribute("role", "alert");
      box.className = "preview-problems";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed; this page is from the build before.\\n\\n" + problems.join("\\n");
  }
  function poll() {
    fetch("/__preview.json", { cache: "no-store" }).then(function (response) {
      return response.json();
    }).then(function (state) {
      if (seen !== null && state.build !== seen && state.ok) { location.reload(); return; }
      seen = state.build;
      show(state.problems);
    }).catch(function () {}).then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""


class Preview:
    """The state shared by the watcher and the web server: which build, and its problems."""

    def __init__(self, job: Build, quiet: bool = False):
        self.job = job
        self.quiet = quiet
        self.build = 0
        self.ok = False
        self.problems: list[str] = []
        self.lock = threading.Lock()

    def rebuild(self) -> bool:
        """Build once; count it and keep its problems for the browser."""
        started = time.perf_counter()
        outcome = build(self.job, Stages(quiet=True))
        messages = [str(d) for d in outcome.diagnostics] + outcome.errors
        with self.lock:
            self.build += 1
            self.ok = outcome.ok
            self.problems = [] if outcome.ok else messages
        if not self.quiet:
            status = "rebuilt" if outcome.ok else "build failed, still serving the previous site"
            print(f"{status} in {time.perf_counter() - started:.2f} s", flush=True)
            for message in messages:
                print(f"  {message}", flush=True)
        return outcome.ok

    def state(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.build, "ok": self.ok, "problems": self.problems}).encode()


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Every watched file with its modification time, size and inode (editors often save by rename)."""
    files: dict[str, tuple[int, int, int]] = {}
    for root in roots:
        paths = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            if S_ISREG(info.st_mode):
                files[str(path)] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return files


def watch(roots: list[Path], known: dict[str, tuple[int, int, int]], on_change: Callable[[], object],
          stop: threading.Event, every: float = 0.3) -> None:
    """Call `on_change` after files under `roots` differ from `known` (after a short quiet spell, so
    that one save of several files makes one rebuild)."""
    while not stop.wait(every):
        current = snapshot(roots)
        if current == known:
            continue
        while not stop.wait(every):  # let a burst of writes settle
            settled = snapshot(roots)
            if settled == current:
                break
            current = settled
        known = current
        on_change()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder, with the preview's script in every page."""

    preview: Preview

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/__preview.json":
            return self._send(self.preview.state(), "application/json")
        if path == "/__preview.js":
            return self._send(_PREVIEW_JS, "text/javascript")
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            page = local.read_bytes().replace(b"</body>", _SCRIPT + b"</body>", 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def start(job: Build, host: str, port: int, quiet: bool = False):
    """Build once, then start watching; returns the (not yet serving) server, the preview and a stop event."""
    preview = Preview(job, quiet)
    roots = [job.data / name for name in WATCHED[:2]] + [job.project / name for name in WATCHED[2:]]
    known = snapshot(roots)  # before the first build: an edit during it triggers the next
    preview.rebuild()
    job.output.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(job.output)))
    stop = threading.Event()
    threading.Thread(target=watch, args=(roots, known, preview.rebuild, stop), daemon=True).start()
    return server, preview, stop


def serve(job: Build, host: str, port: int, quiet: bool = False) -> None:
    """Build, then serve and rebuild on every change until interrupted."""
    server, _, stop = start(job, host, port, quiet)
    print(f"serving http://{host}:{server.server_address[1]}/ (rebuilds on every change; Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()

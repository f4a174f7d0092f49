"""``dockersim serve``: a page for the projector that follows the class's commands live.

Every CLI step writes its figure (``0007-pause.svg``) and a small description beside it
(``0007-pause.json``: the command, its exit code, the narration) into the figure folder. The
page asks ``/api/steps`` twice a second and shows the newest figure large, with the list of
steps to click back through. Standard library only: ``http.server`` in threads.
"""

from __future__ import annotations

import functools
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["PAGE", "main", "make_server", "steps"]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dockersim</title>
<style>
  body { margin: 0; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans", sans-serif;
         display: grid; grid-template-columns: 1fr 18rem; height: 100vh; background: #fafafa; color: #222; }
  main { padding: 1rem 1.5rem; overflow: auto; }
  #command { font: bold 1.6rem "DejaVu Sans Mono", monospace; margin: 0 0 .3rem; }
  #narration { font-size: 1.25rem; margin: 0 0 1rem; }
  #figure img { width: 100%; max-height: 80vh; object-fit: contain; object-position: left top; }
  aside { border-left: 1px solid #ddd; overflow: auto; padding: .5rem; background: white; }
  aside li { list-style: none; padding: .25rem .4rem; cursor: pointer; font-family: monospace; border-radius: 4px; }
  aside li.current { background: #b04a00; color: white; }  /* vermillion, dark enough for white text */
  aside li.failed::after { content: " ✗"; }
  #empty { color: #666; font-size: 1.3rem; }
</style></head>
<body>
<main>
  <h1 id="command"></h1><p id="narration"></p>
  <div id="figure"><p id="empty">Run a dockersim command in a terminal: its figure appears here.</p></div>
</main>
<aside><ol id="steps"></ol></aside>
<script>
let chosen = null, newest = null;
function show(step) {
  document.getElementById("command").textContent = "$ docker " + step.command + (step.exit_code ? "   (exit " + step.exit_code + ")" : "");
  document.getElementById("narration").textContent = step.narration || "";
  const img = document.createElement("img");
  img.alt = step.alt || "$ docker " + step.command;  // the figure's own title and description
  img.src = "/figures/" + step.figure;
  document.getElementById("figure").replaceChildren(img);
  for (const li of document.querySelectorAll("#steps li")) li.classList.toggle("current", li.dataset.figure === step.figure);
}
async function refresh() {
  const steps = await (await fetch("/api/steps")).json();
  const list = document.getElementById("steps");
  list.innerHTML = "";
  for (const step of steps) {
    const li = document.createElement("li");
    li.textContent = step.number + "  " + step.command;
    li.dataset.figure = step.figure;
    if (step.exit_code) li.classList.add("failed");
    li.onclick = () => { chosen = step; show(step); };
    list.appendChild(li);
  }
  const last = steps[steps.length - 1];
  if (last && (!newest || last.figure !== newest.figure)) { newest = last; chosen = null; }
  const current = chosen || newest;
  if (current) show(current);
}
refresh(); setInterval(refresh, 500);
</script></body></html>
"""

def steps(folder: Path) -> list[dict]:
    """Every drawn step in ``folder``, oldest first, with the text alternative its figure
    carries (``alt``: the command and what the figure shows) for the page's ``<img>``."""
    from .cli.figures import step_figures, step_number

    out = []
    for path in step_figures(folder):
        info = {"command": path.stem.partition("-")[2], "exit_code": 0, "narration": ""}
        try:
            info.update(json.loads(path.with_suffix(".json").read_text()))
        except (OSError, ValueError):
            pass
        out.append({**info, "number": step_number(path.name), "figure": path.name, "alt": _alternative(path)})
    return out


def _alternative(path: Path) -> str:
    """The title and description ``path``'s SVG gives itself ("" if unreadable); read once
    per version of the file, since the page asks for every step twice a second."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _read_alternative(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _read_alternative(path: str, mtime_ns: int, size: int) -> str:
    from .render.svg import text_alternative

    try:
        with open(path, encoding="utf-8", errors="replace") as svg:
            return text_alternative(svg.read(16384))  # the title and description open the file
    except OSError:
        return ""


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    from .cli.figures import is_step_figure

    folder = folder.resolve()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path.split("?", 1)[0]
            if path == "/":
                self._send(PAGE.encode(), "text/html; charset=utf-8")
            elif path == "/api/steps":
                self._send(json.dumps(steps(folder) if folder.is_dir() else []).encode(), "application/json")
            elif path.startswith("/figures/") and is_step_figure(name := path[len("/figures/"):]):
                try:
                    self._send((folder / name).read_bytes(), "image/svg+xml")
                except OSError:
                    self._send(b"no such figure", "text/plain", 404)
            else:
                self._send(b"not found", "text/plain", 404)

        def log_message(self, *args) -> None:  # quiet: the terminal belongs to the teacher
            pass

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: list[str]) -> int:
    from .cli.flags import CommandSpec, Flag, parse_or_answer
    from .cli.figures import diagrams_dir
    from .store import default_root

    spec = CommandSpec("serve", "[OPTIONS]", "Show each step's figure live on a page (for a projector)",
                       (Flag("port", "p", "int", "Port on 127.0.0.1", default=8000),
                        Flag("host", kind="str", help="Address to listen on", default="127.0.0.1")), 0, 0)
    parsed = parse_or_answer(spec, argv)
    if isinstance(parsed, int):
        return parsed
    folder = diagrams_dir(default_root())
    if folder is None:
        sys.stderr.write("dockersim: figures are off (DOCKERSIM_DIAGRAMS=off): nothing to serve\n")
        return 1
    server = make_server(folder, parsed.options["host"], parsed.options["port"])
    host, port = server.server_address[:2]
    sys.stdout.write(f"dockersim: showing {folder} on http://{host}:{port}/ (Ctrl-C to stop)\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

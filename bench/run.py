"""dockersim against a real Docker Engine, command by command, in the same run.

    .venv/bin/python bench/run.py                  # 10 rounds (+1 warm-up), about a minute
    .venv/bin/python bench/run.py --rounds 3 --only start,exec,ps --plain

Each round runs one container lifecycle (create, start, exec, pause, unpause, ps, ps -a,
inspect, images, stop, kill, rm, then run --rm) on each dockersim front end, each followed
by the same lifecycle on the reference Docker Engine, so the two engines alternate
(dockersim CLI, docker, dockersim CLI with figures, docker, dockersim API, docker) and
share whatever the machine is doing at that moment. See bench/README.md.

Not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:  # benchmark the working tree, whatever the venv points at
    sys.path.insert(1, str(REPO))

from tests.leaks import leftovers  # noqa: E402 - the same check as the test suite's

VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
DOCKERSIM = [str(VENV_BIN / "dockersim")] if (VENV_BIN / "dockersim").exists() else [PYTHON, "-m", "simulator"]
DEFAULT_DOCKER_HOST = os.environ.get("DOCKERSIM_REFERENCE_DOCKER") or "unix:///tmp/reference-docker/docker.sock"
RESULTS = BENCH / "results"
# Children run from here, not from the repository, so that `python -c`/`-m` cannot pick up
# ./simulator ahead of PYTHONPATH (see --ref).
NEUTRAL_CWD = "/"

# PID 1 of the benchmarked container: exits as soon as it gets SIGTERM (the shell's `wait`
# returns at once on a signal, where a foreground `sleep` would delay the trap until it
# ends), so `stop` measures the engine, not the container or the 10 s grace period.
TRAP = 'trap "exit 0" TERM; while :; do sleep 1000 & wait; done'

# (key, label shown in the table)
OPERATIONS = [
    ("create", "create"),
    ("start", "start"),
    ("exec", "exec NAME true"),
    ("pause", "pause"),
    ("unpause", "unpause"),
    ("ps", "ps (1 running)"),
    ("ps-a", "ps -a"),
    ("inspect", "inspect NAME"),
    ("images", "images"),
    ("stop", "stop (PID 1 traps TERM)"),
    ("kill", "kill (SIGKILL)"),
    ("rm", "rm (exited)"),
    ("run-rm", "run --rm busybox true"),
]
LABELS = dict(OPERATIONS)
BASELINES = [("python", [PYTHON, "-c", "pass"]), ("python-S", [PYTHON, "-S", "-c", "pass"])]
BASELINE_LABELS = {"python": ".venv/bin/python -c pass", "python-S": ".venv/bin/python -S -c pass"}

LIFECYCLE_OPS = {"create", "start", "exec", "pause", "unpause", "ps", "ps-a", "inspect", "stop", "kill", "rm"}
METADATA_OPS = ("ps", "ps-a", "inspect", "images")
CLI_RATIO_OPS = ("start", "exec", "run-rm")
CLI_RATIO_AIM = 0.5   # dockersim CLI / docker CLI, for CLI_RATIO_OPS
METADATA_AIM_MS = 10  # dockersim CLI - bare interpreter start, for METADATA_OPS
API_RATIO_AIM = 0.2   # dockersim API / docker CLI, for every operation

# dockersim front ends, and the column each one fills
SIM_VARIANTS = ("cli", "fig", "api")
COLUMNS = {"cli": "dockersim_cli", "fig": "dockersim_cli_figures", "api": "dockersim_api", "docker": "docker_cli"}


class BenchError(RuntimeError):
    pass


class StepFailed(BenchError):
    """One command failed (non-zero exit): that lifecycle is abandoned, the run goes on."""

    def __init__(self, op: str, message: str) -> None:
        super().__init__(f"{op}: {message}")
        self.op = op


# ---------------------------------------------------------------------- executors
@dataclass
class CliExecutor:
    """Runs one command line as a child process; the time is the whole command's wall clock."""

    prefix: list[str]
    env: dict[str, str]
    figures: Path | None = None  # where this executor's commands draw their figures

    def __call__(self, op: str, argv: list[str], api: Callable[[Any], Any]) -> float:
        self._figures_drawn()
        t0 = time.perf_counter()
        proc = subprocess.run([*self.prefix, *argv], env=self.env, stdin=subprocess.DEVNULL, cwd=NEUTRAL_CWD,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            raise BenchError(f"{' '.join([Path(self.prefix[-1]).name, *argv])} exited {proc.returncode}: "
                             + " | ".join(err[-3:]))  # a traceback's last lines say what broke
        return elapsed * 1000

    def _figures_drawn(self, limit: float = 5.0) -> None:
        """Wait until the previous step's figure is drawn (its ``.svg.part`` placeholder is
        gone), as a person's next command comes long after: the drawing runs after the
        answer, and a command timed while it still runs would measure the two sharing CPUs."""
        if self.figures is None or not self.figures.is_dir():
            return
        deadline = time.monotonic() + limit
        while any(self.figures.glob("*.svg.part")) and time.monotonic() < deadline:
            time.sleep(0.005)


@dataclass
class ApiExecutor:
    """Calls the Engine in this process; the time is the call's wall clock."""

    engine: Any

    def __call__(self, op: str, argv: list[str], api: Callable[[Any], Any]) -> float:
        t0 = time.perf_counter()
        try:
            step = api(self.engine)
        except Exception as err:  # a crash inside the engine is one failed step, not the end of the run
            raise BenchError(f"Engine call raised {type(err).__name__}: {err}") from None
        elapsed = time.perf_counter() - t0
        if step.exit_code != 0:
            raise BenchError(f"Engine {step.command!r} exited {step.exit_code}: {step.stderr.strip()}")
        return elapsed * 1000


# ---------------------------------------------------------------------- one lifecycle
def lifecycle(run: Callable[[str, list[str], Callable[[Any], Any]], float], name: str, selected: set[str],
              record: Callable[[str, float], None]) -> None:
    """One container's life on one engine; times the selected operations.

    Steps that are not selected still run (untimed) when a later selected step needs the
    state they leave; steps nobody needs are skipped.
    """

    def step(op: str, argv: list[str], api: Callable[[Any], Any], timed: bool = True) -> None:
        try:
            ms = run(op, argv, api)
        except StepFailed:
            raise
        except BenchError as err:
            raise StepFailed(op, str(err)) from None
        if timed and op in selected:
            record(op, ms)

    if selected & LIFECYCLE_OPS:
        step("create", ["create", "--name", name, "busybox", "sh", "-c", TRAP],
             lambda e: e.create("busybox", ["sh", "-c", TRAP], name=name))
        step("start", ["start", name], lambda e: e.start(name))
        if "exec" in selected:
            step("exec", ["exec", name, "true"], lambda e: e.exec(name, ["true"]))
        if selected & {"pause", "unpause"}:
            step("pause", ["pause", name], lambda e: e.pause(name))
            step("unpause", ["unpause", name], lambda e: e.unpause(name))
        if "ps" in selected:
            step("ps", ["ps"], lambda e: e.ps())
        if "ps-a" in selected:
            step("ps-a", ["ps", "-a"], lambda e: e.ps(all=True))
        if "inspect" in selected:
            step("inspect", ["inspect", name], lambda e: e.inspect(name))
        if "images" in selected:
            step("images", ["images"], lambda e: e.images())
        running = True
        if "stop" in selected:
            step("stop", ["stop", name], lambda e: e.stop(name))
            running = False
        if "kill" in selected:
            if not running:
                step("start", ["start", name], lambda e: e.start(name), timed=False)
            step("kill", ["kill", name], lambda e: e.kill(name))
            running = False
        if running:
            step("kill", ["kill", name], lambda e: e.kill(name), timed=False)
        step("rm", ["rm", name], lambda e: e.rm(name))
    elif "images" in selected:
        step("images", ["images"], lambda e: e.images())
    if "run-rm" in selected:
        # --name only so that an interrupted run can be found and removed; both engines get it
        rname = name + "-run"
        step("run-rm", ["run", "--rm", "--name", rname, "busybox", "true"],
             lambda e: e.run("busybox", ["true"], rm=True, name=rname))


# ---------------------------------------------------------------------- statistics
def summary(samples: list[float]) -> dict[str, Any] | None:
    if not samples:
        return None
    return {
        "median_ms": round(statistics.median(samples), 3),
        "min_ms": round(min(samples), 3),
        "max_ms": round(max(samples), 3),
        "n": len(samples),
        "samples_ms": [round(s, 3) for s in samples],
    }


def med(s: dict[str, Any] | None) -> float | None:
    return s["median_ms"] if s else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def evaluate(samples: dict[str, dict[str, list[float]]], baselines: dict[str, list[float]],
             ops: list[str]) -> dict[str, Any]:
    base = {k: summary(v) for k, v in baselines.items() if v}
    py = med(base.get("python"))
    operations = {}
    for op in ops:
        cols = {col: summary(samples[op][col]) for col in COLUMNS.values()}
        docker = med(cols["docker_cli"])
        entry: dict[str, Any] = {"label": LABELS[op], **cols,
                                 "ratio_cli": ratio(med(cols["dockersim_cli"]), docker),
                                 "ratio_cli_figures": ratio(med(cols["dockersim_cli_figures"]), docker),
                                 "ratio_api": ratio(med(cols["dockersim_api"]), docker),
                                 "aims": {}}
        if op in CLI_RATIO_OPS and entry["ratio_cli"] is not None:
            entry["aims"]["cli"] = {"aim": f"dockersim CLI <= {CLI_RATIO_AIM}x docker CLI",
                                    "value": entry["ratio_cli"], "pass": entry["ratio_cli"] <= CLI_RATIO_AIM}
        if op in METADATA_OPS and med(cols["dockersim_cli"]) is not None and py is not None:
            over = round(med(cols["dockersim_cli"]) - py, 3)
            entry["aims"]["cli"] = {"aim": f"dockersim CLI <= python -c pass + {METADATA_AIM_MS} ms",
                                    "value": over, "pass": over <= METADATA_AIM_MS}
        if entry["ratio_api"] is not None:
            entry["aims"]["api"] = {"aim": f"dockersim API <= {API_RATIO_AIM}x docker CLI",
                                    "value": entry["ratio_api"], "pass": entry["ratio_api"] <= API_RATIO_AIM}
        operations[op] = entry
    aims = [a for e in operations.values() for a in e["aims"].values()]
    return {"baselines": base, "operations": operations,
            "aims_met": sum(a["pass"] for a in aims), "aims_total": len(aims)}


# ---------------------------------------------------------------------- output
def fmt(s: dict[str, Any] | None, with_min: bool = True) -> str:
    if not s:
        return "-"
    return f"{s['median_ms']:.1f} ({s['min_ms']:.1f})" if with_min else f"{s['median_ms']:.1f}"


def fmt_ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.3g}x"  # 3 digits: 0.201x must not read as 0.20x


def fmt_aim(aim: dict[str, Any] | None, kind: str) -> str:
    if not aim:
        return ""
    verdict = "PASS" if aim["pass"] else "MISS"
    if kind == "metadata":
        return f"{verdict} {aim['value']:+.0f} ms (<= +{METADATA_AIM_MS})"
    limit = CLI_RATIO_AIM if kind == "cli" else API_RATIO_AIM
    return f"{verdict} (<= {limit}x)"


HEADERS = ["operation", "dockersim CLI", "+ figures", "docker CLI", "CLI ratio", "CLI aim",
           "dockersim API", "API ratio", "API aim"]  # ratios: dockersim / docker CLI


def rows(result: dict[str, Any]) -> list[list[str]]:
    out = []
    for key, label in BASELINE_LABELS.items():
        if key in result["baselines"]:
            out.append([label, fmt(result["baselines"][key]), "", "", "", "", "", "", ""])
    for op, e in result["operations"].items():
        cli_aim = e["aims"].get("cli")
        out.append([
            e["label"], fmt(e["dockersim_cli"]), fmt(e["dockersim_cli_figures"]), fmt(e["docker_cli"]),
            fmt_ratio(e["ratio_cli"]), fmt_aim(cli_aim, "metadata" if op in METADATA_OPS else "cli"),
            fmt(e["dockersim_api"]), fmt_ratio(e["ratio_api"]), fmt_aim(e["aims"].get("api"), "api"),
        ])
    return out


def print_table(result: dict[str, Any], plain: bool) -> None:
    title = (f"dockersim vs Docker {result['meta']['docker'].get('server_version', '?')}: median (min) ms over "
             f"{result['meta']['rounds']} rounds; ratio = dockersim median / docker CLI median")
    src = result["meta"]["dockersim"]
    notes = [
        f"measured: {src.get('simulator', '?')} ({src.get('tree', '?')} at {src.get('commit', '')[:12]}"
        + (", with uncommitted changes" if src.get("dirty") else "") + ")",
        f"aims met: {result['aims_met']}/{result['aims_total']}"
        + ("   (PARTIAL: interrupted)" if result["meta"]["partial"] else ""),
        "CLI aim: start, exec, run --rm at or below 0.5x docker; ps, ps -a, inspect, images within "
        "10 ms of `.venv/bin/python -c pass` (value = difference of medians).",
        "API aim: Engine(root, snapshots='none') call, in process, at or below 0.2x docker's CLI command.",
        "+ figures: DOCKERSIM_DIAGRAMS=<dir> (an SVG after every step, drawn after the answer; each command "
        "starts once the previous figure is drawn; inspect draws none)"
        + ("" if result["meta"]["figures"]["dot"] else "  [dot NOT FOUND: no figures were drawn]") + ".",
        "bytecode: " + result["meta"]["bytecode"] + ".",
        "daemon: " + ("CLI commands through the data root's daemon (DOCKERSIM_DAEMON=auto)"
                      if result["meta"]["dockersim"].get("daemon", "auto") == "auto"
                      else "each CLI command in its own process (DOCKERSIM_DAEMON=off)") + ".",
    ]
    counts: dict[tuple[str, str], list[str]] = {}
    for f in result["meta"]["failures"]:
        counts.setdefault((f["column"], f["op"]), []).append(f["error"])
    for (col, op), errs in counts.items():
        notes.append(f"FAILED {len(errs)}x: {col} {op} (that lifecycle abandoned; samples fewer): {errs[0][:400]}")
    table_rows = rows(result)
    if not plain:
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            plain = True
    if plain:
        widths = [max(len(r[i]) for r in [HEADERS, *table_rows]) for i in range(len(HEADERS))]
        line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
        print(title)
        print(line(HEADERS))
        print("  ".join("-" * w for w in widths))
        for r in table_rows:
            print(line(r))
        for n in notes:
            print(n)
        return
    table = Table(title=title, title_justify="left")
    for i, h in enumerate(HEADERS):
        table.add_column(h, justify="left" if i == 0 else "right", no_wrap=True)
    for r in table_rows:
        table.add_row(*[c.replace("PASS", "[green]PASS[/]").replace("MISS", "[red]MISS[/]") for c in r])
    # a terminal gets its own width (rich shrinks columns); a pipe or file gets the whole table
    console = Console() if sys.stdout.isatty() else Console(width=200)
    console.print(table)
    for n in notes:
        console.print(n, highlight=False)


# ---------------------------------------------------------------------- environment
def docker_env(host: str) -> dict[str, str]:
    env = dict(os.environ, DOCKER_HOST=host, DOCKER_CLI_HINTS="false")
    env.pop("DOCKER_CONTEXT", None)
    return env


def sim_env(root: Path, diagrams: str) -> dict[str, str]:
    return dict(os.environ, DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS=diagrams)


def check_docker(env: dict[str, str]) -> dict[str, str]:
    if shutil.which("docker") is None:
        raise BenchError("no `docker` client on PATH")
    v = subprocess.run(["docker", "version", "--format", "{{.Server.Version}} {{.Client.Version}}"],
                       env=env, capture_output=True, text=True, timeout=30)
    if v.returncode != 0:
        raise BenchError(f"the reference Docker Engine at {env['DOCKER_HOST']} does not answer "
                         f"({v.stderr.strip()}).\nStart it with:  eval \"$(/work/shared/tools/reference-docker start)\"")
    server, client = v.stdout.split()
    img = subprocess.run(["docker", "image", "inspect", "busybox:latest"], env=env, capture_output=True, timeout=30)
    if img.returncode != 0:  # never pull: `run` would try to
        raise BenchError("the reference engine has no busybox:latest (this benchmark never pulls)")
    return {"server_version": server, "client_version": client, "host": env["DOCKER_HOST"]}


def use_bytecode(mode: str, prefix: Path) -> str:
    """Set how every Python process started from here (CLI, shims, baselines) caches bytecode."""
    if mode == "env":
        return ("as the environment says: PYTHONDONTWRITEBYTECODE="
                + os.environ.get("PYTHONDONTWRITEBYTECODE", "") + " PYTHONPYCACHEPREFIX="
                + os.environ.get("PYTHONPYCACHEPREFIX", ""))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)  # filled by the warm-up round
    return "cached: PYTHONPYCACHEPREFIX=<temp dir>, PYTHONDONTWRITEBYTECODE unset (warm after the warm-up round)"


def git(*args: str) -> str:
    p = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


def use_source(ref: str | None, dest: Path) -> dict[str, Any]:
    """Which ``simulator`` to measure: the working tree, or ``ref`` extracted (read-only) from git.

    With a ref, its ``simulator/`` goes to ``dest`` and PYTHONPATH puts it ahead of the
    editable install, for the CLI, its shims and this process alike.
    """
    if ref is None:
        return {"tree": "working tree", "commit": git("rev-parse", "HEAD"),
                "dirty": bool(git("status", "--porcelain", "--", "simulator"))}
    import tarfile

    commit = git("rev-parse", "--verify", ref + "^{commit}")
    if not commit:
        raise BenchError(f"--ref {ref}: no such commit")
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit, "simulator"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(dest), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(0, str(dest))
    return {"tree": ref, "commit": commit, "dirty": False}


def cli_simulator_path(env: dict[str, str]) -> str:
    """Where the CLI's interpreter finds ``simulator`` (to show which code was measured)."""
    p = subprocess.run([PYTHON, "-c", "import simulator; print(simulator.__file__)"], env=env,
                       capture_output=True, text=True, cwd=NEUTRAL_CWD)
    return str(Path(p.stdout.strip()).parent) if p.returncode == 0 else "?"


# ---------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark dockersim against a real Docker Engine (see bench/README.md).")
    p.add_argument("--rounds", type=int, default=10, help="timed rounds (default 10: about a minute)")
    p.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    p.add_argument("--only", nargs="+", metavar="NAMES",
                   help="operations to time, comma or space separated: " + ",".join(k for k, _ in OPERATIONS)
                   + ",python (the interpreter baselines)")
    p.add_argument("--max-failures", type=int, default=10,
                   help="failed commands tolerated (each abandons one lifecycle) before the run stops (default 10)")
    p.add_argument("--plain", action="store_true", help="plain-text table instead of rich")
    p.add_argument("--docker-host", default=DEFAULT_DOCKER_HOST, help=f"reference engine (default {DEFAULT_DOCKER_HOST})")
    p.add_argument("--baseline-repeats", type=int, default=3, help="interpreter starts per round, each kind (default 3)")
    p.add_argument("--bytecode", choices=("cached", "env"), default="cached",
                   help="cached (default): Python may cache bytecode, in a temp dir (PYTHONPYCACHEPREFIX), as on a "
                   "normal install; env: keep this environment's setting (PYTHONDONTWRITEBYTECODE=1 makes every "
                   "dockersim command and every shim compile the simulator package again)")
    p.add_argument("--daemon", choices=("auto", "off"), default="auto",
                   help="auto (default): CLI commands go through the data root's daemon, as a learner's do "
                   "(the warm-up round starts it); off: each CLI command runs in its own process")
    p.add_argument("--ref", metavar="REV",
                   help="measure this git revision's simulator/ (extracted to a temp dir) instead of the working "
                   "tree, e.g. --ref HEAD while others are editing")
    p.add_argument("--output", type=Path, default=RESULTS / "latest.json", help="JSON results (default bench/results/latest.json)")
    args = p.parse_args(argv)
    known = {k for k, _ in OPERATIONS} | {"python"}
    if args.only:
        names = {n.strip() for item in args.only for n in item.split(",") if n.strip()}
        aliases = {"ps -a": "ps-a", "run": "run-rm", "run --rm": "run-rm", "python-S": "python"}
        names = {aliases.get(n, n) for n in names}
        unknown = names - known
        if unknown:
            p.error(f"unknown operation(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        if names & set(METADATA_OPS):
            names.add("python")  # their aim is measured against the interpreter's start
        args.selected = names
    else:
        args.selected = known
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    selected_ops = [k for k, _ in OPERATIONS if k in args.selected]
    denv = docker_env(args.docker_host)
    try:
        docker_info = check_docker(denv)
    except (BenchError, subprocess.TimeoutExpired) as err:
        print(f"bench: {err}", file=sys.stderr)
        return 2

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    run_id = f"{os.getpid()}-{secrets.token_hex(3)}"
    prefix = f"dsbench-{run_id}"
    tmp = Path(tempfile.mkdtemp(prefix="dockersim-bench-"))
    root, diagrams = tmp / "root", tmp / "diagrams"
    diagrams.mkdir()
    bytecode_note = use_bytecode(args.bytecode, tmp / "pycache")
    os.environ["DOCKERSIM_DAEMON"] = args.daemon
    source: dict[str, Any] = {}
    samples: dict[str, dict[str, list[float]]] = {op: {c: [] for c in COLUMNS.values()} for op in selected_ops}
    baselines: dict[str, list[float]] = {k: [] for k, _ in BASELINES} if "python" in args.selected else {}
    started, t_start = time.strftime("%Y-%m-%dT%H:%M:%S%z"), time.monotonic()
    partial, failure, done_rounds = False, None, 0
    failures: list[dict[str, Any]] = []
    cleanup_report: list[str] = []
    try:
        source = use_source(args.ref, tmp / "src")
        source["simulator"] = cli_simulator_path(sim_env(root, "off"))
        print(f"bench: measuring {source['simulator']} ({source['tree']}, {source['commit'][:12]}"
              + (", uncommitted changes" if source["dirty"] else "") + ")", file=sys.stderr)
        cli_off = CliExecutor(DOCKERSIM, sim_env(root, "off"))
        cli_fig = CliExecutor(DOCKERSIM, sim_env(root, str(diagrams)), figures=diagrams)
        docker = CliExecutor(["docker"], denv)
        cli_off("pull", ["pull", "busybox"], lambda e: None)  # once, untimed
        from simulator.engine import Engine

        executors = {"cli": cli_off, "fig": cli_fig, "api": ApiExecutor(Engine(root, snapshots="none")), "docker": docker}
        total = args.warmup + args.rounds
        for rnd in range(total):
            timed = rnd >= args.warmup
            t_round = time.monotonic()
            for k in range(len(SIM_VARIANTS)):  # rotate which front end goes first
                variant = SIM_VARIANTS[(rnd + k) % len(SIM_VARIANTS)]
                for who in (variant, "docker"):
                    col = COLUMNS[who]

                    def record(op: str, ms: float, col: str = col) -> None:
                        if timed:
                            samples[op][col].append(ms)

                    name = f"{prefix}-r{rnd}-{variant}" + ("-d" if who == "docker" else "")
                    try:
                        lifecycle(executors[who], name, set(selected_ops), record)
                    except StepFailed as err:
                        failures.append({"round": rnd - args.warmup + 1 if timed else 0, "column": col,
                                         "op": err.op, "error": str(err)[:2000]})
                        print(f"bench: {col}: {str(err)[:300]}", file=sys.stderr, flush=True)
                        discard(executors[who], name)
                        if len(failures) > args.max_failures:
                            raise BenchError(f"more than {args.max_failures} failed commands; last: {err}") from None
            for key, cmd in BASELINES if baselines else ():
                for _ in range(args.baseline_repeats):
                    ms = CliExecutor(cmd, dict(os.environ))(key, [], lambda e: None)
                    if timed:
                        baselines[key].append(ms)
            done_rounds += timed
            what = f"round {rnd - args.warmup + 1}/{args.rounds}" if timed else f"warm-up {rnd + 1}/{args.warmup}"
            print(f"bench: {what} took {time.monotonic() - t_round:.1f} s", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        partial = True
        print("\nbench: interrupted; cleaning up", file=sys.stderr)
    except BenchError as err:
        partial, failure = True, str(err)
        print(f"bench: FAILED: {err}\nbench: cleaning up", file=sys.stderr)
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        try:
            cleanup_report = cleanup(prefix, denv, root, tmp)
        finally:
            signal.signal(signal.SIGINT, previous)
    for line in cleanup_report:
        print(f"bench: cleanup: {line}", file=sys.stderr)

    if done_rounds == 0:
        return 1
    result = evaluate(samples, baselines, selected_ops)
    meta = {
        "schema": 1,
        "started": started,
        "duration_s": round(time.monotonic() - t_start, 1),
        "rounds": done_rounds,
        "warmup": args.warmup,
        "selected": selected_ops + (["python"] if baselines else []),
        "partial": partial,
        "failure": failure,
        "order": "per round, for each dockersim front end (rotated): its lifecycle, then docker's",
        "stop_container": f"sh -c '{TRAP}'",
        "bytecode": bytecode_note,
        "docker": docker_info,
        "dockersim": {**source, "cli": DOCKERSIM, "runtime": os.environ.get("DOCKERSIM_RUNTIME", ""),
                      "daemon": args.daemon},
        "figures": {"dot": shutil.which("dot")},
        "host": {"python": platform.python_version(), "machine": platform.machine(), "kernel": platform.release(),
                 "cpus": os.cpu_count(), "loadavg": os.getloadavg(), "uid": os.getuid()},
        "cleanup": cleanup_report,
        "failures": failures,
    }
    result = {"meta": meta, **result}
    out = args.output if not partial else args.output.with_name("partial.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result, args.plain)
    print(f"results: {out}" + (" (partial run: latest.json left alone)" if partial else ""))
    return 1 if partial else 0


def discard(executor: Any, name: str) -> None:
    """After a failed step: remove that lifecycle's containers, whatever state they are in."""
    names = [name, name + "-run"]
    try:
        if isinstance(executor, ApiExecutor):
            executor.engine.rm(*names, force=True)
        else:
            subprocess.run([*executor.prefix, "rm", "-f", *names], env={**executor.env, "DOCKERSIM_DIAGRAMS": "off"},
                           capture_output=True, timeout=120, cwd=NEUTRAL_CWD)
    except Exception as err:  # the final cleanup tries again
        print(f"bench: could not discard {name}: {err}", file=sys.stderr)


def cleanup(prefix: str, denv: dict[str, str], root: Path, tmp: Path) -> list[str]:
    """Remove every container this run made, on both engines, and the temp dir."""
    report = []
    try:
        ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"name={prefix}"], env=denv,
                             capture_output=True, text=True, timeout=60).stdout.split()
        if ids:
            subprocess.run(["docker", "rm", "-f", *ids], env=denv, capture_output=True, timeout=120)
            report.append(f"removed {len(ids)} leftover container(s) from the reference engine")
        left = subprocess.run(["docker", "ps", "-aq", "--filter", f"name={prefix}"], env=denv,
                              capture_output=True, text=True, timeout=60).stdout.split()
        if left:
            report.append(f"STILL ON THE REFERENCE ENGINE: {' '.join(left)}")
    except (OSError, subprocess.SubprocessError) as err:
        report.append(f"could not clean the reference engine: {err}")
    if root.exists():
        env = sim_env(root, "off")
        try:
            ids = subprocess.run([*DOCKERSIM, "ps", "-aq", "--no-trunc"], env=env, capture_output=True,
                                 text=True, timeout=60, cwd=NEUTRAL_CWD).stdout.split()
            if ids:
                subprocess.run([*DOCKERSIM, "rm", "-f", *ids], env=env, capture_output=True, timeout=120,
                               cwd=NEUTRAL_CWD)
                report.append(f"removed {len(ids)} leftover dockersim container(s)")
            subprocess.run([*DOCKERSIM, "daemon", "stop"], env=env, capture_output=True, timeout=60,
                           cwd=NEUTRAL_CWD)
        except (OSError, subprocess.SubprocessError) as err:
            report.append(f"could not clean dockersim: {err}")
        report += [f"LEAK {x}" for x in leftovers(root)]
    shutil.rmtree(tmp, ignore_errors=True)
    if tmp.exists():
        report.append(f"could not remove {tmp}")
    return report


if __name__ == "__main__":
    sys.exit(main())

"""Where dockersim's time goes: a companion to bench/run.py (which only says how much).

    .venv/bin/python bench/hotspots.py            # all sections, about 20 s
    .venv/bin/python bench/hotspots.py --only imports,api

Sections:
  cli      wall time of `dockersim ps` split into interpreter start, imports, the command
  imports  `python -X importtime -m simulator ps`: the slowest modules
  shim     the shim's own interpreter start and imports (paid by every start/run)
  api      cProfile of Engine.start, exec, stop, kill and run --rm (in process)
  figures  what one step's figure costs (snapshot, graphviz)

Runs on a fresh DOCKERSIM_ROOT in a temp dir, removed at the end. Does not touch Docker.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DOCKERSIM, NEUTRAL_CWD, PYTHON, REPO, TRAP, BenchError, cli_simulator_path, leftovers, use_bytecode, use_source  # noqa: E402

SECTIONS = ("cli", "imports", "shim", "api", "figures")


def wall(cmd: list[str], env: dict[str, str], n: int) -> float:
    """Median wall time (ms) of ``cmd`` over ``n`` runs, after one untimed run."""
    times = []
    for i in range(n + 1):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=NEUTRAL_CWD)
        if i:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def section_cli(env: dict[str, str], n: int) -> None:
    print("== cli: `dockersim ps`, wall ms (median of %d) ==" % n)
    bare = wall([PYTHON, "-c", "pass"], env, n)
    imports = wall([PYTHON, "-c", "import simulator.cli, simulator.cli.commands, simulator.cli.flags, "
                    "simulator.engine, simulator.cli.figures"], env, n)
    full = wall([*DOCKERSIM, "ps"], env, n)
    print(f"  python -c pass                       {bare:6.1f}")
    print(f"  + import the CLI and the engine      {imports:6.1f}  (+{imports - bare:.1f})")
    print(f"  dockersim ps (everything)            {full:6.1f}  (+{full - imports:.1f} for the command itself)")


def section_imports(env: dict[str, str], top: int) -> None:
    print(f"== imports: `python -X importtime -m simulator ps`, top {top} by self time (us) ==")
    subprocess.run([PYTHON, "-m", "simulator", "ps"], env=env, capture_output=True, cwd=NEUTRAL_CWD)  # warm the bytecode cache
    p = subprocess.run([PYTHON, "-X", "importtime", "-m", "simulator", "ps"], env=env, capture_output=True, text=True,
                       cwd=NEUTRAL_CWD)
    rows = []
    for line in p.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line.split(":", 1)[1].split("|")
        rows.append((int(self_us), int(cum_us), name.rstrip()))
    total = sum(r[0] for r in rows)
    print(f"  total import time {total / 1000:.1f} ms over {len(rows)} modules (importtime inflates it)")
    for self_us, cum_us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {self_us:7d} self {cum_us:7d} cumulative  {name}")
    ours = [r for r in rows if r[2].strip().startswith("simulator")]
    print(f"  simulator.* modules themselves: {sum(r[0] for r in ours) / 1000:.1f} ms self; "
          f"stdlib and third party: {(total - sum(r[0] for r in ours)) / 1000:.1f} ms")


def section_shim(env: dict[str, str], n: int, parent: str) -> None:
    print("== shim: the interpreter every start/run launches (python -S), wall ms ==")
    bare = wall([PYTHON, "-S", "-c", "pass"], env, n)
    boot = wall([PYTHON, "-S", "-c", f"import sys; sys.path.insert(0, {parent!r}); import simulator.sandbox.shim"], env, n)
    print(f"  python -S -c pass                    {bare:6.1f}")
    print(f"  + import simulator.sandbox.shim      {boot:6.1f}  (+{boot - bare:.1f})")
    p = subprocess.run([PYTHON, "-S", "-X", "importtime", "-c",
                        f"import sys; sys.path.insert(0, {parent!r}); import simulator.sandbox.shim"],
                       env=env, capture_output=True, text=True, cwd=NEUTRAL_CWD)
    rows = []
    for line in p.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            self_us, cum_us, name = line.split(":", 1)[1].split("|")
            rows.append((int(cum_us), int(self_us), name.rstrip()))
    print("  largest cumulative imports:")
    for cum_us, self_us, name in sorted(rows, reverse=True)[:8]:
        print(f"  {cum_us:7d} cumulative {self_us:7d} self  {name}")


def profile(label: str, calls: list, top: int) -> None:
    prof = cProfile.Profile()
    times = []
    for setup, call, teardown in calls:
        setup()
        t0 = time.perf_counter()
        prof.enable()
        step = call()
        prof.disable()
        times.append((time.perf_counter() - t0) * 1000)
        if step.exit_code != 0:
            raise SystemExit(f"{label}: {step.command} exited {step.exit_code}: {step.stderr}")
        teardown()
    print(f"-- API {label}: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {len(times)} calls; "
          f"top {top} by own time (tottime, summed over the calls) --")
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    lines = buf.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    for line in lines[start:start + top + 1]:
        print("  " + line.replace(str(REPO) + "/", "").replace(os.environ.get("PYTHONPATH", "~") + "/", "").replace(os.path.dirname(os.__file__) + "/", "<stdlib>/"))


def section_api(root: Path, n: int, top: int) -> None:
    from simulator.engine import Engine

    print("== api: cProfile of in-process Engine calls (snapshots='none') ==")
    e = Engine(root, snapshots="none")
    counter = iter(range(10**6))
    names: list[str] = []

    def fresh(started: bool) -> None:
        names.append(f"hot{next(counter)}x")
        e.create("busybox", ["sh", "-c", TRAP], name=names[-1])
        if started:
            e.start(names[-1])

    def remove() -> None:
        e.rm(names[-1], force=True)

    fresh(True)  # warm: imports, page cache
    e.exec(names[-1], ["true"])
    remove()
    profile("start", [(lambda: fresh(False), lambda: e.start(names[-1]), remove) for _ in range(n)], top)
    fresh(True)
    profile("exec NAME true", [(lambda: None, lambda: e.exec(names[-1], ["true"]), lambda: None) for _ in range(n)], top)
    remove()
    profile("stop (PID 1 traps TERM)", [(lambda: fresh(True), lambda: e.stop(names[-1]), remove) for _ in range(n)], top)
    profile("kill", [(lambda: fresh(True), lambda: e.kill(names[-1]), remove) for _ in range(n)], top)
    profile("run --rm busybox true", [(lambda: None, lambda: e.run("busybox", ["true"], rm=True), lambda: None)
                                      for _ in range(n)], top)


def section_figures(root: Path, diagrams: Path, n: int) -> None:
    from simulator.cli.figures import write_step_figure
    from simulator.engine import Engine

    print("== figures: one step's figure, in process, ms (median of %d) ==" % n)
    if shutil.which("dot") is None:
        print("  dot is not installed: the CLI draws no figures")
        return
    os.environ["DOCKERSIM_DIAGRAMS"] = str(diagrams)
    e = Engine(root, snapshots="none")
    e.create("busybox", ["sh", "-c", TRAP], name="figx")
    e.start("figx")
    step = e.ps()
    snap, dot, write = [], [], []
    try:
        for i in range(n + 1):
            t0 = time.perf_counter()
            step.after = e.snapshot()
            t1 = time.perf_counter()
            step.figure().pipe(format="svg")
            t2 = time.perf_counter()
            write_step_figure(e, step)  # snapshot + graphviz + write, as the CLI does
            t3 = time.perf_counter()
            if i:
                snap.append((t1 - t0) * 1000)
                dot.append((t2 - t1) * 1000)
                write.append((t3 - t2) * 1000)
    finally:
        e.rm("figx", force=True)
    print(f"  engine.snapshot()                    {statistics.median(snap):6.1f}")
    print(f"  step.figure().pipe('svg') (dot)      {statistics.median(dot):6.1f}")
    print(f"  write_step_figure (all of it)        {statistics.median(write):6.1f}")
    env = dict(os.environ)
    bare = wall([PYTHON, "-c", "import simulator.engine"], env, n)
    drawn = wall([PYTHON, "-c", "import simulator.engine, graphviz, simulator.render"], env, n)
    print(f"  importing graphviz and simulator.render in a new CLI process: {drawn - bare:6.1f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default=",".join(SECTIONS), help="comma separated: " + ",".join(SECTIONS))
    p.add_argument("--n", type=int, default=7, help="repetitions per measurement (default 7)")
    p.add_argument("--top", type=int, default=12, help="rows per profile (default 12)")
    p.add_argument("--bytecode", choices=("cached", "env"), default="cached", help="as in bench/run.py")
    p.add_argument("--ref", metavar="REV", help="as in bench/run.py: profile this git revision's simulator/")
    args = p.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    if set(only) - set(SECTIONS):
        p.error(f"unknown section(s): {', '.join(sorted(set(only) - set(SECTIONS)))}")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    tmp = Path(tempfile.mkdtemp(prefix="dockersim-hotspots-"))
    root = tmp / "root"
    print("bytecode:", use_bytecode(args.bytecode, tmp / "pycache"))
    try:
        source = use_source(args.ref, tmp / "src")
    except BenchError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit(f"hotspots: {err}")
    # each command in its own process: what a daemon's worker would do is the same work,
    # and a profile of one process shows it all (bench/run.py measures through the daemon)
    os.environ.update(DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off", DOCKERSIM_DAEMON="off")
    env = dict(os.environ)
    package = cli_simulator_path(env)
    print(f"measuring: {package} ({source['tree']} at {source['commit'][:12]}"
          + (", with uncommitted changes" if source["dirty"] else "") + ")\n")
    try:
        subprocess.run([*DOCKERSIM, "pull", "busybox"], env=env, capture_output=True, check=True, cwd=NEUTRAL_CWD)
        for name in only:
            if name == "cli":
                section_cli(env, args.n)
            elif name == "imports":
                section_imports(env, args.top)
            elif name == "shim":
                section_shim(env, args.n, str(Path(package).parent))
            elif name == "api":
                section_api(root, args.n, args.top)
            elif name == "figures":
                section_figures(root, tmp / "diagrams", args.n)
            print()
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        env["DOCKERSIM_DIAGRAMS"] = "off"
        ids = subprocess.run([*DOCKERSIM, "ps", "-aq", "--no-trunc"], env=env, capture_output=True, text=True,
                             cwd=NEUTRAL_CWD).stdout.split()
        if ids:
            subprocess.run([*DOCKERSIM, "rm", "-f", *ids], env=env, capture_output=True, cwd=NEUTRAL_CWD)
        for leak in leftovers(root):
            print(f"LEAK {leak}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

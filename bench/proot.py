"""What PRoot costs the process tier, against the reference engine, in the same run.

    .venv/bin/python bench/proot.py [--rounds N]

The process tier with PRoot, the process tier without it (``DOCKERSIM_PROOT=off``), and the
reference Docker engine, alternating in each round: ``run --rm busybox true``, ``start`` of
a created ``sleep``, ``exec NAME true``, and a command that makes system calls, which PRoot
traces (``run --rm`` of a shell writing a file 500 times). Each dockersim variant has its
own data root and daemon, as a learner's commands run. Needs DOCKER_HOST (or
DOCKERSIM_REFERENCE_DOCKER) pointing at the reference engine; never pulls there.
Not a test: pytest does not collect this folder.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUSY = "i=0; while [ $i -lt 500 ]; do echo $i > /tmp/f; i=$((i+1)); done"


class Engine:
    def __init__(self, label: str, argv: list[str], env: dict[str, str]) -> None:
        self.label, self.argv, self.env = label, argv, env

    def __call__(self, *args: str, check: bool = True) -> float:
        start = time.perf_counter()
        result = subprocess.run([*self.argv, *args], env=self.env, capture_output=True, cwd="/")
        elapsed = (time.perf_counter() - start) * 1000
        if check and result.returncode != 0:
            raise RuntimeError(f"{self.label} {' '.join(args)}: {result.stderr.decode(errors='replace')}")
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    host = os.environ.get("DOCKERSIM_REFERENCE_DOCKER") or os.environ.get("DOCKER_HOST")
    if not host:
        print("bench: set DOCKER_HOST to the reference engine (../shared/tools/reference-docker start)", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPO))
    from simulator.sandbox.proot import problem

    why = problem()
    if why:
        print(f"bench: PRoot cannot run here ({why}): nothing to compare", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="dockersim-bench-proot-"))
    dockersim = [str(REPO / ".venv" / "bin" / "dockersim")]
    engines = []
    for label, extra in (("process+PRoot", {}), ("process", {"DOCKERSIM_PROOT": "off"})):
        env = {k: v for k, v in os.environ.items() if k != "DOCKERSIM_PROOT"}
        env.update(DOCKERSIM_ROOT=str(work / label), DOCKERSIM_DIAGRAMS="off", DOCKERSIM_RUNTIME="process", **extra)
        engines.append(Engine(label, dockersim, env))
    ref = Engine("docker", ["docker"], dict(os.environ, DOCKER_HOST=host))
    engines.append(ref)
    tag = f"dsbench-proot-{os.getpid()}-{secrets.token_hex(3)}"
    results: dict[str, dict[str, list[float]]] = {}
    try:
        for engine in engines[:2]:
            engine("pull", "busybox")
            engine("run", "--rm", "busybox", "true")  # untimed: the daemon starts, caches fill
        for n in range(rounds):
            order = engines[n % 3:] + engines[:n % 3]  # who goes first rotates
            for engine in order:
                times = results.setdefault(engine.label, {})
                name = f"{tag}-{n}"
                times.setdefault("run --rm busybox true", []).append(engine("run", "--rm", "--name", name, "busybox", "true"))
                engine("create", "--name", name, "busybox", "sleep", "1000")
                times.setdefault("start (sleep)", []).append(engine("start", name))
                times.setdefault("exec NAME true", []).append(engine("exec", name, "true"))
                engine("rm", "-f", name)
                times.setdefault("run --rm: 500 writes", []).append(
                    engine("run", "--rm", "--name", name, "busybox", "sh", "-c", BUSY))
    finally:
        ref("rm", "-f", *(f"{tag}-{n}" for n in range(rounds)), check=False)
        for engine in engines[:2]:
            ids = subprocess.run([*engine.argv, "ps", "-aq"], env=engine.env, capture_output=True, text=True).stdout.split()
            if ids:
                engine("rm", "-f", *ids, check=False)
            engine("daemon", "stop", check=False)
        shutil.rmtree(work, ignore_errors=True)
    labels = [e.label for e in engines]
    print(f"median ms over {rounds} rounds; ratios: process+PRoot / process, and / docker")
    print(f"{'operation':<24}" + "".join(f"{label:>15}" for label in labels) + f"{'/ no PRoot':>12}{'/ docker':>10}")
    for op in results[labels[0]]:
        medians = [statistics.median(results[label][op]) for label in labels]
        print(f"{op:<24}" + "".join(f"{m:15.1f}" for m in medians) + f"{medians[0] / medians[1]:12.2f}{medians[0] / medians[2]:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Image commands against the reference engine, in the same run, alternating.

    .venv/bin/python bench/images.py [--rounds N]

commit of a container that wrote 1,000 files; build of a 7-step Dockerfile, uncached and
cached; save and load of a 3-layer image. Aim: each at or below the reference engine's time.
Needs DOCKER_HOST (or DOCKERSIM_REFERENCE_DOCKER) pointing at the reference engine.
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
DOCKERFILE = """FROM busybox
ENV STAGE=bench
WORKDIR /app
RUN for i in $(seq 1 200); do echo $i > f$i; done
COPY data.txt .
RUN echo done > /app/done
CMD ["ls"]
"""


class Engine:
    def __init__(self, label: str, argv: list[str], env: dict[str, str]) -> None:
        self.label, self.argv, self.env = label, argv, env

    def __call__(self, *args: str, check: bool = True) -> float:
        start = time.perf_counter()
        result = subprocess.run([*self.argv, *args], env=self.env, capture_output=True, cwd=REPO)
        elapsed = (time.perf_counter() - start) * 1000
        if check and result.returncode != 0:
            raise RuntimeError(f"{self.label} {' '.join(args)}: {result.stderr.decode(errors='replace')}")
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    host = os.environ.get("DOCKERSIM_REFERENCE_DOCKER") or os.environ.get("DOCKER_HOST")
    if not host:
        print("bench: set DOCKER_HOST to the reference engine (../shared/tools/reference-docker start)", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="dockersim-bench-images-"))
    sim_env = dict(os.environ, DOCKERSIM_ROOT=str(work / "root"), DOCKERSIM_DIAGRAMS="off")
    ref_env = dict(os.environ, DOCKER_HOST=host, DOCKER_BUILDKIT="0")
    sim = Engine("dockersim", [str(REPO / ".venv" / "bin" / "dockersim")], sim_env)
    ref = Engine("docker", ["docker"], ref_env)
    ctx = work / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(DOCKERFILE)
    (ctx / "data.txt").write_text("x" * 10_000)
    sim("pull", "busybox")
    results: dict[str, dict[str, list[float]]] = {}
    tag = f"bench-{secrets.token_hex(4)}"
    try:
        for _ in range(rounds):
            for engine in (sim, ref):
                times = results.setdefault(engine.label, {})
                name = f"{tag}-c"
                engine("run", "--name", name, "busybox", "sh", "-c", "mkdir /many; for i in $(seq 1 1000); do echo $i > /many/$i; done")
                times.setdefault("commit (1,000 files)", []).append(engine("commit", name, f"{tag}:commit"))
                engine("rm", name)
                times.setdefault("build, 7 steps, uncached", []).append(engine("build", "--no-cache", "-t", f"{tag}:build", str(ctx)))
                times.setdefault("build, 7 steps, cached", []).append(engine("build", "-t", f"{tag}:build", str(ctx)))
                archive = work / f"{engine.label}.tar"
                times.setdefault("save (3 layers)", []).append(engine("save", "-o", str(archive), f"{tag}:build"))
                engine("rmi", "-f", f"{tag}:build", f"{tag}:commit", check=False)
                engine("image", "prune", "-f", check=False) if engine is ref else None
                times.setdefault("load (3 layers)", []).append(engine("load", "-i", str(archive)))
                engine("rmi", "-f", f"{tag}:build", check=False)
    finally:
        ref("rm", "-f", f"{tag}-c", check=False)
        ref("rmi", "-f", f"{tag}:build", f"{tag}:commit", check=False)
        shutil.rmtree(work, ignore_errors=True)
    print(f"median ms over {rounds} rounds (ratio = dockersim / docker)")
    print(f"{'operation':<28} {'dockersim':>10} {'docker':>10} {'ratio':>7}  aim")
    for op in results["dockersim"]:
        s, r = statistics.median(results["dockersim"][op]), statistics.median(results["docker"][op])
        print(f"{op:<28} {s:10.1f} {r:10.1f} {s / r:7.2f}  {'PASS' if s <= r else 'MISS'} (<= docker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long a step figure takes to draw (graphviz's dot included), for scenes of growing size.

    .venv/bin/python bench/render.py [--rounds N]

Aims (issue: figures): 30 ms for 5 images and 10 containers, 300 ms for 20 and 30.
Not a test: pytest does not collect this folder.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.render import step_figure  # noqa: E402
from simulator.step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step  # noqa: E402

STATES = ["created", "running", "paused", "exited"]


def _id(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def scene(images: int, containers: int) -> Snapshot:
    base = LayerView("sha256:" + "0" * 64, "sha256:" + "0" * 64, 1_984_132, "Imported from -")
    views = []
    for i in range(images):
        top = LayerView("sha256:" + _id("layer", i), "sha256:" + _id("diff", i), 1000 * i, f"RUN step {i}")
        views.append(ImageView("sha256:" + _id("image", i), (f"app{i}:latest",), (base, top), union=("bin", "etc", "tmp")))
    conts = []
    for c in range(containers):
        state = STATES[c % 4]
        procs = (ProcessView(1, 1000 + c, "sleep 1000"),) if state in ("running", "paused") else ()
        conts.append(ContainerView(_id("container", c), f"c{c}", state, views[c % images].id, f"app{c % images}",
                                   "sleep 1000", 0, (f"A /tmp/file{c}", "C /tmp"), procs))
    return Snapshot(tuple(views), tuple(conts), "namespace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    aims = {(5, 10): 30, (20, 30): 300}
    print(f"{'scene':>22}  {'median ms':>9}  {'min ms':>7}  aim")
    for (images, containers), aim in aims.items():
        after = scene(images, containers)
        before = after._replace(containers=after.containers[:-1])
        step = Step("run -d busybox", before=before, after=after, verb="run")
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            step.figure().pipe(format="svg")
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        verdict = "PASS" if median <= aim else "MISS"
        print(f"{images:>3} images, {containers:>2} containers  {median:9.1f}  {min(times):7.1f}  {verdict} (<= {aim} ms)")
        full = Step("ps -a", after=after, verb="ps")
        start = time.perf_counter()
        full.figure().pipe(format="svg")
        print(f"{'(whole scene, once)':>22}  {(time.perf_counter() - start) * 1000:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

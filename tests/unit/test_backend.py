"""Figures without a system Graphviz: the pip-installed graphviz-pure draws them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
from simulator.render.backend import renderer
from simulator.step import ImageView, LayerView, Snapshot, Step
print(renderer())
layer = LayerView("sha256:" + "1" * 64, "sha256:" + "1" * 64, 10, "Imported from -")
step = Step("images", after=Snapshot((ImageView("sha256:" + "2" * 64, ("busybox:latest",), (layer,)),), (), "process"), verb="images")
svg = step.figure().pipe(format="svg", encoding="utf-8")
print(svg.count("<svg"), "drawn with graphviz-pure" in step.figure().source)
"""


def test_graphviz_pure_draws_where_there_is_no_dot(tmp_path):
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "graphviz-pure").exists():
        pytest.skip("graphviz-pure is not installed here (pip install graphviz-pure)")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60,
                            env={"PATH": str(bin_dir), "XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path),
                                 "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["graphviz-pure", "1", "True"]

"""The launcher bootstrap writes over pip's ``bin/dockersim`` (scripts/launcher.py)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "launcher.py"
spec = importlib.util.spec_from_file_location("launcher", SCRIPT)
launcher = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launcher)


def test_the_launcher_finds_the_package_without_site(tmp_path):
    paths = launcher.site_paths(sys.executable)
    assert any(p.endswith("site-packages") for p in paths)
    target = tmp_path / "dockersim"
    target.write_text(launcher.launcher(sys.executable, paths))
    target.chmod(0o755)
    env = {**os.environ, "DOCKERSIM_ROOT": str(tmp_path / "root"), "DOCKERSIM_DIAGRAMS": "off"}
    done = subprocess.run([str(target), "ps"], env=env, capture_output=True, text=True, cwd="/")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("CONTAINER ID")
    # the command map needs transitions and graphviz, from site-packages
    done = subprocess.run([str(target), "diagram", "--map", "-o", str(tmp_path / "map.svg")], env=env,
                          capture_output=True, text=True, cwd="/")
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "map.svg").read_text().startswith("<?xml")


def test_a_first_line_too_long_to_run_keeps_pips_script():
    assert launcher.launcher("/" + "x" * 200 + "/bin/python", []) is None

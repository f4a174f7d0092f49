"""The hosted-notebook configuration (binder/) installs what the lessons need."""

from __future__ import annotations

import os
import re
import tomllib

from tests.conftest import REPO

BINDER = REPO / "binder"


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower() for line in requirements
            if line.strip() and not line.lstrip().startswith("#")}


def test_binder_installs_every_runtime_and_notebook_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = _names(project["dependencies"] + project["optional-dependencies"]["notebook"])
    listed = _names((BINDER / "requirements.txt").read_text().splitlines())
    assert needed <= listed, f"binder/requirements.txt lacks {sorted(needed - listed)}"


def test_binder_installs_the_system_tools_and_dockersim_itself():
    apt = set((BINDER / "apt.txt").read_text().split())
    assert {"graphviz", "busybox-static", "fonts-wqy-microhei", "proot"} <= apt
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert "pip install" in post_build.read_text() and " -e ." in post_build.read_text()

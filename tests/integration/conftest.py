"""The restricted user's own dockersim, made once per session (see ``restricted.py``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.integration import restricted

UID = 65534  # nobody: owns nothing, in no group


@pytest.fixture(scope="session")
def restricted_python():
    """The interpreter of an environment that ``UID`` may run: dockersim, its dependencies,
    the notebooks and their runner, in a temp dir of the test's user, readable by anyone,
    removed at the end of the session."""
    if os.geteuid() != 0:
        pytest.skip("making a non-root user without user namespaces needs root (as non-root, run the suite itself)")
    place = Path(tempfile.mkdtemp(prefix="dockersim-restricted-python-"))
    try:
        python = restricted.install(UID, place, files=("notebooks", "tests/integration/run_notebook.py"))
    except LookupError as e:
        shutil.rmtree(place)
        pytest.skip(str(e))
    yield python
    shutil.rmtree(place)

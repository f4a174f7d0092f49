"""The restricted user's own dockersim, made once per session (see ``restricted.py``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration import restricted


@pytest.fixture(scope="session")
def restricted_python() -> Iterator[Path]:
    """The interpreter of an environment that ``restricted.UID`` may run, with dockersim, its
    dependencies, the notebooks and their runner: made in a temp dir readable by anyone on
    first use, removed at the end of the session."""
    if os.geteuid() != 0:
        pytest.skip("making a non-root user without user namespaces needs root (as non-root, run the suite itself)")
    place = restricted.scratch("dockersim-restricted-python-")
    try:
        python = restricted.install(restricted.UID, place, files=("notebooks", "tests/integration/run_notebook.py"))
    except LookupError as e:
        shutil.rmtree(place)
        pytest.skip(str(e))
    yield python
    shutil.rmtree(place)

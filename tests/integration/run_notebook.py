"""Execute one notebook top to bottom, as a student's kernel would, and write the result.

Usage: ``python run_notebook.py NOTEBOOK OUTPUT``

A script rather than a call inside pytest, so that it can run as another user (see
``restricted.py``). Errors are kept in the executed notebook, not raised: the test reads
every cell's outputs and says which cell failed and why.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    notebook = nbformat.read(source, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(source.parent)}})
    client.execute()
    nbformat.write(notebook, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

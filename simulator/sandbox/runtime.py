"""What both runtimes do the same way: signal the main process, freeze and thaw them all.

Each tier says how to find a container's processes (``pids``) and how to run one more
(``exec``); the rest is here once.
"""

from __future__ import annotations

import os

from .freezer import freezer_for

__all__ = ["BaseRuntime"]


class BaseRuntime:
    name = ""

    def pids(self, pid: int) -> list[int]:
        raise NotImplementedError

    def kill(self, pid: int, sig: int) -> None:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    def pause(self, container_id: str, pid: int) -> None:
        freezer_for(container_id).freeze(self.pids(pid))

    def resume(self, container_id: str, pid: int) -> None:
        freezer_for(container_id).thaw(self.pids(pid))

"""dockersim: a small but real container engine that draws what every ``docker`` command does.

``import simulator`` is cheap: the engine, rich, graphviz and IPython load only when used::

    from simulator import Engine
    Engine().run("busybox", ["echo", "hi"])
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any
    from .engine import Engine
    from .step import Step

__all__ = ["Engine", "Step", "__version__", "load_ipython_extension"]
__version__ = "0.1.0"



def __getattr__(name: str) -> Any:
    if name == "Engine":
        from .engine import Engine

        return Engine
    if name == "Step":
        from .step import Step

        return Step
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext simulator``: the ``%docker`` and ``%%docker`` magics (see notebook.py)."""
    from .notebook import load_ipython_extension as load

    load(ipython)

"""``dockersim tour``: the seed article, every command in its order, narrated, a figure per step.

It waits for Enter between steps in a terminal and runs straight through otherwise. The
tour works on a private data root of its own, so nothing a learner has made is touched, and
removes what it made at the end; its figures go where every figure goes (so ``dockersim
serve`` shows them live on a projector).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from rich.console import Console

    from .step import Step
    from .walkthrough import Scene

__all__ = ["main"]

USAGE = """\
Usage:  dockersim tour [--lang en|zh] [--no-wait]

Walk through the seed article: every docker command in its order, narrated, a figure per step.

Options:
      --lang string   en or zh (default: DOCKERSIM_LANG)
      --no-wait       Do not wait for Enter between steps (the default when not in a terminal)
"""

MAX_OUTPUT_LINES = 20  # `inspect` prints a page of JSON; the figure says the rest

TEXT = {
    "en": {
        "banner": "[bold]dockersim tour[/]: the life of images and containers, one command at a time",
        "private": "The tour uses a data root of its own: your containers and images are not touched.",
        "figures": "Each step's figure is written to [bold]{folder}[/] (newest: latest.svg); "
                   "[bold]dockersim serve[/] shows them live.",
        "no figures": "[yellow]No figures: graphviz's dot is not installed, or DOCKERSIM_DIAGRAMS=off.[/]",
        "next": "[dim]Enter: next step · q: quit[/] ",
        "more": "… {n} more lines",
        "figure": "figure: {path}",
        "failed": "[red]exit code {code}[/]",
        "done": "{n} steps, all done. Try it yourself: [bold]dockersim run -d --name web busybox sleep 1000[/]",
        "failures": "[red]{failed} of {n} steps failed.[/]",
        "stopped": "Tour stopped; what it made is removed.",
    },
    "zh": {
        "banner": "[bold]dockersim 导览[/]：镜像与容器的一生，一次一条命令",
        "private": "导览使用自己的数据目录：你的容器和镜像不会被改动。",
        "figures": "每一步的图写入 [bold]{folder}[/]（最新一张：latest.svg）；[bold]dockersim serve[/] 可以实时显示。",
        "no figures": "[yellow]没有图：没有安装 graphviz 的 dot，或者 DOCKERSIM_DIAGRAMS=off。[/]",
        "next": "[dim]回车：下一步 · q：退出[/] ",
        "more": "… 还有 {n} 行",
        "figure": "图：{path}",
        "failed": "[red]退出码 {code}[/]",
        "done": "共 {n} 步，全部完成。自己试试：[bold]dockersim run -d --name web busybox sleep 1000[/]",
        "failures": "[red]{n} 步中有 {failed} 步失败。[/]",
        "stopped": "导览已停止；它创建的东西已删除。",
    },
}


def _options(argv: list[str]) -> tuple[str | None, bool] | int:
    """(language, wait) from the arguments, or an exit code (help, or a wrong flag)."""
    lang, wait = None, True
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        if arg == "--no-wait":
            wait = False
        elif arg == "--lang" and args:
            lang = args.pop(0)
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
        else:
            sys.stderr.write(f"unknown flag: {arg}\nSee 'dockersim tour --help'.\n")
            return 125
    from .i18n import LANGS

    if lang is not None and lang not in LANGS:
        sys.stderr.write(f"--lang must be en or zh, not {lang!r}\n")
        return 125
    return lang, wait


def _show(console: "Console", text: dict[str, str], number: int, total: int, scene: "Scene", step: "Step",
          lang: str) -> None:
    from rich.markup import escape

    console.print()
    console.rule(f"[bold]{number}/{total}[/]  docker {escape(scene.title)}", align="left")
    console.print(scene.story(step.verb, lang, sep="\n"))
    console.print(f"[bold cyan]$ docker {escape(step.command)}[/]")
    lines = (step.stdout + step.stderr).rstrip("\n").splitlines()
    if lines:
        shown = lines[:MAX_OUTPUT_LINES]
        console.print("\n".join(shown), markup=False, highlight=False, soft_wrap=True)
        if len(lines) > len(shown):
            console.print(f"[dim]{text['more'].format(n=len(lines) - len(shown))}[/]")
    if not step.ok:
        console.print(text["failed"].format(code=step.exit_code))


def main(argv: list[str]) -> int:
    import tempfile

    from rich.console import Console

    from .cli.figures import diagrams_dir, write_step_figure
    from .engine import Engine
    from .i18n import language
    from .render.backend import renderer
    from .store import default_root
    from .walkthrough import SCENES, perform

    chosen = _options(argv)
    if isinstance(chosen, int):
        return chosen
    lang, wait = language(chosen[0]), chosen[1]
    os.environ["DOCKERSIM_LANG"] = lang  # the figures speak the tour's language
    text = TEXT[lang]
    console = Console()
    interactive = wait and sys.stdin.isatty() and sys.stdout.isatty()
    folder = diagrams_dir(default_root()) if renderer() else None
    console.print(text["banner"])
    console.print(text["private"])
    console.print(text["figures"].format(folder=folder) if folder else text["no figures"])
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dockersim-tour-") as work:
        engine = Engine(Path(work) / "root", snapshots="both")
        try:
            for number, scene in enumerate(SCENES, 1):
                step = perform(engine, Path(work), scene)
                failed += not step.ok
                _show(console, text, number, len(SCENES), scene, step, lang)
                if folder is not None:
                    path = write_step_figure(engine, step, folder=folder)
                    if path is not None:
                        console.print(f"[dim]{text['figure'].format(path=path)}[/]")
                if interactive and number < len(SCENES):
                    if console.input(text["next"]).strip().lower() in ("q", "quit", "exit"):
                        console.print(text["stopped"])
                        return 0
        except (KeyboardInterrupt, EOFError):
            console.print()
            console.print(text["stopped"])
            return 130
        finally:
            engine.remove_all()
    console.print()
    console.print(text["failures"].format(failed=failed, n=len(SCENES)) if failed else text["done"].format(n=len(SCENES)))
    return 1 if failed else 0

"""``dockersim tour``: a narrated walk through the container lifecycle, one figure per step.

It waits for Enter between steps in a terminal and runs straight through otherwise.
"""

from __future__ import annotations

import sys

__all__ = ["STEPS", "main"]

NAME = "tour-web"

#: (narration, command line) in the order of the seed article.
STEPS: list[tuple[str, str]] = [
    ("An image is a stack of read-only layers. `pull` makes one from the offline registry.",
     "pull busybox"),
    ("`create` adds one read-write layer on top of the image's layers: a static container. "
     "No process runs yet.",
     f"create --name {NAME} busybox sh -c 'echo started > /tmp/log; sleep 1000'"),
    ("`start` gives the container a process space: its command runs as PID 1 in new namespaces.",
     f"start {NAME}"),
    ("Everything a process writes lands in the read-write layer; `diff` lists it.",
     f"diff {NAME}"),
    ("`exec` adds one more process to the running container.",
     f"exec {NAME} sh -c 'echo hello > /tmp/greeting'"),
    ("`pause` freezes every process of the container (the cgroup freezer); they keep their memory.",
     f"pause {NAME}"),
    ("`unpause` thaws them; they carry on as if nothing happened.",
     f"unpause {NAME}"),
    ("`stop` sends SIGTERM, waits (here 1 second), then SIGKILL. `sleep` as PID 1 ignores "
     "SIGTERM, so it ends by SIGKILL: exit code 137. The read-write layer stays.",
     f"stop -t 1 {NAME}"),
    ("A stopped container can start again, on the same read-write layer.",
     f"start {NAME}"),
    ("`kill` sends SIGKILL at once.",
     f"kill {NAME}"),
    ("`ps -a` lists containers in every state.",
     "ps -a"),
    ("`rm` removes the static container and its read-write layer; the image stays.",
     f"rm {NAME}"),
]


def main(argv: list[str]) -> int:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.panel import Panel

    from .cli.commands import run_line
    from .cli.figures import write_step_figure
    from .engine import Engine

    console = Console()
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and "--no-wait" not in argv
    engine = Engine(snapshots="none")
    engine.rm(NAME, force=True)  # a tour left half-way last time
    console.print(Panel.fit("[bold]dockersim tour[/]: the container lifecycle, one step at a time"))
    failures = 0
    figure = None
    for number, (narration, line) in enumerate(STEPS, 1):
        console.print()
        console.print(Markdown(f"**{number}/{len(STEPS)}** {narration}"))
        console.print(f"[bold cyan]$ docker {line}[/]")
        step = run_line(engine, line)
        text = (step.stdout + step.stderr).rstrip()
        if text:
            console.print(text, markup=False, highlight=False, soft_wrap=True)
        if not step.ok:
            failures += 1
            console.print(f"[red]exit code {step.exit_code}[/]")
        figure = write_step_figure(engine, step) or figure
        if interactive and number < len(STEPS):
            console.input("[dim]Enter for the next step…[/]")
    console.print()
    if figure is not None:
        console.print(f"Figures of every step: [bold]{figure.parent}[/] (newest: latest.svg)")
    else:
        console.print("[yellow]No figures: graphviz's `dot` is not installed, or DOCKERSIM_DIAGRAMS=off.[/]")
    return 1 if failures else 0

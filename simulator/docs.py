"""``dockersim docs DIR``: the gallery, one section per command of the seed article.

The walkthrough (the seed article as a script, ``walkthrough.py``) runs on a fresh engine
whose ids, names and clock are seeded, so the same machine writes the same bytes every time
(a test compares the committed gallery with a fresh one). Each section holds the command, what it printed, the narration in English and Chinese,
and its step figure (the state before and after) in both languages:

    DIR/README.md       English page (Markdown, as a code-hosting site shows it)
    DIR/README.zh.md    Chinese page
    DIR/index.html      one static page, both languages (a switch, no script)
    DIR/en/*.svg DIR/zh/*.svg DIR/command-map.{en,zh}.svg
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

from .i18n import LANGS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .step import Step
    from .walkthrough import Scene

__all__ = ["generate", "main"]

EPOCH_NS = 1_704_067_200 * 10**9  # 2024-01-01T00:00:00Z: the offline busybox's own date

TITLES = {
    "en": ("dockersim gallery", "Every command of the lifecycle, as a step figure: the state before and after, and what happened."),
    "zh": ("dockersim 图集", "生命周期中的每一条命令都是一张步骤图：命令前后的状态，以及发生了什么。"),
}
NOTE = {
    "en": ("Made by `dockersim docs` with a seeded engine on the {tier} tier: the same machine "
           "makes the same bytes. Output that holds this machine's times, process ids or paths is not shown."),
    "zh": ("由 `dockersim docs` 在{tier}沙箱上用固定种子的引擎生成：同一台机器每次生成的字节完全相同。"
           "含有本机时间、进程号或路径的输出未列出。"),
}
MAP_CAPTION = {"en": "The command map: every command as an arrow between the forms.",
               "zh": "命令总览：每条命令都是各形态之间的一条箭头。"}
OTHER = {"en": ("中文", "README.zh.md"), "zh": ("English", "README.md")}


class StepClock:
    """A clock that starts at ``EPOCH_NS`` and moves one second each time it is read."""

    def __init__(self, start: int = EPOCH_NS) -> None:
        self.now = start

    def __call__(self) -> int:
        self.now += 10**9
        return self.now


def run_scenes(workdir: Path) -> "list[tuple[Scene, Step]]":
    """The walkthrough on a fresh, seeded engine in ``workdir`` (its data root and cwd)."""
    from .engine import Engine
    from .walkthrough import SCENES, perform

    engine = Engine(workdir / "root", seed=2024, clock=StepClock(), snapshots="both")
    played = []
    try:
        for scene in SCENES:
            step = perform(engine, workdir, scene)
            if not step.ok:
                raise RuntimeError(f"the gallery's step `docker {scene.line}` failed: {step.stderr.strip()}")
            played.append((scene, step))
    finally:
        engine.remove_all()  # a failed step leaves nothing running
    return played


def _slug(number: int, scene: "Scene") -> str:
    return f"{number:02d}-{scene.title.replace(' ', '')}"


def _alt(step: "Step", lang: str) -> str:
    """The text alternative of a step's figure, as the SVG itself carries it: the command,
    then what the figure shows."""
    from .render.describe import step_text

    return ": ".join(part for part in step_text(step, lang) if part)


def _markdown_text(text: str) -> str:
    """``text`` inside a Markdown image's brackets: brackets and backslashes escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def _output(scene: "Scene", step: "Step") -> str:
    return (step.stdout + step.stderr).rstrip("\n") if scene.show_output else ""


def markdown(lang: str, played: "list[tuple[Scene, Step]]", tier: str) -> str:
    """One language's page: the command, its output, both narrations, the figure."""
    title, lead = TITLES[lang]
    other, link = OTHER[lang]
    lines = [f"# {title}", "", f"{lead} ([{other}]({link}))", "", f"*{NOTE[lang].format(tier=tier)}*", "",
             f"![{MAP_CAPTION[lang]}](command-map.{lang}.svg)", ""]
    for number, (scene, step) in enumerate(played, 1):
        lines += [f"## {number}. `docker {scene.title}`", "", "```console", f"$ docker {step.command}"]
        output = _output(scene, step)
        lines += [output] if output else []
        lines += ["```", ""]
        first, second = (lang, "zh" if lang == "en" else "en")
        lines += [scene.story(step.verb, first), "", f"> {scene.story(step.verb, second)}", ""]
        lines += [f"![{_markdown_text(_alt(step, lang))}]({lang}/{_slug(number, scene)}.svg)", ""]
    return "\n".join(lines)


PAGE_STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem 2rem; color: #222; line-height: 1.5; }
pre { background: #f4f4f4; padding: .6rem .8rem; overflow-x: auto; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; box-sizing: border-box; }
section { border-top: 1px solid #ddd; margin-top: 2rem; }
nav label { margin-right: .5rem; padding: .2rem .7rem; border: 1px solid #999; border-radius: 4px; cursor: pointer; }
#lang-en:checked ~ nav [for=lang-en], #lang-zh:checked ~ nav [for=lang-zh] { background: #222; color: #fff; }
#lang-zh:checked ~ main .en, #lang-en:checked ~ main .zh { display: none; }
"""


def html(played: "list[tuple[Scene, Step]]", tier: str) -> str:
    """Both languages on one static page; a radio button picks which one shows."""
    def both(make) -> str:
        return "".join(f'<div class="{lang}" lang="{lang}">{make(lang)}</div>' for lang in LANGS)

    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{TITLES['en'][0]}</title><style>{PAGE_STYLE}</style></head><body>",
        '<input type="radio" name="lang" id="lang-en" checked hidden><input type="radio" name="lang" id="lang-zh" hidden>',
        '<nav><label for="lang-en">English</label><label for="lang-zh">中文</label></nav><main>',
        both(lambda lang: f"<h1>{TITLES[lang][0]}</h1><p>{TITLES[lang][1]}</p>"
                          f"<p><em>{escape(NOTE[lang].format(tier=tier)).replace('`dockersim docs`', '<code>dockersim docs</code>')}</em></p>"
                          f'<img src="command-map.{lang}.svg" alt="{MAP_CAPTION[lang]}">'),
    ]
    for number, (scene, step) in enumerate(played, 1):
        output = _output(scene, step)
        console = escape(f"$ docker {step.command}" + (f"\n{output}" if output else ""))
        parts.append(f'<section id="{_slug(number, scene)}"><h2>{number}. <code>docker {scene.title}</code></h2>'
                     f"<pre>{console}</pre>")
        parts.append(both(lambda lang: f"<p>{escape(scene.story(step.verb, lang))}</p>"
                                       f'<img src="{lang}/{_slug(number, scene)}.svg" alt="{escape(_alt(step, lang))}">'))
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def generate(target: Path, workdir: Path) -> list[Path]:
    """Run the scenes in ``workdir`` and write the gallery to ``target``; the written files."""
    from .render import command_map
    from .render.backend import renderer
    from .store import write_atomic

    if not renderer():
        raise RuntimeError("drawing the gallery needs Graphviz's dot (apt-get install graphviz)")
    played = run_scenes(workdir)
    tier = played[-1][1].after.runtime if played and played[-1][1].after else ""
    files: dict[str, bytes] = {}
    for lang in LANGS:
        files[f"command-map.{lang}.svg"] = command_map(lang=lang).pipe(format="svg")
        for number, (scene, step) in enumerate(played, 1):
            files[f"{lang}/{_slug(number, scene)}.svg"] = step.figure(lang=lang, theme="light").pipe(format="svg")
    files["README.md"] = markdown("en", played, tier).encode()
    files["README.zh.md"] = markdown("zh", played, tier).encode()
    files["index.html"] = html(played, tier).encode()
    written = []
    for name in sorted(files):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, files[name])
        written.append(path)
    for stale in sorted([*target.glob("*.svg"), *target.glob("*/*.svg")]):  # no longer made
        if stale not in written:
            stale.unlink()
    return written


def main(argv: list[str]) -> int:
    """``dockersim docs [DIR]`` (default ``diagrams``)."""
    import tempfile

    if any(a in ("-h", "--help") for a in argv):
        sys.stdout.write("Usage:  dockersim docs [DIR]\n\nRegenerate the gallery of step figures in DIR "
                         "(default: diagrams), in English and Chinese.\n")
        return 0
    if len(argv) > 1:
        sys.stderr.write("dockersim docs: expected at most one folder\n")
        return 1
    target = Path(argv[0] if argv else "diagrams")
    from .sandbox.tiers import namespace_problem

    problem = namespace_problem()
    if problem:
        sys.stderr.write(f"dockersim docs: drawing on the process tier ({problem}); the committed gallery "
                         "is drawn on the namespace tier, whose process ids repeat from run to run\n")
    os.environ["DOCKERSIM_RUNTIME"] = "process" if problem else "namespace"
    with tempfile.TemporaryDirectory(prefix="dockersim-docs-") as work:
        try:
            written = generate(target, Path(work))
        except RuntimeError as err:
            sys.stderr.write(f"dockersim docs: {err}\n")
            return 1
    sys.stdout.write(f"{len(written)} files in {target}/ (open {target / 'index.html'} or {target / 'README.md'})\n")
    return 0

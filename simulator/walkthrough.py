"""The seed article as a script: every docker command it names, in its order, shared by the
tour (``dockersim tour``) and the gallery (``dockersim docs``).

The order is the article's: version, info, pull, create, start, run, ps, ps -a, images, stop,
kill, pause, rm, rmi, commit, build, exec, inspect, save, export, history; plus what Docker
adds around them (diff, logs, top, restart, tag, load, import).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .engine import Engine
    from .step import Step

__all__ = ["HELLO_DOCKERFILE", "SCENES", "Scene", "perform"]

HELLO_DOCKERFILE = "FROM busybox\nRUN echo 'hello from a layer' > /hello\nCMD [\"cat\", \"/hello\"]\n"
# The process tier without PRoot sees the host's file system: an absolute path names the
# host's file, so there the script writes relative to the container's root (its cwd).
HELLO_DOCKERFILE_RELATIVE = HELLO_DOCKERFILE.replace("/hello", "hello")


class Scene(NamedTuple):
    """One command of the script: its line, whether its output is worth printing in a
    reproducible document (not where it holds this machine's times, process ids or paths),
    files to write before it runs, and a remark (English, Chinese) beyond the command's
    usual narration. ``process_line`` and ``process_files``, where given, replace ``line``
    and ``files`` on the process tier without PRoot, whose processes cannot write absolute
    paths."""

    line: str
    show_output: bool = True
    files: tuple[tuple[str, str], ...] = ()
    remark: tuple[str, str] = ("", "")
    process_line: str = ""
    process_files: tuple[tuple[str, str], ...] = ()

    def on(self, tier: str) -> "Scene":
        """This scene as it runs on ``tier`` (as the figures name it: ``process (no PRoot)``
        is the one without absolute paths of its own)."""
        if tier != "process (no PRoot)":
            return self
        return self._replace(line=self.process_line or self.line, files=self.process_files or self.files)

    def story(self, verb: str, lang: str, sep: str | None = None) -> str:
        """What ``verb`` did, in ``lang``, followed by this scene's remark; ``sep`` between
        them (default: a space in English, nothing in Chinese)."""
        from .i18n import narrate

        remark = self.remark[0 if lang == "en" else 1]
        if sep is None:
            sep = " " if lang == "en" else ""
        return narrate(verb, lang) + (sep + remark if remark else "")

    @property
    def title(self) -> str:
        """The command and the flag the seed article names it by (``ps -a``, ``images -a``)."""
        words = self.line.split()
        return " ".join(words[:2]) if words[1:2] == ["-a"] else words[0]


SCENES: tuple[Scene, ...] = (
    Scene("version", show_output=False),
    Scene("info", show_output=False, remark=(
        "info also says which sandbox runs the containers here, and why.",
        "info 还会说明这里用哪种沙箱运行容器，以及原因。")),
    Scene("pull busybox", remark=(
        "Nothing is downloaded: the offline registry builds busybox from this machine's own static busybox.",
        "不会下载任何东西：离线仓库用本机自带的静态 busybox 构建这个镜像。")),
    Scene("images"),
    Scene("create --name web busybox sleep 1000", remark=(
        "The container exists on disk now, but no process runs: it is a static container.",
        "容器已经在磁盘上存在，但没有任何进程在运行：这是一个静态容器。")),
    Scene("ps", show_output=False, remark=(
        "ps lists only running containers: the static container web is not in its list.",
        "ps 只列出运行中的容器：静态容器 web 不在列表里。")),
    Scene("ps -a", show_output=False, remark=(
        "ps -a shows the static containers too.", "ps -a 把静态容器也列出来。")),
    Scene("start web"),
    Scene("run --name once busybox echo hello", remark=(
        "run = create + start: the container's process printed hello and ended; the static container stays.",
        "run = create + start：容器的进程打印 hello 后结束，留下一个静态容器。")),
    Scene("exec web sh -c 'echo hi > /tmp/greeting'", remark=(
        "The file this process writes lands in web's read-write layer.",
        "这个进程写的文件落在 web 的读写层里。"), process_line="exec web sh -c 'echo hi > tmp/greeting'"),
    Scene("diff web"),
    Scene("top web", show_output=False),
    Scene("logs once", remark=(
        "The log outlives the process: once has ended, and what it printed is still there.",
        "日志比进程活得久：once 已经结束，它打印的内容还在。")),
    Scene("pause web"),
    Scene("unpause web"),
    Scene("stop -t 1 web", remark=(
        "sleep runs as PID 1, which ignores SIGTERM: after the 1 second grace SIGKILL ends it (exit 137). "
        "On the process tier it is not PID 1, so SIGTERM ends it at once (exit 143).",
        "sleep 作为 PID 1 运行，会忽略 SIGTERM：1 秒宽限期后 SIGKILL 结束它（退出码 137）。"
        "在进程沙箱里它不是 PID 1，SIGTERM 会立即结束它（退出码 143）。")),
    Scene("start web", remark=(
        "The same container starts again, on the same read-write layer: /tmp/greeting is still there.",
        "同一个容器再次启动，读写层还是原来那一层：/tmp/greeting 还在。")),
    Scene("kill web"),
    Scene("restart -t 1 web"),
    Scene("rm once"),
    Scene("commit web greeting:v1", remark=(
        "web's read-write layer (C /tmp, A /tmp/greeting) is now a read-only layer of the image greeting:v1.",
        "web 的读写层（C /tmp，A /tmp/greeting）变成了镜像 greeting:v1 的一个只读层。")),
    Scene("history greeting:v1"),
    Scene("build -t hello:v1 hello", files=(("hello/Dockerfile", HELLO_DOCKERFILE),),
          process_files=(("hello/Dockerfile", HELLO_DOCKERFILE_RELATIVE),), remark=(
        "The Dockerfile: FROM busybox, RUN echo ... > /hello, CMD cat /hello. RUN ran in a container whose "
        "read-write layer was committed.",
        "Dockerfile：FROM busybox，RUN echo ... > /hello，CMD cat /hello。RUN 在一个容器里运行，"
        "然后它的读写层被 commit。")),
    Scene("images -a", remark=(
        "images -a also lists the intermediate images build made (<none>:<none>): one per layer.",
        "images -a 还列出 build 产生的中间镜像（<none>:<none>）：每层一个。")),
    Scene("run --rm hello:v1"),
    Scene("tag hello:v1 hello:latest"),
    Scene("inspect web", show_output=False),
    Scene("save -o hello.tar hello:v1 hello:latest", remark=(
        "hello.tar holds every layer of the image, its config and its history.",
        "hello.tar 保存了镜像的每一层、配置和历史。")),
    Scene("rmi hello:v1 hello:latest"),
    Scene("load -i hello.tar", remark=(
        "The same image comes back: the same id, layers and history.",
        "同一个镜像回来了：同样的 ID、层和历史。")),
    Scene("export -o web.tar web", remark=(
        "web.tar holds web's union view as one flat file tree: no layers, no history.",
        "web.tar 把 web 的统一视角保存成一棵扁平的文件树：没有分层，没有历史。")),
    Scene("import web.tar flat:v1"),
    Scene("history flat:v1", remark=(
        "An imported image has a single layer: export and import lost the history that save and load keep.",
        "导入的镜像只有一层：export 和 import 丢掉了历史，而 save 和 load 会保留。")),
    Scene("rm -f web"),
    Scene("rmi greeting:v1"),
)


def perform(engine: "Engine", workdir: Path, scene: Scene) -> "Step":
    """Carry out one scene in ``workdir``, as it runs on the engine's tier: its files are
    written there and relative paths (``hello.tar``) resolve there; the caller's working
    directory is restored."""
    from .cli.commands import run_line

    scene = scene.on(engine.tier_label())
    for name, text in scene.files:
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text)
    old_cwd = os.getcwd()
    os.chdir(workdir)
    try:
        return run_line(engine, scene.line)
    finally:
        os.chdir(old_cwd)

"""The words on the figures and the narration of each step, in English and Chinese.

Plain data, in the seed articles' own terms (镜像层, 读写层, 静态容器, 进程空间, ...).
``DOCKERSIM_LANG`` (``en`` or ``zh``) picks the language; ``--lang`` overrides it.
"""

from __future__ import annotations

import os

__all__ = ["LANGS", "language", "narrate", "theme_name", "word"]

LANGS = ("en", "zh")

WORDS: dict[str, dict[str, str]] = {
    "image": {"en": "image", "zh": "镜像"},
    "layer": {"en": "layer", "zh": "只读层"},
    "read-write layer": {"en": "read-write layer", "zh": "读写层"},
    "empty": {"en": "(empty)", "zh": "（空）"},
    "process space": {"en": "process space", "zh": "进程空间"},
    "frozen": {"en": "paused: every process frozen", "zh": "已暂停：所有进程被冻结"},
    "paused": {"en": "paused", "zh": "已暂停"},
    "union view": {"en": "union view", "zh": "统一视角"},
    "before": {"en": "before", "zh": "之前"},
    "after": {"en": "after", "zh": "之后"},
    "more": {"en": "more", "zh": "更多"},
    "tier": {"en": "sandbox", "zh": "沙箱"},
    "no change": {"en": "nothing changed", "zh": "没有变化"},
    "removed": {"en": "removed", "zh": "已删除"},
    "exit": {"en": "exit", "zh": "退出码"},
    "elided": {"en": "not shown", "zh": "未显示"},
    "created": {"en": "created", "zh": "已创建"},
    "running": {"en": "running", "zh": "运行中"},
    # the forms of the command map
    "registry": {"en": "registry", "zh": "仓库"},
    "static container": {"en": "static container", "zh": "静态容器"},
    "running container": {"en": "running container", "zh": "运行态容器"},
    "paused container": {"en": "paused container", "zh": "暂停的容器"},
    "tar archive": {"en": "tar archive", "zh": "tar 归档"},
    "docker commands": {"en": "docker commands", "zh": "docker 命令"},
    "exited": {"en": "exited", "zh": "已退出"},
}

#: verb -> language -> one or two sentences on what the command did, in the seeds' terms.
NARRATION: dict[str, dict[str, str]] = {
    "pull": {
        "en": "pull makes an image: a stack of read-only layers, seen through one union view.",
        "zh": "pull 得到一个镜像：一叠只读层，通过统一视角看起来是一个文件系统。",
    },
    "create": {
        "en": "create puts one read-write layer on top of the image's read-only layers: a static container, with no process yet.",
        "zh": "create 在镜像的只读层之上加一层读写层：得到一个静态容器，还没有任何进程。",
    },
    "start": {
        "en": "start gives the static container an isolated process space; its command runs there as PID 1.",
        "zh": "start 为静态容器创建一个隔离的进程空间，容器的命令在其中作为 PID 1 运行。",
    },
    "run": {
        "en": "run is create and then start: a read-write layer on the image, then a process space around it.",
        "zh": "run 就是 create 加 start：先在镜像上加读写层，再为它创建进程空间。",
    },
    "stop": {
        "en": "stop sends SIGTERM, waits the grace period, then SIGKILL: the process space is gone, the read-write layer stays.",
        "zh": "stop 先发送 SIGTERM，等待宽限期后发送 SIGKILL：进程空间消失，读写层保留。",
    },
    "restart": {
        "en": "restart is stop and then start: new processes, the same read-write layer.",
        "zh": "restart 就是 stop 加 start：新的进程，同一个读写层。",
    },
    "kill": {
        "en": "kill sends a signal to the container's main process (SIGKILL by default: it ends at once).",
        "zh": "kill 向容器的主进程发送信号（默认 SIGKILL：立即结束）。",
    },
    "pause": {
        "en": "pause freezes every process in the process space (the cgroup freezer); nothing is lost.",
        "zh": "pause 冻结进程空间中的所有进程（cgroup freezer），什么都不会丢失。",
    },
    "unpause": {
        "en": "unpause thaws the processes; they carry on where they were.",
        "zh": "unpause 解冻这些进程，它们从原处继续运行。",
    },
    "rm": {
        "en": "rm removes a static container: its read-write layer goes; the image's layers stay.",
        "zh": "rm 删除静态容器：它的读写层被删除，镜像的只读层保留。",
    },
    "rename": {
        "en": "rename gives the container another name: its id, layers and processes stay as they were.",
        "zh": "rename 给容器换一个名字：它的 ID、各层和进程都保持不变。",
    },
    "exec": {
        "en": "exec starts one more process in the running container's process space.",
        "zh": "exec 在运行中容器的进程空间里再启动一个进程。",
    },
    "diff": {
        "en": "diff lists what the read-write layer holds: A added, C changed, D deleted.",
        "zh": "diff 列出读写层里的内容：A 新增，C 修改，D 删除。",
    },
    "ps": {"en": "ps lists the containers (-a: the static ones too).", "zh": "ps 列出容器（-a：包括静态容器）。"},
    "images": {"en": "images lists the images and their tags.", "zh": "images 列出镜像及其标签。"},
    "inspect": {"en": "inspect shows an object's metadata as JSON.", "zh": "inspect 以 JSON 显示对象的元数据。"},
    "attach": {"en": "attach joins the container's main process: its output from now on, its input and terminal if it keeps them; "
                     "Ctrl-P Ctrl-Q leaves it running.",
               "zh": "attach 连到容器的主进程：从此刻起的输出，以及它保留的输入和终端；Ctrl-P Ctrl-Q 离开，容器继续运行。"},
    "stats": {"en": "stats reads what each running container's processes use: CPU, memory, block I/O, processes.",
              "zh": "stats 读取每个运行中容器的进程所用的资源：CPU、内存、块设备读写、进程数。"},
    "logs": {"en": "logs shows what the container's processes wrote.", "zh": "logs 显示容器进程的输出。"},
    "top": {"en": "top lists the processes in the container's process space.", "zh": "top 列出容器进程空间中的进程。"},
    "wait": {"en": "wait blocks until the container stops, then prints its exit code.", "zh": "wait 等待容器停止，然后打印退出码。"},
    "events": {"en": "events lists the transitions the engine has made (create, start, die, commit, tag...), "
                     "in order, as they happened; it changes nothing.",
               "zh": "events 按发生顺序列出引擎做过的状态转换（create、start、die、commit、tag……）；它不改变任何状态。"},
    "info": {"en": "info describes the engine and its sandbox.", "zh": "info 描述引擎及其沙箱。"},
    "version": {"en": "version prints the versions.", "zh": "version 打印版本信息。"},
    "diagram": {"en": "The current state: every image and container.", "zh": "当前状态：所有镜像和容器。"},
    "commit": {
        "en": "commit turns the container's read-write layer into one more read-only layer: a new image.",
        "zh": "commit 把容器的读写层变成一层新的只读层：得到一个新镜像。",
    },
    "build": {
        "en": "build repeats run, change, commit for each instruction: every step adds a layer.",
        "zh": "build 对每条指令重复 run、修改、commit：每一步都增加一层。",
    },
    "history": {"en": "history lists the steps that made the image's layers.", "zh": "history 列出构成镜像各层的步骤。"},
    "tag": {"en": "tag gives the same image one more name.", "zh": "tag 为同一个镜像再起一个名字。"},
    "rmi": {
        "en": "rmi removes a name, and the image with the layers nothing else uses.",
        "zh": "rmi 删除一个名字，以及没有其他用处的镜像和只读层。",
    },
    "save": {
        "en": "save writes images with all their layers and history to a tar archive.",
        "zh": "save 把镜像连同所有层和历史写入一个 tar 归档。",
    },
    "load": {
        "en": "load reads such an archive back: the same images, layers and ids.",
        "zh": "load 读回这样的归档：同样的镜像、层和 ID。",
    },
    "export": {
        "en": "export writes the container's union view as one flat tar: no layers, no history.",
        "zh": "export 把容器的统一视角写成一个扁平的 tar：没有分层，没有历史。",
    },
    "cp": {
        "en": "cp copies files into or out of a container: what it copies in lands in the read-write layer, "
              "running or not; the image's layers stay as they were.",
        "zh": "cp 在容器与本机之间复制文件：复制进去的文件落在读写层（无论容器是否在运行），镜像的只读层不变。",
    },
    "system prune": {
        "en": "system prune removes every static container, then the images nothing needs: "
              "their read-write layers and unshared layers go.",
        "zh": "system prune 删除所有静态容器，再删除没有用处的镜像：它们的读写层和不被共享的层都被删除。",
    },
    "system df": {
        "en": "system df adds up the space: each layer counted once, however many images share it.",
        "zh": "system df 统计占用的空间：每一层只算一次，无论有多少镜像共享它。",
    },
    "port": {"en": "port lists published ports: with no network, there are none.",
             "zh": "port 列出已发布的端口：没有网络，就没有端口。"},
    "container prune": {
        "en": "container prune removes every static container at once: their read-write layers go; images stay.",
        "zh": "container prune 一次删除所有静态容器：它们的读写层被删除，镜像保留。",
    },
    "image prune": {
        "en": "image prune removes images no tag, child or container needs (-a: every image no container uses).",
        "zh": "image prune 删除没有标签、子镜像或容器需要的镜像（-a：所有没有容器使用的镜像）。",
    },
    "import": {
        "en": "import makes a single-layer image from such a flat tar.",
        "zh": "import 用这样的扁平 tar 生成一个只有一层的镜像。",
    },
}


def language(lang: str | None = None) -> str:
    """``lang`` if given, else ``DOCKERSIM_LANG``, else English."""
    chosen = (lang or os.environ.get("DOCKERSIM_LANG") or "en").lower()
    return "zh" if chosen.startswith("zh") else "en"


def theme_name(name: str | None = None) -> str:
    """``name`` if given, else ``DOCKERSIM_THEME``, else light: the figures' colours, chosen
    where their language is (render/ reads no setting)."""
    return name or os.environ.get("DOCKERSIM_THEME") or "light"


def word(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang``.

    >>> word("read-write layer", "zh")
    '读写层'
    """
    return WORDS.get(key, {}).get(lang) or WORDS.get(key, {}).get("en") or key


def narrate(verb: str, lang: str = "en") -> str:
    """One or two sentences on what ``verb`` did.

    >>> narrate("pause")
    'pause freezes every process in the process space (the cgroup freezer); nothing is lost.'
    """
    return NARRATION.get(verb, {}).get(lang, "")

"""What a class does in a JupyterHub pod, run inside one (see test_pod.py): ``dockersim``
commands as a learner types them, with absolute paths, checked as they run.

Usage: ``python pod_inside.py [no-ptrace]`` with ``DOCKERSIM_ROOT`` set to a writable place. Prints one
line per check and exits 0 when all pass, 1 at the first that does not (saying why).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile


def dockersim(*args: str, code: int = 0) -> str:
    """Run ``dockersim ARGS``; its stdout, after checking its exit code is ``code``."""
    done = subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=60)
    if done.returncode != code:
        fail(f"dockersim {' '.join(args)}: exit {done.returncode}, wanted {code}\n{done.stdout}{done.stderr}")
    return done.stdout


def fail(why: str) -> None:
    print(f"FAIL {why}", flush=True)
    sys.exit(1)


def check(what: str, got: object, wanted: object) -> None:
    if got != wanted:
        fail(f"{what}: got {got!r}, wanted {wanted!r}")
    print(f"ok   {what}", flush=True)


def without_ptrace() -> None:
    """A pod whose seccomp profile refuses ptrace: the process tier without PRoot, saying so,
    still running the lifecycle (with relative paths, which stay inside the container)."""
    info = dockersim("info")
    form = next(line.strip() for line in info.splitlines() if line.strip().startswith("Root:"))
    check("the process tier says it has no PRoot, and why", form,
          "Root: no PRoot (ptrace is not allowed here (proot: ptrace(TRACEME): Operation not permitted)): "
          "absolute paths are the host's")
    dockersim("pull", "busybox")
    dockersim("run", "--name", "rel", "busybox", "sh", "-c", "echo x > new.txt")
    check("diff after echo x > new.txt", dockersim("diff", "rel"), "A /new.txt\n")
    from simulator.engine import Engine

    check("the figure's tier", Engine(snapshots="none").snapshot().runtime, "process (no PRoot)")
    dockersim("rm", "rel")
    print("all passed", flush=True)


def main() -> None:
    if sys.argv[1:] == ["no-ptrace"]:
        return without_ptrace()
    root = os.environ["DOCKERSIM_ROOT"]
    check("we are not root", os.getuid() != 0, True)
    info = dockersim("info")
    tier = next(line.strip() for line in info.splitlines() if line.strip().startswith("Tier:"))
    check("auto picks the process tier, saying why",
          tier.startswith("Tier: process (the namespace tier does not work here: "), True)
    print(f"     {tier}")
    form = next(line.strip() for line in info.splitlines() if line.strip().startswith("Root:"))
    check("the process tier has PRoot", form, "Root: PRoot (ptrace): / is the container's root")

    dockersim("pull", "busybox")
    check("run with absolute paths", dockersim("run", "--name", "first", "busybox", "sh", "-c",
                                               "echo x > /new.txt; echo hi > /tmp/x; cat /tmp/x; pwd"), "hi\n/\n")
    check("the host's /tmp is not the container's", os.path.exists("/tmp/x"), False)
    check("diff after echo x > /new.txt", dockersim("diff", "first"), "A /new.txt\nC /tmp\nA /tmp/x\n")

    cid = dockersim("run", "-d", "--name", "web", "busybox", "sleep", "1000").strip()
    check("exec sees the container's files", dockersim("exec", "web", "cat", "/etc/hostname"), cid[:12] + "\n")
    dockersim("exec", "web", "sh", "-c", "echo e > /etc/x")
    check("a write to /etc/x lands in the read-write layer", dockersim("diff", "web"), "C /etc\nA /etc/x\n")
    check("... and not in the pod's /etc", os.path.exists("/etc/x"), False)
    check("exec's exit code", subprocess.run([sys.executable, "-m", "simulator", "exec", "web", "sh", "-c", "exit 5"],
                                             capture_output=True).returncode, 5)
    top = dockersim("top", "web")
    check("top shows the command, not its tracer", [r.split()[-2:] for r in top.splitlines()[1:]], [["sleep", "1000"]])
    dockersim("pause", "web")
    pid = int(dockersim("inspect", "-f", "{{.State.Pid}}", "web"))
    with open(f"/proc/{pid}/stat") as f:
        check("pause stops the command", f.read().rsplit(")", 1)[1].split()[0] in "Tt", True)
    dockersim("unpause", "web")

    dockersim("commit", "web", "webimg")
    check("commit keeps what was written at an absolute path", dockersim("run", "--rm", "webimg", "cat", "/etc/x"), "e\n")
    dockersim("stop", "-t", "1", "web")
    check("stop: SIGTERM reaches the command (not PID 1: 143)",
          dockersim("inspect", "-f", "{{.State.ExitCode}}", "web").strip(), "143")

    dockersim("export", "-o", f"{root}/web.tar", "web")
    with tarfile.open(f"{root}/web.tar") as tar:
        check("export holds the files written at absolute paths", {"etc/x"} <= set(tar.getnames()), True)

    context = f"{root}/ctx"
    os.makedirs(context)
    with open(f"{context}/Dockerfile", "w") as f:
        f.write("FROM busybox\nRUN echo built > /built.txt\nWORKDIR /app\nRUN pwd > where\n")
    dockersim("build", "-q", "-t", "built", context)
    check("build's RUN writes absolute paths", dockersim("run", "--rm", "built", "cat", "/built.txt", "/app/where"),
          "built\n/app\n")

    dockersim("run", "-d", "--name", "gone", "busybox", "sleep", "1000")
    dockersim("kill", "gone")
    check("kill: 137", dockersim("inspect", "-f", "{{.State.ExitCode}}", "gone").strip(), "137")

    sandbox = json.loads(dockersim("inspect", "gone"))[0]["Dockersim"]["Sandbox"]
    check("inspect says PRoot", "root: PRoot (ptrace)" in sandbox, True)
    dockersim("rm", "-f", "first", "web", "gone")
    left = [p for p in os.listdir("/proc") if p.isdigit() and _mentions(p, root)]
    check("nothing left running", left, [])
    print("all passed", flush=True)


def _mentions(pid: str, text: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return text.encode() in f.read()
    except OSError:
        return False


if __name__ == "__main__":
    main()

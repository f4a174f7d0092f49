"""The shim: one small process per running container, as containerd-shim is for Docker.

The CLI call that starts a container ends at once; the shim stays. It

1. enters new user, mount, pid, uts and ipc namespaces and mounts the container's overlay
   root there (the mount lives exactly as long as the shim: nothing can leak);
2. forks the container's command as PID 1 of the new pid namespace, with the container's
   root as its root;
3. keeps the container's output in ``container-log.json`` (Docker's json-file format) and
   relays it, and the learner's keystrokes, to whoever attaches over ``attach.sock``;
4. waits for PID 1 to end, then records the exit code and finish time atomically, so
   every later command, from any terminal, sees the container ``exited``.

Run as ``python -S -c <boot> <bundle> <ready-fd>``; it reports ``ok <pid>`` or ``err <json>``
on the ready pipe and then detaches from its caller.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import selectors
import signal
import socket
import struct
import sys
import termios
import time
from pathlib import Path

from . import linux
from .freezer import Freezer, freezer_for
from .launch import exec_command, exit_code
from .logs import LOG_NAME, read_entries
from .wire import FRAME_EXIT, FRAME_STDERR, FRAME_STDOUT, IN_CLOSE, IN_DATA, IN_HELLO, IN_RESIZE, frame, read_frames, socket_address

__all__ = ["enter_namespaces", "main", "mount_root", "now_rfc3339"]

ATTACH_GRACE = 10.0  # seconds to wait, after PID 1 ended, for an expected attach
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")
DEV_LINKS = {"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
             "stderr": "/proc/self/fd/2", "ptmx": "pts/ptmx"}


def now_rfc3339() -> str:
    """Docker's timestamp format: RFC 3339 in UTC with nanoseconds."""
    ns = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000)) + f".{ns % 1_000_000_000:09d}Z"


# --------------------------------------------------------------------------- namespaces
NS_FLAGS = linux.CLONE_NEWNS | linux.CLONE_NEWUTS | linux.CLONE_NEWIPC | linux.CLONE_NEWPID


def _loopback_up() -> None:
    """Bring up ``lo`` in a new network namespace, IPv4 only, as Docker's ``none`` network has it."""
    for knob in ("all", "default", "lo"):
        try:
            with open(f"/proc/sys/net/ipv6/conf/{knob}/disable_ipv6", "w") as f:
                f.write("1")
        except OSError:
            pass  # a kernel without IPv6: nothing to turn off
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1  # from <linux/sockios.h>, <net/if.h>


def enter_namespaces(network: str = "host") -> str:
    """Unshare everything (the network too, unless ``network`` is "host"); return which user
    namespace mapping was used."""
    flags = NS_FLAGS | (linux.CLONE_NEWNET if network == "none" else 0)
    userns = _unshare(flags)
    if flags & linux.CLONE_NEWNET:
        _loopback_up()
    return userns


def _unshare(flags: int) -> str:
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:
        # Root may map every id, but only from outside the new namespace: a helper does it.
        r, w = os.pipe()
        helper = os.fork()
        if helper == 0:
            os.close(w)
            os.read(r, 1)
            code = 0
            try:
                shim = os.getppid()
                Path(f"/proc/{shim}/uid_map").write_text("0 0 4294967295\n")
                Path(f"/proc/{shim}/gid_map").write_text("0 0 4294967295\n")
            except OSError:
                code = 1
            os._exit(code)
        os.close(r)
        try:
            linux.unshare(linux.CLONE_NEWUSER | flags)
            userns = "identity map (root)"
        except OSError:
            linux.unshare(flags)
            userns = "none: user namespaces unavailable, running as root"
        os.write(w, b"x")
        os.close(w)
        _, status = os.waitpid(helper, 0)
        if os.waitstatus_to_exitcode(status) != 0 and userns.startswith("identity"):
            raise OSError("could not write the user namespace id maps")
        return userns
    linux.unshare(linux.CLONE_NEWUSER | flags)
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"0 {uid} 1\n")
    Path("/proc/self/gid_map").write_text(f"0 {gid} 1\n")
    return f"uid {uid} mapped to root"


def mount_root(mounts: list[dict], rootfs: Path | str, in_user_namespace: bool) -> None:
    """Mount the container's root. In a user namespace overlayfs may not write its
    ``trusted.`` attributes, so it keeps them as ``user.`` ones (``userxattr``, Linux 5.11+,
    as rootless Docker does): otherwise removing a lower layer's directory fails with EIO.
    A kernel without the option refuses it (EINVAL) and gets the plain mount."""
    linux.mount(None, "/", None, linux.MS_REC | linux.MS_PRIVATE)
    for m in mounts:
        options = list(m["options"])
        if m["type"] == "overlay" and in_user_namespace:
            try:
                linux.mount(m["source"], str(rootfs), m["type"], 0, ",".join([*options, "userxattr"]))
                continue
            except OSError as e:
                if e.errno != errno.EINVAL:
                    raise
        linux.mount(m["source"], str(rootfs), m["type"], 0, ",".join(options))


def _setup_root(spec: dict, bundle: Path, rootfs: Path) -> None:
    """In PID 1, before exec: /proc, /dev, /sys, the etc files, then pivot into the root.

    PID 1 takes a mount namespace of its own first: ``pivot_root`` moves the root of every
    process in the namespace, and the shim must keep seeing the host's files.
    """
    linux.unshare(linux.CLONE_NEWNS)
    r = str(rootfs)
    linux.mount("proc", f"{r}/proc", "proc", linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC)
    linux.mount("tmpfs", f"{r}/dev", "tmpfs", linux.MS_NOSUID, "mode=755,size=65536k")
    for node in DEV_NODES:
        target = f"{r}/dev/{node}"
        open(target, "w").close()
        linux.mount(f"/dev/{node}", target, None, linux.MS_BIND)
    for name, link in DEV_LINKS.items():
        os.symlink(link, f"{r}/dev/{name}")
    for d in ("pts", "shm"):
        os.mkdir(f"{r}/dev/{d}")
    try:
        linux.mount("devpts", f"{r}/dev/pts", "devpts", linux.MS_NOSUID | linux.MS_NOEXEC,
                    "newinstance,ptmxmode=0666,mode=0620")
    except OSError:
        pass
    linux.mount("shm", f"{r}/dev/shm", "tmpfs", linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC, "mode=1777,size=65536k")
    linux.mount("/sys", f"{r}/sys", None, linux.MS_BIND | linux.MS_REC)
    for name in ("hostname", "hosts", "resolv.conf"):
        linux.mount(str(bundle / name), f"{r}/etc/{name}", None, linux.MS_BIND)
    os.chdir(r)
    linux.pivot_root(".", ".")
    linux.umount2(".", linux.MNT_DETACH)
    os.chdir("/")
    linux.sethostname(spec["hostname"])


_TIOCGPTN, _TIOCSPTLCK = 0x80045430, 0x40045431  # from <asm-generic/ioctls.h>


def open_console() -> tuple[int, int]:
    """A new pseudo-terminal from the container's own /dev/ptmx: (master, terminal)."""
    master = os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
    fcntl.ioctl(master, _TIOCSPTLCK, struct.pack("i", 0))  # unlockpt
    (number,) = struct.unpack("I", fcntl.ioctl(master, _TIOCGPTN, b"\0" * 4))
    terminal = os.open(f"/dev/pts/{number}", os.O_RDWR | os.O_NOCTTY)
    return master, terminal


# --------------------------------------------------------------------------- the shim
class Shim:
    def __init__(self, bundle: Path, ready_fd: int) -> None:
        self.bundle = bundle
        self.ready_fd = ready_fd
        self.spec = json.loads((bundle / "task.json").read_text())
        self.cid = self.spec["container_id"]
        self.freezer = freezer_for(self.cid)
        self.clients: dict[socket.socket, bytearray] = {}  # every connection, with its input buffer
        self.live: set[socket.socket] = set()  # those that said hello and get output
        self.sel = selectors.DefaultSelector()
        self.log = open(bundle / LOG_NAME, "ab", buffering=0)
        self.stdin_fd: int | None = None
        self.outputs: dict[int, int] = {}  # fd -> frame type
        # An attached `run`/`start -a` connects right after the start: keep the exit code for it.
        self.awaiting_attach = bool(self.spec.get("attached"))

    def report(self, message: str) -> None:
        """Tell whoever started us how the start went; if they are gone (a CLI killed while
        starting), the container carries on regardless."""
        if self.ready_fd >= 0:
            try:
                os.write(self.ready_fd, message.encode())
            except OSError:
                pass
            os.close(self.ready_fd)
            self.ready_fd = -1

    # -- start ---------------------------------------------------------------
    def start(self) -> int:
        spec = self.spec
        if not self.freezer.create():
            self.freezer = Freezer(self.cid)  # plain signals
        tty = spec["tty"]
        process_tier = spec.get("tier") == "process"
        child_fds: tuple[int, ...] = ()
        console_socket = tty and not process_tier
        if console_socket:
            # As runc does: PID 1 makes its terminal in the container's own devpts and sends
            # us the master end over this socket (the "console socket").
            console, console_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        elif tty:  # the process tier has no devpts of its own: a terminal of the host's
            self.master, terminal = os.openpty()
            child_fds = (terminal, terminal, terminal)
            self.outputs[self.master] = FRAME_STDOUT
            self.stdin_fd = self.master if spec["open_stdin"] else None
        else:
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            if spec["open_stdin"]:
                in_r, in_w = os.pipe()
                self.stdin_fd = in_w
            else:
                in_r = os.open(os.devnull, os.O_RDONLY)
            child_fds = (in_r, out_w, err_w)
            self.outputs[out_r] = FRAME_STDOUT
            self.outputs[err_r] = FRAME_STDERR

        rootfs = self.bundle / "rootfs"
        traced = process_tier and bool(spec.get("proot"))
        self.tracer = 0  # PRoot, the parent of the container's main process (process tier)
        self.root_form = ""
        if process_tier:
            self.userns = "none (process tier)"
            from .process import root_form

            self.root_form = root_form(str(self.bundle.parent.parent / "proot-probe"))
        else:
            self.userns = enter_namespaces(spec.get("network", "none"))
            mount_root(spec["mounts"], rootfs, in_user_namespace=not self.userns.startswith("none"))

        err_r2, err_w2 = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:  # PID 1 of the container
            try:
                os.close(err_r2)
                try:
                    self.freezer.join()  # before the command runs, so that `pause` freezes all it starts
                except OSError:
                    pass  # the shim sees it and pauses by signals instead
                os.setsid()
                for target, fd in enumerate(child_fds):
                    os.dup2(fd, target)
                if tty and process_tier:
                    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
                if process_tier:
                    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                    exec_command(spec["argv"], spec["env"], spec["cwd"], err_w2, root=str(rootfs), user=spec.get("user", ""),
                                 proot_bundle=str(self.bundle) if traced else "")
                _setup_root(spec, self.bundle, rootfs)
                if tty:
                    console.close()
                    master, terminal = open_console()
                    for target in (0, 1, 2):
                        os.dup2(terminal, target)
                    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
                    socket.send_fds(console_child, [b"m"], [master])
                    os.close(master)
                    console_child.close()
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                exec_command(spec["argv"], spec["env"], spec["cwd"], err_w2, user=spec.get("user", ""))
            except BaseException as e:  # noqa: BLE001 - report anything, never return
                try:
                    os.write(err_w2, json.dumps({"message": f"container init: {e}", "code": 127}).encode())
                finally:
                    os._exit(127)
        # the shim
        os.close(err_w2)
        for fd in set(child_fds):
            os.close(fd)
        if console_socket:
            console_child.close()
            _, fds, _, _ = socket.recv_fds(console, 16, 1)
            console.close()
            if fds:  # none if PID 1 failed first: the error pipe says why
                self.master = fds[0]
                self.outputs[self.master] = FRAME_STDOUT
                self.stdin_fd = self.master if spec["open_stdin"] else None
        failure = b""
        while chunk := os.read(err_r2, 4096):
            failure += chunk
        os.close(err_r2)
        if failure:
            os.waitpid(pid, 0)
            self.freezer.destroy()
            self.report(f"err {os.getpid()} " + failure.decode())
            sys.exit(0)
        if not self.freezer.holds(pid):  # PID 1 could not join its cgroup: pause by signals
            self.freezer.destroy()
            self.freezer = Freezer(self.cid)
        if traced:  # the container's main process is PRoot's child: it is the one signalled
            from .proot import tracee

            self.tracer = pid
            pid = tracee(pid) or pid
        self.pid = pid
        return pid

    # -- relay ---------------------------------------------------------------
    def write_log(self, kind: int, data: bytes) -> None:
        """Append output to the log as Docker's json-file does: one entry per line, and a
        line still unfinished (a shell prompt) as an entry of its own."""
        stream = "stdout" if kind == FRAME_STDOUT else "stderr"
        stamp = now_rfc3339()
        try:
            self.log.write(b"".join(
                json.dumps({"log": piece.decode("utf-8", "replace"), "stream": stream, "time": stamp}).encode() + b"\n"
                for piece in re.findall(rb"[^\n]*\n|[^\n]+", data)
            ))
        except OSError as err:  # a full disk: the line is lost to `logs`, as Docker's json-file loses it
            if err.errno != errno.ENOSPC:
                raise

    def on_output(self, fd: int) -> bool:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the pty's last holder closed it
            data = b""
        if not data:
            self.sel.unregister(fd)
            os.close(fd)
            del self.outputs[fd]
            return False
        kind = self.outputs[fd]
        self.write_log(kind, data)
        self.broadcast(frame(kind, data))
        return True

    def broadcast(self, data: bytes) -> None:
        for client in list(self.live):
            try:
                client.sendall(data)
            except OSError:
                self.drop(client)

    def drop(self, client: socket.socket) -> None:
        self.clients.pop(client, None)
        self.live.discard(client)
        try:
            self.sel.unregister(client)
        except (KeyError, ValueError):
            pass
        client.close()

    def on_accept(self, server: socket.socket) -> None:
        client, _ = server.accept()
        client.setblocking(True)
        self.clients[client] = bytearray()  # live only after its IN_HELLO (see on_hello)
        self.sel.register(client, selectors.EVENT_READ, "client")

    def on_hello(self, client: socket.socket, offset: int) -> None:
        """Send the log from ``offset`` to the end as frames, then make the client live."""
        for entry in read_entries(self.bundle, offset, self.log.tell()):
            kind = FRAME_STDOUT if entry["stream"] == "stdout" else FRAME_STDERR
            client.sendall(frame(kind, entry["log"].encode()))
        self.live.add(client)
        self.awaiting_attach = False

    def on_client(self, client: socket.socket) -> None:
        try:
            data = client.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.drop(client)
            return
        buf = self.clients[client]
        buf += data
        for kind, payload in read_frames(buf):
            if kind == IN_HELLO:
                self.on_hello(client, int(payload))
            elif kind == IN_DATA and self.stdin_fd is not None:
                try:
                    os.write(self.stdin_fd, payload)
                except OSError:
                    pass
            elif kind == IN_CLOSE and self.stdin_fd is not None and not self.spec["tty"]:
                os.close(self.stdin_fd)
                self.stdin_fd = None
            elif kind == IN_RESIZE and self.spec["tty"]:
                rows, cols = struct.unpack("!HH", payload)
                fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def serve(self) -> int:
        sock_path = self.bundle / "attach.sock"
        sock_path.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with socket_address(self.bundle) as address:
            server.bind(address)
        server.listen(8)
        self.sel.register(server, selectors.EVENT_READ, "accept")
        for fd in self.outputs:
            os.set_blocking(fd, False)
            self.sel.register(fd, selectors.EVENT_READ, "output")
        try:
            pidfd = os.pidfd_open(self.pid)
        except ProcessLookupError:  # a traced command already gone: its PRoot is ending
            pidfd = os.pidfd_open(self.tracer)
        self.sel.register(pidfd, selectors.EVENT_READ, "exit")
        self.store().record_start(self.cid, self.pid, now_rfc3339(), os.getpid(), self.freezer.mechanism, self.userns,
                                  root=self.root_form)
        self.report(f"ok {self.pid}")
        if self.spec.get("attacher"):
            # whoever will attach: if it dies first, nobody is coming for the exit code
            try:
                attacher = os.pidfd_open(self.spec["attacher"])
                self.sel.register(attacher, selectors.EVENT_READ, "attacher")
            except OSError:
                self.awaiting_attach = False
        status = None
        recorded = False
        deadline = None
        while status is None or self.outputs or (self.awaiting_attach and time.monotonic() < deadline):
            if status is not None and not self.outputs and not recorded:
                # PID 1 has ended and its output is all in the log: from now on every
                # command sees the container exited, even while an attach is still coming
                self.store().record_exit(self.cid, status, now_rfc3339())
                recorded = True
            timeout = None if status is None else (0.5 if self.outputs else max(0.0, deadline - time.monotonic()))
            events = self.sel.select(timeout)
            if not events and status is not None and not self.awaiting_attach:
                break  # PID 1 is gone and the outputs went quiet: the rest died with it
            for key, _ in events:
                if key.data == "accept":
                    self.on_accept(server)
                elif key.data == "output":
                    self.on_output(key.fd)
                elif key.data == "client":
                    self.on_client(key.fileobj)
                elif key.data == "attacher":
                    self.sel.unregister(key.fd)
                    os.close(key.fd)
                    self.awaiting_attach = False
                elif key.data == "exit" and status is None:
                    status = self.reap(pidfd)
                    deadline = time.monotonic() + ATTACH_GRACE
                    self.sel.unregister(pidfd)
                    os.close(pidfd)
        if not recorded:
            self.store().record_exit(self.cid, status if status is not None else 0, now_rfc3339())
        server.close()
        sock_path.unlink(missing_ok=True)
        return status if status is not None else 0

    def reap(self, pidfd: int) -> int:
        """The main process has ended: its exit code; on the process tier, end the rest of
        the container (a pid namespace would take them with it). Under PRoot the command is
        not our child: its status comes from its pidfd, or else from PRoot, which ends by
        itself once its other tracees are gone (see proot.py)."""
        if not self.tracer:
            _, raw = os.waitpid(self.pid, 0)
            if self.spec.get("tier") == "process":
                from .process import end_all

                end_all(self.cid)
            return exit_code(raw)
        from .process import end_all
        from .proot import command_status

        own = command_status(pidfd) if self.pid != self.tracer else None
        end_all(self.cid)
        _, raw = os.waitpid(self.tracer, 0)
        return exit_code(own if own is not None else raw)

    def store(self):
        from ..store import Store

        return Store(self.bundle.parent.parent)

    def finish(self, code: int) -> None:
        """The exit code to whoever is attached; then, with --rm, the container goes."""
        self.broadcast(frame(FRAME_EXIT, str(code).encode()))
        for client in list(self.clients):
            self.drop(client)
        if self.spec.get("auto_remove"):
            self.store().remove_container(self.cid)
        self.freezer.destroy()


def main(args: list[str]) -> None:
    bundle, ready_fd = Path(args[0]), int(args[1])
    os.set_inheritable(ready_fd, False)  # the container's processes must not hold it open
    shim = Shim(bundle, ready_fd)
    try:
        shim.start()
    except Exception as e:  # noqa: BLE001 - the caller must hear why
        shim.report(f"err {os.getpid()} " + json.dumps({"message": f"shim: {e}", "code": 125}))
        sys.exit(1)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = shim.serve()
    shim.finish(code)

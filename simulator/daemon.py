"""The data root's daemon: a long-lived process with the engine loaded, one worker per command.

The client (``client.py``) connects to ``<root>/dockersim.sock`` and hands over its command
line with its standard streams. The daemon forks a worker for it: the fork already has the
parser, the engine, the sandbox and the renderer imported, so a command starts where a
fresh ``dockersim`` would still be importing. The worker takes the client's streams,
environment, working folder and umask, carries out the command exactly as the CLI does in
its own process (``cli.dispatch``), tells the client its exit code and exits with it (a
worker killed by a signal has its wait status told by the daemon instead).

Each command still gets a process of its own, so everything that keeps two terminals apart
(the store's lock, atomic renames) keeps two workers apart too; a worker's crash is one
command's crash. The daemon holds no state but its imports.

It goes away by itself: after ``IDLE_SECONDS`` without a command, once its socket or data
root is removed, or when the code it imported has changed on disk (it then answers the
next client "run it yourself" and leaves; that client starts a fresh daemon). A client of
another interpreter or another copy of dockersim is told to run its command itself.
``dockersim daemon start|stop`` starts and stops it; ``client.start_daemon`` is how the
first command on a data root starts one, in the background.
"""

from __future__ import annotations

import os
import sys

from .locations import SOCKET_NAME, daemon_off, daemon_socket, loading_file, pid_file, short_address

__all__ = ["IDLE_SECONDS", "await_loaded", "describe", "main", "running", "serve", "stop", "take_lock", "write_pid"]

IDLE_SECONDS = 15 * 60
CHECK_SECONDS = 5.0  # how often an idle daemon looks whether its root is still there
NOT_PRELOADED = ("simulator.__main__", "simulator.daemon", "simulator.client", "simulator.notebook",
                 "simulator.serve", "simulator.docs", "simulator.tour", "simulator.cli.shell")

serving: int | None = None  # in a worker: the daemon's pid (for `info`)


def preload() -> None:
    """Import every module a docker command or its figure may need, then freeze them out
    of the garbage collector (see ``cli._import_for_good``)."""
    import gc
    import importlib
    import pkgutil

    import simulator

    gc.disable()
    try:
        for module in pkgutil.walk_packages(simulator.__path__, "simulator."):
            if module.name not in NOT_PRELOADED:
                try:
                    importlib.import_module(module.name)
                except Exception:  # noqa: BLE001 - an optional part (no graphviz, say): a worker imports it
                    pass
        for name in ("graphviz", "transitions", "tarfile", "shlex"):
            try:
                importlib.import_module(name)
            except ImportError:
                pass
    finally:
        gc.freeze()
        gc.enable()


def _loaded_files() -> list[str]:
    """The files of the dockersim modules this process has imported."""
    here = os.path.dirname(os.path.abspath(__file__))
    return sorted({m.__file__ for m in list(sys.modules.values())
                   if getattr(m, "__file__", None) and m.__file__.startswith(here)})


def _fingerprint(files: list[str]) -> tuple:
    """``files`` with their sizes and times: when one changes, this daemon runs old code
    and must give way."""
    stamps = []
    for name in files:
        try:
            st = os.stat(name)
            stamps.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((name, -1, -1))
    return tuple(stamps)


def take_lock(path: str) -> int | None:
    """Take the lock file ``path`` (the pid file, the loading file): its descriptor (the lock
    lives as long as the file is open in some process, across fork and exec), or None where
    another daemon has it."""
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def await_loaded(root: str) -> None:
    """Return once no daemon of ``root`` is loading: it serves, or it has died."""
    import fcntl

    try:
        fd = os.open(loading_file(root), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def write_pid(lock: int, pid: int) -> None:
    """Say in the locked pid file which process the daemon is."""
    os.ftruncate(lock, 0)
    os.pwrite(lock, f"{pid}\n".encode(), 0)


def running(root: str) -> int | None:
    """The pid of ``root``'s daemon, or None where none is serving."""
    import fcntl

    try:
        fd = os.open(pid_file(root), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: a daemon lives
            text = os.read(fd, 32).decode(errors="replace").strip()
            return int(text) if text.isdigit() else None
        return None
    finally:
        os.close(fd)


def describe(root: str) -> str:
    """One line for ``info``: who carries out commands on ``root``."""
    if serving is not None:
        return f"pid {serving}, on {daemon_socket(root)} (this command ran in a worker it forked)"
    if daemon_off():
        return "not used (DOCKERSIM_DAEMON=off): each command runs in its own process"
    pid = running(root)
    if pid:
        return f"pid {pid}, on {daemon_socket(root)} (this command ran in its own process)"
    return "none yet: this command ran in its own process; the next one starts the daemon"


def stop(root: str, grace: float = 30.0) -> int | None:
    """Stop ``root``'s daemon and wait until it has gone; its pid, or None if none ran.

    SIGTERM: it takes no more commands, lets those under way finish, and leaves. One that
    is still there after ``grace`` seconds gets SIGKILL (its workers go on to their end)."""
    import select
    import signal

    pid = running(root)
    if pid is None:
        return None
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return pid
    try:
        signal.pidfd_send_signal(pidfd, signal.SIGTERM)
        if not select.select([pidfd], [], [], grace)[0]:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            select.select([pidfd], [], [])
    finally:
        os.close(pidfd)
    return pid


def serve(root: str, lock: int = -1, loading: int = -1) -> int:
    """Serve ``root`` until idle, removed, outdated or stopped. Returns an exit code.

    ``lock`` and ``loading``: the pid file and the loading file, locked for this process
    already by whoever started it (``client.start_daemon``), so that ``stop`` finds a
    daemon still loading and ``await_loaded`` can wait for it. Loading ends, and its lock
    goes, once commands are taken (or the process dies)."""
    import signal
    import socket

    if lock < 0:
        os.makedirs(root, exist_ok=True)
        lock = take_lock(pid_file(root))
        if lock is None:
            return 0  # another daemon serves this root already
        write_pid(lock, os.getpid())
        taken = take_lock(loading_file(root))
        loading = -1 if taken is None else taken
    os.set_inheritable(lock, False)
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:  # Linux before 5.3: no way to await a worker among connections
        return 1
    preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    address, dirfd = short_address(root, SOCKET_NAME)  # the descriptor stays open: see _still_ours
    try:
        os.unlink(address)
    except FileNotFoundError:
        pass
    umask = os.umask(0o177)  # the socket is this user's alone
    try:
        listener.bind(address)
    finally:
        os.umask(umask)
    listener.listen(64)
    inode = os.stat(address).st_ino
    if loading >= 0:
        os.close(loading)  # loaded: whoever awaits it goes on

    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)  # SIGTERM wakes the loop, which then stops taking commands
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        _loop(listener, (lock, dirfd, wake_read, wake_write), address, inode)
    finally:
        listener.close()
        if _still_ours(address, inode):  # not a newer daemon's
            try:
                os.unlink(address)
            except OSError:
                pass
        os.close(dirfd)
    return 0


def _loop(listener, private: tuple[int, ...], address: str, inode: int) -> None:
    """Take commands until told to stop, then wait for the workers under way.

    ``private``: the daemon's own descriptors (pid file, root, SIGTERM's wake-up pipe),
    which no worker may keep open. SIGTERM stops the taking, not the workers: a command
    under way finishes and its client gets its answer.

    A client that goes away before its answer (killed, its terminal closed) hangs up its
    worker with SIGHUP, as a terminal's hangup ends a command run in process: an attached
    ``run -it`` must not go on reading the keys of the shell that got its terminal back.
    A worker that has answered ignores it, and draws its figure.
    """
    import select
    import selectors
    import signal
    import time

    wake = private[2]
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "listener")
    sel.register(wake, selectors.EVENT_READ, "signal")
    hangups = select.epoll()  # the clients' connections, for their peer's hangup (EPOLLRDHUP)
    sel.register(hangups.fileno(), selectors.EVENT_READ, "hangup")
    private = (*private, hangups.fileno())
    workers: dict[int, tuple[int, object]] = {}  # pidfd -> (pid, connection)
    files = _loaded_files()
    fingerprint = _fingerprint(files)
    idle_since = time.monotonic()
    accepting = True

    def stop_accepting() -> None:
        nonlocal accepting
        if accepting:
            accepting = False
            sel.unregister(listener)
            listener.close()

    while accepting or workers:
        events = sel.select(CHECK_SECONDS)
        for key, _ in events:
            if key.data == "signal":
                while os.read(wake, 64) == 64:
                    pass
                stop_accepting()
            elif key.data == "listener" and accepting:
                try:
                    conn, _ = listener.accept()
                except OSError:  # out of descriptors, say: that client runs its command itself
                    continue
                if not _same_user(conn):
                    conn.close()
                elif _fingerprint(files) != fingerprint:
                    stop_accepting()
                    _send(conn, b"R\n")
                    conn.close()
                else:
                    try:
                        pid = _fork_worker(conn, private, listener, sel, workers)
                    except OSError:  # no process to be had: a client without "P" runs it itself
                        conn.close()
                        continue
                    pidfd = os.pidfd_open(pid)
                    workers[pidfd] = (pid, conn)
                    sel.register(pidfd, selectors.EVENT_READ, pid)
                    hangups.register(conn, select.EPOLLRDHUP)
                    _send(conn, b"P%d\n" % pid)
            elif key.data == "hangup":
                for fd, _ in hangups.poll(0):
                    hangups.unregister(fd)
                    for pidfd, (_, conn) in workers.items():
                        if conn.fileno() == fd:
                            try:
                                signal.pidfd_send_signal(pidfd, signal.SIGHUP)
                            except ProcessLookupError:  # it has ended meanwhile
                                pass
            elif isinstance(key.data, int):
                pid, conn = workers.pop(key.fd)
                sel.unregister(key.fd)
                try:
                    hangups.unregister(conn)
                except FileNotFoundError:  # its client hung up already
                    pass
                os.close(key.fd)
                _, status = os.waitpid(pid, 0)
                _send(conn, b"S%d\n" % status)  # unless the worker has said it already
                conn.close()
                idle_since = time.monotonic()
        if accepting and not workers and not events:
            if time.monotonic() - idle_since > IDLE_SECONDS or not _still_ours(address, inode):
                stop_accepting()
    sel.close()
    hangups.close()


def _send(conn, message: bytes) -> None:
    """Send to a client that may have left already: a quick worker's client leaves once
    it has the worker's answer; a killed client leaves at once. The command still ran."""
    try:
        conn.sendall(message)
    except OSError:
        pass


def _same_user(conn) -> bool:
    import socket
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _still_ours(address: str, inode: int) -> bool:
    try:
        return os.stat(address).st_ino == inode
    except OSError:
        return False


def _fork_worker(conn, private: tuple[int, ...], listener, sel, workers: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    import signal

    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sel.close()
        listener.close()
        for fd in (*private, *workers):
            os.close(fd)
        for _, other in workers.values():
            other.close()
        code = _work(conn)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:  # as an uncaught Ctrl-C ends a one-process dockersim
        _flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:  # noqa: BLE001 - reported as Python reports it, then exit 1
        import traceback

        traceback.print_exc()
    finally:
        _flush()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # answered: the client may leave now
        _answer(conn, code)
        _after_answer()
        os._exit(code)


def _after_answer() -> None:
    """Draw the step's figure, if the command left one to draw, now that the client has its
    answer: let go of the client's streams first (a ``$(dockersim ps)`` waits for their
    end), and yield to the learner's next command."""
    from .cli import figures

    if figures.after_answer:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.nice(10)
        for work in figures.after_answer:
            try:
                work()
            except Exception:  # noqa: BLE001 - a figure is a by-product; write_step_figure says so when in the way
                pass


def _answer(conn, code: int) -> None:
    """Tell the client our exit status ourselves, output flushed: tearing down a forked
    address space and the daemon's noticing it would add a few ms to every command. Should
    the worker die before this (a signal), the daemon tells instead."""
    _send(conn, b"S%d\n" % ((code & 0xFF) << 8))


def _work(conn) -> int:
    """Become the client's command: its streams, environment, folder and umask; then run it."""
    import marshal

    global serving
    serving = os.getppid()
    size = int.from_bytes(_receive(conn, 4, fds := []), "big")
    request = _receive(conn, size, fds)
    argv, environ, cwd, umask, encodings, executable, package = marshal.loads(request)
    if (executable, package) != (sys.executable, os.path.dirname(os.path.abspath(__file__))):
        # another interpreter or another copy of dockersim: its own code must carry it out
        _send(conn, b"R\n")
        os._exit(0)
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    _streams(encodings)
    os.environ.clear()
    os.environ.update(environ)
    os.umask(umask)
    os.chdir(cwd)
    sys.argv = ["dockersim", *argv]
    from .cli import dispatch, figures

    figures.after_answer = []

    return dispatch(list(argv))


def _receive(conn, size: int, fds: list[int]) -> bytes:
    """``size`` bytes from ``conn``, collecting any descriptors sent along into ``fds``."""
    import socket

    data = b""
    while len(data) < size:
        chunk, ancillary, _flags, _ = conn.recvmsg(size - len(data), socket.CMSG_SPACE(3 * 4))
        if not chunk:
            raise EOFError("the client left before its command was sent")
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += [int.from_bytes(payload[i:i + 4], sys.byteorder) for i in range(0, len(payload) - 3, 4)]
        data += chunk
    return data


def _streams(encodings: list) -> None:
    """``sys.stdin``/``stdout``/``stderr`` over the client's descriptors, with the client's
    encodings and, as Python chooses at start, line buffering on a terminal."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        setting = encodings[fd]
        if setting is None:
            setattr(sys, name, None)
            continue
        encoding, errors = setting
        line = fd == 2 or os.isatty(fd)
        setattr(sys, name, open(fd, mode, encoding=encoding, errors=errors, closefd=False))
        if line and mode == "w":
            getattr(sys, name).reconfigure(line_buffering=True)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    """``python -m simulator.daemon ROOT [LOCK_FD LOADING_FD]``: serve ROOT in the
    foreground (the descriptors: see ``serve``; ``client.start_daemon`` passes them)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 3) or not all(a.isdigit() for a in args[1:]):
        sys.stderr.write("usage: python -m simulator.daemon DATA_ROOT [LOCK_FD LOADING_FD]\n")
        return 2
    root = os.path.realpath(args[0])
    try:
        return serve(root, *(int(a) for a in args[1:]))
    except OSError as err:  # its folder, pid file or socket: the data root is not to be used
        from .store.oserrors import unusable

        sys.stderr.write(f"{unusable(err, root)}\n")
        return 1


if __name__ == "__main__":  # run as simulator.daemon, so that workers and `info` share one module
    from simulator.daemon import main as _main

    raise SystemExit(_main())

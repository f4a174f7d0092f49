"""The thin ``dockersim`` client: hand the command line to the data root's daemon.

Docker splits its command line in two: a small ``docker`` client and a long-lived
``dockerd`` that has everything loaded. dockersim does the same, for the same reason: a
fresh interpreter that imports the engine, the sandbox and the parser spends more time on
imports than on most commands. The client imports only ``locations`` and modules built
into the interpreter (``_socket``, ``_signal``, ``marshal``), connects to
``<root>/dockersim.sock`` and sends its arguments, environment, working folder and umask,
and its standard input, output and error themselves (``SCM_RIGHTS``). The daemon forks a worker that becomes this command:
it writes to our terminal or pipe directly, so output, ``-it`` and ``load < file`` work as
in one process. The client forwards the signals it gets (Ctrl-C, a resized terminal) to
the worker, and ends with the worker's exit status.

Where no daemon answers, the command runs in this process as before and a daemon is
started in the background for the next one (``DOCKERSIM_DAEMON=off``: never).

The wire, one connection per command::

    client -> daemon   4-byte length, marshal((argv, environ, cwd, umask, encodings,
                       executable, package folder)), with fds 0, 1, 2 attached
    daemon -> client   b"P<worker pid>\\n" once it has forked the worker,
                       b"S<wait status>\\n" from the worker as it ends (or from the
                       daemon, if a signal ended it first), possibly before the "P";
                       b"R\\n" instead: run it yourself (the daemon is out of date, or
                       runs another interpreter or another copy of dockersim)
"""

from __future__ import annotations

import os
import sys

from .locations import SOCKET_NAME, daemon_off, short_address

__all__ = ["available", "serve", "start_daemon"]


def available() -> bool:
    """Whether commands may go to a daemon: on Linux (the daemon needs its ``/proc`` and
    its process descriptors), unless ``DOCKERSIM_DAEMON=off``."""
    return sys.platform == "linux" and not daemon_off()


def serve(argv: list[str], root: str) -> int | None:
    """Carry out ``argv`` in the daemon of ``root``; its exit code, or None where no
    daemon took it (then nothing has run, and the caller runs it in process)."""
    import _socket
    import marshal

    try:
        path, dirfd = short_address(root, SOCKET_NAME)
    except OSError:
        return None
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
        finally:
            os.close(dirfd)
        umask = os.umask(0o22)
        os.umask(umask)
        streams = (sys.stdin, sys.stdout, sys.stderr)
        encodings = [(s.encoding, s.errors) if s is not None else None for s in streams]
        package = os.path.dirname(os.path.abspath(__file__))
        request = marshal.dumps((list(argv), dict(os.environ), os.getcwd(), umask, encodings, sys.executable, package))
        fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))
        sock.sendmsg([len(request).to_bytes(4, "big") + request],
                     [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
    except OSError:  # no daemon, a stale socket, a closed descriptor, a deleted cwd
        sock.close()
        return None
    return _await(sock)


def _await(sock) -> int | None:
    """Read the worker's pid, forward signals to it until its status arrives."""
    import _signal

    worker: list[int] = []
    pending: list[int] = []

    def forward(signum: int, frame: object) -> None:
        if not worker:
            pending.append(signum)
            return
        try:
            os.kill(worker[0], signum)
        except ProcessLookupError:
            pass

    # What a terminal or a caller sends the command goes on to its worker. Not SIGTSTP:
    # Ctrl-Z stops the client, as it stops `docker`, while the daemon goes on.
    for signum in (_signal.SIGHUP, _signal.SIGINT, _signal.SIGQUIT, _signal.SIGUSR1, _signal.SIGUSR2,
                   _signal.SIGTERM, _signal.SIGWINCH):
        _signal.signal(signum, forward)
    answer = b""
    try:
        while True:
            try:
                data = sock.recv(64)
            except ConnectionResetError:
                data = b""
            if not data:
                break
            answer += data
            lines = answer.split(b"\n")
            for line in lines[:-1]:
                if line == b"R":
                    return None
                if line.startswith(b"P") and not worker:
                    worker.append(int(line[1:]))
                    for signum in pending:
                        forward(signum, None)
                elif line.startswith(b"S"):
                    return _exit_code(int(line[1:]))
            answer = lines[-1]
    finally:
        sock.close()
    if not worker:
        return None  # turned away before anything ran (another user's daemon, say)
    sys.stderr.write("dockersim: the daemon ended before this command did; see `dockersim info`\n")
    return 125


def _exit_code(status: int) -> int:
    """The worker's wait status as our own: a worker killed by a signal kills us with it,
    so a shell sees what it would have seen without the daemon."""
    import _signal

    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        _signal.signal(-code, _signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def start_daemon(root: str) -> bool:
    """Start ``root``'s daemon in the background, detached from this process and its
    terminal; it serves from a next command on. Returns once the daemon holds the pid file
    and the loading file (``daemon.await_loaded``), not when it serves. Whether this call
    started one (False: one was there already, or ``root`` does not exist yet)."""
    if not os.path.isdir(root):  # nothing to serve yet: the next command starts one
        return False
    pid = os.fork()
    if pid:
        _, status = os.waitpid(pid, 0)
        return status == 0
    try:
        os.setsid()
        from .daemon import take_lock, write_pid  # here: the command's own process stays light
        from .locations import loading_file, pid_file

        lock = take_lock(pid_file(root))
        if lock is None:
            os._exit(1)  # another one serves or is starting
        loading = take_lock(loading_file(root))
        daemon = os.fork()
        if daemon:
            write_pid(lock, daemon)
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        log = os.open(os.path.join(root, "daemon.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for target, fd in ((0, devnull), (1, devnull), (2, log)):  # why it stopped, should it fail
            os.dup2(fd, target)
        keep = sorted((lock, loading))
        for fd in keep:
            os.set_inheritable(fd, True)
        os.closerange(3, keep[0])  # a caller's pipe left open here would never see its end
        os.closerange(keep[0] + 1, keep[1])
        os.closerange(keep[1] + 1, 1 << 16)
        os.chdir("/")  # not the caller's folder, which a test may remove
        os.execv(sys.executable, [sys.executable, "-m", "simulator.daemon", root, str(lock), str(loading)])
    finally:
        os._exit(127)

"""The engine: the one API every front end calls (the in-process "daemon").

Each public method mirrors a ``docker`` command and returns a ``Step``. The engine asks the
model whether a command is allowed (and which error Docker gives when it is not), carries
it out with the store and the sandbox, and takes a snapshot for the figure::

    engine = Engine()
    engine.run("busybox", ["echo", "hi"]).stdout     # 'hi\\n'
"""

from __future__ import annotations

import functools
import io
import os
import sys
import time
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    import random
    from pathlib import Path  # imported where paths are built: ps and inspect never need it
    from typing import Any, BinaryIO, Callable

    from .model.filters import ContainerFilters

from .model import errors
from .model.errors import AmbiguousReference, DaemonError, DockerError, ExecFailed, InvalidParameter, NoSuchContainer, NoSuchImage, for_run
from .model.names import generate_name, validate_name
from .model.objects import ZERO_TIME, ContainerConfig, ContainerRecord, parse_image_ref, parse_labels
from .model.imageconfig import (
    DOCKER_VERSION, apply_changes, built_config, committed_config, imported_config, parse_signal, process_env,
)
from .model.present import parse_time
from .step import ContainerView, ImageView, LayerView, ProcessView, Snapshot, Step
from .store import Store, process_alive

__all__ = ["Engine", "Output"]

BUSYBOX_CREATED = "2024-01-01T00:00:00Z"  # fixed, so the offline image id is reproducible


def _timestamp(ns: int) -> str:
    """Docker's timestamp format: RFC 3339 in UTC with nanoseconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + f".{ns % 10**9:09d}Z"


class SystemDraws:
    """The draws the engine makes (``getrandbits``, ``randrange``, ``choice``), straight from
    ``os.urandom`` as ``random.SystemRandom`` makes them, without importing ``random`` into
    every ``create``."""

    def getrandbits(self, k: int) -> int:
        return int.from_bytes(os.urandom((k + 7) // 8), "big") >> (-k % 8)

    def randrange(self, n: int) -> int:
        """Uniform in ``range(n)``: draw just enough bits, and draw again when too large."""
        while (r := self.getrandbits(n.bit_length())) >= n:
            pass
        return r

    def choice(self, items):
        return items[self.randrange(len(items))]


class Output:
    """Where a command's output goes: real streams (the CLI) or captured text (the API)."""

    def __init__(self, stdout: BinaryIO | None = None, stderr: BinaryIO | None = None, stdin: BinaryIO | None = None):
        self.capture = stdout is None
        self.stdout = stdout if stdout is not None else io.BytesIO()
        self.stderr = stderr if stderr is not None else io.BytesIO()
        self.stdin = stdin

    def out(self, text: str | bytes) -> None:
        self.stdout.write(text.encode() if isinstance(text, str) else text)
        self.stdout.flush()

    def err(self, text: str | bytes) -> None:
        self.stderr.write(text.encode() if isinstance(text, str) else text)
        self.stderr.flush()

    def text(self) -> tuple[str, str]:
        if not self.capture:
            return "", ""
        return (self.stdout.getvalue().decode(errors="replace"), self.stderr.getvalue().decode(errors="replace"))

    def real_fds(self) -> tuple[int, int, list[tuple[BinaryIO, BinaryIO]]]:
        """File descriptors a child process can write to; captured ones go via temp files."""
        pairs = []
        fds = []
        for stream in (self.stdout, self.stderr):
            try:
                stream.flush()
                fds.append(stream.fileno())
            except (AttributeError, io.UnsupportedOperation, OSError):
                import tempfile

                tmp = tempfile.TemporaryFile()
                pairs.append((tmp, stream))
                fds.append(tmp.fileno())
        return fds[0], fds[1], pairs

    @staticmethod
    def collect(pairs: list[tuple[BinaryIO, BinaryIO]]) -> None:
        for tmp, stream in pairs:
            tmp.seek(0)
            stream.write(tmp.read())
            tmp.close()


#: verb -> whether the command can change images or containers (queries cannot): a step's
#: figure needs the state before it only when it can.
CHANGES_STATE: dict[str, bool] = {}


def command(verb: str, *, changes_state: bool = True, also: tuple[str, ...] = ()) -> Callable:
    """Wrap an engine method: route output, turn Docker errors into exit codes, snapshot.
    ``also``: the other commands this method carries out (``image inspect``)."""
    for name in (verb, *also):
        CHANGES_STATE[name] = changes_state

    def wrap(method: Callable[..., int | None]) -> Callable[..., Step]:
        @functools.wraps(method)
        def run(self: "Engine", *args: Any, out: Output | None = None, text: str | None = None, **kwargs: Any) -> Step:
            out = out or Output()
            before = self.snapshot() if self.snapshots == "both" and changes_state else None
            try:
                try:
                    code = method(self, out, *args, **kwargs) or 0
                except OSError as err:  # the data root refused: a full disk, a read-only folder
                    raise self._explain(err) from None
            except DockerError as err:
                out.err(str(err) + "\n")
                code = err.exit_code
            stdout, stderr = out.text()
            step = Step(
                command=text or " ".join([verb, *(str(a) for a in args if not isinstance(a, (list, tuple)))]),
                exit_code=code, stdout=stdout, stderr=stderr, before=before, verb=verb,
            )
            if self.snapshots != "none":
                step.after = self.snapshot()
            return step

        run.verb = verb  # type: ignore[attr-defined]
        return run

    return wrap


class Engine:
    """dockersim's daemon, in process. One per data root; cheap to create."""

    def __init__(self, root: str | Path | None = None, *, seed: int | None = None, snapshots: str = "both",
                 clock: Callable[[], int] | None = None) -> None:
        """``seed`` makes ids and generated names reproducible, ``clock`` (nanoseconds since
        the epoch) the times written into records and image configs, hence image ids: with
        both, a scripted lesson makes the same ids every time. ``snapshots`` says which
        states a Step keeps for its figure: ``both``, ``after`` or ``none``."""
        self.store = Store(root)
        self.seed = seed
        self.snapshots = snapshots
        self.clock = clock or time.time_ns
        self._sandboxes: dict[str, tuple[Any, Any]] = {}

    @functools.cached_property
    def rng(self) -> "random.Random | SystemDraws":
        """Ids and generated names: seeded for reproducible lessons, else the system's."""
        if self.seed is None:
            return SystemDraws()
        import random

        return random.Random(self.seed)

    def _now(self) -> str:
        return _timestamp(self.clock())

    # The sandbox loads on first use: `ps` and `inspect` never need it.
    @functools.cached_property
    def tier(self) -> tuple[str, str]:
        """(tier, why): the sandbox tier new containers get (see sandbox/tiers.py)."""
        from .sandbox.tiers import choose

        return choose(os.path.join(self.store.location, "tier-probe"))

    def tier_label(self) -> str:
        """The tier as the figures name it, with the process tier's form: PRoot or not."""
        tier = self.tier[0]
        if tier != "process":
            return tier
        from .sandbox.proot import problem

        return "process (PRoot)" if not problem(self._proot_probe) else "process (no PRoot)"

    @property
    def _proot_probe(self) -> str:
        return os.path.join(self.store.location, "proot-probe")

    def _sandbox(self, tier: str):
        if tier not in self._sandboxes:
            from .sandbox.tiers import sandbox

            self._sandboxes[tier] = sandbox(tier, self.store.containers.root)
        return self._sandboxes[tier]

    def _snap(self, record: ContainerRecord):
        """The snapshotter that holds ``record``'s read-write layer."""
        return self._sandbox(record.runtime or "namespace")[0]

    def _rt(self, record: ContainerRecord):
        """The runtime that runs ``record``'s processes."""
        return self._sandbox(record.runtime or "namespace")[1]

    # ------------------------------------------------------------------ helpers
    def _explain(self, err: OSError) -> BaseException:
        """``err`` as the learner's error when it is the data root's doing, else itself."""
        from .store.oserrors import explain

        return explain(err, self.store.location) or err

    def _container(self, typed: str) -> ContainerRecord:
        return self._reconcile(self.store.containers.lookup(typed))

    def _reconcile(self, record: ContainerRecord) -> ContainerRecord:
        """A container whose shim is gone (killed, machine rebooted) is not running any more:
        end what is left of its processes, record Docker's "Exited (255)" for a lost state."""
        if record.status in ("running", "paused") and not process_alive(record.shim_pid, record.shim_start):
            with self.store.lock():
                fresh = self.store.containers.get(record.id)
                if fresh.status in ("running", "paused") and not process_alive(fresh.shim_pid, fresh.shim_start):
                    self._end_orphans(fresh)
                    fresh = fresh._replace(status="exited", pid=0, exit_code=255,
                                                finished_at=self._now(), error="the container's shim disappeared")
                    self.store.containers.save(fresh)
                return fresh
        return record

    def _end_orphans(self, record: ContainerRecord) -> None:
        import signal as signals

        runtime = self._rt(record)
        if process_alive(record.pid, record.pid_start):
            if record.status == "paused":
                runtime.resume(record.id, record.pid)
            if record.runtime == "process":
                from .sandbox.process import end_all

                end_all(record.id)
            else:  # PID 1 takes its pid namespace with it
                runtime.kill(record.pid, signals.SIGKILL)
        from .sandbox.freezer import freezer_for

        freezer_for(record.id).destroy()

    def _containers(self) -> list[ContainerRecord]:
        return [self._reconcile(r) for r in self.store.containers.all()]

    # Messages carry the wall clock's time, as the shim's do, never the engine's ``clock``:
    # a seeded lesson's clock advances per reading, and its ids must not depend on them.
    def _tell(self, action: str, record: ContainerRecord, **extra: str) -> None:
        """One container transition for ``docker events`` (start and die: the shim's)."""
        self.store.tell(action, record, **extra)

    def _tell_image(self, action: str, image_id: str, name: str = "", **attributes: str) -> None:
        """One image message for ``docker events``; ``attributes``: a ``prune``'s, no image."""
        from .model.events import image_event, message

        self.store.events.append(message("image", action, "", attributes, time.time_ns()) if attributes
                                 else image_event(action, image_id, time.time_ns(), name))

    @staticmethod
    def _allow(record: ContainerRecord, verb: str, typed: str = "") -> str:
        """The state ``verb`` takes ``record`` to, or Docker's refusal (see model/lifecycle.py);
        ``typed``: how the user named the container, for the message."""
        from .model.lifecycle import ContainerRef, next_state  # here: ps and inspect never ask

        return next_state(record.status, verb, ContainerRef(record.id, record.name, typed or record.name))

    def _image_config(self, image_id: str) -> dict[str, Any]:
        """An image's config; "" is ``scratch``, the empty image a build may start from."""
        if not image_id:
            return {"config": {}, "history": [], "os": "linux", "architecture": _arch(),
                    "rootfs": {"type": "layers", "diff_ids": []}}
        return self.store.images.config(image_id)

    def _layers(self, image_id: str) -> list[Path]:
        """An image's unpacked layers, bottom first."""
        from pathlib import Path  # here, not at the top: see the module's imports

        return [Path(d) for d in self._layer_locations(image_id)]

    def _layer_locations(self, image_id: str) -> list[str]:
        """``_layers`` as strings, for ``inspect``."""
        config = self._image_config(image_id)
        return [layer.diff_location for layer in self.store.layers.chain(config["rootfs"]["diff_ids"])]

    def _new_id(self) -> str:
        return "%064x" % self.rng.getrandbits(256)

    def _wait_stopped(self, record: ContainerRecord, timeout: float | None = None) -> ContainerRecord:
        """Wait until the shim has recorded the end of PID 1 (the shim exits right after)."""
        from .sandbox.namespaces import wait_for_exit

        if record.shim_pid and process_alive(record.shim_pid, record.shim_start):
            wait_for_exit(record.shim_pid, timeout)
        try:
            return self._reconcile(self.store.containers.get(record.id))
        except FileNotFoundError:
            return record._replace(status="removed")

    # ------------------------------------------------------------------ images
    def _ensure_image(self, out: Output, image: str) -> str:
        try:
            return self.store.images.resolve(image)
        except NoSuchImage:
            ref = parse_image_ref(image)
            out.err(f"Unable to find image '{ref}' locally\n")
            return self._pull(out, image, progress=out.err)  # run/create report the pull on stderr

    def _pull(self, out: Output, image: str, progress: Callable[[str], None] | None = None) -> str:
        from .model.events import message
        from .sandbox.registry import KNOWN, build_rootfs
        from .sandbox.tarcodec import tar_directory

        ref = parse_image_ref(image)
        if ref.repository == "scratch":
            raise errors.reserved_name()
        if ref.tag not in KNOWN.get(ref.repository, ()):
            raise errors.pull_denied(ref.repository)
        say = progress or out.out
        say(f"{ref.tag}: Pulling from library/{ref.repository}\n")
        with self.store.lock(), self.store.undo() as undo:
            existing = self.store.images.tags().get(str(ref))
            with self.store.layers.staged() as staged:
                try:
                    build_rootfs(staged / "diff")
                    with open(staged / "layer.tar", "wb") as f:
                        diff_id, size = tar_directory(staged / "diff", f)
                except OSError as err:
                    raise _layer_error(err, staged, pull=True) or self._explain(err) from None
                layer = undo.register(staged, diff_id, "", size)
            config = imported_config(diff_id, BUSYBOX_CREATED, _arch(), cmd=["sh"])
            image_id = undo.put(config)
            self.store.images.tag(ref, image_id)
        self.store.events.append(message("image", "pull", str(ref), {"name": ref.repository}, time.time_ns()))
        say(f"{layer.diff_id[7:19]}: Pull complete\n")
        say(f"Digest: {image_id}\n")
        if existing == image_id:
            say(f"Status: Image is up to date for {ref}\n")
        else:
            say(f"Status: Downloaded newer image for {ref}\n")
        if progress is None:
            say(f"docker.io/library/{ref}\n")
        return image_id

    @command("pull")
    def pull(self, out: Output, image: str) -> int:
        if ":" not in image.rsplit("/", 1)[-1]:
            out.out("Using default tag: latest\n")
        self._pull(out, image)
        return 0

    # ------------------------------------------------------------------ create
    def _create(self, out: Output, image: str, cmd: list[str] | None, *, name: str | None = None,
                env: list[str] = (), workdir: str | None = None, entrypoint: str | None = None,
                stop_timeout: int | None = None, interactive: bool = False, tty: bool = False,
                auto_remove: bool = False, user: str | None = None, publish: list[str] = (),
                network: str | None = None, labels: list[str] = (), verb: str = "create") -> ContainerRecord:
        from .model.network import parse_publish

        exposed, bindings = parse_publish(list(publish), verb)  # the CLI's check: before the daemon's
        image_id = self._ensure_image(out, image) if image else ""  # "": scratch, inside a build
        if name is not None:  # after the image: Docker pulls a missing one first
            name = validate_name(name)
        mode = network or "none"  # an unknown network is Docker's start's to refuse
        iconf = self._image_config(image_id).get("config") or {}
        entry = iconf.get("Entrypoint") if entrypoint is None else ([entrypoint] if entrypoint else None)
        if cmd:
            command_line = list(cmd)
        elif entrypoint is not None:
            command_line = []  # --entrypoint resets the image's CMD, as Docker does
        else:
            command_line = list(iconf.get("Cmd") or [])
        if not entry and not command_line:
            raise errors.no_command()
        config = ContainerConfig(
            image=image,
            cmd=command_line or None,
            entrypoint=entry,
            env=[*(iconf.get("Env") or []), *_expand_env(env)],
            working_dir=workdir if workdir is not None else iconf.get("WorkingDir", ""),
            tty=tty,
            open_stdin=interactive,
            stop_timeout=stop_timeout,
            stop_signal=iconf.get("StopSignal", "") or "",
            auto_remove=auto_remove,
            user=iconf.get("User", "") or "" if user is None else user,
            network_mode=mode,
            exposed_ports=dict(sorted({**(iconf.get("ExposedPorts") or {}), **exposed}.items())),
            port_bindings=dict(sorted(bindings.items())),
            labels=dict(sorted({**(iconf.get("Labels") or {}), **parse_labels(list(labels))}.items())),
        )
        cid = self._new_id()
        tier = self.tier[0]
        snapshotter = self._sandbox(tier)[0]
        containers = self.store.containers
        with self.store.lock():
            containers.collect_garbage()
            if name:
                containers.ensure_name_free(name)  # before anything is made
            record = ContainerRecord(
                id=cid,
                name=name or generate_name(self.rng, {r.name for r in containers.all()}),
                created=self._now(),
                image_id=image_id,
                config=config._replace(hostname=cid[:12]),
                runtime=tier,
            )
            # assembled aside, then made to appear in one rename: a crash leaves no half container
            staging = containers.staging_key(cid)
            layers = self._layers(image_id)
            try:
                snapshotter.prepare(staging, layers)
                _write_etc_files(containers.root / staging, cid[:12])
                if config.working_dir:
                    _make_workdir(snapshotter.upper(staging), layers, config.working_dir)
                containers.add(record)
                self._tell("create", record)
            except BaseException as err:
                containers.collect_garbage()
                if isinstance(err, OSError):  # here, so that `run` words it as its own failure
                    raise self._explain(err) from None
                raise
        return record

    @command("create")
    def create(self, out: Output, image: str, cmd: list[str] | None = None, **options: Any) -> int:
        record = self._create(out, image, cmd, **options)
        out.out(record.id + "\n")
        return 0

    # ------------------------------------------------------------------ start
    def _start(self, record: ContainerRecord, attached: bool = False) -> ContainerRecord:
        """Start the container's task, once: two terminals starting it at the same moment
        get one process (a lock per container, held while its shim starts)."""
        from .store import StoreLock

        bundle = self.store.containers.dir(record.id)
        with StoreLock(bundle / "start.lock")():
            return self._start_locked(self._reconcile(self.store.containers.get(record.id)), attached)

    def _start_locked(self, record: ContainerRecord, attached: bool) -> ContainerRecord:
        from .model.network import network_mode
        from .sandbox.interfaces import TaskSpec

        state = self._allow(record, "start")
        if state == record.status:  # already running: nothing to do
            return record
        bundle = self.store.containers.dir(record.id)
        cfg = record.config
        try:
            network_mode(cfg.network_mode)  # Docker looks the network up when it starts
        except DaemonError as err:
            with self.store.lock():
                self.store.containers.update(record.id, error=err.detail)
                if cfg.auto_remove:
                    self._remove(record.id)
            raise
        argv = cfg.argv()
        spec = TaskSpec(
            container_id=record.id,
            bundle=bundle,
            argv=argv,
            env=process_env(cfg),
            cwd=cfg.working_dir or "/",
            hostname=cfg.hostname,
            tty=cfg.tty,
            open_stdin=cfg.open_stdin,
            mounts=self._snap(record).mounts(record.id, self._layers(record.image_id)),
            auto_remove=cfg.auto_remove,
            attached=attached,
            attacher=os.getpid() if attached else 0,
            user=cfg.user,
            network=cfg.network_mode,
        )
        try:
            self._rt(record).start(spec)
        except ExecFailed as err:
            refused = isinstance(err, errors.ExecRefused)  # by the daemon itself: its words, bare
            failure = DaemonError(err.detail) if refused else errors.task_create_failed(err.detail, err.exit_code)
            with self.store.lock():
                self.store.containers.update(record.id, exit_code=err.exit_code, error=failure.detail)
                if cfg.auto_remove:
                    self._remove(record.id)
            raise failure from None
        return self.store.containers.get(record.id)

    @command("start")
    def start(self, out: Output, *containers: str, attach: bool = False, interactive: bool = False,
              detach_keys: str | None = None) -> int:
        from .model.detachkeys import parse_detach_keys
        from .sandbox.logs import log_size

        if attach or interactive:
            if len(containers) > 1:
                raise errors.attach_several()
            record = self._container(containers[0])
            if record.status == "paused":  # what Docker's CLI prints when the attach is refused
                raise errors.attach_paused()
            keys = parse_detach_keys(detach_keys)  # refused as the attach is asked for, before the start
            offset = log_size(self.store.containers.dir(record.id))  # the run starts here
            was_running = record.status == "running"
            self._tell("attach", record)
            try:
                record = self._start(record, attached=not was_running)
            except ExecFailed as err:  # the CLI's start exits 1 where run exits 126/127
                err.exit_code = 1
                raise
            return self._attach(out, record, offset, interactive, detach_keys=keys)
        failed = self._each(out, containers, lambda record, typed: self._start(record))
        if failed:
            out.err(f"{errors.start_failed(failed)}\n")
            return 1
        return 0

    @command("attach")
    def attach(self, out: Output, container: str, *, no_stdin: bool = False, sig_proxy: bool = True,
               detach_keys: str | None = None) -> int:
        """The running container's output from now on, our stdin if it keeps one open (``-i``),
        its terminal if it has one (``-t``), until it exits (its exit code) or we detach."""
        import contextlib

        from .model.detachkeys import parse_detach_keys
        from .sandbox.attach import ForcedExit, signals_swallowed
        from .sandbox.logs import log_size

        record = self._container(container)
        self._allow(record, "attach", container)
        if record.config.tty and not no_stdin and not _is_terminal(out.stdin):
            raise errors.not_a_tty()
        keys = parse_detach_keys(detach_keys)
        offset = log_size(self.store.containers.dir(record.id))
        self._tell("attach", record)
        try:
            with contextlib.nullcontext() if sig_proxy or out.capture else signals_swallowed():
                code = self._attach(out, record, offset, record.config.open_stdin and not no_stdin, sig_proxy,
                                    detach_keys=keys, attaching=True)
        except ForcedExit:
            raise errors.forced_exit() from None
        if code is None:
            raise errors.detached()
        return code

    def _attach(self, out: Output, record: ContainerRecord, offset: int, interactive: bool,
                proxy_signals: bool = True, detach_keys: bytes | None = b"\x10\x11",
                attaching: bool = False) -> int | None:
        """Stream the container's output (and our stdin) until it exits; return its code, or
        None if the learner detached (Ctrl-P Ctrl-Q on a tty: the container runs on).

        Like Docker's CLI (``--sig-proxy``), Ctrl-C and SIGTERM are passed on to the
        container's main process rather than ending the attach: a PID 1 without a handler
        ignores them, exactly as in Docker.
        """
        import signal as signals
        import threading

        from .sandbox.attach import Detached, attach

        bundle = self.store.containers.dir(record.id)
        proxied = {}
        if (proxy_signals and not out.capture and not record.config.tty
                and threading.current_thread() is threading.main_thread()):
            for sig in (signals.SIGINT, signals.SIGTERM):
                proxied[sig] = signals.signal(sig, lambda number, _frame: self._rt(record).kill(record.pid, number))
        try:
            code = attach(bundle, out, offset, stdin=out.stdin if interactive else None, tty=record.config.tty,
                          detach_keys=detach_keys, close_stdin=not attaching, redraw=attaching)
        except Detached:
            return None
        finally:
            for sig, previous in proxied.items():
                signals.signal(sig, previous)
        if code is None:  # the shim was already gone: take the recorded code
            record = self._wait_stopped(record)
            code = record.exit_code
        else:
            self._wait_stopped(record)
        return code

    # ------------------------------------------------------------------ run
    @command("run")
    def run(self, out: Output, image: str, cmd: list[str] | None = None, *, detach: bool = False,
            rm: bool = False, detach_keys: str | None = None, **options: Any) -> int:
        """``create`` then ``start``, attached unless ``detach``."""
        from .model.detachkeys import parse_detach_keys
        from .sandbox.logs import log_size

        try:
            record = self._create(out, image, cmd, auto_remove=rm, verb="run", **options)
            if detach:
                out.out(record.id + "\n")
                self._start(record)
                return 0
        except DockerError as err:
            raise for_run(err) from None
        keys = parse_detach_keys(detach_keys)  # refused as the attach is asked for: before the start, exit 1
        try:
            offset = log_size(self.store.containers.dir(record.id))  # the run starts here
            self._tell("attach", record)
            record = self._start(record, attached=True)
        except DockerError as err:
            raise for_run(err) from None
        return self._attach(out, record, offset, options.get("interactive", False), detach_keys=keys)

    # ------------------------------------------------------------------ stop / kill
    def _stop(self, record: ContainerRecord, timeout: int | None) -> ContainerRecord:
        import signal as signals

        self._allow(record, "stop")
        if record.status not in ("running", "paused"):
            return record
        grace = timeout if timeout is not None else (record.config.stop_timeout if record.config.stop_timeout is not None else 10)
        sig = parse_signal(record.config.stop_signal or "SIGTERM")
        runtime = self._rt(record)
        self._tell("kill", record, signal=str(int(sig)))
        runtime.kill(record.pid, sig)
        if record.status == "paused":  # Docker sends the signal, then thaws so it can land
            runtime.resume(record.id, record.pid)
            self._tell("unpause", record)
        from .sandbox.namespaces import wait_for_exit

        if not wait_for_exit(record.pid, grace if grace >= 0 else None):  # -1: wait for ever
            self._tell("kill", record, signal=str(int(signals.SIGKILL)))
            runtime.kill(record.pid, signals.SIGKILL)
        stopped = self._wait_stopped(record)
        self._tell("stop", record)
        return stopped

    @command("stop")
    def stop(self, out: Output, *containers: str, timeout: int | None = None) -> int:
        return 1 if self._each(out, containers, lambda r, typed: self._stop(r, timeout)) else 0

    def _each(self, out: Output, containers: tuple[str, ...], action: Callable[[ContainerRecord, str], Any],
              reword: "Callable[[str, DockerError], DockerError] | None" = None) -> list[str]:
        """Run ``action`` on each container, as Docker's CLI does for several names: print
        what each success says (its name, unless ``action`` returns a string) and,
        after all of them, each error (``reword``: how the daemon words this command's
        failures). Returns the names that failed."""
        messages, failed = [], []
        for typed in containers:
            try:
                said = action(self._container(typed), typed)
                out.out((said if isinstance(said, str) else typed) + "\n")
            except DockerError as err:
                messages.append(str(reword(typed, err) if reword else err))
                failed.append(typed)
        for message in messages:
            out.err(message + "\n")
        return failed

    @command("restart")
    def restart(self, out: Output, *containers: str, timeout: int | None = None) -> int:
        def action(record: ContainerRecord, typed: str) -> None:
            self._allow(record, "restart", typed)
            record = self._stop(record, timeout)
            try:
                self._start(self.store.containers.get(record.id))
            except DaemonError as err:
                raise errors.restart_failed(typed, err) from None
            self._tell("restart", record)

        return 1 if self._each(out, containers, action) else 0

    @command("kill")
    def kill(self, out: Output, *containers: str, signal: str = "KILL") -> int:
        import signal as signals

        try:
            sig = parse_signal(signal or "KILL")
        except InvalidParameter as err:  # the daemon refuses it for each container, found or not
            out.err(f"{err}\n" * len(containers))
            return 1

        def action(record: ContainerRecord, typed: str) -> None:
            state = self._allow(record, "kill", typed)
            self._tell("kill", record, signal=str(int(sig)))
            self._rt(record).kill(record.pid, sig)
            if record.status == "paused":  # Docker thaws it so that the signal lands
                self._rt(record).resume(record.id, record.pid)
                with self.store.lock():
                    current = self.store.containers.get(record.id)
                    if current.status == "paused":
                        self.store.containers.save(current._replace(status=state))
            if sig == signals.SIGKILL:
                self._wait_stopped(record)

        return 1 if self._each(out, containers, action, reword=errors.for_kill) else 0

    # ------------------------------------------------------------------ pause
    @command("pause")
    def pause(self, out: Output, *containers: str) -> int:
        return self._freeze_or_thaw(out, containers, "pause")

    @command("unpause")
    def unpause(self, out: Output, *containers: str) -> int:
        return self._freeze_or_thaw(out, containers, "unpause")

    def _freeze_or_thaw(self, out: Output, containers: tuple[str, ...], verb: str) -> int:
        def action(record: ContainerRecord, typed: str) -> None:
            with self.store.lock():
                record = self._reconcile(self.store.containers.get(record.id))
                state = self._allow(record, verb, typed)
                runtime = self._rt(record)
                (runtime.pause if verb == "pause" else runtime.resume)(record.id, record.pid)
                self.store.containers.save(record._replace(status=state))
                self._tell(verb, record)

        return 1 if self._each(out, containers, action) else 0

    # ------------------------------------------------------------------ rm
    def _remove(self, cid: str) -> None:
        """The container's directory (record, read-write layer, logs) goes in one rename."""
        from .sandbox.freezer import freezer_for

        record = self.store.containers.get(cid)
        self.store.containers.remove(cid)
        self._tell("destroy", record)
        freezer_for(cid).destroy()

    def remove_all(self) -> None:
        """``docker rm -f $(docker ps -aq)``: every container goes, its processes ended; the
        tour, the gallery and the lessons clean up with it."""
        ids = [record.id for record in self.store.containers.all()]
        if ids:
            self.rm(*ids, force=True)

    @command("rm")
    def rm(self, out: Output, *containers: str, force: bool = False) -> int:
        import signal as signals

        def action(record: ContainerRecord, typed: str) -> None:
            self._allow(record, "rm_force" if force else "rm", typed)
            if record.status in ("running", "paused"):
                self._tell("kill", record, signal=str(int(signals.SIGKILL)))
                self._rt(record).kill(record.pid, signals.SIGKILL)
                if record.status == "paused":
                    self._rt(record).resume(record.id, record.pid)
                record = self._wait_stopped(record)
            with self.store.lock():
                if self.store.containers.dir(record.id).exists():
                    self._remove(record.id)

        failed = self._each(out, containers, action)
        # docker rm -f of a missing container still reports it, but does not fail
        return 1 if failed and not force else 0

    @command("rename")
    def rename(self, out: Output, container: str, new_name: str) -> int:
        """Give a container another name, in any state: its id, layers and processes stay."""
        from .model.names import check_rename

        old, new = container.strip(), new_name.strip()  # as the CLI sends them
        if not old or not new:
            raise errors.rename_empty()
        try:
            with self.store.lock():
                record = self._container(old)
                name = check_rename(record.name, new, {r.name: r.id for r in self.store.containers.all()})
                self.store.containers.update(record.id, name=name)
        except DaemonError as err:
            raise errors.rename_failed(old, err) from None
        self._tell("rename", record._replace(name=name), oldName="/" + record.name)
        return 0

    @command("container prune")
    def container_prune(self, out: Output, *, force: bool = False, filters: list[str] = ()) -> int:
        """Remove every container that is not running or paused, after asking (``-f``: don't);
        ``filters``: ``label=``, ``label!=``, ``until=`` (see model/diskusage.py)."""
        from .model.present import PRUNE_PROMPTS, prune_report

        chosen = self._prune_filters(filters)
        if not force and not _confirm(out, PRUNE_PROMPTS["containers"]):
            return 0
        deleted, reclaimed = self._prune_containers(chosen)
        out.out(prune_report("Deleted Containers:", deleted, reclaimed))
        return 0

    def _prune_filters(self, filters: list[str]) -> tuple[Any, float | None]:
        """``prune --filter`` checked, with its ``until`` as seconds since the epoch."""
        from .model.diskusage import PruneFilters
        from .model.present import until_time

        chosen = PruneFilters(list(filters))
        times = [until_time(value, self.clock() / 1e9) for value in chosen.until()]
        return chosen, min(times) if times else None

    def _prune_containers(self, chosen: tuple[Any, float | None]) -> tuple[list[str], int]:
        """Remove the stopped containers the filters allow: (their ids, the bytes they held)."""
        from .model.events import message

        filters, before = chosen
        deleted, reclaimed = [], 0
        with self.store.lock():
            for record in self._containers():
                if record.status not in ("running", "paused") and filters.keeps(
                        record.config.labels, parse_time(record.created), before):
                    reclaimed += self._rw_size(record)
                    self._remove(record.id)
                    deleted.append(record.id)
        self.store.events.append(message("container", "prune", "", {"reclaimed": str(reclaimed)}, time.time_ns()))
        return deleted, reclaimed

    # ------------------------------------------------------------------ exec
    @command("exec")
    def exec(self, out: Output, container: str, cmd: list[str], *, env: list[str] = (), workdir: str | None = None,
             interactive: bool = False, tty: bool = False, detach: bool = False, user: str | None = None) -> int:
        record = self._container(container)
        self._allow(record, "exec", container)
        if detach:  # nobody attached: no input, its output goes nowhere, as with Docker
            interactive = False
            stdout_fd = stderr_fd = os.open(os.devnull, os.O_WRONLY)
            pairs = []
        else:
            stdout_fd, stderr_fd, pairs = out.real_fds()
        stdin_fd = out.stdin.fileno() if (interactive and out.stdin is not None) else os.open(os.devnull, os.O_RDONLY)
        exec_id = self._tell_exec(record, cmd)
        try:
            code = self._rt(record).exec(
                record.id, record.pid, list(cmd),
                process_env(record.config, extra=_expand_env(env)),
                workdir or record.config.working_dir or "/",
                stdin_fd, stdout_fd, stderr_fd,
                rootfs=self.store.containers.dir(record.id) / "rootfs",
                user=record.config.user if user is None else user,  # by default, as the container's user
                detach=detach,
            )
        except ExecFailed as err:
            refused = isinstance(err, errors.ExecRefused)
            if detach:
                raise errors.exec_detached_failed(err.detail, refused) from None
            out.out(errors.exec_failed_line(err.detail, refused))
            return err.exit_code
        except (FileNotFoundError, ProcessLookupError):  # its PID 1 ended a moment ago
            if process_alive(record.pid, record.pid_start):
                raise
            self._allow(record._replace(status="exited"), "exec", container)
            raise
        finally:
            if not (interactive and out.stdin is not None):
                os.close(stdin_fd)
            if detach:
                os.close(stdout_fd)
            Output.collect(pairs)
        if not detach:  # a detached one ends unwatched: no exec_die (see README)
            self._tell("exec_die", record, execID=exec_id, exitCode=str(code))
        return code

    def _tell_exec(self, record: ContainerRecord, cmd: list[str]) -> str:
        """exec_create and exec_start of a new exec; its id (random, as Docker's, but not
        from the draws that make container ids: a seeded lesson's ids stay as they were)."""
        from .model.events import exec_action

        exec_id = os.urandom(32).hex()
        for kind in ("exec_create", "exec_start"):
            self._tell(exec_action(kind, list(cmd)), record, execID=exec_id)
        return exec_id

    # ------------------------------------------------------------------ queries
    @command("wait", changes_state=False)
    def wait(self, out: Output, *containers: str) -> int:
        """Block until each container stops; print each exit code."""
        return 1 if self._each(out, containers, lambda record, typed: str(self._wait_stopped(record).exit_code)) else 0

    @command("logs", changes_state=False)
    def logs(self, out: Output, container: str, *, follow: bool = False, timestamps: bool = False,
             tail: str = "all", since: str = "", until: str = "", details: bool = False) -> int:
        """What the container wrote; ``tail``: only its last N lines ("all", or a value that
        is not a number of zero or more, as in Docker: everything); ``since``/``until``: only
        what it wrote between those times (a duration back from now, a Unix time or a date)."""
        from .model.present import until_time
        from .sandbox.logs import print_log, tail_offset

        record = self._container(container)  # the docker CLI looks the container up first
        window = []
        for flag, value in (("since", since), ("until", until)):
            try:
                moment = until_time(value, self.clock() / 1e9) if value else 0.0
            except DaemonError as err:
                raise DockerError(f'invalid value for "{flag}": {err.detail}') from None
            window.append(moment or None)  # 0 is no limit, as Docker's zero time
        bundle = self.store.containers.dir(record.id)
        start = tail_offset(bundle, int(tail)) if tail.isdigit() else 0
        if follow and record.status in ("running", "paused") and window == [None, None]:
            self._attach(out, record, start, False, proxy_signals=False)  # (--details not shown while following)
            return 0
        print_log(out, bundle, start, None, timestamps, *window, details=details)
        return 0

    @command("events", changes_state=False)
    def events(self, out: Output, *, since: str = "", until: str = "", filters: "list[str] | tuple[str, ...]" = (),
               format: str = "") -> int:
        """The transitions the data root has seen (the newest 256, as Docker keeps), from
        ``since`` to ``until``; without ``until``, the ones that follow too, as they happen,
        until Ctrl-C. Rules and shapes: model/events.py; the log: store/events.py."""
        from .model.events import EventFilters, EventFormat, get_timestamp, text_line, time_window

        shape = EventFormat(format) if format else None  # the CLI checks the template first
        now = time.time_ns()  # the messages' clock (see _tell)
        offset = time.localtime(now // 10**9).tm_gmtoff  # the CLI prints, and reads, local time
        since_ns, until_ns, follow = time_window(get_timestamp(since, now, offset) if since else "",
                                                 get_timestamp(until, now, offset) if until else "", now)
        chosen = EventFilters(filters)
        for event in self.store.events.window(since_ns, until_ns, follow):
            if chosen.keeps(event):
                out.out(shape.render(event) if shape else text_line(event, offset))
        return 0

    @command("diff", changes_state=False)
    def diff(self, out: Output, container: str) -> int:
        record = self._container(container)
        for change in self._snap(record).changes(record.id, self._layers(record.image_id)):
            out.out(f"{change}\n")
        return 0

    @command("top", changes_state=False)
    def top(self, out: Output, container: str) -> int:
        from .sandbox.procs import ps_table

        record = self._container(container)
        self._allow(record, "top", container)
        out.out(ps_table(self._rt(record).pids(record.pid)))
        self._tell("top", record)
        return 0

    @command("stats", changes_state=False)
    def stats(self, out: Output, *containers: str, all: bool = False, no_stream: bool = False,
              no_trunc: bool = False, format: str = "") -> int:
        """Each container's CPU %, memory, block I/O and processes (``sandbox/stats.py`` says
        how real each figure is), over two readings: one table, or, unless ``no_stream``, the
        table redrawn every second until interrupted (a captured output, as in a notebook,
        gets one table)."""
        from .model.formats import stats_format
        from .model.usage import redraw, stats_row
        from .sandbox.stats import read_usage

        listing = stats_format(format)
        named = {typed: self._container(typed).id for typed in containers}  # a missing one: nothing printed

        def chosen() -> list[tuple[ContainerRecord, str]]:
            if not named:
                return [(r, r.id[:12]) for r in self._containers() if all or r.status in ("running", "paused")]
            return [(r, typed) for typed, cid in named.items() if (r := self._reconcile_id(cid)) is not None]

        def read(records: list[tuple[ContainerRecord, str]]) -> dict:
            return {r.id: read_usage(self._rt(r).pids(r.pid)) if r.status in ("running", "paused") else None
                    for r, _ in records}

        stream = not no_stream and not out.capture
        before = read(chosen())
        while True:
            time.sleep(1.0 if stream else 0.5)  # the window CPU % is measured over
            records = chosen()
            after = read(records)
            table = listing.render([stats_row(r.id, typed, r.name, before.get(r.id), after[r.id], no_trunc)
                                    for r, typed in records])
            out.out(redraw(table) if stream else table)
            if not stream:
                return 0
            before = after

    def _reconcile_id(self, cid: str) -> ContainerRecord | None:
        try:
            return self._reconcile(self.store.containers.get(cid))
        except (KeyError, FileNotFoundError, DockerError):
            return None  # removed meanwhile

    @command("ps", changes_state=False)
    def ps(self, out: Output, *, all: bool = False, quiet: bool = False, no_trunc: bool = False,
           format: str = "", filters: "list[str] | tuple[str, ...]" = (), last: int = -1, size: bool = False) -> int:
        """The containers, newest first; ``filters`` are ``--filter`` values (name=value),
        ``format`` a Go template per row (``table ...`` for columns under a header),
        ``last`` how many of the newest to list whatever their state (``-n``, ``-l``),
        ``size`` whether to add the SIZE column (``-s``)."""
        from .model.present import command_column, status_text, tabulate, human_duration

        now = self.clock() / 1e9
        chosen = None
        if filters:
            from .model.filters import ContainerFilters

            chosen = ContainerFilters(filters)
        listing = None
        if format and quiet:
            out.err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n")
        elif format and format != "table":
            from .model.formats import ListFormat

            listing = ListFormat(format, "ps")
        kept = self._filter(chosen) if chosen else (lambda r: True)
        all = all or last > 0 or bool(chosen and chosen.lists_stopped)
        records = [r for r in self._containers() if (all or r.status in ("running", "paused")) and kept(r)]
        if last > 0:
            records = records[:last]
        if quiet:
            for r in records:
                out.out((r.id if no_trunc else r.id[:12]) + "\n")
            return 0
        if listing is not None:
            from .model.formats import container_context

            sized = listing.needs("Size")
            out.out(listing.render([container_context(r, now, no_trunc, self._size_text(r) if sized else "")
                                    for r in records]))
            return 0
        rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES", *(["SIZE"] if size else [])]]
        for r in records:
            rows.append([
                r.id if no_trunc else r.id[:12],
                r.config.image,
                command_column(r.config.argv(), truncate=not no_trunc),
                human_duration(now - parse_time(r.created)) + " ago",
                status_text(r.status, r.exit_code, r.started_at, r.finished_at, now),
                "",
                r.name,
                *([self._size_text(r)] if size else []),
            ])
        out.out(tabulate(rows) + "\n")
        return 0

    def _filter(self, chosen: "ContainerFilters") -> "Callable[[ContainerRecord], bool]":
        """Which containers pass ``ps``'s ``--filter``s (``model/filters``); the containers
        and images they name are looked up first, once, as the daemon does."""

        def created_of(typed: str) -> float:
            try:
                return parse_time(self._container(typed).created)
            except NoSuchContainer:
                raise DaemonError(f"no such container {typed}") from None

        before = [created_of(t) for t in chosen.names("before")]
        since = [created_of(t) for t in chosen.names("since")]
        wanted = set()
        for typed in chosen.names("ancestor"):
            try:
                wanted.add(self.store.images.resolve(typed))
            except (NoSuchImage, InvalidParameter):
                pass

        def built_on(image_id: str) -> bool:
            while image_id:
                if image_id in wanted:
                    return True
                image_id = self.store.images.parent(image_id)
            return False

        return lambda r: chosen.keeps(id=r.id, name=r.name, status=r.status, exit_code=r.exit_code,
                                      created=parse_time(r.created), image_id=r.image_id,
                                      before=before, since=since, ancestors=built_on, labels=r.config.labels)

    def _layers_of(self, image_id: str) -> list[Any]:
        """An image's layers (the store's records: chain id, size), bottom first."""
        return self.store.layers.chain(self.store.images.config(image_id)["rootfs"]["diff_ids"])

    def _size_text(self, r: ContainerRecord) -> str:
        """``ps -s``'s SIZE: the read-write layer, and with the image's layers beneath it."""
        from .model.present import container_size

        return container_size(self._rw_size(r), sum(layer.size for layer in self._layers_of(r.image_id)))

    def _container_sizes(self, r: ContainerRecord) -> dict[str, int]:
        """``inspect -s``: the read-write layer's bytes, and those of the whole root."""
        rw = self._rw_size(r)
        return {"SizeRw": rw, "SizeRootFs": rw + sum(layer.size for layer in self._layers_of(r.image_id))}

    def _rw_size(self, r: ContainerRecord) -> int:
        """Bytes the container's read-write layer holds: its added and changed files and
        links (directories do not count), as Docker's SizeRw."""
        import stat

        snap = self._snap(r)
        upper = snap.upper(r.id)
        total = 0
        for change in snap.changes(r.id, self._layers(r.image_id)):
            if change.kind in ("A", "C"):
                try:
                    st = os.lstat(os.path.join(upper, change.path.lstrip("/")))
                except OSError:
                    continue
                if not stat.S_ISDIR(st.st_mode):
                    total += st.st_size
        return total

    @command("images", changes_state=False)
    def images(self, out: Output, repository: str | None = None, *, quiet: bool = False, no_trunc: bool = False,
               all: bool = False, format: str = "", filters: list[str] = ()) -> int:
        """Tagged images, and untagged ones as <none>:<none> (those with children only with -a).
        ``format``: a Go template per row, as ``ps``'s; it wins over ``quiet``, as Docker's.
        ``filters``: ``--filter`` values (see model/filters.py's ImageFilters)."""
        from .model.present import human_duration, human_size, tabulate

        chosen = None
        if filters:
            from .model.filters import ImageFilters

            chosen = ImageFilters(filters)
            when = {key: [parse_time(self.store.images.config(self.store.images.resolve(typed))["created"])
                          for typed in chosen.names(key)] for key in ("before", "since")}

        listing = None
        if format and format != "table":
            from .model.formats import ListFormat, image_context

            listing = ListFormat(format, "images")

        now = self.clock() / 1e9
        images = self.store.images
        ids = images.ids()
        tags_of: dict[str, list[str]] = {}
        for tag, image_id in sorted(images.tags().items()):  # one read of the tags, not one per image
            tags_of.setdefault(image_id, []).append(tag)
        parents = {images.parent(image_id) for image_id in ids}  # those with children
        ordered = []  # (created, repository, tag, image id, config)
        for image_id in ids:
            config = images.config(image_id)
            tags = tags_of.get(image_id, [])
            if chosen is not None:
                labels = (config.get("config") or {}).get("Labels") or {}
                if not chosen.keeps(created=parse_time(config["created"]), labels=labels, **when):
                    continue
                tags = [tag for tag in tags if chosen.tag_shown(tag)]
                if tags and chosen.dangling_only:
                    continue
            for tag in tags:
                repo, _, name = tag.rpartition(":")
                ordered.append((config["created"], repo, name, image_id, config))
            if not tags and (all or image_id not in parents) and not repository and not (
                    chosen is not None and (chosen.no_dangling or chosen.by_reference)):
                ordered.append((config["created"], "<none>", "<none>", image_id, config))
        ordered.sort(key=lambda row: (row[1], row[2]))  # one image's tags: as the daemon lists them
        ordered.sort(key=lambda row: row[0], reverse=True)  # newest first
        rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
        seen, contexts = [], []
        for created, repo, name, image_id, config in ordered:
            if repository and repository not in (repo, f"{repo}:{name}"):
                continue
            shown = image_id if no_trunc else image_id[7:19]
            seen.append(shown)
            size = sum(layer.size for layer in self.store.layers.chain(config["rootfs"]["diff_ids"]))
            since = human_duration(now - parse_time(created)) + " ago"
            rows.append([repo, name, shown, since, human_size(size)])
            if listing is not None:
                contexts.append(image_context(created, repo, name, shown, since, size))
        if listing is not None:
            out.out(listing.render(contexts))
            return 0
        if quiet:  # one line per row, as Docker: an image with two names is listed twice
            for s in seen:
                out.out(s + "\n")
            return 0
        out.out(tabulate(rows) + "\n")
        return 0

    # ------------------------------------------------------------------ images from containers
    @command("commit")
    def commit(self, out: Output, container: str, repository: str | None = None, *, message: str = "",
               author: str = "", pause: bool = True, changes: list[str] = ()) -> int:
        """The container's read-write layer becomes one more read-only layer of a new image.

        A running container is paused while its layer is copied, as Docker does by default."""
        from .model.objects import parse_image_ref, reference_problem

        if repository and (problem := reference_problem(repository)):
            raise errors.bad_reference(repository, problem, "commit")
        record = self._container(container)
        ref = parse_image_ref(repository) if repository else None
        paused_here = pause and record.status == "running"
        if paused_here:
            self._rt(record).pause(record.id, record.pid)
            self._tell("pause", record)
        try:
            parent = self._image_config(record.image_id)

            def compose(diff_ids: list[str], empty: bool) -> dict[str, Any]:
                config = committed_config(parent, record, diff_ids, self._now(), message, author, empty)
                apply_changes(config, changes)  # -c 'CMD ["sh"]' and the like
                return config

            image_id = self._commit_layer(record, compose, ref=ref)
            if ref:
                self._tell_image("tag", image_id, str(ref))
            self._tell("commit", record, comment=message, imageID=image_id, imageRef=str(ref) if ref else "")
        finally:
            if paused_here:
                self._rt(record).resume(record.id, record.pid)
                self._tell("unpause", record)
        out.out(image_id + "\n")
        return 0

    def _commit_layer(self, record: ContainerRecord, compose: Callable[[list[str], bool], dict[str, Any]],
                      ref: Any = None, layer: bool | None = None) -> str:
        """Store the image config ``compose(diff_ids, empty)`` makes, with ``record``'s
        read-write layer as one more layer: always (``layer`` True: a build's RUN or COPY),
        never (False: a step that only sets configuration, whose layer is not even read), or
        when it holds anything (None: ``commit``). Returns the image id."""
        from .model.objects import chain_ids
        from .sandbox.tarcodec import tar_copy, tar_upper, unpack_layer

        parent = self._image_config(record.image_id)
        with self.store.layers.staged() as staged:
            try:
                empty = layer is False
                if not empty:
                    bundle = self.store.containers.dir(record.id)
                    snapshotter, lowers = self._snap(record), self._layers(record.image_id)
                    changes, opaque = (snapshotter.diff(record.id, lowers) if record.runtime == "process"
                                       else (snapshotter.changes(record.id, lowers), set()))
                    with open(staged / "layer.tar", "wb") as f:
                        if record.runtime == "process":
                            diff_id, size = tar_copy(bundle / "rootfs", changes, f, opaque)
                        else:
                            diff_id, size = tar_upper(bundle / "upper", f)
                    empty = layer is None and not changes
                diff_ids = [*parent["rootfs"]["diff_ids"], *([] if empty else [diff_id])]
                # all or nothing: a full disk half-way leaves no layer, no image, no tag
                with self.store.lock(), self.store.undo() as undo:
                    if not empty:  # an unchanged container adds a history row, not a layer
                        unpack_layer(staged / "layer.tar", staged / "diff")
                        undo.register(staged, diff_id, chain_ids(diff_ids[:-1])[-1] if len(diff_ids) > 1 else "", size)
                    image_id = undo.put(compose(diff_ids, empty))
                    self.store.images.set_parent(image_id, record.image_id)
                    if ref:
                        self.store.images.tag(ref, image_id)
            except OSError as err:
                raise _layer_error(err, staged) or self._explain(err) from None
        return image_id

    # ------------------------------------------------------------------ build
    @command("build")
    def build(self, out: Output, context: str, *, tag: str | None = None, file: str | None = None,
              no_cache: bool = False, quiet: bool = False, build_args: list[str] = (), labels: list[str] = ()) -> int:
        """Dockerfile -> image, as the classic builder: run, change, commit, per instruction."""
        from .builder import build

        return build(self, out, context, tag=tag, file=file, no_cache=no_cache, quiet=quiet, build_args=build_args,
                     labels=labels)

    def _cached_step(self, parent: str, row: str) -> str | None:
        """An image made from ``parent`` by the same instruction: the build cache."""
        for candidate in self.store.images.children(parent):
            history = self.store.images.config(candidate).get("history") or []
            if history and history[-1].get("created_by") == row:
                return candidate
        return None

    def _commit_build(self, record: ContainerRecord, config: dict[str, Any], row: str, layer: bool) -> str:
        """A build step's image: ``record`` (the step's container) committed with its config
        ``config`` and history row ``row``; a layer when ``layer``, else a metadata row."""
        parent = self._image_config(record.image_id)

        def compose(diff_ids: list[str], empty: bool) -> dict[str, Any]:
            return built_config(parent, record, config, diff_ids, row, self._now(), empty)

        return self._commit_layer(record, compose, layer=layer)

    # ------------------------------------------------------------------ archives
    def _write_archive(self, out: Output, output: str | None, write: Callable[[BinaryIO], None], what: str) -> None:
        """Write to ``output`` (atomically) or to stdout, which must not be a terminal."""
        if output:
            from pathlib import Path  # here, not at the top: see the module's imports

            target = Path(output)
            tmp = target.with_name(f".{target.name}.tmp")
            try:
                with open(tmp, "wb") as f:
                    write(f)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
            return
        if not out.capture and os.isatty(out.stdout.fileno()):
            raise errors.save_to_terminal()
        write(out.stdout)
        out.stdout.flush()

    @command("save", changes_state=False)
    def save(self, out: Output, *images: str, output: str | None = None) -> int:
        """Images with all their layers, in the archive format ``docker load`` reads."""
        from .model.objects import parse_image_ref
        from .sandbox.archives import save

        chosen = []
        for typed in images:
            image_id = self.store.images.resolve(typed)
            try:
                ref = str(parse_image_ref(typed))
            except InvalidParameter:
                ref = ""
            chosen.append((image_id, [ref] if ref in self.store.images.tags_of(image_id) else []))
        self._write_archive(out, output, lambda f: save(self.store, chosen, f), "save")
        for image_id in dict.fromkeys(image_id for image_id, _ in chosen):
            self._tell_image("save", image_id)
        return 0

    @command("load")
    def load(self, out: Output, *, input: str | None = None, quiet: bool = False) -> int:
        from .sandbox.archives import ArchiveError, load

        if input is None and (out.stdin is None or os.isatty(out.stdin.fileno())):
            raise errors.load_from_empty_stdin()
        try:
            with (open(input, "rb") if input else out.stdin) as source:  # type: ignore[union-attr]
                lines = load(self.store, source)
        except FileNotFoundError:
            raise errors.no_such_file(input) from None
        except (ArchiveError, ValueError, OSError) as err:
            told = self._explain(err) if isinstance(err, OSError) else err  # a full disk, say
            raise told if isinstance(told, DockerError) else DaemonError(str(err)) from None
        for ref in dict.fromkeys(line.split(": ", 1)[1] for line in lines):  # "Loaded image: web:v1"
            self._tell_image("load", self.store.images.resolve(ref))
        if not quiet:
            out.out("".join(line + "\n" for line in lines))
        return 0

    @command("export", changes_state=False)
    def export(self, out: Output, container: str, *, output: str | None = None) -> int:
        """The container's file system as one flat tar: the union of its layers, no history."""
        import tempfile
        from pathlib import Path  # here, not at the top: see the module's imports

        from .sandbox.process import union_copy
        from .sandbox.tarcodec import tar_directory

        record = self._container(container)
        bundle = self.store.containers.dir(record.id)
        with tempfile.TemporaryDirectory(dir=self.store.location) as tmp:
            if record.runtime == "process":
                flat = bundle / "rootfs"
            else:
                flat = Path(tmp) / "rootfs"
                union_copy([*self._layers(record.image_id), bundle / "init", bundle / "upper"], flat)
            self._write_archive(out, output, lambda f: tar_directory(flat, f), "export")
        self._tell("export", record)
        return 0

    @command("port", changes_state=False)
    def port(self, out: Output, container: str, private_port: str | None = None) -> int:
        """The container's published ports: none, ever (see model/network.py)."""
        from .model.network import no_public_port, parse_private_port

        record = self._container(container)
        if private_port is not None:
            parse_private_port(private_port)
            raise no_public_port(private_port, container)
        del record  # nothing is published on none or host: nothing to list
        return 0

    @command("cp")
    def cp(self, out: Output, source: str, destination: str, *, archive: bool = False, follow_link: bool = False,
           quiet: bool = False) -> int:
        """Copy files between a container (running or not) and the local file system; a copy
        into a container lands in its read-write layer. ``-``: a tar on stdin or stdout."""
        import contextlib

        from .copying import copy_from, copy_to, validate_output
        from .model.copyrules import parse_cp_arg
        from .model.present import human_size

        if not source:
            raise DockerError("source can not be empty")
        if not destination:
            raise DockerError("destination can not be empty")
        (src_container, src_path), (dst_container, dst_path) = parse_cp_arg(source), parse_cp_arg(destination)
        if src_container and dst_container:
            raise DockerError("copying between containers is not supported")
        if not src_container and not dst_container:
            raise DockerError("must specify at least one container source")
        typed = src_container or dst_container
        if src_container:
            validate_output(destination)
        record = self._container(typed)
        view, locked = self._root_view(record)
        lock = self.store.lock() if locked else contextlib.nullcontext()
        with lock:
            if src_container:
                shown = destination if destination == "-" else os.path.abspath(destination)
                size = copy_from(view, typed, src_path, destination, follow_link=follow_link, stdout=out.stdout)
            else:
                size = copy_to(view, typed, source, dst_path, owner=_numeric_user(record.config.user) if archive else None,
                               follow_link=follow_link, stdin=out.stdin)
                shown = f"{typed}:{dst_path}"
        self._tell("archive-path" if src_container else "extract-to-dir", record)
        if not quiet and destination != "-" and _is_terminal(out.stdout):
            out.err(f"Successfully copied {human_size(size)} to {shown}\n")
        return 0

    def _root_view(self, record: ContainerRecord):
        """(a view of ``record``'s files, whether using it needs the store lock): a container
        that is not running on the namespace tier is mounted for the copy, and must not start
        meanwhile."""
        from .sandbox.rootview import View

        bundle = self.store.containers.dir(record.id)
        merged = str(bundle / "rootfs")
        if record.runtime == "process":
            return View(merged), False
        if record.status in ("running", "paused") and process_alive(record.pid, record.pid_start):
            return View(f"/proc/{record.pid}/root", merged=merged), False
        mounts = self._snap(record).prepare(record.id, self._layers(record.image_id))
        return View(merged, [dict(m._asdict()) for m in mounts]), True

    @command("import")
    def import_(self, out: Output, source: str, repository: str | None = None, *, changes: list[str] = (),
                message: str = "") -> int:
        """A single-layer image from a tar of a file system (``-`` reads stdin)."""
        import shutil
        import tarfile

        from .model.objects import parse_image_ref
        from .sandbox.archives import ArchiveError
        from .sandbox.tarcodec import HashingWriter, unpack_layer

        ref = parse_image_ref(repository) if repository else None
        with self.store.layers.staged() as staged:
            try:
                src = out.stdin if source == "-" else open(source, "rb")
            except FileNotFoundError:
                raise errors.no_such_file(source) from None
            with src, open(staged / "layer.tar", "wb") as dst:
                writer = HashingWriter(dst)
                shutil.copyfileobj(src, writer)
            try:
                unpack_layer(staged / "layer.tar", staged / "diff")
                size = sum(m.size for m in tarfile.open(staged / "layer.tar") if m.isfile())
            except (ValueError, tarfile.TarError, ArchiveError) as err:
                raise DaemonError(str(err)) from None
            config = imported_config(writer.digest, self._now(), _arch(), cmd=None)
            apply_changes(config, changes)
            if message:
                config["history"][0]["comment"] = message
                config["comment"] = message
            with self.store.lock():
                self.store.layers.register(staged, writer.digest, "", size)
                image_id = self.store.images.put(config)
                if ref:
                    self.store.images.tag(ref, image_id)
        if ref:
            self._tell_image("tag", image_id, str(ref))
        self._tell_image("import", image_id)
        out.out(image_id + "\n")
        return 0

    @command("tag")
    def tag(self, out: Output, source: str, target: str) -> int:
        from .model.objects import parse_image_ref, reference_problem

        for typed in (source, target):  # the CLI parses both before it asks the daemon
            if problem := reference_problem(typed):
                raise errors.bad_reference(typed, problem)
        image_id = self.store.images.resolve(source)
        ref = parse_image_ref(target)
        with self.store.lock():
            self.store.images.tag(ref, image_id)
        self._tell_image("tag", image_id, str(ref))
        return 0

    @command("history", changes_state=False)
    def history(self, out: Output, image: str, *, quiet: bool = False, no_trunc: bool = False,
                human: bool = True, format: str = "") -> int:
        """One row per step that made the image, newest first; a row shows an image id when
        that image is here (the image itself, and the parents it was made from). ``format``:
        a Go template per row (read once the image is found, as Docker's CLI does); it wins
        over ``quiet``."""
        from .model.present import human_duration, human_size, tabulate

        images = self.store.images
        image_id = images.resolve(image)
        listing = None
        if format and format != "table":
            from .model.formats import ListFormat, history_context

            listing = ListFormat(format, "history")
            quiet = False
        config = images.config(image_id)
        layers = iter(reversed(self.store.layers.chain(config["rootfs"]["diff_ids"])))
        owners: dict[int, str] = {}  # history length -> the image whose last row that is
        cursor = image_id
        while cursor:
            owners[len(images.config(cursor).get("history", []))] = cursor
            cursor = images.parent(cursor)
        now = self.clock() / 1e9
        rows = [["IMAGE", "CREATED" if human else "CREATED AT", "CREATED BY", "SIZE", "COMMENT"]]
        history = config.get("history", [])
        for depth in range(len(history), 0, -1):
            entry = history[depth - 1]
            owner = owners.get(depth)
            shown = (owner if no_trunc else owner[7:19]) if owner else "<missing>"
            if quiet:
                out.out(shown + "\n")
                continue
            size = 0 if entry.get("empty_layer") else next(layers).size
            by = entry.get("created_by", "").replace("\t", " ")
            if not no_trunc and len(by) > 45:
                by = by[:44] + "…"
            at = entry["created"].split(".")[0].rstrip("Z") + "Z"  # RFC 3339, to the second
            since = human_duration(now - parse_time(entry["created"])) + " ago"
            if listing is not None:
                rows.append(history_context(shown, at, since, by, size, entry.get("comment", ""), human))
                continue
            rows.append([shown, since if human else at, by, human_size(size) if human else str(size),
                         entry.get("comment", "")])
        if listing is not None:
            out.out(listing.render(rows[1:]))
        elif not quiet:
            out.out(tabulate(rows) + "\n")
        return 0

    @command("rmi")
    def rmi(self, out: Output, *images: str, force: bool = False) -> int:
        """Untag, and delete what no tag, container or child image needs any more."""
        from .model.images import plan_rmi

        failed = fatal = False  # with -f, only images that are not there do not fail it (the CLI's rule)
        for typed in images:
            try:
                with self.store.lock():
                    image_id = self.store.images.resolve(typed)
                    users = [(r.id, r.status) for r in self._containers() if r.image_id == image_id]
                    plan = plan_rmi(typed, image_id, self.store.images.tags_of(image_id),
                                    bool(self.store.images.children(image_id)), users, force)
                    for tag in plan.untag:
                        self.store.images.untag(parse_image_ref(tag))
                        self._tell_image("untag", image_id)  # Docker names the image by its id
                        out.out(f"Untagged: {tag}\n")
                    if plan.delete:
                        for line in self._delete_image(image_id):
                            out.out(f"Deleted: {line}\n")
            except DockerError as err:
                out.err(f"{err}\n")
                failed = True
                fatal = fatal or not isinstance(err, NoSuchImage)
        return 1 if fatal or (failed and not force) else 0

    @command("image prune")
    def image_prune(self, out: Output, *, all: bool = False, force: bool = False, filters: list[str] = ()) -> int:
        """Remove the dangling images (untagged, no child, no container), or with ``all``
        every image no container uses; after asking (``-f``: don't)."""
        from .model.present import PRUNE_PROMPTS, prune_report

        chosen = self._prune_filters(filters)
        if not force and not _confirm(out, PRUNE_PROMPTS["unused images" if all else "dangling images"]):
            return 0
        lines, reclaimed = self._prune_images(all, chosen)
        out.out(prune_report("Deleted Images:", lines, reclaimed))
        return 0

    def _prune_images(self, all: bool, chosen: tuple[Any, float | None]) -> tuple[list[str], int]:
        """Remove the images ``image prune`` would: (what it prints, the bytes freed)."""
        filters, before = chosen
        lines, reclaimed = [], 0
        with self.store.lock():
            images = self.store.images

            def allowed(image_id: str) -> bool:
                config = images.config(image_id)
                labels = (config.get("config") or {}).get("Labels") or {}
                return filters.keeps(labels, parse_time(config["created"]), before)

            used = {record.image_id for record in self._containers()}  # under the lock: no container comes or goes
            while True:  # children first: a parent becomes prunable once its last child is gone
                prunable = [i for i in images.ids() if i not in used and not images.children(i)
                            and (all or not images.tags_of(i)) and allowed(i)]
                if not prunable:
                    break
                for image_id in prunable:
                    for tag in images.tags_of(image_id):
                        images.untag(parse_image_ref(tag))
                        self._tell_image("untag", image_id)
                        lines.append(f"untagged: {tag}")
                    sizes = {layer.chain_id: layer.size for layer in self._layers_of(image_id)}
                    for gone in self._delete_image(image_id):
                        lines.append(f"deleted: {gone}")
                        reclaimed += sizes.get(gone, 0)
        self._tell_image("prune", "", reclaimed=str(reclaimed))
        return lines, reclaimed

    @command("system prune")
    def system_prune(self, out: Output, *, all: bool = False, force: bool = False, filters: list[str] = ()) -> int:
        """Remove stopped containers, then dangling images (``all``: every image no container
        uses); dockersim has no networks, volumes or build cache to remove."""
        from .model.diskusage import system_prune_warning
        from .model.present import human_size

        chosen = self._prune_filters(filters)
        if not force and not _confirm(out, system_prune_warning(all, sorted(filters))):
            return 0
        containers, freed_rw = self._prune_containers(chosen)
        images, freed_layers = self._prune_images(all, chosen)
        for heading, lines in (("Deleted Containers:", containers), ("Deleted Images:", images)):
            if lines:
                out.out(heading + "\n" + "".join(line + "\n" for line in lines) + "\n")
        out.out(f"Total reclaimed space: {human_size(freed_rw + freed_layers, 4)}\n")
        return 0

    @command("system df", changes_state=False)
    def system_df(self, out: Output, *, verbose: bool = False, format: str = "") -> int:
        """The space images, containers (their read-write layers), volumes and the build
        cache take, each layer counted once however many images share it."""
        from collections import Counter

        from .model.diskusage import ContainerUsage, ImageUsage, df_contexts, df_table, df_verbose
        from .model.present import command_column, human_duration, status_text

        now = self.clock() / 1e9
        images = self.store.images
        records = sorted(self._containers(), key=lambda r: r.created, reverse=True)
        users = Counter(r.image_id for r in records)
        chains = {image_id: self._layers_of(image_id) for image_id in images.ids()}
        sizes = {layer.chain_id: layer.size for chain in chains.values() for layer in chain}
        sharing = Counter(layer.chain_id for chain in chains.values() for layer in chain)
        parents = {images.parent(image_id) for image_id in chains}
        rows = []
        for image_id, chain in chains.items():
            tags = images.tags_of(image_id)
            if not tags and image_id in parents:
                continue  # an intermediate image: listed with its child, as `docker images` lists it
            repository, _, tag = (sorted(tags)[0].rpartition(":") if tags else ("<none>", "", "<none>"))
            created = images.config(image_id)["created"]
            rows.append((created, ImageUsage(
                repository, tag, image_id[7:19], human_duration(now - parse_time(created)) + " ago",
                sum(layer.size for layer in chain), sum(layer.size for layer in chain if sharing[layer.chain_id] > 1),
                users.get(image_id, 0))))
        listed = [usage for _, usage in sorted(rows, key=lambda row: row[0], reverse=True)]
        containers = [ContainerUsage(r.id[:12], r.config.image, command_column(r.config.argv()), self._rw_size(r),
                                     human_duration(now - parse_time(r.created)) + " ago",
                                     status_text(r.status, r.exit_code, r.started_at, r.finished_at, now), r.name, r.status)
                      for r in records]
        if verbose:
            out.out(df_verbose(listed, containers))
            return 0
        contexts = df_contexts(sum(sizes.values()), listed, containers)
        if format and format != "table":
            from .model.formats import ListFormat

            out.out(ListFormat(format, "system df").render(contexts))
        else:
            out.out(df_table(contexts))
        return 0

    def _delete_image(self, image_id: str) -> list[str]:
        """Delete an image, the layers nothing else uses, and parents left untagged and
        childless (intermediate images), as Docker does; return what went."""
        from .model.objects import chain_ids

        images = self.store.images
        config = images.config(image_id)
        parent = images.parent(image_id)
        images.delete(image_id)
        self._tell_image("delete", image_id)
        gone = [image_id]
        used_by_containers = {record.image_id for record in self.store.containers.all()}
        in_use = set()
        for other in set(images.ids()) | used_by_containers:  # "": a build's scratch container
            in_use.update(chain_ids(self._image_config(other)["rootfs"]["diff_ids"]))
        for chain in reversed(chain_ids(config["rootfs"]["diff_ids"])):
            if chain not in in_use and self.store.layers.exists(chain):
                self.store.layers.remove(chain)
                gone.append(chain)
        if parent and not images.tags_of(parent) and not images.children(parent) and parent not in used_by_containers:
            gone += self._delete_image(parent)
        return gone

    @command("inspect", changes_state=False, also=("container inspect", "image inspect"))
    def inspect(self, out: Output, *objects: str, format: str = "", type: str | None = None, size: bool = False) -> int:
        """Containers and images as JSON; with ``format`` (``-f``), a Go template per object.
        A template that does not parse fails first (exit 64); one that fails on an object
        is reported after the others are printed (exit 1), as Docker's CLI does. ``type``:
        only objects of that kind (``docker image inspect`` is ``--type image``); ``size``:
        containers with SizeRw and SizeRootFs."""
        from .model.present import inspect_json

        if type is not None and (refused := errors.inspect_type(type)):
            raise refused
        template = None
        if format:
            from .model.formats import InspectFormat

            template = InspectFormat(format)  # one that does not parse fails before any lookup
        if size and type == "image":
            out.err("WARNING: --size ignored for image\n")
        found, printed, failures = [], [], []  # failures: in the order of the names, after the output
        for typed in objects:
            try:
                obj = self._inspect_object(typed, type, size)
            except DockerError as err:
                failures.append(str(err))
                continue
            found.append(obj)
            if template is not None:
                try:
                    printed.append(template.render(obj))
                except DockerError as err:
                    failures.append(str(err))
        if template is None:
            out.out(inspect_json(found) + "\n")
        else:
            out.out("".join(printed) or "\n")
        for failure in failures:
            out.err(failure + "\n")
        return 1 if failures else 0

    def _inspect_object(self, typed: str, kind: str | None, size: bool) -> dict[str, Any]:
        """What ``inspect`` shows of ``typed``: a container, else (with no ``kind``) an image,
        or the error the CLI prints for it."""
        if kind not in (None, "container", "image"):
            raise errors.inspect_missing(kind, typed)  # dockersim has no networks, volumes, ...
        if not typed:
            raise errors.inspect_empty(kind)
        if kind != "image":
            try:
                return self._inspect_container(self._container(typed), size=size)
            except NoSuchContainer:
                if kind == "container":
                    raise
        try:
            return self._inspect_image(self.store.images.resolve(typed))
        except (NoSuchImage, InvalidParameter) as err:
            raise (errors.inspect_missing("image", typed, err) if kind else errors.no_such_object(typed)) from None

    def _inspect_container(self, r: ContainerRecord, size: bool = False) -> dict[str, Any]:
        from .model.network import network_settings
        from .sandbox.logs import LOG_NAME

        bundle = self.store.containers.bundle(r.id)
        started = r.started_at != ZERO_TIME
        lowers = [os.path.join(bundle, "init"), *reversed(self._layer_locations(r.image_id))]
        argv = r.config.argv()
        return {
            "Id": r.id,
            "Created": r.created,
            "Path": argv[0] if argv else "",
            "Args": argv[1:],
            "State": {
                "Status": r.status,
                "Running": r.status in ("running", "paused"),
                "Paused": r.status == "paused",
                "Restarting": False,
                "OOMKilled": False,
                "Dead": False,
                "Pid": r.pid,
                "ExitCode": r.exit_code,
                "Error": r.error,
                "StartedAt": r.started_at,
                "FinishedAt": r.finished_at,
            },
            "Image": r.image_id,
            "ResolvConfPath": os.path.join(bundle, "resolv.conf") if started else "",
            "HostnamePath": os.path.join(bundle, "hostname") if started else "",
            "HostsPath": os.path.join(bundle, "hosts") if started else "",
            "LogPath": os.path.join(bundle, LOG_NAME) if started else "",
            "Name": "/" + r.name,
            "RestartCount": r.restart_count,
            "Driver": "overlay2",
            "Platform": "linux",
            "HostConfig": {
                "LogConfig": {"Type": "json-file", "Config": {}},
                "NetworkMode": r.config.network_mode,
                "PortBindings": r.config.port_bindings,
                "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                "AutoRemove": r.config.auto_remove,
                "IpcMode": "private",
                "Runtime": r.runtime,
            },
            "GraphDriver": _graph_driver(r.runtime, bundle, lowers),
            **(self._container_sizes(r) if size else {}),
            "Mounts": [],
            "Config": {
                "Hostname": r.config.hostname,
                "Domainname": "",
                "User": r.config.user,
                "AttachStdin": False,
                "AttachStdout": not r.config.auto_remove,
                "AttachStderr": not r.config.auto_remove,
                **({"ExposedPorts": r.config.exposed_ports} if r.config.exposed_ports else {}),
                "Tty": r.config.tty,
                "OpenStdin": r.config.open_stdin,
                "StdinOnce": False,
                "Env": r.config.env or None,
                "Cmd": r.config.cmd,
                "Image": r.config.image,
                "Volumes": None,
                "WorkingDir": r.config.working_dir,
                "Entrypoint": r.config.entrypoint,
                "OnBuild": None,
                "Labels": r.config.labels,
                **({"StopTimeout": r.config.stop_timeout} if r.config.stop_timeout is not None else {}),
            },
            "NetworkSettings": network_settings(r.config.network_mode, *self._sandbox_ids(r)),
            "Dockersim": {"Tier": r.runtime, "Sandbox": r.sandbox or _tier_limits(r.runtime, self._proot_probe)},
        }

    @staticmethod
    def _sandbox_ids(r: ContainerRecord) -> tuple[str, str]:
        """(SandboxID, SandboxKey) of a container: its network namespace while it runs."""
        if r.status not in ("running", "paused") or r.config.network_mode == "host":
            return "", ""
        import hashlib

        return hashlib.sha256(f"sandbox {r.id} {r.started_at}".encode()).hexdigest(), f"/proc/{r.pid}/ns/net"

    def _inspect_image(self, image_id: str) -> dict[str, Any]:
        config = self.store.images.config(image_id)
        layers = self.store.layers.chain(config["rootfs"]["diff_ids"])
        top = layers[-1] if layers else None
        size = sum(layer.size for layer in layers)
        return {
            "Id": image_id,
            "RepoTags": self.store.images.tags_of(image_id),
            "RepoDigests": [],
            "Parent": config.get("parent", ""),
            "Comment": config.get("comment", ""),
            "Created": config["created"],
            "Container": config.get("container", ""),
            "ContainerConfig": config.get("container_config"),
            "DockerVersion": config.get("docker_version", ""),
            "Author": config.get("author", ""),
            "Config": config.get("config"),
            "Architecture": config.get("architecture", ""),
            "Os": config.get("os", ""),
            "Size": size,
            "VirtualSize": size,
            "GraphDriver": {
                "Data": {
                    "LowerDir": ":".join(layer.diff_location for layer in reversed(layers[:-1])) or None,
                    "UpperDir": top.diff_location if top else "",
                },
                "Name": "overlay2",
            },
            "RootFS": {"Type": "layers", "Layers": config["rootfs"]["diff_ids"]},
        }

    @command("info", changes_state=False)
    def info(self, out: Output) -> int:
        from .daemon import describe as describe_daemon
        from .sandbox.freezer import why_freezer
        from .model.network import network_words
        from .sandbox.registry import describe

        records = self._containers()
        count = lambda s: sum(1 for r in records if r.status == s)  # noqa: E731
        mechanism, reason = why_freezer()
        tier, why = self.tier
        userns = "identity map (running as root)" if os.getuid() == 0 else f"uid {os.getuid()} mapped to root"
        lines = [
            "Client:",
            " Context:    default",
            " Debug Mode: false",
            "",
            "Server:",
            f" Containers: {len(records)}",
            f"  Running: {count('running')}",
            f"  Paused: {count('paused')}",
            f"  Stopped: {count('exited') + count('created')}",
            f" Images: {len(self.store.images.ids())}",
            f" Server Version: {DOCKER_VERSION} (dockersim)",
            " Storage Driver: " + ("overlay2 (overlayfs mounted in each container's mount namespace)"
                                   if tier == "namespace" else "copy (each container's root is a copy of its image)"),
            " Logging Driver: json-file",
            " Cgroup Driver: cgroupfs",
            " Runtimes: namespace process",
            f" Default Runtime: {tier}",
            " Sandbox:",
            f"  Tier: {tier} ({why})",
            f"  Isolation: {_tier_limits(tier, self._proot_probe)}",
            *([f"  Root: {_root_form(self._proot_probe)}"] if tier == "process" else []),
            f"  User namespace: {userns if tier == 'namespace' else 'none'}",
            f"  Pause: {mechanism} ({reason})",
            f"  Network: {network_words(tier)}",
            "  Stats: CPU, memory (RSS), block I/O and PIDs from /proc of each container's processes;"
            " limit: the host's memory; NET I/O: 0B / 0B (none and host networks)",
            f" Registry: offline; {describe()}",
            f" Kernel Version: {os.uname().release}",
            f" Operating System: {_os_name()}",
            f" Architecture: {os.uname().machine}",
            f" CPUs: {os.cpu_count()}",
            f" Name: {os.uname().nodename}",
            f" Docker Root Dir: {self.store.root}",
            f" Daemon: {describe_daemon(self.store.location)}",
        ]
        out.out("\n".join(lines) + "\n")
        return 0

    @command("version", changes_state=False)
    def version(self, out: Output) -> int:
        from . import __version__

        out.out(
            "Client:\n"
            f" Version:           {__version__} (dockersim)\n"
            " API version:       1.41\n"
            f" Python version:    {sys.version.split()[0]}\n"
            f" OS/Arch:           linux/{_arch()}\n"
            " Context:           default\n"
            "\n"
            "Server:\n"
            " Engine:\n"
            f"  Version:          {DOCKER_VERSION} (dockersim {__version__})\n"
            "  API version:      1.41 (minimum version 1.12)\n"
            f"  OS/Arch:          linux/{_arch()}\n"
            "  Experimental:     false\n"
            f" runtime:\n  Version:          {self.tier[0]} tier\n"
        )
        return 0

    # ------------------------------------------------------------------ snapshot
    def snapshot(self) -> Snapshot:
        """The whole state as plain data, for the figures."""
        tags_of: dict[str, list[str]] = {}
        for tag, image_id in sorted(self.store.images.tags().items()):
            tags_of.setdefault(image_id, []).append(tag)
        images = []
        layer_dirs: dict[str, list[Path]] = {}  # image id -> its layers' directories, for the containers
        for image_id in sorted(self.store.images.ids()):
            config = self.store.images.config(image_id)
            history = [h for h in config.get("history", []) if not h.get("empty_layer")]
            chain = self.store.layers.chain(config["rootfs"]["diff_ids"])
            layers = []
            for i, layer in enumerate(chain):
                created_by = history[i].get("created_by") or history[i].get("comment", "") if i < len(history) else ""
                layers.append(LayerView(layer.chain_id, layer.diff_id, layer.size, created_by))
            layer_dirs[image_id] = [layer.diff_dir for layer in chain]
            union = _union_names([layer.diff_location for layer in chain])
            images.append(ImageView(image_id, tuple(tags_of.get(image_id, ())), tuple(layers),
                                    config.get("created", ""), union))
        containers = []
        for r in sorted(self._containers(), key=lambda r: r.created):
            lowers = layer_dirs[r.image_id] if r.image_id in layer_dirs else self._layers(r.image_id)
            changes = tuple(str(c) for c in self._snap(r).changes(r.id, lowers))
            processes: tuple[ProcessView, ...] = ()
            if r.status in ("running", "paused"):
                from .sandbox.procs import process_views

                processes = tuple(process_views(self._rt(r).pids(r.pid)))
            containers.append(ContainerView(r.id, r.name, r.status, r.image_id, r.config.image,
                                            " ".join(r.config.argv()), r.exit_code, changes, processes, r.runtime))
        return Snapshot(tuple(images), tuple(containers), self.tier_label())


# ---------------------------------------------------------------------- small helpers


def _numeric_user(user: str) -> tuple[int, int] | None:
    """The ids of a container's ``uid[:gid]`` USER (``cp -a`` gives files to it); None for
    no USER, or one given by name."""
    uid, _, gid = user.partition(":")
    if uid.isdigit() and (not gid or gid.isdigit()):
        return int(uid), int(gid or uid)
    return None


def _is_terminal(stream: Any) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False



def _union_names(layer_dirs: list[str]) -> tuple[str, ...]:
    """The top-level names of the union view of ``layer_dirs`` (bottom first)."""
    from .sandbox.whiteouts import is_opaque, is_whiteout

    names: set[str] = set()
    for layer in layer_dirs:
        try:
            entries = list(os.scandir(layer))
        except OSError:
            continue
        if is_opaque(layer):
            names.clear()
        for entry in entries:
            if is_whiteout(entry.stat(follow_symlinks=False)):
                names.discard(entry.name)
            else:
                names.add(entry.name)
    return tuple(sorted(names))


def _layer_error(err: OSError, staged: Path, pull: bool = False) -> DockerError | None:
    """A full disk while a layer was made in ``staged``, in Docker's words; else None."""
    from .store.oserrors import layer_error

    return layer_error(err, os.fspath(staged), pull=pull)


def _graph_driver(tier: str, bundle: str, lowers: list[str]) -> dict[str, Any]:
    """Where a container's layers live, as ``inspect`` shows it."""
    if tier == "process":  # no overlay: the root is a copy, compared with the layers
        return {"Data": {"LowerDir": ":".join(lowers[1:]), "MergedDir": os.path.join(bundle, "rootfs")}, "Name": "copy"}
    return {
        "Data": {
            "LowerDir": ":".join(lowers),
            "MergedDir": os.path.join(bundle, "rootfs"),
            "UpperDir": os.path.join(bundle, "upper"),
            "WorkDir": os.path.join(bundle, "work"),
        },
        "Name": "overlay2",
    }


def _tier_limits(tier: str, proot_probe: str | None = None) -> str:
    if tier == "process":
        from .sandbox.process import limits

        return limits(proot_probe)
    return "namespace tier: " + "user, mount, pid, uts, ipc and network namespaces; overlayfs; the command is PID 1"



def _root_form(proot_probe: str) -> str:
    from .sandbox.process import root_form

    return root_form(proot_probe)


def _arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)


def _os_name() -> str:
    try:
        with open("/etc/os-release") as f:
            lines = f.read().splitlines()
        for line in lines:
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return "Linux"


def _expand_env(env: list[str] | tuple[str, ...]) -> list[str]:
    """``-e NAME`` takes NAME's value from the caller's environment, as Docker's CLI does."""
    out = []
    for item in env:
        if "=" in item:
            out.append(item)
        elif item in os.environ:
            out.append(f"{item}={os.environ[item]}")
    return out




def _write_etc_files(bundle: Path, hostname: str) -> None:
    (bundle / "hostname").write_text(hostname + "\n")
    (bundle / "hosts").write_text(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
    )
    try:
        with open("/etc/resolv.conf") as f:
            resolv = f.read()
    except OSError:
        resolv = ""
    (bundle / "resolv.conf").write_text(resolv)


def _make_workdir(upper: Path, layers: list[Path], workdir: str) -> None:
    """Docker creates a missing working directory at create time, in the read-write layer."""
    rel = workdir.strip("/")
    if not rel or any(os.path.isdir(layer / rel) for layer in layers):
        return
    (upper / rel).mkdir(parents=True, exist_ok=True)


def _confirm(out: Output, warning: str) -> bool:
    """Docker's prune prompt: the warning, then "y" or "Y" on standard input goes ahead;
    anything else, or no input at all (a notebook, a closed pipe), does not."""
    from .model.present import PRUNE_QUESTION

    out.out(warning + PRUNE_QUESTION)
    if out.stdin is None:
        return False
    answer = out.stdin.readline().decode(errors="replace").strip()
    return answer in ("y", "Y")

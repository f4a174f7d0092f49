"""Random docker command lines, run on dockersim and on the reference Docker Engine and
compared after every step (hypothesis stateful testing); hypothesis then shrinks a
sequence that ends in a difference to the shortest one it can find.

Each sequence gets a fresh ``DOCKERSIM_ROOT`` and a few names of its own (containers
``dq<token>-a`` ..., images ``dq<token>img:N``); the reference engine is shared, so nothing
else on it is ever named, listed unfiltered or removed. A step runs the same command line
on both engines at once and compares its exit code, stdout and stderr (ids, times and
generated names normalised as the other conformance tests do); then the state of every
container of the sequence (``inspect -f``) is compared, and taken from Docker as the truth
for what the next steps may draw.

Budget: ``DOCKERSIM_DIFFERENTIAL_SEQUENCES`` sequences (default 15) of at most
``DOCKERSIM_DIFFERENTIAL_STEPS`` steps (default 20), under a minute on two CPUs;
``DOCKERSIM_DIFFERENTIAL_LOG=FILE`` writes every step and a summary there, and with
``DOCKERSIM_DIFFERENTIAL_SURVEY=1`` a difference is written there and the sequence goes on
(the test fails at the end): one run finds many.

Left out of the drawing because Docker's own answer depends on timing: ``wait``, ``start -a``
and ``logs -f`` of a container that runs on (they block), ``stop`` without ``-t`` (a 10 s
grace), queries of a container whose command ends by itself before it has ended (each step
waits for those first), the rows of ``top`` (pids, times), listings that are not filtered to
the sequence's own names (the reference holds others' containers), ``ps -n``/``-l`` for the
same reason, and anything that could remove or retag ``busybox`` there (``rmi`` and ``tag``
are drawn only over the sequence's own tags, ``image prune`` not at all).
"""

from __future__ import annotations

import concurrent.futures
import difflib
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from simulator.model.names import _ADJECTIVES, _SURNAMES
from tests.conftest import leftovers, stop_daemon
from tests.conformance.conftest import IMAGE, Cli, Result, _docker_env, _dockersim_argv, _reference_image_ids

SEQUENCES = int(os.environ.get("DOCKERSIM_DIFFERENTIAL_SEQUENCES", "15"))
STEPS = int(os.environ.get("DOCKERSIM_DIFFERENTIAL_STEPS", "20"))
LOG = os.environ.get("DOCKERSIM_DIFFERENTIAL_LOG", "")
# shrinking reruns sequences, seconds each: DOCKERSIM_DIFFERENTIAL_SHRINK=0 reports the first difference as found
PHASES = [p for p in Phase if os.environ.get("DOCKERSIM_DIFFERENTIAL_SHRINK", "1") != "0" or p not in (Phase.shrink, Phase.explain)]
SURVEY = os.environ.get("DOCKERSIM_DIFFERENTIAL_SURVEY", "") == "1"  # log differences, fail at the end
TIER = os.environ.get("DOCKERSIM_DIFFERENTIAL_RUNTIME", "namespace")  # the process tier has documented limits

_LISTED_TIME = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} [A-Z]+\b")  # images' and ps's CreatedAt
# The reference engine has no network; dockersim's offline registry answers for a repository
# it does not hold as Docker Hub does. Either way the pull failed: that much is compared.
_PULL_FAILED = re.compile(r'Error response from daemon: (?:Get "https://registry-1\.docker\.io/v2/": .*'
                          r"|pull access denied for .*)")
_GENERATED = re.compile(r"\b(?:%s)_(?:%s)\d?\b" % ("|".join(_ADJECTIVES), "|".join(_SURNAMES)))

# What a container runs: ends by itself ("short") or runs until stopped ("long": `sleep`
# as PID 1, no output, no writes, so nothing about it depends on when it is looked at).
SHORT = [["true"], ["sh", "-c", "exit 3"], ["sh", "-c", "echo out; echo err >&2; exit 2"],
         ["sh", "-c", "echo data > /f; mkdir /d; rm -r /tmp"], ["nosuchcmd"]]
LONG = [["sleep", "1000"]]
# -w names a directory no command here deletes: a container that deleted its own working
# directory does not start again in dockersim yet (test_conformance_cli.py holds that case).
CREATE_FLAGS = [[], [], ["-e", "A=1"], ["-w", "/srv"], ["--stop-timeout", "0"], ["-e", "PATH=/nowhere"], ["-u", "1000"],
                ["--user", "nobody"]]
IMAGE_FORMATS = ["{{.Config.Cmd}}", "{{.Comment}}", "{{.Os}} {{.Architecture}}", "{{len .RootFS.Layers}}", "{{.Author}}",
                 "{{.Config.Env}}", "{{json .Config.Entrypoint}}", "{{.Size}}", "{{.RepoTags}}"]
CHANGES = [[], [], ["-c", 'CMD ["echo", "hi"]'], ["-c", "ENV X=1"], ["-a", "someone"], ["-c", "WORKDIR /tmp"]]
FORMATS = ["{{.State.Status}}", "{{.Name}} {{.State.ExitCode}}", "{{.Config.Cmd}}", "{{json .State.Running}}",
           "{{.RestartCount}} {{.State.Paused}}", "{{.Image}}", "{{.Nope}}", "{{.Name"]
USAGE_ERRORS = [("stop",), ("rename", "x"), ("logs",), ("diff", "a", "b"), ("ps", "--nope"), ("history",),
                ("commit",), ("tag", "a"), ("rmi",), ("kill", "-s"), ("exec", "x"), ("top",), ("wait",),
                ("inspect",), ("container", "nosuch"), ("image", "inspect"), ("pause",), ("create",),
                ("start", "--nope", "x"), ("images", "a", "b")]

STATS = {"sequences": 0, "steps": 0, "checks": 0, "divergences": 0}


def _log(text: str) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(text + "\n")


class Differential(RuleBasedStateMachine):
    base: Path  # where the sequences' data roots go (the test's tmp_path)

    def __init__(self) -> None:
        super().__init__()
        token = secrets.token_hex(4)
        self.prefix = f"dq{token}"  # "q": never an id prefix
        self.names = [f"{self.prefix}-{c}" for c in "abc"]
        self.missing = f"{self.prefix}-nosuch"
        self.repo = f"{self.prefix}img"
        self.tags = [f"{self.repo}:1", f"{self.repo}:2"]
        self.home = Path(tempfile.mkdtemp(prefix="seq-", dir=self.base))
        root = self.home / "root"
        self.sim = Cli("dockersim", _dockersim_argv(), dict(
            os.environ, DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off", DOCKERSIM_RUNTIME=TIER,
            DOCKERSIM_DAEMON="auto"))
        self.ref = Cli("docker", ["docker"], _docker_env(), image_ids=_reference_image_ids())
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.kinds: dict[str, str] = {}    # container name -> "short" or "long"
        self.status: dict[str, str] = {}   # container name -> its status on the reference
        self.commits: set[str] = set()     # untagged images committed on the reference
        self.steps = 0
        pulled = self.sim("pull", IMAGE)
        assert pulled.rc == 0, f"dockersim pull {IMAGE}: {pulled.stderr}"
        self.sim.image_ids = tuple(self.sim("images", "-q", "--no-trunc").stdout.split())
        STATS["sequences"] += 1
        _log(f"--- sequence {STATS['sequences']} ({self.prefix})")

    # ------------------------------------------------------------------ running and comparing
    def _norm(self, cli: Cli, text: str) -> str:
        text = _GENERATED.sub("<NAME>", cli.norm(text))
        return _PULL_FAILED.sub("Error response from daemon: <PULL FAILED>", _LISTED_TIME.sub("<TIMESTAMP>", text))

    def _view(self, cli: Cli, result: Result, compare: str) -> list[str]:
        out, err = self._norm(cli, result.stdout), self._norm(cli, result.stderr)
        if compare == "top":  # the rows: pids and times
            out = out.split("\n", 1)[0]
        elif compare == "set":  # rows in no fixed order: images made in the same second, tags of two repositories
            out = "\n".join(sorted(out.splitlines()))
        elif compare == "cells":  # a table whose column widths follow "N minutes ago", "Up About a minute"
            out = "\n".join(" | ".join(re.split(r"  +", row.strip())) for row in out.split("\n") if row.strip())
        return [f"exit code: {result.rc}", "stdout:", *out.split("\n"), "stderr:", *err.split("\n")]

    def both(self, *args: str, compare: str = "all", check: bool = False) -> Result:
        """Run ``docker ARGS`` on both engines at once; fail on any difference. Returns
        Docker's result. ``check``: a comparison of states, not one of the drawn steps."""
        sim_future, ref_future = self.pool.submit(self.sim, *args), self.pool.submit(self.ref, *args)
        sim, ref = sim_future.result(), ref_future.result()
        counter = "checks" if check else "steps"
        STATS[counter] += 1
        self.steps += not check
        expected, actual = self._view(self.ref, ref, compare), self._view(self.sim, sim, compare)
        shown = " ".join(a if re.fullmatch(r"[\w./:=@%+,-]+", a) else repr(a) for a in args)
        _log(f"docker {shown}  -> {ref.rc}" + ("" if expected == actual else "  DIFFERS"))
        if expected != actual:
            STATS["divergences"] += 1
            diff = "\n".join(difflib.unified_diff(expected, actual, "docker (reference)", "dockersim", lineterm=""))
            _log(diff)
            if SURVEY:  # record it and go on, to find more than one difference in a run
                return ref
            raise AssertionError(f"`docker {shown}`: dockersim differs from the reference Docker Engine:\n{diff}")
        return ref

    def settle(self) -> None:
        """Wait on both engines until every container whose command ends by itself has ended
        (`wait` returns at once for one that is not running), so no step races it."""
        short = [n for n, kind in self.kinds.items() if kind == "short"]
        if short:
            for future in [self.pool.submit(cli, "wait", *short) for cli in (self.sim, self.ref)]:
                future.result()

    def compare_states(self) -> None:
        """The state of each container of the sequence, on both engines; Docker's becomes the model."""
        self.settle()
        ref = self.both("inspect", "-f", "{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", *self.names,
                        check=True)
        self.status = {}
        for line in ref.stdout.splitlines():
            words = line.split()
            if len(words) >= 2:
                self.status[words[0].lstrip("/")] = words[1]
        self.kinds = {n: k for n, k in self.kinds.items() if n in self.status}

    def compare_images(self) -> None:
        self.both("images", self.repo, "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", check=True, compare="set")

    def step(self, *args: str, compare: str = "all", images: bool = False) -> Result:
        """A state-changing command, then the states compared."""
        self.settle()  # in case the drawing order left one running
        result = self.both(*args, compare=compare)
        self.compare_states()
        if images:
            self.compare_images()
        return result

    # ------------------------------------------------------------------ what the steps draw
    def target(self, data: st.DataObject, label: str = "container", new: bool = False) -> str:
        """One of the sequence's names, or (unless it names a container to be made: ``new``) one that is none."""
        return data.draw(st.sampled_from([*self.names, *([] if new else [self.missing])]), label=label)

    def targets(self, data: st.DataObject) -> list[str]:
        return data.draw(st.lists(st.sampled_from([*self.names, self.missing]), min_size=1, max_size=3, unique=True),
                         label="containers")

    # What a draw offers never depends on the engines' state (hypothesis replays draws and
    # needs the same choices each time): a name that does not fit is dropped after the draw.
    def not_running(self, data: st.DataObject) -> list[str]:
        """Names ``wait`` may be given: any container that is not running (or will end by
        itself), and names that are none."""
        drawn = data.draw(st.lists(st.sampled_from([*self.names, self.missing]), min_size=1, max_size=2, unique=True),
                          label="containers")
        return [n for n in drawn if self.status.get(n) not in ("running", "paused") or self.kinds.get(n) == "short"]

    def short_lived(self, data: st.DataObject) -> list[str]:
        """The name ``start -a`` may be given: a container whose command ends by itself, or none."""
        drawn = data.draw(st.sampled_from([*self.names, self.missing]), label="container")
        return [drawn] if self.kinds.get(drawn) != "long" else []

    def creating(self, name: str, cmd: list[str], *args: str) -> None:
        """A step that may create container ``name`` running ``cmd``: remember which kind it is."""
        existed = name in self.status
        self.step(*args)
        if not existed and name in self.status:
            self.kinds[name] = "long" if cmd in LONG else "short"

    # ------------------------------------------------------------------ the rules
    @initialize(states=st.lists(st.sampled_from(["none", "created", "running", "paused", "exited0", "exited3"]),
                                min_size=3, max_size=3))
    def start_from(self, states: list[str]) -> None:
        """Begin with each name in a random state: sequences start from every corner."""
        for name, state in zip(self.names, states):
            if state == "none":
                continue
            cmd = {"exited0": ["true"], "exited3": ["sh", "-c", "exit 3"]}.get(state, ["sleep", "1000"])
            self.kinds[name] = "long" if cmd in LONG else "short"
            if state == "created":
                self.both("create", "--name", name, IMAGE, *cmd)
            else:
                self.both("run", *(["-d"] if state in ("running", "paused") else []), "--name", name, IMAGE, *cmd)
            if state == "paused":
                self.both("pause", name)
        self.compare_states()

    def image(self, data: st.DataObject) -> str:
        """What a container is made from: busybox, or one of the sequence's tags (committed or not)."""
        return data.draw(st.sampled_from([IMAGE, IMAGE, self.tags[0]]), label="image")

    @rule(data=st.data(), cmd=st.sampled_from(SHORT + LONG), bad=st.sampled_from(["", "", "", "bad/name", "x"]),
          flags=st.sampled_from(CREATE_FLAGS))
    def create(self, data, cmd, bad, flags):
        name = bad or self.target(data, new=True)
        self.creating(name, cmd, "create", *flags, "--name", name, self.image(data), *cmd)

    @rule(data=st.data(), cmd=st.sampled_from(SHORT + LONG), flags=st.sampled_from(CREATE_FLAGS))
    def run_detached(self, data, cmd, flags):
        name = self.target(data, new=True)
        self.creating(name, cmd, "run", "-d", *flags, "--name", name, self.image(data), *cmd)

    @rule(data=st.data(), cmd=st.sampled_from(SHORT), rm=st.booleans(), flags=st.sampled_from(CREATE_FLAGS))
    def run_attached(self, data, cmd, rm, flags):
        # --rm with -d is left out: Docker removes the container some time after it ends
        name = self.target(data, new=True)
        self.creating(name, cmd, "run", *(["--rm"] if rm else []), *flags, "--name", name, self.image(data), *cmd)

    @rule(data=st.data())
    def start(self, data):
        self.step("start", *self.targets(data))

    @rule(data=st.data())
    def start_attached(self, data):
        if chosen := self.short_lived(data):
            self.step("start", "-a", *chosen)

    @rule(data=st.data(), grace=st.sampled_from(["0", "0", "1"]), restart=st.booleans())
    def stop_or_restart(self, data, grace, restart):
        # never Docker's default grace of 10 s: `sleep` as PID 1 ignores SIGTERM
        self.step("restart" if restart else "stop", "-t", grace, *self.targets(data))

    @rule(data=st.data(), signal=st.sampled_from([None, "KILL", "TERM", "9", "NOTASIGNAL"]))
    def kill(self, data, signal):
        self.step("kill", *(["-s", signal] if signal else []), *self.targets(data))

    @rule(data=st.data(), verb=st.sampled_from(["pause", "unpause"]))
    def pause_or_unpause(self, data, verb):
        self.step(verb, *self.targets(data))

    @rule(data=st.data(), force=st.booleans())
    def rm(self, data, force):
        self.step("rm", *(["-f"] if force else []), *(["-v"] if data.draw(st.booleans(), label="-v") else []),
                  *self.targets(data))

    @rule(data=st.data(), how=st.sampled_from([([], ["echo", "hi"]), ([], ["nosuchcmd"]), ([], ["sh", "-c", "exit 4"]),
                                                (["-d"], ["true"]), (["-e", "A=1"], ["sh", "-c", "echo $A"]),
                                                (["-w", "/"], ["pwd"]), (["-u", "1000"], ["id", "-u"]),
                                                (["-u", "nobody"], ["true"]), (["-d", "-u", "nobody"], ["true"])]))
    def exec(self, data, how):
        flags, cmd = how
        self.step("exec", *flags, self.target(data), *cmd)

    @rule(data=st.data(), new=st.sampled_from(["ours", "ours", "/ours", "bad/name", "x", " "]))
    def rename(self, data, new):
        old = self.target(data, "old name")
        if new.endswith("ours"):
            new = new.replace("ours", self.target(data, "new name", new=True))
        ref = self.step("rename", old, new)
        if ref.rc == 0 and old in self.kinds:
            self.kinds[new.lstrip("/")] = self.kinds.pop(old)

    @rule(data=st.data(), tag=st.sampled_from([0, 1, None]), message=st.booleans(), changes=st.sampled_from(CHANGES))
    def commit(self, data, tag, message, changes):
        name = self.target(data)
        ref = self.step("commit", *(["-m", "a message"] if message else []), *changes, name,
                        *([self.tags[tag]] if tag is not None else []), images=True)
        if ref.rc == 0 and tag is None:
            self.commits.add(ref.stdout.strip())

    @rule(source=st.sampled_from([IMAGE, 0, 1, "nosuch"]), to=st.sampled_from([0, 1, "UPPER:1"]))
    def tag(self, source, to):
        # never a tag of busybox as the target: the reference's busybox:latest stays as it is
        source = self.tags[source] if isinstance(source, int) else (self.missing if source == "nosuch" else source)
        self.step("tag", source, self.tags[to] if isinstance(to, int) else to, images=True)

    @rule(data=st.data(), force=st.booleans())
    def rmi(self, data, force):
        # only the sequence's own tags: busybox on the reference is never removed
        chosen = data.draw(st.lists(st.sampled_from([*self.tags, self.missing]), min_size=1, max_size=2, unique=True))
        self.step("rmi", *(["-f"] if force else []), *chosen, images=True)

    @rule(how=st.sampled_from([["-a"], ["-a", "-q"], [], ["-a", "--format", "{{.Names}}|{{.Status}}|{{.Command}}|{{.Image}}"],
                               ["-a", "--filter", "status=exited", "--format", "{{.Names}} {{.State}}"],
                               ["--format", "{{.Names}}"], ["-a", "--no-trunc", "--format", "{{.Command}}"],
                               ["-a", "--filter", "status=running", "-q"], ["-a", "--filter", "exited=3", "--format", "{{.Names}}"],
                               ["-a", "-s", "--format", "{{.Names}} {{.Size}}"]]))
    def ps(self, how):
        self.settle()
        self.both("ps", *how, "--filter", f"name={self.prefix}", compare="all" if "--format" in how or "-q" in how else "cells")

    @rule(data=st.data(), template=st.sampled_from(FORMATS),
          verb=st.sampled_from([["inspect"], ["container", "inspect"], ["image", "inspect"], ["inspect", "--type", "container"]]))
    def inspect(self, data, template, verb):
        self.settle()
        self.both(*verb, "-f", template, *self.targets(data))

    @rule(data=st.data(), verb=st.sampled_from(["logs", "diff", "top", "logs --tail 1", "logs -t", "logs --details"]))
    def query(self, data, verb):
        self.settle()
        words = verb.split()
        self.both(*words, self.target(data), compare="top" if words[0] == "top" else "all")

    @rule(data=st.data())
    def wait(self, data):
        self.settle()
        if chosen := self.not_running(data):
            self.both("wait", *chosen)

    @rule(image=st.sampled_from([IMAGE, 0, "nosuch"]),
          how=st.sampled_from([["--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}"], ["-q"], ["--no-trunc", "-q"],
                               ["--format", "{{json .}}"], [], ["-H=false", "--format", "{{.Size}} {{.CreatedAt}}"]]))
    def history(self, image, how):
        image = self.tags[image] if isinstance(image, int) else (self.missing if image == "nosuch" else image)
        self.both("history", *how, image, compare="all" if how else "cells")

    @rule(image=st.sampled_from([IMAGE, 0, 1, "nosuch"]), template=st.sampled_from(IMAGE_FORMATS))
    def image_inspect(self, image, template):
        image = self.tags[image] if isinstance(image, int) else (self.missing if image == "nosuch" else image)
        self.both("image", "inspect", "-f", template, image)

    @rule(how=st.sampled_from([["--format", "{{.Repository}}:{{.Tag}}"], ["-q"], [], ["--format", "json"]]))
    def images(self, how):
        self.both("images", *how, self.repo, compare="set" if how else "cells")

    @rule(args=st.sampled_from(USAGE_ERRORS))
    def usage_error(self, args):
        self.both(*args)

    # ------------------------------------------------------------------ cleaning up
    def teardown(self) -> None:
        problems = []
        try:
            self.ref("rm", "-f", *self.names, self.missing, *self.ref.created_ids)
            self.ref("rmi", "-f", *self.tags, *self.commits)
            left = self.ref("ps", "-aq", "--filter", f"name={self.prefix}").stdout.split()
            left += self.ref("images", "-q", self.repo).stdout.split()
            left += [i for i in self.commits if self.ref("image", "inspect", i).rc == 0]
            if left:
                problems.append(f"left on the reference engine: {left}")
            ids = self.sim("ps", "-aq", "--no-trunc").stdout.split()
            if ids:
                self.sim("rm", "-f", *ids)
            root = Path(self.sim.env["DOCKERSIM_ROOT"])
            stop_daemon(root)
            problems += leftovers(root)
        finally:
            self.pool.shutdown()
            shutil.rmtree(self.home, ignore_errors=True)
            _log(f"    {self.steps} steps; so far {STATS}")
        assert not problems, "; ".join(problems)


def test_random_command_sequences_answer_as_docker_does(tmp_path):
    Differential.base = tmp_path
    run_state_machine_as_test(Differential, settings=settings(
        max_examples=SEQUENCES, stateful_step_count=STEPS, deadline=None, database=None, print_blob=True,
        report_multiple_bugs=False, phases=PHASES, suppress_health_check=list(HealthCheck)))
    _log(f"=== {STATS}")
    assert not STATS["divergences"], f"{STATS['divergences']} differences from the reference engine: see {LOG or 'the log'}"

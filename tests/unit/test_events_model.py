"""``docker events``' rules (model/events.py): shapes, the text line, filters, times; and the
log that keeps them (store/events.py), rotation and following included."""

from __future__ import annotations

import json
import threading

import pytest

from simulator.model.errors import DaemonError, DockerError
from simulator.model.events import (
    EVENTS_LIMIT, EventFilters, EventFormat, container_event, exec_action, get_timestamp, image_event, message,
    text_line, time_window,
)

T = 1_796_167_162_268_703_464  # 2026-12-01T23:19:22.268703464Z


def test_a_container_message_has_dockers_keys_order_and_deprecated_fields():
    event = container_event("die", "c0ffee", "busybox", "web", T, exitCode="137")
    assert json.dumps(event, separators=(",", ":")) == (
        '{"status":"die","id":"c0ffee","from":"busybox","Type":"container","Action":"die",'
        '"Actor":{"ID":"c0ffee","Attributes":{"exitCode":"137","image":"busybox","name":"web"}},'
        '"scope":"local","time":1796167162,"timeNano":1796167162268703464}')


def test_an_image_message_names_the_image_by_its_id_unless_it_is_a_tag():
    assert image_event("untag", "sha256:ab", T)["Actor"] == {"ID": "sha256:ab", "Attributes": {"name": "sha256:ab"}}
    tag = image_event("tag", "sha256:ab", T, "web:v1")
    assert tag["Actor"]["Attributes"] == {"name": "web:v1"} and "from" not in tag


def test_a_prune_message_has_no_actor_and_no_deprecated_id():
    event = message("container", "prune", "", {"reclaimed": "3"}, T)
    assert list(event) == ["status", "Type", "Action", "Actor", "scope", "time", "timeNano"]
    assert event["Actor"] == {"ID": "", "Attributes": {"reclaimed": "3"}}


def test_the_text_line_is_dockers_fixed_nanoseconds_and_sorted_attributes():
    event = container_event(exec_action("exec_create", ["true"]), "c0ffee", "busybox", "web", T, execID="e1")
    assert text_line(event) == ("2026-12-01T23:19:22.268703464Z container exec_create: true  c0ffee "
                                "(execID=e1, image=busybox, name=web)\n")
    assert text_line(event, 3600).startswith("2026-12-02T00:19:22.268703464+01:00 ")
    assert text_line(message("image", "prune", "", {}, T)).endswith("image prune \n")


@pytest.mark.parametrize("format, expected", [
    ("{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.nope}}", "container die web <no value>"),
    ("{{.Status}}|{{.ID}}|{{.From}}|{{.Scope}}|{{.Time}}", "die|c0ffee|busybox|local|1796167162"),
    ("{{json .Actor.Attributes}}", '{"exitCode":"0","image":"busybox","name":"web"}'),
    ("{{.}}", "{die c0ffee busybox container die {c0ffee map[exitCode:0 image:busybox name:web]} local "
              "1796167162 1796167162268703464}"),
])
def test_format_templates_see_the_go_struct(format, expected):
    assert EventFormat(format).render(container_event("die", "c0ffee", "busybox", "web", T, exitCode="0")) == expected + "\n"


def test_format_json_prints_the_message_as_the_daemon_sent_it():
    event = image_event("tag", "sha256:ab", T, "web:v1")
    assert EventFormat("json").render(event) == json.dumps(event, separators=(",", ":")) + "\n"


@pytest.mark.parametrize("format, error", [
    ("{{.Nope}}", 'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *events.Message'),
    ("{{.Actor.Nope}}", 'template: :1:8: executing "" at <.Actor.Nope>: can\'t evaluate field Nope in type events.Actor'),
    ("{{", "template: :1: unclosed action"),
])
def test_a_bad_template_fails_before_any_message_with_exit_64(format, error):
    with pytest.raises(DockerError) as caught:
        EventFormat(format)
    assert str(caught.value) == f"Error parsing format: {error}" and caught.value.exit_code == 64


def test_filters_follow_the_daemons_rules():
    start = container_event("start", "c0ffee", "busybox", "web1", T)
    execs = container_event("exec_create: sh -c true", "c0ffee", "busybox", "web1", T)
    tag = image_event("tag", "sha256:ab", T, "web:v1")
    assert EventFilters(["container=web"]).keeps(start)          # a prefix of the name
    assert EventFilters(["container=c0f"]).keeps(start)          # a prefix of the id
    assert not EventFilters(["container=eb1"]).keeps(start)
    assert EventFilters(["container=web"]).keeps(tag)            # as Docker: the tag's name starts so
    assert not EventFilters(["container=web", "type=container"]).keeps(tag)
    assert EventFilters(["event=exec_create"]).keeps(execs)      # exec_create matches exec_create: ...
    assert not EventFilters(["event=exec"]).keeps(execs)
    assert EventFilters(["event=die", "event=start"]).keeps(start)
    assert EventFilters(["image=busybox"]).keeps(start) and EventFilters(["image=busybox:latest"]).keeps(start) is False
    assert EventFilters(["image=web"]).keeps(tag) and EventFilters(["image=sha256:ab"]).keeps(tag)
    assert EventFilters(["nope=1"]).keeps(start)                 # keys the daemon does not know: ignored
    assert EventFilters(["label=image=busybox"]).keeps(start) and not EventFilters(["label=color"]).keeps(start)


NOW = 1_796_167_162_500_000_000


@pytest.mark.parametrize("typed, sent", [
    ("10m", "1796166562"), ("1h30m", "1796161762"), ("-5m", "1796167462"), ("0", "0"),
    ("1796167162", "1796167162"), ("1796167162.25", "1796167162.25"),
    ("2026-12-01", "1796083200.000000000"), ("2026-12-01T23", "1796166000.000000000"),
    ("2026-12-01T23:19:22.5Z", "1796167162.500000000"), ("2026-12-01T23:19:22+01:00", "1796163562.000000000"),
])
def test_since_and_until_are_sent_as_the_cli_sends_them(typed, sent):
    assert get_timestamp(typed, NOW) == sent


def test_a_time_without_a_zone_is_local():
    assert get_timestamp("2026-12-01T23:19:22", NOW, offset=3600) == "1796163562.000000000"


@pytest.mark.parametrize("typed, error", [
    ("nope", 'failed to parse value as time or duration: "nope"'),
    ("12:00", 'failed to parse value as time or duration: "12:00"'),
    ("2026-13-01", 'parsing time "2026-13-01": month out of range'),
    ("2026-12-01T25", 'parsing time "2026-12-01T25": hour out of range'),
])
def test_times_the_cli_cannot_read(typed, error):
    with pytest.raises(DockerError, match="^" + error.replace(".", r"\.") + "$"):
        get_timestamp(typed, NOW)


def test_the_daemons_time_window():
    assert time_window("", "", NOW) == (None, None, True)          # no past: only what follows
    assert time_window("1796167162", "", NOW) == (1_796_167_162_000_000_000, None, True)
    assert time_window("", "0", NOW) == (None, 0, False)           # every kept message, then stop
    assert time_window("1", "1796167163", NOW)[2] is True          # until in the future: follow until then
    with pytest.raises(DaemonError, match=r"`since` time \(10\) cannot be after `until` time \(9\)"):
        time_window("10", "9", NOW)


# ---------------------------------------------------------------------- the log


def test_the_log_keeps_the_newest_messages_across_rotation(tmp_path, monkeypatch):
    from simulator.store import events as store_events

    monkeypatch.setattr(store_events, "ROTATE_BYTES", 100_000)  # about 330 messages a file
    log = store_events.EventLog(str(tmp_path))
    for i in range(3 * EVENTS_LIMIT):
        log.append(container_event("create", f"{i:064x}", "busybox", f"c{i}", T + i))
    kept, _ = log.kept()
    assert len(kept) == EVENTS_LIMIT and kept[-1]["Actor"]["Attributes"]["name"] == f"c{3 * EVENTS_LIMIT - 1}"
    assert [e["timeNano"] for e in kept] == sorted(e["timeNano"] for e in kept)
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == ["events.json", "events.json.1", "rotate.lock"]


def test_following_sees_each_message_appended_after_it_began_across_rotations(tmp_path, monkeypatch):
    import queue

    from simulator.store import events as store_events

    monkeypatch.setattr(store_events, "ROTATE_BYTES", 600)  # two messages pass it: a rotation every other one
    log = store_events.EventLog(str(tmp_path))
    log.append(container_event("create", "a" * 64, "busybox", "before", T))
    _, position = log.kept()
    seen: queue.Queue[str] = queue.Queue()

    def follow() -> None:
        for event in log.follow(position, deadline=None):
            seen.put(event["Actor"]["Attributes"]["name"])
            if event["Actor"]["Attributes"]["name"] == "n4":
                return

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    got = []
    for i in range(5):
        log.append(container_event("die", "a" * 64, "busybox", f"n{i}", T + 1 + i, exitCode="0"))
        got.append(seen.get(timeout=10))  # each one arrives, whichever file it landed in
    reader.join(10)
    assert got == ["n0", "n1", "n2", "n3", "n4"] and not reader.is_alive()


def test_following_until_a_deadline_ends_then(tmp_path):
    import time

    from simulator.store.events import EventLog

    log = EventLog(str(tmp_path))
    _, position = log.kept()
    begun = time.monotonic()
    assert list(log.follow(position, deadline=time.time() + 0.3)) == []
    assert 0.25 <= time.monotonic() - begun < 5

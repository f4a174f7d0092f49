"""logs --since/--until and wait of several containers, on both engines."""

from __future__ import annotations


def test_logs_between_two_times(engines):
    name = engines.name("logs")

    def scenario(rec):
        rec.setup("run", "--name", name, "busybox", "sh", "-c", "echo one; echo two")
        for since in ("0", "2000-01-01", "2000-01-01T00:00:00Z", "946684800", "1h", "3000-01-01"):
            rec.run("logs", "--since", since, name)
        for until in ("2000-01-01", "1h", "3000-01-01T00:00:00Z", "0"):
            rec.run("logs", "--until", until, name)
        rec.run("logs", "--since", "xyz", name)
        rec.run("logs", "--until", "2000-13-45", name)
        rec.run("logs", "--since", "yesterday", "nosuch-container-x")

    engines.compare(scenario)


def test_wait_of_several_containers_prints_each_code_and_each_error(engines):
    first, second = engines.name("wt"), engines.name("wt")

    def scenario(rec):
        rec.setup("run", "--name", first, "busybox", "true")
        rec.setup("run", "--name", second, "busybox", "sh", "-c", "exit 3")
        rec.run("wait", first, second, "nosuch-container-x", second)

    engines.compare(scenario)

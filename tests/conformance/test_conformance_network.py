"""Networks and ports: dockersim's containers are on ``--network none`` (a loopback of their
own); Docker's, asked for the same, must answer the same, ``-p`` and ``docker port`` too."""

from __future__ import annotations

import pytest

PUBLISH = ["80", "8080:80", "127.0.0.1:8081:81", "8082:82/udp", "8000-8001:90-91", ":83", "[::1]:8084:84"]
BAD_PUBLISH = ["abc", "99999:80", "8080:abc", "8080:80/xyz", "1.2.3:80:80", "8000-8001:80-82", ""]


def test_published_ports_are_kept_and_never_published(engines):
    name = engines.name("ports")

    def scenario(rec):
        args = [a for p in PUBLISH for a in ("-p", p)]
        rec.setup("create", "--name", name, "--network", "none", *args, "busybox", "sleep", "1000")
        for field in (".HostConfig.NetworkMode", "json .HostConfig.PortBindings", "json .Config.ExposedPorts",
                      "json .NetworkSettings.Ports", "len .NetworkSettings.Networks", 'with index .NetworkSettings.Networks "none"}}on none{{end'):
            rec.run("inspect", "-f", "{{" + field + "}}", name)
        rec.run("port", name)
        for port in ("80", "80/tcp", "82/udp", "81/xyz", "http", "99999"):
            rec.run("port", name, port)
        rec.run("port", "nosuch-container-x")
        rec.run("port")
        rec.run("port", name, "80", "81")
        rec.run("ps", "-a", "--filter", f"name={name}", "--format", "{{.Names}} [{{.Ports}}] {{.Networks}}")
        rec.setup("start", name)
        rec.run("port", name)
        rec.run("inspect", "-f", "{{json .NetworkSettings.Ports}} {{.NetworkSettings.IPAddress}}", name)
        rec.run("exec", name, "ip", "addr")

    engines.compare(scenario)


@pytest.mark.parametrize("spec", BAD_PUBLISH, ids=lambda s: s or "empty")
def test_a_bad_port_is_refused_as_docker_refuses_it(engines, spec):
    def scenario(rec):
        rec.run("create", "--network", "none", "-p", spec, "busybox")
        rec.run("run", "--rm", "--network", "none", "-p", spec, "busybox", "true")

    engines.compare(scenario)


def test_the_none_network_is_a_loopback_only_and_other_networks_do_not_exist(engines):
    name = engines.name("nonet")
    engines.names.append(f"{name}-run")

    def scenario(rec):
        rec.run("run", "--rm", "--network", "none", "busybox", "ip", "addr")
        rec.run("run", "--rm", "--network", "none", "busybox", "sh", "-c", "ip route; echo routes done")
        rec.run("run", "--rm", "--network", "nosuch-network-x", "busybox", "true")
        rec.setup("create", "--name", name, "--network", "nosuch-network-x", "busybox", "true")
        rec.run("start", name)
        rec.run("inspect", "-f", "{{.State.Status}} {{.State.Error}} {{.HostConfig.NetworkMode}}", name)
        rec.run("run", "--name", f"{name}-run", "--network", "nosuch-network-x", "busybox", "true")
        rec.run("ps", "-a", "--filter", f"name={name}-run", "--format", "{{.Names}} {{.State}}")
        rec.run("run", "--rm", "--network", "host", "busybox", "true")

    engines.compare(scenario)

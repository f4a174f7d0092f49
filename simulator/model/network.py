"""Networks and ports, as Docker answers for a container on ``--network none``.

dockersim's engine has no bridge: a container on the namespace tier gets a network
namespace of its own with only a loopback (Docker's ``none``), or, asked for, the host's
(``--network host``). ``-p`` is read and kept as Docker keeps it (``HostConfig.PortBindings``,
``Config.ExposedPorts``), and, as on ``none``, nothing is published: ``docker port`` lists
nothing. The port syntax and its errors are Docker's (go-connections' ``nat.ParsePortSpec``).
"""

from __future__ import annotations

import ipaddress

from .errors import DaemonError, DockerError

__all__ = ["NETWORKS", "network_mode", "network_words", "network_settings", "no_public_port", "parse_private_port", "parse_publish"]

#: the networks there are (name -> Docker's driver), as ``docker network ls`` would list them
NETWORKS = {"none": "null", "host": "host"}
_PROTOCOLS = ("tcp", "udp", "sctp")


def network_mode(requested: str | None) -> str:
    """The ``--network`` a container starts on: ``none`` unless ``host`` is asked for; any
    other network does not exist here (there is no bridge), as Docker says of an unknown one."""
    mode = requested or "none"
    if mode in NETWORKS:
        return mode
    error = DaemonError(f"network {mode} not found")
    error.status = 404
    raise error


def _port_range(text: str) -> tuple[int, int]:
    start, dash, end = text.partition("-")
    low = int(start) if start.isdigit() else -1
    high = int(end) if dash and end.isdigit() else (low if not dash else -1)
    if not (0 <= low <= 65535 and 0 <= high <= 65535):
        raise ValueError(text)
    if high < low:
        raise ValueError(text)
    return low, high


def _cli_error(verb: str, message: str) -> DockerError:
    return DockerError(f"docker: {message}\n\nRun 'docker {verb} --help' for more information", exit_code=125)


def parse_publish(specs: list[str], verb: str = "run") -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """(``ExposedPorts``, ``PortBindings``) of the ``-p`` values ``specs``, or the docker
    CLI's refusal, worded as ``docker VERB`` words it.

    >>> parse_publish(["127.0.0.1:8080:80", "53/udp"])
    ({'80/tcp': {}, '53/udp': {}}, {'80/tcp': [{'HostIp': '127.0.0.1', 'HostPort': '8080'}], '53/udp': [{'HostIp': '', 'HostPort': ''}]})
    """
    exposed: dict[str, dict] = {}
    bindings: dict[str, list[dict]] = {}
    for raw in specs:
        parts = raw.split(":")
        container = parts[-1]
        host_ip, host_port = ("", "") if len(parts) == 1 else (":".join(parts[:-2]), parts[-2])
        container, _, proto = container.partition("/")
        proto = proto or "tcp"
        if host_ip.startswith("["):
            host_ip = host_ip[1:].split("]", 1)[0]
        if host_ip:
            try:
                ipaddress.ip_address(host_ip)
            except ValueError:
                raise _cli_error(verb, f"invalid IP address: {host_ip}") from None
        if not container:
            raise _cli_error(verb, f"no port specified: {raw}<empty>")
        try:
            start, end = _port_range(container)
        except ValueError:
            raise _cli_error(verb, f"invalid containerPort: {container}") from None
        host_start = host_end = 0
        if host_port:
            try:
                host_start, host_end = _port_range(host_port)
            except ValueError:
                raise _cli_error(verb, f"invalid hostPort: {host_port}") from None
            if end - start != host_end - host_start and end != start:
                raise _cli_error(verb, f"invalid ranges specified for container and host Ports: {container} and {host_port}")
        if proto.lower() not in _PROTOCOLS:
            raise _cli_error(verb, f"invalid proto: {proto}")
        for i in range(end - start + 1):
            key = f"{start + i}/{proto.lower()}"
            port = str(host_start + i) if host_port else ""
            if host_port and start == end and host_start != host_end:
                port = f"{host_start}-{host_end}"
            exposed[key] = {}
            bindings.setdefault(key, []).append({"HostIp": host_ip, "HostPort": port})
    return exposed, bindings


def parse_private_port(text: str) -> None:
    """The docker CLI's check of ``docker port C PORT[/PROTO]`` (the protocol is not checked).

    >>> parse_private_port("http")
    Traceback (most recent call last):
    ...
    simulator.model.errors.DockerError: Error: invalid port (http): strconv.ParseUint: parsing "http": invalid syntax
    """
    port = text.partition("/")[0]
    try:
        _port_range(port)
    except ValueError:
        detail = "value out of range" if port.isdigit() else "invalid syntax"
        raise DockerError(f'Error: invalid port ({port}): strconv.ParseUint: parsing "{port}": {detail}') from None


def network_words(tier: str) -> str:
    """What ``info`` says of the network on ``tier``."""
    if tier == "process":
        return ("the host's: the process tier cannot give a container a network of its own; "
                "-p is recorded, nothing is published")
    return ("none: each container has a network namespace of its own with only a loopback "
            "(--network host: the host's); there is no bridge; -p is recorded, nothing is published")


def no_public_port(port: str, container: str) -> DockerError:
    """``docker port C PORT`` where nothing is published (always, on ``none``)."""
    return DockerError(f"Error: No public port '{port}' published for {container}")


def network_settings(mode: str, sandbox_id: str, sandbox_key: str) -> dict:
    """``NetworkSettings`` of a container on ``mode`` (``none`` or ``host``), as Docker 20.10
    shows it: no address, no ports, one network."""
    return {
        "Bridge": "",
        "SandboxID": sandbox_id,
        "HairpinMode": False,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "Ports": {},
        "SandboxKey": sandbox_key,
        "SecondaryIPAddresses": None,
        "SecondaryIPv6Addresses": None,
        "EndpointID": "",
        "Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": "",
        "IPPrefixLen": 0,
        "IPv6Gateway": "",
        "MacAddress": "",
        "Networks": {mode: {
            "IPAMConfig": None, "Links": None, "Aliases": None, "NetworkID": "", "EndpointID": "",
            "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "IPv6Gateway": "", "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0, "MacAddress": "", "DriverOpts": None,
        }},
    }

"""Go templates as ``--format`` uses them (simulator/model/gotemplate.py), and ``ps``'s
filters (simulator/model/filters.py): pure, so checked here without an engine; the
conformance suite compares the same against a real Docker."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from simulator.model.errors import DaemonError, DockerError
from simulator.model.filters import ContainerFilters
from simulator.model.formats import InspectFormat, ListFormat
from simulator.model.gotemplate import ExecError, ParseError, parse, show

STATE = {"Status": "running", "Running": True, "Pid": 42, "Health": None}
CONTAINER = {"Name": "/web", "State": STATE, "Config": {"Cmd": ["sleep", "9"], "Labels": {"b": "2", "a": "1"}, "Env": None}}
MAPS = frozenset({"Labels"})


@pytest.mark.parametrize("template, printed", [
    ("{{.State.Status}}/{{.State.Pid}}", "running/42"),
    ("{{.State}}", "{running true 42 <nil>}"),  # a struct: its values in field order
    ("{{.Config.Labels}} {{json .Config.Labels}}", 'map[a:1 b:2] {"a":"1","b":"2"}'),  # a map: sorted
    ("{{.Config.Cmd}} {{json .Config.Cmd}} {{len .Config.Cmd}}", '[sleep 9] ["sleep","9"] 2'),
    ("{{.Config.Env}}", "<no value>"),
    ("{{range .Config.Cmd}}<{{.}}>{{end}}", "<sleep><9>"),
    ("{{range .Config.Env}}x{{else}}none{{end}}", "none"),
    ("{{if eq .State.Status \"paused\"}}P{{else if .State.Running}}R{{else}}S{{end}}", "R"),
    ("{{with .State}}{{.Pid}}{{end}}", "42"),
    ("{{.Name | upper}} {{lower \"AB\"}} {{join .Config.Cmd \",\"}} {{index .Config.Cmd 1}}", "/WEB ab sleep,9 9"),
    ("a  {{- .Name -}}  b {{/* not printed */}}", "a/webb "),
    ("{{printf \"%s has %d\" .Name .State.Pid}}", "/web has 42"),
    ("{{json \"<&>\"}}", '"\\u003c\\u0026\\u003e"'),
])
def test_a_template_prints_as_go_prints(template: str, printed: str) -> None:
    assert parse(template).execute(CONTAINER, maps=MAPS) == printed


@pytest.mark.parametrize("template, error", [
    ("{{.Name", "template: :1: unclosed action"),
    ("{{nope .Name}}", 'template: :1: function "nope" not defined'),
    ("{{end}}", "template: :1: unexpected {{end}}"),
    ("{{if .Name}}", "template: :1: unexpected EOF"),
    ("x\n{{.Name", "template: :2: unclosed action"),
])
def test_a_template_that_does_not_parse_says_where(template: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(template)
    assert str(caught.value) == error


@pytest.mark.parametrize("template, error", [
    ("{{.Nope}}", 'template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"'),
    ("{{.State.Nope}}", 'template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"'),
    ("{{.Name.X}}", 'template: :1:7: executing "" at <.Name.X>: can\'t evaluate field X in type string'),
    ("{{index .Config.Cmd 5}}", 'template: :1:2: executing "" at <index .Config.Cmd 5>: '
                                'error calling index: index out of range: 5'),
    ("x\n  {{.Nope}}", 'template: :2:4: executing "" at <.Nope>: map has no entry for key "Nope"'),
])
def test_a_template_that_fails_on_a_value_says_where_and_why(template: str, error: str) -> None:
    with pytest.raises(ExecError) as caught:
        parse(template).execute(CONTAINER)
    assert str(caught.value) == error


@given(st.text().filter(lambda text: "{{" not in text))
def test_text_without_actions_prints_as_it_is(text: str) -> None:
    assert parse(text).execute({}) == text


def test_go_prints_whole_floats_as_integers_and_bools_in_lower_case() -> None:
    assert show(1984132.0) == "1984132" and show(True) == "true" and show([None]) == "[<nil>]"


def test_a_table_format_aligns_columns_under_the_headers() -> None:
    rows = [{"Names": "web", "Status": "Up 2 seconds", "ID": "abc"}, {"Names": "database", "Status": "Created", "ID": "d"}]
    assert ListFormat("table {{.Names}}\\t{{.Status}}", "ps").render(rows) == ("NAMES      STATUS\n"
                                                                             "web        Up 2 seconds\n"
                                                                             "database   Created\n")
    assert ListFormat("{{.Names}}\\t{{.ID}}", "ps").render(rows) == "web\tabc\ndatabase\td\n"


@pytest.mark.parametrize("listing, template, error", [
    ("ps", "{{.Nope}}", "failed to execute template: template: :1:2: executing \"\" at <.Nope>: "
                        "can't evaluate field Nope in type *formatter.ContainerContext"),  # ps tries it first
    ("ps", "{{.Names", "failed to parse template: template: :1: unclosed action"),
    ("images", "{{.ID", "template parsing error: template: :1: unclosed action"),
])
def test_each_listing_words_a_wrong_template_its_own_way(listing: str, template: str, error: str) -> None:
    with pytest.raises(DockerError) as caught:
        ListFormat(template, listing)
    assert str(caught.value) == error


def test_inspect_f_fails_to_parse_with_64_and_on_a_value_with_1() -> None:
    with pytest.raises(DockerError) as caught:
        InspectFormat("{{.Name")
    assert caught.value.exit_code == 64
    with pytest.raises(DockerError) as caught:
        InspectFormat("{{.Nope}}").render(CONTAINER)
    assert caught.value.exit_code == 1 and str(caught.value).startswith("template parsing error: template: :1:2:")
    assert InspectFormat("{{.Config.Labels}}").render(CONTAINER) == "map[a:1 b:2]\n"


def _keeps(filters: ContainerFilters, **overrides) -> bool:
    container = dict(id="abc123", name="web", status="exited", exit_code=3, created=100.0, image_id="sha256:img",
                     before=[], since=[], ancestors=lambda image_id: False)
    container.update(overrides)
    return filters.keeps(**container)


def test_filters_of_one_name_are_alternatives_and_of_two_names_must_all_hold() -> None:
    either = ContainerFilters(["status=running", "status=exited"])
    assert _keeps(either) and not _keeps(either, status="created") and either.lists_stopped
    both = ContainerFilters(["status=exited", "exited=3", "name=^w"])
    assert _keeps(both) and not _keeps(both, exit_code=0) and not _keeps(both, name="db")
    assert not ContainerFilters(["exited=3"]).lists_stopped
    assert not _keeps(ContainerFilters(["name=["]))  # a pattern that does not compile matches nothing
    assert not _keeps(ContainerFilters(["label=x"])) and _keeps(ContainerFilters(["health=none"]))


@pytest.mark.parametrize("spec, error", [
    ("bogus=1", "Invalid filter 'bogus'"), ("status=up", "Invalid filter 'status=up'"),
    ("exited=x", 'strconv.Atoi: parsing "x": invalid syntax'), ("=x", "Invalid filter ''"),
])
def test_a_wrong_filter_is_the_daemons_error(spec: str, error: str) -> None:
    with pytest.raises(DaemonError) as caught:
        ContainerFilters([spec])
    assert caught.value.detail == error

"""docker rmi's rules, from what a Docker 20.10 engine answered."""

import pytest

from simulator.model.errors import Conflict
from simulator.model.images import plan_rmi

IMAGE = "sha256:7100288310a7" + "f" * 52
STOPPED = [("0bafb4e7b336" + "0" * 52, "exited")]
RUNNING = [("9dae2b3bf50e" + "0" * 52, "running")]


def test_a_tag_among_several_is_only_untagged():
    assert plan_rmi("bb:2", IMAGE, ["bb:2", "busybox:latest"], False, RUNNING, False) == (["bb:2"], False)


def test_the_last_tag_goes_with_the_image():
    assert plan_rmi("img:1", IMAGE, ["img:1"], False, [], False) == (["img:1"], True)


def test_the_last_tag_of_an_image_with_children_untags_only():
    assert plan_rmi("img:1", IMAGE, ["img:1"], True, [], False) == (["img:1"], False)


def test_a_used_image_must_be_forced_and_force_only_untags():
    with pytest.raises(Conflict) as info:
        plan_rmi("busybox", IMAGE, ["busybox:latest"], False, STOPPED, False)
    assert str(info.value) == ('Error response from daemon: conflict: unable to remove repository reference "busybox" '
                               "(must force) - container 0bafb4e7b336 is using its referenced image 7100288310a7")
    assert plan_rmi("busybox", IMAGE, ["busybox:latest"], True, STOPPED, True) == (["busybox:latest"], False)


@pytest.mark.parametrize("children,users,force,reason", [
    (True, [], True, "(cannot be forced) - image has dependent child images"),
    (False, STOPPED, False, "(must be forced) - image is being used by stopped container 0bafb4e7b336"),
    (False, RUNNING, True, "(cannot be forced) - image is being used by running container 9dae2b3bf50e"),
])
def test_deleting_by_id_is_refused_as_docker_refuses(children, users, force, reason):
    with pytest.raises(Conflict) as info:
        plan_rmi("7100288310a7", IMAGE, ["busybox:latest"], children, users, force)
    assert str(info.value) == f"Error response from daemon: conflict: unable to delete 7100288310a7 {reason}"


def test_an_id_with_several_tags_must_be_forced():
    with pytest.raises(Conflict):
        plan_rmi("7100288310a7", IMAGE, ["a:1", "b:1"], False, [], False)
    assert plan_rmi("7100288310a7", IMAGE, ["a:1", "b:1"], False, [], True) == (["a:1", "b:1"], True)

"""Image commands on both engines: commit, history, tag, rmi, and images afterwards."""

from __future__ import annotations


def test_commit_history_and_rmi_of_a_committed_image(engines):
    name, image = engines.name("commit"), engines.image()

    def scenario(rec):
        rec.setup("run", "--name", name, "busybox", "sh", "-c", "echo hi > /x; rm /bin/ls; mkdir /d")
        rec.run("commit", "-m", "made by hand", name, image)
        rec.run("history", image, compare="ps")
        rec.run("run", "--rm", image, "sh", "-c", "cat /x; ls /bin/ls; ls -d /d")
        rec.run("rmi", "busybox")  # must force: a container uses it
        rec.run("rm", name)
        rec.run("rmi", image)  # untagged, deleted, and its layer released

    engines.compare(scenario)


def test_tag_and_untag_keep_the_image(engines):
    name, image = engines.name("tagged"), engines.image()

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.run("tag", "busybox", image)
        rec.run("rmi", image)  # another name remains: untag only
        rec.run("rmi", "nosuch-image-x")
        rec.run("tag", "nosuch-image-x", image)

    engines.compare(scenario)


def test_commit_of_an_unchanged_container_adds_a_history_row_only(engines):
    name, image = engines.name("same"), engines.image()

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.run("commit", name, image)
        rec.run("history", image, compare="ps")

    engines.compare(scenario)


def test_history_in_raw_numbers_and_scratch(engines):
    def scenario(rec):
        rec.run("history", "-H=false", "busybox", compare="ps")
        rec.run("pull", "scratch")
        rec.run("create", "scratch")

    engines.compare(scenario)


def test_commit_changes_set_the_config_as_a_build_would(engines):
    name, image = engines.name("changes"), engines.image()

    def scenario(rec):
        rec.setup("create", "--name", name, "busybox", "true")
        rec.setup("commit", "-c", 'ENV A="two words" B=2', "-c", "ENV B=3", "-c", 'ENTRYPOINT ["sh"]',
                  "-c", "LABEL k=v", "-c", "EXPOSE 80", "-c", "VOLUME /data", name, image)
        rec.run("run", "--rm", image, "-c", 'echo "$A|$B"')  # quotes gone, B replaced, no Cmd left
        rec.run("commit", "-c", "RUN true", name)
        rec.run("commit", "-c", "STOPSIGNAL SIGINT", name)

    engines.compare(scenario)

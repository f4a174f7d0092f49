"""Container names and ids as Docker treats them: validation, generation, lookup.

Pure: the caller supplies the random source and the list of existing containers.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    import random
    from typing import Iterable, Sequence

from .errors import AmbiguousReference, Conflict, InvalidParameter, NoSuchContainer, NoSuchImage

__all__ = ["check_rename", "generate_name", "resolve", "short_id", "validate_name"]

# Docker's restrictedNameChars: note the "+", so a name needs at least two characters.
_NAME = r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$"

_ADJECTIVES = (
    "admiring adoring affectionate agitated amazing angry awesome beautiful blissful bold "
    "boring brave busy charming clever compassionate competent condescending confident cool "
    "cranky crazy dazzling determined distracted dreamy eager ecstatic elastic elated elegant "
    "eloquent epic exciting fervent festive flamboyant focused friendly frosty funny gallant "
    "gifted goofy gracious great happy hardcore heuristic hopeful hungry infallible inspiring "
    "intelligent interesting jolly jovial keen kind laughing loving lucid magical modest musing "
    "mystifying naughty nervous nice nifty nostalgic objective optimistic peaceful pedantic "
    "pensive practical priceless quirky quizzical recursing relaxed reverent romantic sad "
    "serene sharp silly sleepy stoic strange stupefied suspicious sweet tender thirsty trusting "
    "unruffled upbeat vibrant vigilant vigorous wizardly wonderful xenodochial youthful zealous zen"
).split()

_SURNAMES = (
    "agnesi albattani allen almeida archimedes ardinghelli aryabhata austin babbage banach "
    "bardeen bartik bassi bell benz bhabha bhaskara blackwell bohr booth borg bose boyd "
    "brahmagupta brattain brown carson chandrasekhar cohen curie darwin davinci dewdney dijkstra "
    "dubinsky easley edison einstein elion engelbart euclid euler fermat fermi feynman franklin "
    "gagarin galileo gates gauss goldberg goldstine goldwasser golick goodall hamilton hawking "
    "heisenberg hermann hodgkin hofstadter hopper hypatia jackson jang jennings jepsen johnson "
    "joliot jones kalam kapitsa keller kepler khorana kilby kirch knuth kowalevski lalande "
    "lamarr lamport leakey leavitt lewin lichterman liskov lovelace lumiere mahavira mayer "
    "mccarthy mcclintock mclean mcnulty meitner mendel mendeleev merkle mirzakhani montalcini "
    "moore morse murdock napier nash neumann newton nightingale nobel noether northcutt noyce "
    "panini pare pascal pasteur payne perlman pike poincare poitras ptolemy raman ramanujan "
    "ride ritchie robinson roentgen rosalind rubin saha sammet shamir shannon shaw shirley "
    "shockley sinoussi snyder spence stonebraker sutherland swanson swartz swirles tesla "
    "thompson torvalds turing varahamihira visvesvaraya volhard wescoff wiles williams wilson "
    "wing wozniak wright yalow yonath"
).split()


def validate_name(name: str) -> str:
    """Return the name without a leading ``/``, or raise Docker's error.

    >>> validate_name("web")
    'web'
    >>> validate_name("bad name!")
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed
    """
    import re  # here, not at the top: `ps` and `inspect` never validate a name

    if not re.match(_NAME, name):
        raise InvalidParameter(
            f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        )
    return name.lstrip("/")


def name_conflict(name: str, holder_id: str) -> Conflict:
    """Docker's answer when a name is taken.

    >>> str(name_conflict("web", "ab12"))[:69]
    'Error response from daemon: Conflict. The container name "/web" is al'
    """
    return Conflict(
        f'Conflict. The container name "/{name}" is already in use by container "{holder_id}". '
        "You have to remove (or rename) that container to be able to reuse that name."
    )


def check_rename(current: str, new: str, taken: dict[str, str]) -> str:
    """The name ``docker rename`` gives a container now called ``current``, or the daemon's
    refusal, checked in its order: the same name, an invalid one, one in use (``taken``:
    name -> id of every container). Docker words the new name with its leading ``/``.

    >>> check_rename("web", "/db", {"web": "ab12"})
    'db'
    >>> check_rename("web", "web", {"web": "ab12"})
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: Renaming a container with the same name as its current name
    >>> check_rename("web", "x", {"web": "ab12"})
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: Error when allocating new name: Invalid container name (/x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed
    """
    wanted = new if new.startswith("/") else "/" + new
    if wanted == "/" + current:
        raise InvalidParameter("Renaming a container with the same name as its current name")
    try:
        validate_name(wanted[1:])
    except InvalidParameter:
        raise InvalidParameter(f"Error when allocating new name: Invalid container name ({wanted}), "
                               "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed") from None
    name = wanted[1:]
    if name in taken:
        raise Conflict(f"Error when allocating new name: {name_conflict(name, taken[name]).detail}")
    return name


def generate_name(rng: random.Random, taken: Iterable[str] = ()) -> str:
    """An ``adjective_surname`` name not in ``taken``, as Docker's namesgenerator makes.

    >>> import random
    >>> generate_name(random.Random(1))
    'condescending_swirles'
    """
    taken = set(taken)
    for attempt in range(64):
        name = f"{rng.choice(_ADJECTIVES)}_{rng.choice(_SURNAMES)}"
        if name == "boring_wozniak":  # Steve Wozniak is not boring (Docker skips it too)
            continue
        if attempt >= 8:  # Docker appends a digit after repeated collisions
            name += str(rng.randrange(10))
        if name not in taken:
            return name
    raise RuntimeError("could not generate a free container name")


def short_id(full_id: str) -> str:
    """Docker's 12-character id.

    >>> short_id("sha256:" + "ab" * 32)
    'abababababab'
    """
    return full_id.removeprefix("sha256:")[:12]


def resolve(typed: str, containers: Sequence[tuple[str, str]]) -> str:
    """The id of the container ``typed`` names, by Docker's order: full id, name, id prefix.

    ``containers`` holds ``(id, name)`` pairs.

    >>> pairs = [("aa11" + "0" * 60, "web"), ("aa22" + "0" * 60, "db")]
    >>> resolve("db", pairs)[:4]
    'aa22'
    >>> resolve("aa1", pairs)[:4]
    'aa11'
    >>> resolve("aa", pairs)
    Traceback (most recent call last):
    ...
    simulator.model.errors.AmbiguousReference: Error response from daemon: Multiple IDs found with provided prefix: aa
    """
    if not typed:
        raise NoSuchContainer(typed)
    for cid, _ in containers:
        if cid == typed:
            return cid
    wanted = typed.lstrip("/")
    for cid, name in containers:
        if name == wanted:
            return cid
    matches = [cid for cid, _ in containers if cid.startswith(typed)]
    if len(matches) > 1:
        raise AmbiguousReference(f"Multiple IDs found with provided prefix: {typed}")
    if matches:
        return matches[0]
    raise NoSuchContainer(typed)


def resolve_image(typed: str, tags: dict[str, str], ids: Iterable[str]) -> str:
    """The id of the image ``typed`` names, by Docker's order: a full id, a tag (``busybox``
    is ``busybox:latest``), a unique id prefix. ``tags`` maps ``repo:tag`` to image ids.

    >>> ids = ["sha256:ab12" + "0" * 60, "sha256:ab34" + "0" * 60]
    >>> resolve_image("web", {"web:latest": ids[1]}, ids) == ids[1]
    True
    >>> resolve_image("ab1", {}, ids) == ids[0]
    True
    >>> resolve_image("ab", {}, ids)
    Traceback (most recent call last):
    ...
    simulator.model.errors.AmbiguousReference: Error response from daemon: Multiple IDs found with provided prefix: ab
    """
    from .objects import parse_image_ref

    if typed.startswith("sha256:"):
        wanted = typed
    else:
        ref = parse_image_ref(typed)
        if str(ref) in tags:
            return tags[str(ref)]
        if not all(c in "0123456789abcdef" for c in typed):
            raise NoSuchImage(str(ref))
        wanted = "sha256:" + typed
    matches = [i for i in ids if i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise AmbiguousReference(f"Multiple IDs found with provided prefix: {typed}")
    raise NoSuchImage(typed)

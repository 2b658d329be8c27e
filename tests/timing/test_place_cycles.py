"""Forward references inside one container: a chain that never comes back is "comes later",
not a cycle, however long it is and wherever its links point (found by the mutation run).

Builders are values, so an element can only refer to one that existed before it: a real cycle
cannot be built through the public API (its message is for documents bound by index).
"""

from __future__ import annotations

import pytest

from moviekit import BuildError, Movie, Scene, Text


def error_of(*elements: Text) -> str:
    with pytest.raises(BuildError) as info:
        Movie().add(Scene().add(*elements)).timeline()
    return str(info.value)


def test_a_forward_chain_that_never_comes_back_is_not_a_cycle() -> None:
    b = Text("b").duration(1)
    c = Text("c").duration(1).start(b.time.end + 1)
    a = Text("a").duration(1).start(c.time.end)
    message = error_of(a, b, c)
    assert "comes later in the container" in message and "cycle" not in message
    assert message.startswith("scenes[0].elements[0].start: Text at scenes[0].elements[0]")


def test_a_forward_chain_through_an_element_elsewhere_is_not_a_cycle() -> None:
    outsider = Text("outsider").duration(1)
    c = Text("c").duration(1).start(outsider.time.end)
    a = Text("a").duration(1).start(c.time.end)
    message = error_of(a, Text("b"), c)
    assert "comes later in the container" in message and "cycle" not in message

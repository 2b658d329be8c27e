"""Intervals and their dependencies are values: they compare, hash and read like sets
(found by the mutation run: the engine's own tests never compared two of them)."""

from __future__ import annotations

from moviekit.timing._interval import NO_DEPS, Deps, Iv


def test_dependencies_read_like_a_set() -> None:
    both = Deps.of("a") | Deps.of("b")
    assert "a" in both and "b" in both and "c" not in both
    assert both == Deps.of("b", "a") == frozenset({"a", "b"}) == {"a", "b"}
    assert both != Deps.of("a") and both != {"a"} and both != ["a", "b"]
    assert hash(both) == hash(Deps.of("a", "b"))
    assert len({both, Deps.of("a", "b")}) == 1
    assert repr(both) == "Deps(['a', 'b'])"
    assert not NO_DEPS and "a" not in NO_DEPS and len(NO_DEPS) == 0


def test_intervals_compare_and_hash_by_value() -> None:
    one = Iv(1.0, 2.0, Deps.of("x"))
    assert one == Iv(1.0, 2.0, Deps.of("x"))
    assert one != Iv(1.0, 2.0) and one != Iv(1.0, 3.0, Deps.of("x"))
    assert len({one, Iv(1.0, 2.0, Deps.of("x")), Iv(0.0, 2.0)}) == 2
    assert repr(one) == "Iv(1..2, deps=['x'])"
    assert (one == 1.0) is False

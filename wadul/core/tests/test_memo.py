from __future__ import annotations

from wadul.core import memo


def test_a_lookup_is_computed_once_per_scope_and_always_outside_one():
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert not memo.active()
    assert memo.remember(("n",), compute) == 1
    assert memo.remember(("n",), compute) == 2  # no scope: always computed
    with memo.remembered():
        assert memo.active()
        assert memo.remember(("n",), compute) == 3
        with memo.remembered():  # nested: the same scope
            assert memo.remember(("n",), compute) == 3
        assert memo.remember(("n", 2), compute) == 4  # another key
    with memo.remembered():  # a new scope remembers nothing of the last
        assert memo.remember(("n",), compute) == 5


def test_forget_drops_one_kind_of_lookup():
    with memo.remembered():
        memo.remember(("a", 1), lambda: "a1")
        memo.remember(("b", 1), lambda: "b1")
        memo.forget("a")
        assert memo.remember(("a", 1), lambda: "again") == "again"
        assert memo.remember(("b", 1), lambda: "again") == "b1"
    memo.forget("a")  # outside a scope: nothing to do

"""Hypothesis strategies shared by the property tests: any JSON value SmartLead could send."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy


def json_scalars(*, nan: bool = True) -> SearchStrategy:
    """null, booleans, integers beyond 64 bits, floats (with NaN and infinities unless
    ``nan=False``, for tests that compare values for equality) and short text."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=nan, allow_infinity=nan),
        st.text(max_size=8),
    )


def json_values(*, nan: bool = True, max_leaves: int = 10) -> SearchStrategy:
    """Any JSON value: scalars, and lists and objects of them, nested."""
    return st.recursive(
        json_scalars(nan=nan),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )

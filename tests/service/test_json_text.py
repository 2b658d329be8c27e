"""``json_text``: orjson spells a document exactly as pydantic's serialiser did.

orjson writes compact text, pydantic's serialiser what orjson refuses, the
standard library what neither takes. The size validation measures, the text
``Movie.to_json`` returns and the body the client sends must be the same bytes
whichever writer made them.
"""

from __future__ import annotations

import json
import math
from collections import UserDict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from moviekit import Movie, Scene, Text
from moviekit.service._json_text import body_bytes, json_text, read_json_text

# Valid values: finite doubles, integers of any size a double holds, text with control
# characters, non-ASCII and lone surrogates (which need their \uXXXX escape).
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec=None), max_size=12)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_both_writers_spell_any_valid_value_alike(value: Any) -> None:
    text = json_text(value)
    assert text.encode("utf-8") == body_bytes(value) == _as_pydantic_wrote_it(value)
    again = read_json_text(text)
    assert json.dumps(again, sort_keys=True) == json.dumps(value, sort_keys=True)


def _as_pydantic_wrote_it(value: Any) -> bytes:
    try:
        return TypeAdapter(Any).dump_json(value)
    except ValueError:  # a lone surrogate: the standard library, escaped
        return json_text(value).encode("utf-8")


def test_a_movie_is_written_the_same_whether_validated_or_not() -> None:
    movie = Movie().add(Scene().add(Text('héllo \u2028 \x07 "q" \\ 😀').duration(1.5)))
    assert movie.to_json() == movie.to_json(validate=False)
    assert movie.to_json().encode("utf-8") == body_bytes(movie.to_dict())


def test_nan_is_written_as_null_as_before() -> None:
    # (unchanged by orjson: pydantic's serialiser wrote null too; validation reports NaN)
    assert json_text({"x": math.nan, "y": -math.inf}) == '{"x":null,"y":null}'


def test_what_orjson_refuses_falls_back_to_the_same_spelling() -> None:
    big, surrogate = 2**64 + 1, "a\ud800b"
    assert json_text({"n": big}) == '{"n":18446744073709551617}'
    assert json_text({"s": surrogate}) == '{"s":"a\\ud800b"}'
    assert json_text({"m": UserDict({"k": 1})}) == '{"m":{"k":1}}'
    assert json_text({1: "a"}) == '{"1":"a"}'

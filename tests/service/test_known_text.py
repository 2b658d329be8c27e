"""``known_text``: a document's text lent to ``body_bytes``, for that one object, here only.

``Movie.to_json`` writes its document once and validation measures that text;
nothing else may ever see the lent text.
"""

from __future__ import annotations

import threading

from moviekit.service._json_text import body_bytes, json_text, known_text


def test_body_bytes_of_that_very_document_is_the_lent_text() -> None:
    doc = {"scenes": []}
    with known_text(doc, "lent"):  # not doc's text: proves the lent one is what comes back
        assert body_bytes(doc) == b"lent"
        assert body_bytes({"scenes": []}) == b'{"scenes":[]}'  # equal, but another object
        assert body_bytes(doc["scenes"]) == b"[]"
    assert body_bytes(doc) == b'{"scenes":[]}'  # gone when the block ends


def test_the_lent_text_is_encoded_as_the_body_is() -> None:
    doc = {"comment": "é \ud800"}
    with known_text(doc, json_text(doc)):
        assert body_bytes(doc) == json_text(doc).encode("utf-8")
    assert body_bytes(doc) == json_text(doc).encode("utf-8")


def test_blocks_nest_and_unwind_even_on_an_error() -> None:
    outer, inner = {"a": 1}, {"b": 2}
    with known_text(outer, "outer"):
        try:
            with known_text(inner, "inner"):
                assert (body_bytes(outer), body_bytes(inner)) == (b'{"a":1}', b"inner")
                raise KeyError("boom")
        except KeyError:
            pass
        assert (body_bytes(outer), body_bytes(inner)) == (b"outer", b'{"b":2}')
    assert body_bytes(outer) == b'{"a":1}'


def test_another_thread_never_sees_the_lent_text() -> None:
    doc = {"scenes": []}
    seen: list[bytes] = []
    with known_text(doc, "lent"):
        worker = threading.Thread(target=lambda: seen.append(body_bytes(doc)))
        worker.start()
        worker.join()
    assert seen == [b'{"scenes":[]}']

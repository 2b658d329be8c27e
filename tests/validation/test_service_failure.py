"""The service's own words for a document it refuses (what the fake service answers with).

The messages are the ones the service is documented or observed to send (``service/_rules.py``
cites each); moviekit fills in where the problem is, counting the way the service counts.
"""

from __future__ import annotations

from moviekit.validation._validate import service_failure


def scenes(*elements: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"elements": list(group)} for group in elements]


TEXT = {"type": "text", "text": "a"}


def test_a_size_over_every_plan_names_both_sizes() -> None:
    doc = {"resolution": "custom", "width": 5000, "height": 1080, "scenes": scenes([TEXT])}
    failure = service_failure(doc)
    assert failure is not None
    rule, text = failure
    assert rule.status == 401
    # A-movie: width and height "between 50 and 3840"
    assert text == "Movie is larger (5000x1080) than your plan allowance (3840x3840)"


def test_scene_and_element_are_counted_from_one_in_the_numbered_message() -> None:
    doc = {"scenes": scenes([TEXT], [TEXT, TEXT, {"type": "video", "src": ""}])}
    failure = service_failure(doc)
    assert failure is not None
    assert failure[1] == "Source URL is required for video element in Scene #2, Element #3"


def test_scene_and_element_are_counted_from_zero_in_the_path_message() -> None:
    doc = {"scenes": scenes([TEXT], [TEXT, {"type": "voice", "text": ""}])}
    failure = service_failure(doc)
    assert failure is not None
    assert failure[1] == "Property 'text' is required in movie/scenes[1]/elements[1]"


def test_a_document_the_service_renders_has_no_failure() -> None:
    assert service_failure({"scenes": scenes([TEXT])}) is None


def test_a_source_of_the_wrong_kind_fails_naming_the_element_type() -> None:
    doc = {"scenes": scenes([{"type": "video", "src": "https://x.com/a.mp3"}])}
    failure = service_failure(doc)
    assert failure is not None
    assert failure[1] == (
        "The URL provided is not a video file and cannot be used as a source for a video element"
    )

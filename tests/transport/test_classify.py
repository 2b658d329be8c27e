"""Which exception an answer becomes (transport/_classify.py), and how its text is cleaned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moviekit._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    PlanLimitError,
    ProjectNotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TemplateNotFoundError,
)
from moviekit.transport._classify import (
    MESSAGE_LIMIT,
    clean_text,
    error_from_response,
    parse_retry_after,
    path_from_message,
)

KEY = "sk-live-0123456789abcdef"


@pytest.mark.parametrize(
    ("status", "message", "cls"),
    [
        (400, "Error: Invalid API Key", AuthenticationError),
        (400, "Error: API Key not provided", AuthenticationError),
        (401, "You exceeded the quota of movies in your plan. Please upgrade your plan.",
         QuotaExceededError),
        (401, "Insufficient credits", QuotaExceededError),
        (401, "Movie is larger (3840x2160) than your plan allowance (1920x1080)", PlanLimitError),
        (404, "Template not found", TemplateNotFoundError),
        (400, "Template Abc123 not found", TemplateNotFoundError),
        (400, "TypeError: Cannot read properties of null (reading 'x')", ProjectNotFoundError),
        (403, "Insufficient permissions", PermissionDeniedError),
        (403, "Storage is blocked. Add credits to continue uploading.", PermissionDeniedError),
        (400, "File not found", NotFoundError),
        (400, "No movie JSON received", BadRequestError),
        (429, "", RateLimitError),
        (500, "Error deleting template", ServerError),
        (499, "Client closed request", BadRequestError),
    ],
)  # fmt: skip
def test_documented_messages(status: int, message: str, cls: type[APIStatusError]) -> None:
    err = error_from_response(status, {"success": False, "message": message})
    assert type(err) is cls and err.status_code == status


@pytest.mark.parametrize(
    ("status", "cls"),
    [(403, APIStatusError), (401, APIStatusError), (404, NotFoundError), (410, NotFoundError),
     (429, RateLimitError), (503, ServerError)],
)  # fmt: skip
def test_file_host_answers_are_classified_by_status_only(
    status: int, cls: type[APIStatusError]
) -> None:
    err = error_from_response(status, {"message": "Invalid API Key"}, file_host=True)
    assert type(err) is cls and "JSON2VIDEO_API_KEY" not in str(err)


def test_secrets_and_control_characters_are_cleaned() -> None:
    raw = f'{{"message": "bad key {KEY}\\u001b[31m"}}'
    err = error_from_response(400, {"message": f"bad key {KEY}\x1b[31m"}, raw=raw, secrets=[KEY])
    assert KEY not in str(err) and KEY not in (err.body or "") and "\x1b" not in str(err)
    assert "<redacted>" in err.message and "\\x1b" in err.message


def test_a_non_json_error_body_shows_its_start() -> None:
    err = error_from_response(502, None, raw="<html><title>502 Bad Gateway</title></html>")
    assert isinstance(err, ServerError) and "502 Bad Gateway" in err.message


@given(
    st.integers(100, 999),
    st.one_of(st.none(), st.dictionaries(st.text(), st.text() | st.integers())),
    st.text(),
)
def test_any_answer_becomes_a_status_error_with_a_short_message(
    status: int, body: dict[str, object] | None, raw: str
) -> None:
    err = error_from_response(status, body, raw=raw, secrets=[KEY])
    assert isinstance(err, APIStatusError) and 0 < len(err.message) <= MESSAGE_LIMIT + 100
    assert err.body is None or len(err.body) <= MESSAGE_LIMIT


@given(st.text(max_size=2000))
def test_clean_text_is_bounded_and_printable(text: str) -> None:
    cleaned = clean_text(text)
    assert len(cleaned) <= MESSAGE_LIMIT
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)


@pytest.mark.parametrize(
    ("message", "path"),
    [
        ("Error: Scene #2 Element #1: bad", "scenes[1].elements[0]"),
        ("Scene #1, element #3: Failed to download 'x' (404)", "scenes[0].elements[2]"),
        ("Source URL is required for video element in Scene 1, Element 2", "scenes[0].elements[1]"),
        ("Scene #0 Element #1", None),
        ("Movie duration cannot be zero", None),
    ],
)
def test_path_from_message(message: str, path: str | None) -> None:
    assert path_from_message(message) == path


@given(st.text(max_size=200))
def test_path_from_message_never_raises(message: str) -> None:
    path = path_from_message(message)
    assert path is None or path.startswith("scenes[")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("7", 7.0), ("-3", 0.0), ("nan", None), ("inf", None), ("soon", None), ("", None),
     (None, None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)  # fmt: skip
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises(value: str) -> None:
    result = parse_retry_after(value)
    assert result is None or result >= 0

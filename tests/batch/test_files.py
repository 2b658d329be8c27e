"""Where a row's video goes: one file per row key, always inside the folder, bounded length."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from support.batch_template import TEMPLATE

from moviekit import Batch, Client
from moviekit.batch._files import safe_file_name
from moviekit.testing import FakeJSON2Video

PREFIXES = st.text(alphabet="ab.-_", max_size=20) | st.text(alphabet="ab.", min_size=110,
                                                             max_size=160)
TAILS = st.text(max_size=40) | st.text(alphabet="ab.-_~/\\4mp", max_size=10)


@settings(max_examples=300, deadline=None)
@given(PREFIXES, st.lists(TAILS, min_size=2, max_size=8))
def test_distinct_keys_get_distinct_names_inside_the_folder(prefix: str, tails: list[str]) -> None:
    # A shared prefix (up to past the length limit) makes the keys differ only at the end.
    keys = list(dict.fromkeys(prefix + tail for tail in tails))
    folder = Path("/videos")
    names = [safe_file_name(key) for key in keys]
    assert len(set(names)) == len(keys)
    for name in names:
        assert name.endswith(".mp4") and not name.endswith(".mp4.mp4")
        assert name.isascii() and len(name) <= 128
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert (folder / name).parent == folder and name not in (".", "..")


def test_plain_keys_keep_their_name() -> None:
    assert safe_file_name("SKU-001") == "SKU-001.mp4"
    assert safe_file_name("a" * 120) == "a" * 120 + ".mp4"
    assert safe_file_name("x.mp4") != safe_file_name("x")
    assert safe_file_name("x.mp4").startswith("x~") and safe_file_name("x.mp4").count(".mp4") == 1


def test_long_keys_sharing_a_prefix_get_one_video_each(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    # Keys cut to a common 120-character prefix used to share one file: 6 rows, 4 files.
    data = [{"sku": "listing-" + "x" * 120 + f"-{i}", "title": f"Flat {i}", "price": "1"}
            for i in range(6)]
    result = Batch(TEMPLATE, data, key="sku", ledger=tmp_path / "l.db", client=client).run(
        download_to=tmp_path / "videos"
    )
    assert result.ok
    files = sorted((tmp_path / "videos").iterdir())
    assert len(files) == 6 and len({r.file for r in result.rows}) == 6

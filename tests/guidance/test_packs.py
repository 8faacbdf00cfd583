"""Loading packs: metadata, sources, the content hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sharewise.guidance.errors import PackError
from sharewise.guidance.packs import pack_default_id, pack_get, pack_hash, pack_load, packs_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"


def test_shipped_packs_and_their_metadata() -> None:
    packs = {p.id: p for p in packs_all()}
    assert set(packs) >= {"hmg-2008", "hmg-2018"}
    assert pack_default_id() == "hmg-2018"
    assert packs["hmg-2008"].in_force_from.year == 2008
    assert len(packs["hmg-2008"].golden_rules) == 7
    assert len(packs["hmg-2018"].golden_rules) == 7
    assert packs["hmg-2018"].principles[0].title == "Necessary and proportionate"


def test_sources_hold_the_text_of_cited_paragraphs() -> None:
    paragraph = pack_get("hmg-2008").paragraph("3.43")
    assert paragraph is not None
    assert "normally be justified in the public interest" in paragraph.text
    assert pack_get("hmg-2018").paragraph("GR4") is not None


def test_the_hash_changes_with_any_byte_of_the_pack(tmp_path: Path) -> None:
    copy = tmp_path / "valid"
    shutil.copytree(FIXTURES / "valid", copy)
    before = pack_hash(copy)
    assert before == pack_hash(FIXTURES / "valid")
    sources = copy / "sources.toml"
    sources.write_text(sources.read_text().replace("Record the decision.", "Record it."))
    assert pack_hash(copy) != before


def test_a_pack_that_cannot_load_says_where(tmp_path: Path) -> None:
    copy = tmp_path / "valid"
    shutil.copytree(FIXTURES / "valid", copy)
    flow = copy / "flow.toml"
    flow.write_text(flow.read_text().replace('kind = "outcome"', 'kind = "ending"', 1))
    with pytest.raises(PackError) as caught:
        pack_load(copy)
    assert caught.value.field == "flow.toml: nodes.share.kind"


def test_unknown_pack() -> None:
    with pytest.raises(PackError, match="There is no pack 'nope'"):
        pack_get("nope")


def test_the_compiled_pack_cache_follows_every_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "valid"
    shutil.copytree(FIXTURES / "valid", copy)
    first = pack_load(copy)
    assert list((tmp_path / "cache").iterdir()), "the parsed pack was not cached"
    assert pack_load(copy).nodes["share"].title == "Share"
    flow = copy / "flow.toml"
    flow.write_text(flow.read_text().replace('title = "Share"', 'title = "Share it"'))
    changed = pack_load(copy)
    assert changed.nodes["share"].title == "Share it"
    assert changed.hash != first.hash == pack_hash(FIXTURES / "valid")
    assert changed.hash == pack_hash(copy)


def test_a_corrupt_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SHAREWISE_CACHE_DIR", str(cache))
    pack_load(FIXTURES / "valid")
    for file in cache.iterdir():
        file.write_bytes(b"not marshal data")
    assert pack_load(FIXTURES / "valid").hash == pack_hash(FIXTURES / "valid")

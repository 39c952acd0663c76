"""One synonym mechanism, on the live node: the query builders expand ``cbt`` ↔ ``cognitive
behavioral therapy`` (a multi-word synonym, both ways); the mapping has no synonym filter of its
own, so turning the tuning's synonyms off really turns them off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.main import main
from search_core.engines import make_backend
from search_core.queries import TherapistQuery
from search_core.settings import Settings
from search_core.tuning import Tuning
from tests.cluster.live import (
    cluster_settings,
    drop,
    http,
    indices,
    run,
    therapist_lines,
    write_therapists,
)

pytestmark = pytest.mark.opensearch

BIOS = {
    "long": "I use cognitive behavioral therapy with adults who feel stuck.",
    "short": "My approach is CBT, practical and warm.",
    "other": "I practise EMDR and listen closely.",
}


@pytest.fixture(scope="module")
def three(opensearch_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Three therapists whose bios alone differ in how they name CBT (no other field names it)."""
    root = tmp_path_factory.mktemp("synonyms")
    records = []
    for (key, bio), base in zip(BIOS.items(), therapist_lines(), strict=False):
        records.append(
            {**base, "id": f"t-{key}", "slug": f"t-{key}", "bio": bio, "therapy_types": ["emdr"]}
        )
    folder = write_therapists(root / "data", records)
    settings = cluster_settings(opensearch_url, root)
    try:
        args = ["index", "--from", str(folder), "--kind", "therapists", "--quiet"]
        assert main(args, settings=settings) == 0
        yield settings
    finally:
        drop(opensearch_url, settings.elasticsearch_index_prefix)


def found(settings: Settings, text: str, synonyms: bool = True) -> set[str]:
    async def search() -> set[str]:
        backend = make_backend(settings)
        tuning = Tuning.load(settings.tuning_file).model_copy(update={"synonyms": synonyms})
        try:
            page = await backend.search_therapists(TherapistQuery(text=text), tuning=tuning)
            return {h.therapist.id for h in page.items}
        finally:
            await backend.close()

    return run(search())


def test_cbt_finds_cognitive_behavioral_therapy(three: Settings) -> None:
    assert found(three, "cbt") == {"t-long", "t-short"}


def test_cognitive_behavioral_therapy_finds_cbt(three: Settings) -> None:
    assert found(three, "cognitive behavioral therapy") == {"t-long", "t-short"}


def test_synonyms_off_means_off(three: Settings) -> None:
    assert found(three, "cbt", synonyms=False) == {"t-short"}
    assert found(three, "cognitive behavioral therapy", synonyms=False) == {"t-long"}


def test_the_index_has_no_synonym_filter(three: Settings) -> None:
    url = str(three.opensearch_url)
    (index,) = [i for i in indices(url, three.elasticsearch_index_prefix) if "therapists" in i]
    status, body = http(f"{url}/{index}/_settings")
    assert status == 200
    assert "synonym" not in str(body[index]["settings"]["index"].get("analysis", {}))

"""The allowed filter values and their labels, for building filter menus."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from search_api.deps import Services, cacheable, services
from search_core.filters import FILTER_VOCABULARIES
from search_core.vocabulary import ARTICLE_TOPICS

router = APIRouter(tags=["vocabularies"])


class VocabularyTerm(BaseModel):
    value: str = Field(description="The slug to send as a filter value.")
    label: str = Field(description="The value for people.")
    synonyms: list[str] = Field(description="Other words the search box reads as this value.")


@router.get(
    "/vocabularies",
    summary="Allowed values of every filter (and article topics), with labels and synonyms",
)
async def vocabularies(
    response: Response, svc: Services = Depends(services)
) -> dict[str, list[VocabularyTerm]]:
    cacheable(response, svc)
    vocabularies = {**FILTER_VOCABULARIES, "article_topics": ARTICLE_TOPICS}
    return {
        name: [
            VocabularyTerm(value=t.slug, label=t.label, synonyms=list(t.synonyms)) for t in vocab
        ]
        for name, vocab in vocabularies.items()
    }

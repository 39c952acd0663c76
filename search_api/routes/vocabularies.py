"""The allowed filter values and their labels, for building filter menus."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from search_api.deps import Services, cacheable, services
from search_core.vocabulary import FILTER_VOCABULARIES

router = APIRouter(tags=["vocabularies"])


class VocabularyTerm(BaseModel):
    value: str
    label: str
    synonyms: list[str]


@router.get("/vocabularies", summary="Allowed values of every filter, with labels")
async def vocabularies(
    response: Response, svc: Services = Depends(services)
) -> dict[str, list[VocabularyTerm]]:
    cacheable(response, svc)
    return {
        name: [
            VocabularyTerm(value=t.slug, label=t.label, synonyms=list(t.synonyms)) for t in vocab
        ]
        for name, vocab in FILTER_VOCABULARIES.items()
    }

"""Routes whose query string is a pydantic model, read with one validation per request.

FastAPI reads a query-parameter model (``params: Annotated[Model, Query()]``) field by field
and looks again at each field's type on every request (is it a list? which alias?): 0.49 ms
for the 35 fields of a therapist search, where pydantic validates the same parameters at once
in 0.06 ms (measured in-process over the benchmark workload's full searches). That was the
largest part of what a search costs over HTTP beyond the search itself.

:func:`get_with_query_model` registers a route as ``router.get`` does, and in front of it a
twin that FastAPI leaves out of the OpenAPI document: the twin reads the query string with
:class:`QueryReader` and calls the same endpoint. The documented route keeps describing the
parameters in the OpenAPI document (byte for byte as before); requests are answered by the
twin, which matches first. Invalid parameters raise FastAPI's ``RequestValidationError`` with
the entries FastAPI gives (``loc`` starting with ``"query"``), so error answers are the same
(tested against FastAPI's own reading in ``tests/api/test_query_models.py``).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from fastapi import APIRouter, Request, Response, params
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import QueryParams

Endpoint = Callable[..., Awaitable[Response]]

_SEQUENCES = (list, tuple, set, frozenset)


def _is_sequence(annotation: Any) -> bool:
    """Does the parameter take every value given (``?a=1&a=2``), as FastAPI decides it: a
    list, tuple or set, also inside ``Optional`` or a union."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_sequence(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_is_sequence(a) for a in get_args(annotation) if a is not type(None))
    return annotation in _SEQUENCES or origin in _SEQUENCES


class QueryReader:
    """A query string as ``model``, read the way FastAPI reads a query-parameter model: a
    list field gets every value of its parameter, another field the last one; a parameter
    absent (or a list with no value) leaves the field to its default; parameters that are no
    field are handed to the model too (its ``extra`` setting decides)."""

    def __init__(self, model: type[BaseModel]) -> None:
        for name, field in model.model_fields.items():
            if field.alias or field.validation_alias:
                raise TypeError(f"{model.__name__}.{name}: aliases are not supported here")
        self.model = model
        self.fields = {n: _is_sequence(f.annotation) for n, f in model.model_fields.items()}

    def values(self, query: QueryParams) -> dict[str, Any]:
        """What FastAPI would hand the model for ``query``."""
        out: dict[str, Any] = {}
        given = query.multi_items()
        if not given:
            return out
        names = self.fields
        extras: dict[str, list[str]] = {}
        for key, value in given:
            if key not in names:
                extras.setdefault(key, []).append(value)
            elif key not in out:
                out[key] = query.getlist(key) if names[key] else query[key]
        for key, found in extras.items():
            out[key] = found[0] if len(found) == 1 else found
        return out

    def read(self, query: QueryParams) -> BaseModel:
        try:
            return self.model.model_validate(self.values(query), from_attributes=True)
        except ValidationError as exc:
            errors = [
                {**e, "loc": ("query", *e.get("loc", ()))} for e in exc.errors(include_url=False)
            ]
            raise RequestValidationError(errors) from None


def _twin(endpoint: Endpoint, param: str, reader: QueryReader) -> Endpoint:
    """``endpoint`` with its ``param`` read by ``reader`` from the request; its other
    parameters (headers, dependencies) stay as declared, for FastAPI to fill."""
    hints = get_type_hints(endpoint, include_extras=True)
    if "request" in hints:
        raise TypeError(f"{endpoint.__name__}: a parameter named request is not supported here")
    kept = [
        p.replace(annotation=hints.get(p.name, p.annotation), kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(endpoint).parameters.values()
        if p.name != param
    ]
    request = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)

    async def twin(request: Request, **kwargs: Any) -> Response:
        return await endpoint(**{param: reader.read(request.query_params)}, **kwargs)

    twin.__signature__ = inspect.Signature([request, *kept], return_annotation=Response)  # type: ignore[attr-defined]
    twin.__name__ = f"{endpoint.__name__}_read_at_once"
    twin.__doc__ = endpoint.__doc__
    return twin


def _model_param(endpoint: Endpoint) -> tuple[str, type[BaseModel]]:
    """The parameter of ``endpoint`` declared as a query model (there must be exactly one)."""
    found: list[tuple[str, type[BaseModel]]] = []
    for name, hint in get_type_hints(endpoint, include_extras=True).items():
        if get_origin(hint) is not Annotated:
            continue
        inner, *marks = get_args(hint)
        is_query = any(isinstance(m, params.Query) for m in marks)
        if is_query and isinstance(inner, type) and issubclass(inner, BaseModel):
            found.append((name, inner))
    if len(found) != 1:
        raise TypeError(f"{endpoint.__name__}: needs exactly one query model parameter")
    return found[0]


def get_with_query_model(
    router: APIRouter, path: str, **documented: Any
) -> Callable[[Endpoint], Endpoint]:
    """``@router.get(path, **documented)`` for an endpoint taking one query-parameter model,
    answered by a twin that reads the model at once (see the module docstring)."""

    def register(endpoint: Endpoint) -> Endpoint:
        param, model = _model_param(endpoint)
        twin = _twin(endpoint, param, QueryReader(model))
        router.add_api_route(
            path,
            twin,
            methods=["GET"],
            response_model=None,
            include_in_schema=False,
            name=twin.__name__,
            dependencies=documented.get("dependencies"),
        )
        return router.get(path, **documented)(endpoint)

    return register

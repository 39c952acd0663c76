"""Strict checks of Elasticsearch request and response bodies against Elastic's OpenAPI document.

The document (``elasticsearch-serverless-openapi.json``) is shared data that lives outside the
repository, at ``../shared/elasticsearch/`` from the project root; see the README there. It is JSON
Schema draft 4 in spirit, so :class:`ElasticSpec` validates with ``jsonschema.Draft4Validator``
over a ``referencing.Registry`` that holds the whole document, after making a private copy of the
document strict:

1. every ``oneOf`` becomes ``anyOf`` (variants such as the decay functions overlap);
2. variant containers (``maxProperties: 1`` objects such as ``QueryContainer``) are closed with
   ``additionalProperties: false``, so ``geo_distanc`` fails;
3. containers written as an ``allOf`` of plain objects, one of them the variant part
   (``AggregationContainer``, ``FunctionScoreContainer``, ``Rescore``, ...), are merged into one
   closed object, so ``termz`` fails. The variant part's ``maxProperties: 1`` counts *every* key
   of the instance, so the raw document rejects ``{"nested": ..., "aggregations": ...}``; the
   merged object says "at most/exactly one variant key" instead (``x-variant``);
4. every request body's top-level object is closed, so ``qeury`` or ``aggs`` fails (also the
   per-line schemas of ``_msearch`` and the ``update`` payload line of ``_bulk``).

Three more adjustments, beyond the README's four, keep the check both correct and strict:

5. OpenAPI 3.0 ``nullable: true`` becomes a draft 4 type list (``["number", "null"]``), so a
   response with ``"_score": null`` is not a false alarm;
6. dictionaries of user-defined values, which the document renders as
   ``additionalProperties: {"type": "object"}`` (script ``params``, aggregation ``meta``, a hit's
   ``fields``), accept any JSON value, so ``"params": {"lat": 40.7}`` is not a false alarm;
7. unions with an OpenAPI ``discriminator`` (mapping properties, analyzers, token filters,
   tokenizers, char filters, normalizers, similarities) select their member by the tag (``type``)
   and each member is a closed object, so a field ``{"tpye": "keyword"}`` or an analyzer
   parameter typo fails with a precise message instead of matching the open ``object`` member.

Usage from tests::

    spec = require_spec()          # pytest.skip()s with the reason when the file is absent
    spec.validate_request("post", "/{index}/_search", body)
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from jsonschema import Draft4Validator, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

__all__ = [
    "PROJECT_ROOT",
    "SPEC_FILENAME",
    "SPEC_URI",
    "ElasticSpec",
    "SpecViolationError",
    "Violation",
    "expected_spec_path",
    "make_strict",
    "missing_spec_reason",
    "require_spec",
    "spec_path",
]

PROJECT_ROOT: Final = Path(__file__).resolve().parent.parent
SPEC_FILENAME: Final = "elasticsearch-serverless-openapi.json"
SPEC_URI: Final = "https://elasticsearch-specification.invalid/" + SPEC_FILENAME

JSON = Any  # a decoded JSON value
Schema = dict[str, Any]

SCHEMAS: Final = "/components/schemas/"
MSEARCH_HEADER: Final = "_global.msearch.MultisearchHeader"
MSEARCH_BODY: Final = "_global.search._types.SearchRequestBody"
BULK_ACTION: Final = "_global.bulk.OperationContainer"
BULK_UPDATE: Final = "_global.bulk.UpdateAction"
BULK_ACTIONS: Final = ("index", "create", "update", "delete")
_UNKNOWN_ACTION: Final = "not a bulk action (index, create, update, delete): later lines unchecked"

# Variant containers that must stay open: the document drops their field-keyed entries.
# SortOptions is ``{"_score"|"_doc"|"_geo_distance"|"_script": ...}`` *or* ``{<field>: FieldSort}``,
# but FieldSort is missing from the document; closing it would reject every sort on a field.
OPEN_CONTAINERS: Final = frozenset({"_types.SortOptions"})
# Merged containers whose variant part is optional. ``{"filter": ..., "weight": 2}`` is a
# complete function_score function (a weight function): no decay/script/random key needed.
OPTIONAL_VARIANT: Final = frozenset({"_types.query_dsl.FunctionScoreContainer"})
# The member a discriminated union falls back to when the tag is absent, where the document leaves
# it ambiguous: both ``object`` and ``passthrough`` mark ``type`` optional, but Elasticsearch reads
# a mapping field without ``type`` as an object.
UNTAGGED_MEMBER: Final = {"_types.mapping.Property": "object"}

_ANNOTATIONS: Final = frozenset(
    {"description", "externalDocs", "deprecated", "default", "examples", "title"}
)
_PLAIN_OBJECT_KEYS: Final = _ANNOTATIONS | {
    "type",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
}
_MAX_MESSAGE: Final = 300


# --------------------------------------------------------------------------------------------
# Locating the document


def spec_path(project_root: Path = PROJECT_ROOT) -> Path | None:
    """The shared OpenAPI document, ``../shared/elasticsearch/`` from the project root, if any."""
    candidate = expected_spec_path(project_root)
    return candidate if candidate.is_file() else None


def expected_spec_path(project_root: Path = PROJECT_ROOT) -> Path:
    return project_root.parent / "shared" / "elasticsearch" / SPEC_FILENAME


def missing_spec_reason(project_root: Path = PROJECT_ROOT) -> str:
    return (
        f"Elastic's OpenAPI document is not at {expected_spec_path(project_root)}; it is shared "
        "data kept outside the repository, so Elasticsearch request bodies cannot be checked "
        "against the specification here"
    )


def require_spec() -> ElasticSpec:
    """The loaded spec, or ``pytest.skip`` with the reason when the document is absent."""
    path = spec_path()
    if path is None:
        import pytest  # only tests call this; keep the module importable without pytest

        pytest.skip(missing_spec_reason())
    return ElasticSpec.load(path)


# --------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a body departs from the spec: where (a JSON path) and what."""

    location: str
    message: str
    schema_path: str = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class SpecViolationError(AssertionError):
    """A body the spec does not accept; lists every violation with its JSON path."""

    def __init__(self, subject: str, violations: Sequence[Violation]) -> None:
        self.subject = subject
        self.violations = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        count = len(self.violations)
        noun = "violation" if count == 1 else "violations"
        super().__init__(f"{subject} does not match Elastic's spec ({count} {noun}):\n{lines}")


# --------------------------------------------------------------------------------------------
# Custom keywords for the strict copy


def _shorten(text: str, limit: int = _MAX_MESSAGE) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2 - 3
    return f"{text[:half]} ... {text[-half:]}"


def _did_you_mean(unknown: Iterable[str], known: Iterable[str]) -> str:
    known = list(known)
    hints = {k: difflib.get_close_matches(k, known, n=1) for k in unknown}
    found = {k: match[0] for k, match in hints.items() if match}
    if len(found) == 1:
        return f"; did you mean {next(iter(found.values()))!r}?"
    pairs = ", ".join(f"{match!r} for {k!r}" for k, match in found.items())
    return f"; did you mean {pairs}?" if found else ""


def _variant_keyword(
    validator: Any, spec: Mapping[str, Any], instance: JSON, schema: Schema
) -> Iterator[ValidationError]:
    """``x-variant``: at most (or exactly) one of the container's variant keys."""
    if not isinstance(instance, dict):
        return
    keys: list[str] = spec["keys"]
    present = [k for k in keys if k in instance]
    if len(present) > 1:
        yield ValidationError(f"only one of {present} may appear here: they are alternatives")
    elif not present and spec["required"]:
        shown = ", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "")
        unknown = [k for k in instance if k not in schema.get("properties", {})]
        yield ValidationError(
            f"one of {len(keys)} variant keys ({shown}) is required, found {sorted(instance)}"
            + _did_you_mean(unknown, keys)
        )


def _discriminator_keyword(
    validator: Any, spec: Mapping[str, Any], instance: JSON, schema: Schema
) -> Iterator[ValidationError]:
    """``x-discriminator``: validate against the union member the tag names (OpenAPI style)."""
    if not isinstance(instance, dict):
        yield ValidationError(f"{_shorten(repr(instance), 80)} is not of type 'object'")
        return
    name: str = spec["propertyName"]
    mapping: dict[str, str] = spec["mapping"]
    tag = instance.get(name)
    if tag is None:
        target = spec.get("default")
        if target is None:
            yield ValidationError(f"{name!r} is a required property")
            return
    elif not isinstance(tag, str) or tag not in mapping:
        hint = difflib.get_close_matches(str(tag), mapping, n=3)
        known = f"did you mean {hint}?" if hint else f"known: {', '.join(sorted(mapping))}"
        yield ValidationError(f"{tag!r} is not a known {name!r}; {known}", path=(name,))
        return
    else:
        target = mapping[tag]
    yield from validator.descend(instance, {"$ref": target})


StrictValidator: Final[Any] = extend(
    Draft4Validator,
    {"x-variant": _variant_keyword, "x-discriminator": _discriminator_keyword},
)


# --------------------------------------------------------------------------------------------
# Making the private copy strict


def _walk(node: JSON, visit: Callable[[Schema], None]) -> None:
    """Call ``visit`` on every object in the document, parents before children."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            visit(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _honour_nullable(node: Schema) -> None:
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)


def _user_defined_values(node: Schema) -> None:
    if node.get("additionalProperties") == {"type": "object"}:
        node["additionalProperties"] = {}


def _one_of_to_any_of(node: Schema) -> None:
    if isinstance(node.get("oneOf"), list):
        alternatives = node.pop("oneOf")
        if "anyOf" in node:
            node.setdefault("allOf", []).append({"anyOf": alternatives})
        else:
            node["anyOf"] = alternatives


def _ref_name(ref: str) -> str:
    if not ref.startswith("#" + SCHEMAS):
        raise ValueError(f"unexpected $ref {ref!r}")
    return ref[len("#" + SCHEMAS) :]


def _keywords(schema: Schema) -> set[str]:
    """The keys of ``schema`` that constrain instances (not annotations or ``x-`` extensions)."""
    return {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}


def _flatten(schema: Schema, schemas: Mapping[str, Schema]) -> list[Schema] | None:
    """The plain object schemas an ``allOf`` chain is made of, or None if it is not that simple."""
    if _keywords(schema) == {"$ref"}:
        return _flatten(schemas[_ref_name(schema["$ref"])], schemas)
    if "allOf" in schema:
        if _keywords(schema) != {"allOf"}:
            return None
        parts: list[Schema] = []
        for member in schema["allOf"]:
            flat = _flatten(member, schemas)
            if flat is None:
                return None
            parts.extend(flat)
        return parts
    if _keywords(schema) - _PLAIN_OBJECT_KEYS or schema.get("type", "object") != "object":
        return None
    return [schema]


def _is_variant_part(schema: Schema) -> bool:
    return schema.get("maxProperties") == 1 and bool(schema.get("properties"))


def _merge_closed(parts: Sequence[Schema], description: str | None = None) -> Schema:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        for key, sub in part.get("properties", {}).items():
            sub = copy.deepcopy(sub)
            properties[key] = sub if key not in properties else {"allOf": [properties[key], sub]}
        required.extend(r for r in part.get("required", ()) if r not in required)
    merged: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        merged["required"] = required
    if description:
        merged["description"] = description
    return merged


def _merge_variant_containers(schemas: dict[str, Schema]) -> None:
    """Adjustment 3: ``allOf`` containers become one closed object with an ``x-variant`` rule."""
    merged: dict[str, Schema] = {}
    for name, schema in schemas.items():
        parts = _flatten(schema, schemas) if "allOf" in schema else None
        variant = [p for p in parts or () if _is_variant_part(p)]
        if parts is None or not variant:
            continue
        if len(variant) > 1:
            raise ValueError(f"{name}: more than one variant part; the spec changed shape")
        container = _merge_closed(parts, schema.get("description"))
        container["minProperties"] = 1
        container["x-variant"] = {
            "keys": list(variant[0]["properties"]),
            "required": name not in OPTIONAL_VARIANT,
        }
        merged[name] = container
    schemas.update(merged)


def _close_variant_containers(schemas: dict[str, Schema]) -> None:
    """Adjustment 2: ``maxProperties: 1`` containers forbid keys they do not declare."""
    for name, schema in schemas.items():
        if name in OPEN_CONTAINERS or "additionalProperties" in schema:
            continue
        if _is_variant_part(schema):
            schema["additionalProperties"] = False


def _close_discriminated_unions(schemas: dict[str, Schema]) -> None:
    """Adjustment 7: tag-selected, closed members for unions with an OpenAPI discriminator."""
    unions = {name: s for name, s in schemas.items() if "discriminator" in s}
    closed: dict[str, Schema] = {}
    for name, union in unions.items():
        for ref in union["discriminator"]["mapping"].values():
            member = _ref_name(ref)
            parts = _flatten(schemas[member], schemas)
            if parts is None:
                raise ValueError(f"{name}: member {member} is not a plain allOf chain")
            closed[member] = _merge_closed(parts, schemas[member].get("description"))
    schemas.update(closed)
    for name, union in unions.items():
        schemas[name] = _discriminated(name, union, schemas)


def _discriminated(name: str, union: Schema, schemas: Mapping[str, Schema]) -> Schema:
    tag: str = union["discriminator"]["propertyName"]
    mapping = {value: SPEC_URI + ref for value, ref in union["discriminator"]["mapping"].items()}
    untagged = {
        value
        for value, ref in union["discriminator"]["mapping"].items()
        if tag not in schemas[_ref_name(ref)].get("required", ())
    }
    if name in UNTAGGED_MEMBER:
        untagged = {UNTAGGED_MEMBER[name]}
    rule: dict[str, Any] = {"propertyName": tag, "mapping": mapping}
    if len(untagged) == 1:
        rule["default"] = mapping[untagged.pop()]
    return {"description": union.get("description", ""), "x-discriminator": rule}


def _body_schema(doc: Schema, request_body: Schema) -> Schema | None:
    if "$ref" in request_body:
        request_body = _resolve(doc, request_body["$ref"])
    schema = request_body.get("content", {}).get("application/json", {}).get("schema")
    return schema if isinstance(schema, dict) else None


def _close_object(schema: Schema) -> None:
    if schema.get("type") == "object" and "properties" in schema:
        schema.setdefault("additionalProperties", False)


def _close_request_bodies(doc: Schema) -> None:
    """Adjustment 4: the top-level object of every request body (and of each NDJSON line)."""
    for operations in doc["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                schema = _body_schema(doc, operation["requestBody"])
                if schema is not None:
                    _close_object(schema)
    for line_schema in (MSEARCH_HEADER, MSEARCH_BODY, BULK_UPDATE):
        _close_object(doc["components"]["schemas"][line_schema])


def make_strict(doc: Schema) -> Schema:
    """Apply every adjustment (see the module docstring) to ``doc`` in place; return it."""
    _walk(doc, _honour_nullable)
    _walk(doc, _user_defined_values)
    _walk(doc, _one_of_to_any_of)
    schemas: dict[str, Schema] = doc["components"]["schemas"]
    _merge_variant_containers(schemas)
    _close_variant_containers(schemas)
    _close_discriminated_unions(schemas)
    _close_request_bodies(doc)
    return doc


# --------------------------------------------------------------------------------------------
# JSON pointers


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _resolve(doc: Schema, ref: str) -> Schema:
    node: Any = doc
    for token in ref.removeprefix("#").strip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise TypeError(f"{ref} is not an object")
    return node


# --------------------------------------------------------------------------------------------
# NDJSON


def _ndjson_items(
    lines: str | bytes | Iterable[Any],
) -> tuple[list[tuple[int, JSON]], list[Violation]]:
    """(1-based line number, decoded value) for every non-blank line or already-decoded item,
    and a violation for every line that is not JSON."""
    if isinstance(lines, bytes):
        lines = lines.decode("utf-8")
    if isinstance(lines, str):
        lines = lines.splitlines()
    items: list[tuple[int, JSON]] = []
    bad: list[Violation] = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = line.decode("utf-8")
        if isinstance(line, str):
            if not line.strip():
                continue
            try:
                line = json.loads(line)
            except json.JSONDecodeError as error:
                bad.append(Violation(f"line {number}", f"not JSON: {error}"))
                continue
        items.append((number, line))
    return items, bad


# --------------------------------------------------------------------------------------------
# The spec


class ElasticSpec:
    """Elastic's OpenAPI document, made strict once; validates request and response bodies."""

    def __init__(self, document: Mapping[str, Any], source: Path | None = None) -> None:
        self.source = source
        self.raw: Mapping[str, Any] = document
        self.strict: Schema = make_strict(copy.deepcopy(dict(document)))
        resource = Resource.from_contents(self.strict, default_specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, Any] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> ElasticSpec:
        """Load (once per process and path) the document at ``path`` or at :func:`spec_path`."""
        path = path or spec_path()
        if path is None:
            raise FileNotFoundError(missing_spec_reason())
        return _load_cached(path.resolve())

    # -- lookups -------------------------------------------------------------------------

    def operation(self, method: str, path_template: str) -> Schema:
        """The OpenAPI operation object, e.g. ``("post", "/{index}/_search")``."""
        paths: dict[str, Any] = self.strict["paths"]
        if path_template not in paths:
            close = difflib.get_close_matches(path_template, paths, n=5)
            raise KeyError(f"no path {path_template!r} in the spec; close ones: {close}")
        operations = paths[path_template]
        if method.lower() not in operations:
            methods = sorted(m for m in operations if isinstance(operations[m], dict))
            raise KeyError(f"{path_template!r} has no {method.upper()}; it has {methods}")
        operation: Schema = operations[method.lower()]
        return operation

    def request_schema_pointer(self, method: str, path_template: str) -> str:
        """JSON pointer (into :attr:`strict`) of the JSON schema of a request body."""
        operation = self.operation(method, path_template)
        body = operation.get("requestBody")
        if body is None:
            raise KeyError(f"{method.upper()} {path_template} takes no request body")
        if "$ref" in body:
            pointer = body["$ref"].removeprefix("#")
        else:
            pointer = f"/paths/{_escape(path_template)}/{method.lower()}/requestBody"
        return self._json_schema_pointer(pointer)

    def response_schema_pointer(self, method: str, path_template: str, status: int) -> str:
        """JSON pointer (into :attr:`strict`) of the JSON schema of a response body."""
        responses = self.operation(method, path_template).get("responses", {})
        key = str(status) if str(status) in responses else "default"
        if key not in responses:
            raise KeyError(f"{method.upper()} {path_template} documents no {status} response")
        response = responses[key]
        if "$ref" in response:
            pointer = response["$ref"].removeprefix("#")
        else:
            operation = f"/paths/{_escape(path_template)}/{method.lower()}"
            pointer = f"{operation}/responses/{key}"
        return self._json_schema_pointer(pointer)

    def discriminator_values(self, name: str) -> frozenset[str]:
        """The tags a discriminated union knows, e.g. every mapping field ``type`` for
        ``_types.mapping.Property`` or every built-in token filter for
        ``_types.analysis.TokenFilterDefinition``."""
        union = self.raw["components"]["schemas"][name]
        return frozenset(union["discriminator"]["mapping"])

    def _json_schema_pointer(self, pointer: str) -> str:
        node = _resolve(self.strict, pointer)
        if "schema" not in node.get("content", {}).get("application/json", {}):
            raise KeyError(f"{pointer} has no application/json schema")
        return f"{pointer}/content/application~1json/schema"

    def _validator(self, pointer: str) -> Any:
        if pointer not in self._validators:
            ref = {"$ref": f"{SPEC_URI}#{quote(pointer)}"}
            self._validators[pointer] = StrictValidator(ref, registry=self._registry)
        return self._validators[pointer]

    # -- validation ------------------------------------------------------------------------

    def violations_at(self, pointer: str, instance: JSON, prefix: str = "") -> list[Violation]:
        """Every violation of the schema at ``pointer`` (a JSON pointer into :attr:`strict`)."""
        errors = self._validator(pointer).iter_errors(instance)
        return _unique(_to_violation(error, prefix) for error in errors)

    def request_violations(self, method: str, path_template: str, body: JSON) -> list[Violation]:
        if _is_bulk(path_template):
            return self.bulk_violations(body)
        if _is_msearch(path_template):
            return self.msearch_violations(body)
        return self.violations_at(self.request_schema_pointer(method, path_template), body)

    def validate_request(self, method: str, path_template: str, body: JSON) -> None:
        """Raise :class:`SpecViolationError` unless ``body`` is a body the spec accepts.

        ``_bulk`` and ``_msearch`` bodies may be NDJSON text or a sequence of decoded lines.
        """
        found = self.request_violations(method, path_template, body)
        if found:
            raise SpecViolationError(f"{method.upper()} {path_template} body", found)

    def validate_response(self, method: str, path_template: str, status: int, body: JSON) -> None:
        """Raise unless ``body`` matches the documented response.

        Unlike request bodies, a response's top-level object is not closed: Elasticsearch may
        add keys in later versions."""
        pointer = self.response_schema_pointer(method, path_template, status)
        found = self.violations_at(pointer, body)
        if found:
            subject = f"{status} response to {method.upper()} {path_template}"
            raise SpecViolationError(subject, found)

    def validate_schema(self, name: str, instance: JSON) -> None:
        """Check a fragment against one component schema, e.g. ``_types.query_dsl.QueryContainer``.

        Handy for query builders that produce parts of a body.
        """
        if name not in self.strict["components"]["schemas"]:
            close = difflib.get_close_matches(name, self.strict["components"]["schemas"], n=5)
            raise KeyError(f"no schema {name!r} in the spec; close ones: {close}")
        found = self.violations_at(SCHEMAS + _escape(name), instance)
        if found:
            raise SpecViolationError(name, found)

    def msearch_violations(self, lines: str | bytes | Iterable[Any]) -> list[Violation]:
        """``_msearch``: alternating header and search body lines, each a closed object."""
        items, found = _ndjson_items(lines)
        if found:
            return found  # the header/body alternation is lost
        if len(items) % 2:
            found.append(Violation(f"line {items[-1][0]}", "header without a search body"))
        for index, (number, item) in enumerate(items):
            schema = MSEARCH_BODY if index % 2 else MSEARCH_HEADER
            found += self.violations_at(SCHEMAS + schema, item, prefix=f"line {number}: ")
        return found

    def validate_msearch(self, lines: str | bytes | Iterable[Any]) -> None:
        found = self.msearch_violations(lines)
        if found:
            raise SpecViolationError("_msearch body", found)

    def bulk_violations(self, lines: str | bytes | Iterable[Any]) -> list[Violation]:
        """``_bulk``: action lines (closed ``OperationContainer``) each followed by its source.

        ``index``/``create`` take a document line (any object), ``update`` a closed
        ``UpdateAction`` line, ``delete`` none.
        """
        items, found = _ndjson_items(lines)
        if found:
            return found  # which line is an action and which a source is lost
        position = 0
        while position < len(items):
            number, action = items[position]
            found += self.violations_at(SCHEMAS + BULK_ACTION, action, f"line {number}: ")
            position += 1
            kind = next(iter(action), None) if isinstance(action, dict) else None
            if kind not in BULK_ACTIONS:
                found.append(Violation(f"line {number}", _UNKNOWN_ACTION))
                break
            if kind == "delete":
                continue
            if position == len(items):
                found.append(Violation(f"line {number}", f"{kind!r} action without its source"))
                break
            number, source = items[position]
            position += 1
            found += self._source_line_violations(kind, number, source)
        return found

    def _source_line_violations(self, kind: str, number: int, source: JSON) -> list[Violation]:
        if kind == "update":
            return self.violations_at(SCHEMAS + BULK_UPDATE, source, f"line {number}: ")
        if not isinstance(source, dict):
            return [Violation(f"line {number}: $", f"a {kind!r} document must be an object")]
        return []

    def validate_ndjson_bulk(self, lines: str | bytes | Iterable[Any]) -> None:
        """Raise unless every ``_bulk`` line (NDJSON text or decoded lines) is well formed."""
        found = self.bulk_violations(lines)
        if found:
            raise SpecViolationError("_bulk body", found)


@functools.cache
def _load_cached(path: Path) -> ElasticSpec:
    with path.open(encoding="utf-8") as handle:
        return ElasticSpec(json.load(handle), source=path)


def _is_bulk(path_template: str) -> bool:
    return path_template.rstrip("/").endswith("/_bulk")


def _is_msearch(path_template: str) -> bool:
    return path_template.rstrip("/").endswith("/_msearch")


def _unique(violations: Iterable[Violation]) -> list[Violation]:
    seen: dict[tuple[str, str], Violation] = {}
    for violation in violations:
        seen.setdefault((violation.location, violation.message), violation)
    return sorted(seen.values(), key=lambda v: (v.location, v.message))


def _to_violation(error: ValidationError, prefix: str) -> Violation:
    """The most specific cause of ``error``; ``anyOf`` failures name their closest alternative."""
    leaf = best_match([error])
    message = _shorten(leaf.message) + _unexpected_key_hint(leaf)
    if leaf is not error:
        message += f" (no alternative matched at {error.json_path})"
    schema_path = "/".join(str(part) for part in leaf.absolute_schema_path)
    return Violation(prefix + leaf.json_path, message, schema_path)


def _unexpected_key_hint(error: ValidationError) -> str:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ""
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return _did_you_mean((k for k in error.instance if k not in known), known)

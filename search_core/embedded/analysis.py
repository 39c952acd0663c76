"""Text analysis: the mapping's Elasticsearch analyzers as Tantivy analyzers, and the query-side
analysis of search words (kept per analyzer and text).

An analysis step the embedded engine cannot honour raises :class:`MappingError`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tantivy

from search_core.errors import MappingError
from search_core.mappings import MappedField

ANALYZED_KEPT = 50_000
"""Texts whose query-side tokens :meth:`Analysis.analyze` keeps (per schema)."""


def _filter(
    name: str, defs: dict[str, Any], where: str, search_side: bool
) -> tantivy.Filter | None:
    """One Elasticsearch token filter as a Tantivy filter; ``None`` when it is a no-op here."""
    if name == "lowercase":
        return tantivy.Filter.lowercase()
    if name == "asciifolding":
        return tantivy.Filter.ascii_fold()
    spec = defs.get(name)
    if spec is None:
        raise MappingError(f"{where}: token filter {name!r} is not defined")
    ftype = spec.get("type")
    if ftype == "stemmer" and spec.get("language") in ("english", "porter2"):
        # Tantivy's English stemmer is Snowball English, which Elasticsearch calls porter2.
        return tantivy.Filter.stemmer("english")
    if ftype == "stemmer" and spec.get("language") == "possessive_english":
        # Tantivy's simple tokenizer already splits "client's" into "client" + "s".
        return None
    if ftype == "synonym_graph":
        if not search_side:
            raise MappingError(f"{where}: synonym_graph is only supported at search time")
        # Applied by the embedded query builder from search_core.vocabulary.
        return None
    if ftype == "stop":
        return tantivy.Filter.stopword("english")
    raise MappingError(f"{where}: token filter {name!r} of type {ftype!r} is not supported")


def _char_filter(name: str, defs: dict[str, Any], where: str, tokenizer: str) -> None:
    """Char filters the embedded tokenizer already applies, else MappingError: a ``mapping``
    that turns punctuation into spaces is what Tantivy's simple tokenizer (our ``standard``)
    does anyway, as it splits words at every non-alphanumeric character."""
    spec = defs.get(name)
    if spec is None:
        raise MappingError(f"{where}: char filter {name!r} is not defined")
    rules = spec.get("mappings", []) if spec.get("type") == "mapping" else None
    splits = tokenizer == "standard" and rules is not None
    for rule in rules or []:
        key, _, value = str(rule).partition("=>")
        key, value = key.strip(), value.strip()
        if not key or key.isalnum() or value not in ("\\u0020", " "):
            splits = False
    if not splits:
        raise MappingError(f"{where}: char filter {name!r} is not supported")


_TOKENIZERS: dict[str, Callable[[], tantivy.Tokenizer]] = {
    "standard": tantivy.Tokenizer.simple,
    "whitespace": tantivy.Tokenizer.whitespace,
    "keyword": tantivy.Tokenizer.raw,
}


def _chain(
    spec: dict[str, Any], analysis: dict[str, Any], where: str, search_side: bool
) -> tuple[str, list[str]]:
    tok = spec.get("tokenizer", "keyword")
    if tok not in _TOKENIZERS:
        raise MappingError(f"{where}: tokenizer {tok!r} is not supported")
    for name in spec.get("char_filter", []):
        _char_filter(name, analysis.get("char_filter", {}), where, tok)
    kept = [
        f
        for f in spec.get("filter", [])
        if _filter(f, analysis.get("filter", {}), where, search_side) is not None
    ]
    return tok, kept


def build_analyzer(
    tokenizer: str, filters: list[str], analysis: dict[str, Any]
) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(_TOKENIZERS[tokenizer]())
    for name in filters:
        f = _filter(name, analysis.get("filter", {}), name, search_side=False)
        if f is not None:
            builder = builder.filter(f)
    return builder.filter(tantivy.Filter.remove_long(255)).build()


class Analysis:
    """The analyzers one index's mapping defines, built once, and the tokens of the texts
    searched lately."""

    def __init__(self, analysis: dict[str, Any]) -> None:
        self.analysis = analysis
        self.analyzers: dict[str, tantivy.TextAnalyzer] = {}
        self._chains: dict[str, tuple[str, list[str]]] = {}
        self._analyzed: dict[tuple[str, str], tuple[str, ...]] = {}

    def analyzer_for(self, mf: MappedField) -> str:
        """The name of the analyzer of ``mf`` (registered on first use)."""
        if mf.normalizer:
            spec = self.analysis.get("normalizer", {}).get(mf.normalizer)
            if spec is None:
                raise MappingError(f"{mf.path}: normalizer {mf.normalizer!r} is not defined")
            name = f"normalizer__{mf.normalizer}"
            self._register(name, "keyword", spec, mf.path, search_side=False)
            return name
        if mf.type == "keyword":
            return "raw"
        analyzer = mf.analyzer or "standard"
        spec = self.analysis.get("analyzer", {}).get(analyzer)
        if spec is None:
            if analyzer != "standard":
                raise MappingError(f"{mf.path}: analyzer {analyzer!r} is not defined")
            spec = {"tokenizer": "standard", "filter": ["lowercase"]}
        self._register(analyzer, spec.get("tokenizer", "standard"), spec, mf.path, False)
        if mf.search_analyzer and mf.search_analyzer != analyzer:
            s_spec = self.analysis.get("analyzer", {}).get(mf.search_analyzer)
            if s_spec is None:
                raise MappingError(f"{mf.path}: analyzer {mf.search_analyzer!r} is not defined")
            search_chain = _chain(s_spec, self.analysis, mf.path, search_side=True)
            if search_chain != self._chains[analyzer]:
                raise MappingError(
                    f"{mf.path}: search analyzer {mf.search_analyzer!r} differs from "
                    f"{analyzer!r} by more than synonyms; the embedded engine cannot honour it"
                )
        return analyzer

    def _register(
        self, name: str, tokenizer: str, spec: dict[str, Any], where: str, search_side: bool
    ) -> None:
        if name in self.analyzers:
            return
        spec = {"tokenizer": tokenizer, **spec}
        chain = _chain(spec, self.analysis, where, search_side)
        self._chains[name] = chain
        self.analyzers[name] = build_analyzer(chain[0], chain[1], self.analysis)

    def register(self, index: tantivy.Index) -> None:
        """Tokenizers are not persisted with an index: register them on every open."""
        for name, analyzer in self.analyzers.items():
            index.register_tokenizer(name, analyzer)
            index.register_fast_field_tokenizer(name, analyzer)

    def analyze(self, analyzer: str, text: str) -> tuple[str, ...]:
        """Tokens of ``text`` by the analyzer named ``analyzer`` (query-side analysis).

        Kept per analyzer and text: a search analyses each of its words for each of the
        tuning's fields (nine of them, eight sharing one analyzer), and people search with the
        same words. At most :data:`ANALYZED_KEPT` are kept; then the memo starts again."""
        key = (analyzer, text)
        tokens = self._analyzed.get(key)
        if tokens is None:
            if len(self._analyzed) >= ANALYZED_KEPT:
                self._analyzed.clear()
            tokens = self._analyzed[key] = tuple(self.analyzers[analyzer].analyze(text))
        return tokens

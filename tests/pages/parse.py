"""A small reader of the pages' HTML for tests (the standard library's parser): the elements
with their attributes, and the text of the page."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._raw: list[str] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._raw.append(data)
        else:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    @property
    def script_text(self) -> str:
        return "".join(self._raw)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def hrefs(self, prefix: str = "") -> list[str]:
        return [str(a["href"]) for a in self.all("a") if str(a.get("href", "")).startswith(prefix)]

    def checked(self, name: str) -> list[str]:
        return [
            str(a["value"]) for a in self.all("input", type="checkbox", name=name) if "checked" in a
        ]

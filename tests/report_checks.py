"""Checks on a rendered report shared by the report, delivery and browser tests: what an
HTML report refers to outside itself, read by a real HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

FETCHING_TAGS = frozenset(
    {
        "script",
        "img",
        "link",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "image",
        "use",
        "form",
        "base",
        "meta",
    }
)


class _Collector(HTMLParser):
    """What an HTML parser (as a browser's) makes of a document: its elements with their
    attributes, its style sheets and the texts it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.texts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.texts).append(data)


def parse_html(document: str) -> _Collector:
    """Every element, attribute, style sheet and text of ``document``."""
    collector = _Collector()
    collector.feed(document)
    collector.close()
    return collector


def external_references(document: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Everything in ``document`` that would make a mail client or browser fetch or run
    something: tags that fetch, attributes holding a URL or script, CSS ``url()``/``@import``.
    ``allowed`` are exact link targets that may stay (the dashboard link)."""
    parsed = parse_html(document)
    found = [f"<{tag}>" for tag in parsed.tags if tag in FETCHING_TAGS - {"meta"}]
    for tag, name, value in parsed.attributes:
        lowered = value.strip().lower()
        if tag == "a" and name == "href" and value in allowed:
            continue
        if (
            name.startswith("on")
            or name
            in (
                "src",
                "srcset",
                "href",
                "xlink:href",
                "action",
                "background",
                "poster",
                "style",
                "formaction",
            )
            or "://" in lowered
            or lowered.startswith(("//", "javascript:", "data:"))
        ):
            found.append(f"{tag} {name}={value!r}")
    for sheet in parsed.styles:
        if "url(" in sheet.lower() or "@import" in sheet.lower() or "://" in sheet:
            found.append("a style sheet that fetches")
    return found

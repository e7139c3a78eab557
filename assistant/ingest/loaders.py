"""Read article files (.txt, .md, .html) into plain text, detecting the encoding.

HTML pages go through trafilatura (main text, title, author, site name, date; offline: it is
handed the page, never a URL), with a plain parser as the fallback for pages too short for it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from charset_normalizer import from_bytes

from assistant.errors import IngestError, InvalidInputError, UnsupportedMediaError

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

MAX_FILE_BYTES = 20 * 1024 * 1024
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


@dataclass(frozen=True)
class RawDocument:
    """An article as read from disk, before cleaning."""

    article_id: str
    source: str
    text: str
    content_hash: str
    title_hint: str | None = None
    url_hint: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    author_hint: str | None = None
    outlet_hint: str | None = None  # the page's own site name
    published_hint: str | None = None  # ISO date from the page's metadata


def article_id_for(path: Path) -> str:
    """The contract's article id: the file name without its extension."""
    stem = path.stem
    if not _ARTICLE_ID.match(stem):
        raise IngestError(str(path), "file name is not a valid article id (letters, digits, _ . -)")
    return stem


def decode_bytes(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), else the best guess among GB18030/Big5/…; reject binary."""
    if not data.strip():
        raise IngestError(source, "file is empty")
    if b"\x00" in data[:8192]:
        raise IngestError(source, "file looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(source, "cannot detect the text encoding")
    return str(best)


def load_file(path: Path) -> RawDocument:
    """Load one article file; raises IngestError naming the file on any problem."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'!r}; use .txt, .md or .html")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(str(path), f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    return load_bytes(article_id_for(path), data, suffix, source=str(path.resolve()))


def load_bytes(article_id: str, data: bytes, suffix: str, source: str) -> RawDocument:
    """Parse an article from bytes (used by file ingestion and uploads alike)."""
    text = decode_bytes(data, source)
    digest = hashlib.sha256(data).hexdigest()
    if suffix in HTML_SUFFIXES:
        page = extract_html(text)
        return RawDocument(article_id, source, page.text, digest, page.title, page.url, author_hint=page.author,
                           outlet_hint=page.outlet, published_hint=page.published)
    if suffix in MARKDOWN_SUFFIXES:
        body, title = strip_markdown(text)
        return RawDocument(article_id, source, body, digest, title)
    return RawDocument(article_id, source, text, digest)


# --------------------------------------------------------------------------- markdown

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")


def strip_markdown(text: str) -> tuple[str, str | None]:
    """Markdown to plain lines; returns (text, first heading)."""
    title: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            title = title or line.strip() or None
        line = _MD_QUOTE.sub("", _MD_LIST.sub("", line))
        line = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line)))
        lines.append(line)
    return "\n".join(lines), title


# --------------------------------------------------------------------------- html

_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "svg", "button", "select", "template", "head"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "main", "blockquote", "pre", "figcaption", "dd", "dt", "hr"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}


@dataclass
class HtmlPage:
    text: str
    title: str | None
    url: str | None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD


class _MainTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.main_parts: list[str] = []
        self.skip_depth = 0
        self.main_depth = 0
        self.title_parts: list[str] = []
        self.h1: str | None = None
        self._in_title = False
        self._h1_parts: list[str] | None = None
        self.url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "meta" and attr.get("property") == "og:url" and attr.get("content"):
            self.url = self.url or attr["content"]
        if tag == "link" and attr.get("rel") == "canonical" and attr.get("href"):
            self.url = attr["href"]
        if tag == "title":
            self._in_title = True
        if tag in _VOID_TAGS:
            if tag == "br":
                self._emit("\n")
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        if tag in {"article", "main"} and not self.skip_depth:
            self.main_depth += 1
        if tag == "h1" and self.h1 is None:
            self._h1_parts = []
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _VOID_TAGS:
            return
        if tag in _BLOCK_TAGS:
            self._emit("\n")
        if tag == "h1" and self._h1_parts is not None:
            self.h1 = "".join(self._h1_parts).strip() or None
            self._h1_parts = None
        if tag in {"article", "main"} and self.main_depth and not self.skip_depth:
            self.main_depth -= 1
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        if self.skip_depth:
            return
        if self._h1_parts is not None:
            self._h1_parts.append(data)
        self._emit(data)

    def _emit(self, text: str) -> None:
        if self.skip_depth:
            return
        self.parts.append(text)
        if self.main_depth:
            self.main_parts.append(text)


def extract_basic(html: str) -> HtmlPage:
    """Main text of an HTML page by markup alone: <article>/<main> when present, without
    scripts, nav, forms… (the fallback for pages too short for trafilatura's heuristics)."""
    parser = _MainTextParser()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.main_parts if "".join(parser.main_parts).strip() else parser.parts)
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in raw.splitlines()]
    text = "\n".join(line for line in lines if line)
    title = parser.h1 or ("".join(parser.title_parts).strip() or None)
    return HtmlPage(text=text, title=title, url=parser.url)


# Trafilatura's own threshold (MIN_EXTRACTED_SIZE): below it, its heuristics fall back to
# taking most of the page, navigation included, so the markup-only parse is the better text.
MIN_MAIN_TEXT_CHARS = 250
# Page furniture outside the article whose dates are not the article's (related stories,
# site-wide headers with today's date); removed before dates are looked for.
_ASIDE = "'related|recommend|popular', 'i'"
_FURNITURE = ("//nav | //aside[not(ancestor::article)] | //footer[not(ancestor::article)]"
              " | //header[not(ancestor::article) and not(.//h1)]"
              f" | //*[(re:test(@class, {_ASIDE}) or re:test(@id, {_ASIDE}))"
              " and not(self::body) and not(.//h1) and not(.//article)]")
_META_AUTHOR = "//meta[@name='author' or @property='article:author' or @name='byl']/@content"


def extract_html(html: str) -> HtmlPage:
    """Main text and metadata of an HTML page, through trafilatura (no network: it gets the page)."""
    import trafilatura
    from lxml import etree

    from assistant.ingest.credits import author_of

    basic = extract_basic(html)
    tree = trafilatura.load_html(html)
    if tree is None:
        return basic
    meta_author = next(filter(None, (author_of(str(v)) for v in tree.xpath(_META_AUTHOR))), None)
    for node in tree.xpath(_FURNITURE, namespaces={"re": "http://exslt.org/regular-expressions"}):
        if isinstance(node, etree._Element) and node.getparent() is not None:
            node.getparent().remove(node)
    document = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        include_links=False, date_extraction_params={"extensive_search": False, "original_date": True})
    if document is None or isinstance(document, dict):
        return basic
    text = str(document.text or "")
    main = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return HtmlPage(
        text=main if len(main) >= MIN_MAIN_TEXT_CHARS else basic.text,
        title=document.title or basic.title,
        url=document.url or basic.url,
        author=meta_author or author_of(document.author),
        outlet=_site_name(document.sitename, document.url),
        published=document.date or None,
    )


def _site_name(sitename: str | None, url: str | None) -> str | None:
    """The page's declared site name; None when trafilatura only derived it from the URL's host
    (metadata falls back to the host after the text's own credits)."""
    if not sitename:
        return None
    host = (urlparse(url).hostname or "") if url else ""
    return None if host and sitename == host.removeprefix("www.") else sitename


def upload_target(filename: str | None, article_id: str | None = None) -> tuple[str, str]:
    """(article id, suffix) for an uploaded file; the id defaults to the file name's stem.

    The name is only used to derive an id: nothing is written under it, and names with
    directories (`../x.txt`, `/etc/x.txt`) are refused rather than trimmed.
    """
    name = (filename or "").strip()
    if not name:
        raise InvalidInputError("the upload has no file name", field="file")
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        raise InvalidInputError("the file name must be a plain name without directories", field="file")
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedMediaError(f"unsupported file type {suffix or '(none)'!r}; upload .txt, .md or .html")
    chosen = article_id if article_id is not None else Path(name).stem
    if not _ARTICLE_ID.match(chosen):
        raise InvalidInputError("the article id must be 1–128 letters, digits, `_`, `.` or `-`", field="article_id")
    return chosen, suffix

"""What search engines read: language alternates as absolute URLs and the sitemap.

Material writes ``hreflang`` alternates relative to the page, which search engines ignore,
and static-i18n's sitemap knows only the files it found in ``docs/``. We collect every page
we render, in every language pass, and write one sitemap at the end of the build.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from xml.etree import ElementTree as ET

from markupsafe import Markup

from tcsite.escaping import trusted_html
from tcsite.i18n import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Alternate:
    lang: str
    url: str  # site-root-relative, as MkDocs writes page URLs ("es/about/")
    absolute: str


@dataclass
class SitemapEntry:
    url: str
    alternates: list[Alternate] = field(default_factory=list)
    lastmod: dt.date | None = None


def alternates_for(urls_by_lang: dict[str, str], site_url: str) -> list[Alternate]:
    return [
        Alternate(lang=lang, url=url, absolute=absolute_url(site_url, url))
        for lang, url in urls_by_lang.items()
    ]


def sitemap_xml(entries: list[SitemapEntry], site_url: str) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for entry in sorted(entries, key=lambda e: e.url):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute_url(site_url, entry.url)
        if entry.lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = entry.lastmod.isoformat()
        for alt in entry.alternates:
            ET.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang=alt.lang,
                href=alt.absolute,
            )
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def write_sitemap(site_dir: str, entries: list[SitemapEntry], site_url: str) -> None:
    Path(site_dir, "sitemap.xml").write_bytes(sitemap_xml(entries, site_url))
    # MkDocs also writes a gzipped copy per language pass; it would be stale.
    Path(site_dir, "sitemap.xml.gz").unlink(missing_ok=True)


DESCRIPTION_LIMIT = 155


def first_paragraph_text(html: str) -> str:
    """The text of the first paragraph of rendered page content."""
    match = re.search(r"<p\b[^>]*>(.*?)</p>", html, flags=re.S)
    if not match:
        return ""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()


def trim_at_word(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """At most ``limit`` characters (plus an ellipsis), never cut in the middle of a word."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


def description(summary: str | None, html: str, fallback: str) -> str:
    return trim_at_word(summary or first_paragraph_text(html) or fallback)


def organization(config, logo_url: str) -> dict:
    contact = config.extra["contact"]
    return {
        "@type": "Organization",
        "name": config.site_name,
        "url": config.site_url,
        "logo": logo_url,
        "parentOrganization": {"@type": "Organization", "name": "UN Women", "url": contact["organisation_url"]},
        "sameAs": [contact["campus_url"], contact["organisation_url"]],
    }


def news_article(*, headline, published, modified, image, url, lang, author, publisher) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "image": [image],
        "inLanguage": lang,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": {"@type": "Person", "name": author} if author else publisher,
        "publisher": publisher,
    }


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def json_ld_script(data: dict) -> Markup:
    """JSON-LD for a <script> element: '<', '>' and '&' are escaped, so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return trusted_html(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nDisallow: /admin/\n\nSitemap: {absolute_url(site_url, 'sitemap.xml')}\n"

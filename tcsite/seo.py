"""What search engines read: language alternates as absolute URLs and the sitemap.

Material writes ``hreflang`` alternates relative to the page, which search engines ignore,
and static-i18n's sitemap knows only the files it found in ``docs/``. We collect every page
we render, in every language pass, and write one sitemap at the end of the build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

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

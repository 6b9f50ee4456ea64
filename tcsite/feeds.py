"""News feeds per language: RSS 2.0 and Atom, with absolute links and each post's full content (up to a size)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

FEED_SIZE = 20
# A post's full text goes into the feeds up to this size of HTML; a longer one is represented by its
# summary (and its link). Escaped into XML, HTML grows at most five times ('&' -> '&amp;'), so a
# feed stays under FEED_SIZE * 5 * 200 KiB = 19.5 MiB of content, below the CDN's 25 MiB per file
# (titles, summaries and authors are bounded by tcsite.schema.MAX_TEXT_CHARS).
FEED_CONTENT_MAX_BYTES = 200 * 1024
ATOM_NS = "http://www.w3.org/2005/Atom"
RSS_NAME = "rss.xml"
ATOM_NAME = "atom.xml"


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str  # absolute
    published: dt.date
    updated: dt.date | None
    summary: str
    content_html: str | None  # None: too long for a feed (see feed_content), the summary stands for it
    categories: tuple[str, ...]
    author: str | None


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    lang: str
    home_url: str  # absolute URL of the news index in this language
    rss_url: str
    atom_url: str
    items: list[FeedItem]


def feed_content(html: str) -> str | None:
    """A post's HTML as feeds carry it: whole, or None when it is longer than FEED_CONTENT_MAX_BYTES."""
    return html if len(html.encode("utf-8")) <= FEED_CONTENT_MAX_BYTES else None


def absolute_links(html: str, page_url: str) -> str:
    """Feed readers show content out of context: make every href and src absolute."""
    return re.sub(
        r'\b(href|src)="([^"#][^"]*|#[^"]*)"',
        lambda m: f'{m.group(1)}="{urljoin(page_url, m.group(2))}"',
        html,
    )


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _latest(feed: Feed) -> dt.date:
    return max((i.updated or i.published for i in feed.items), default=dt.date(2000, 1, 1))


def rss_xml(feed: Feed) -> bytes:
    ET.register_namespace("atom", ATOM_NS)
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    for tag, text in (
        ("title", feed.title),
        ("link", feed.home_url),
        ("description", feed.description),
        ("language", feed.lang),
        ("lastBuildDate", format_datetime(_moment(_latest(feed)))),
    ):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", href=feed.rss_url, rel="self", type="application/rss+xml")
    for item in feed.items:
        entry = ET.SubElement(channel, "item")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "link").text = item.url
        ET.SubElement(entry, "guid", isPermaLink="true").text = item.url
        ET.SubElement(entry, "pubDate").text = format_datetime(_moment(item.published))
        description = item.content_html if item.content_html is not None else html.escape(item.summary)
        ET.SubElement(entry, "description").text = description
        for category in item.categories:
            ET.SubElement(entry, "category").text = category
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def atom_xml(feed: Feed) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", **attrs)
        element.text = text
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": feed.lang})
    sub(root, "title", feed.title)
    sub(root, "subtitle", feed.description)
    sub(root, "id", feed.home_url)
    sub(root, "updated", _moment(_latest(feed)).isoformat())
    sub(root, "link", href=feed.home_url, rel="alternate", type="text/html")
    sub(root, "link", href=feed.atom_url, rel="self", type="application/atom+xml")
    sub(sub(root, "author"), "name", feed.title)
    for item in feed.items:
        entry = sub(root, "entry")
        sub(entry, "title", item.title)
        sub(entry, "id", item.url)
        sub(entry, "link", href=item.url, rel="alternate", type="text/html")
        sub(entry, "published", _moment(item.published).isoformat())
        sub(entry, "updated", _moment(item.updated or item.published).isoformat())
        sub(entry, "summary", item.summary)
        if item.content_html is not None:
            sub(entry, "content", item.content_html, type="html")
        if item.author:
            sub(sub(entry, "author"), "name", item.author)
        for category in item.categories:
            sub(entry, "category", term=category)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

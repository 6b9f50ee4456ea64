"""A post's excerpt on news cards, taken from the post's own page.

The excerpt is the part of a post before ``<!-- more -->``. It is cut from the HTML MkDocs
rendered for the post page, not rendered again from the Markdown: MkDocs has already turned its
links to sources (``../../instruments/cedaw.md``) and its pictures into URLs, and the strict build
has already refused a broken one, so a card says exactly what the post says. Those URLs are
relative to the post page; ``rebased`` rewrites them for the page showing the card (the news
index, an archive year, a category, the home page), which sits at another depth.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from mkdocs.utils import get_relative_url

from tcsite.news import MORE_MARKER

_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|srcset)=)(["'])(.*?)\2""", re.S)
_ID_ATTRIBUTE = re.compile(r"""\sid=(["']).*?\1""", re.S)
# The heading permalinks the toc extension adds (they lead to anchors of the post page).
_PERMALINK = re.compile(r"<a class=\"headerlink\"[^>]*>.*?</a>", re.S)
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/)")


def excerpt_html(post_html: str) -> str | None:
    """The post page's HTML before ``<!-- more -->``, or None without the marker. Headings lose
    their permalinks and every element its ``id``: several cards share a listing page, whose
    anchors are its own."""
    head, marker, _ = post_html.partition(MORE_MARKER)
    if not marker:
        return None
    head = _PERMALINK.sub("", head)
    return _TAG.sub(lambda tag: _ID_ATTRIBUTE.sub("", tag.group(0)), head).strip()


def rebased(html: str, from_url: str, to_url: str) -> str:
    """``html`` written for the page at ``from_url`` (a site-relative page URL such as
    ``es/news/2019/x/``), with its relative links and pictures made to work at ``to_url``."""
    if from_url == to_url:
        return html

    def rebase(url: str) -> str:
        if not url or _NOT_RELATIVE.match(url):
            return url
        target = urljoin("/" + from_url, url).lstrip("/")  # site-relative, as MkDocs writes page URLs
        return get_relative_url(target, to_url)

    def rebase_value(name: str, value: str) -> str:
        if name.strip().startswith("srcset"):  # "a.avif 480w, b.avif 960w": each candidate's URL
            return ", ".join(" ".join([rebase(url), *rest]) for url, *rest in
                             (candidate.split() for candidate in value.split(",") if candidate.strip()))
        return rebase(value)

    def in_tag(tag: re.Match) -> str:
        return _URL_ATTRIBUTE.sub(
            lambda a: f"{a.group(1)}{a.group(2)}{rebase_value(a.group(1), a.group(3))}{a.group(2)}", tag.group(0))

    return _TAG.sub(in_tag, html)

"""One Markdown converter per language pass, not one per page.

MkDocs' ``Page.render`` builds a new ``markdown.Markdown`` for every page, loading every
extension again (about a millisecond before converting anything: seconds at thousands of pages).
Here every page of a language pass is converted by the same converter, reset between pages
(``Markdown.reset`` resets every extension that keeps state), with MkDocs' own per-page
processors (raw HTML anchors, link resolution, anchors, title) made afresh for each page exactly
as ``Page.render`` makes them. A pass has its own converter: the permalink title is set per
language (``tcsite.theme.localize``).
"""

from __future__ import annotations

import logging

import markdown
from mkdocs.structure import pages
from mkdocs.structure.toc import get_toc

log = logging.getLogger(pages.__name__)  # MkDocs reads its own logger's level, so do we


class PassRenderer:
    """``Page.render`` for every page of one language pass."""

    def __init__(self, config):
        self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                    extension_configs=config["mdx_configs"] or {})

    def render(self, page, config, files) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.md.reset()
        raw_html = pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative_paths = pages._RelativePathTreeprocessor(page.file, files, config)
        relative_paths._register(md)
        title = pages._ExtractTitleTreeprocessor()
        title._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_paths.links_to_anchors

"""News records turned into MkDocs pages, and the context each news template receives.

One function per page type gives its template's context: ``post_context`` (news-post.html),
``listing_context`` (news-index.html), ``notice_context`` (news-only-in.html). Each language
pass gets a fresh ``NewsPass``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from functools import cached_property

from markdown.extensions.toc import slugify, slugify_unicode
from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.structure.files import File, Files, InclusionLevel

from tcsite import excerpts, i18n, locales
from tcsite.escaping import trusted_html
from tcsite.naming import localized_src_uri
from tcsite.news import NEWS_PATH, Audience, Listing, NewsSection, Post, listings, markdown_source, media_files
from tcsite.pictures import PictureError, PicturePipeline
from tcsite.schema import vocabulary

TEMPLATES = {"post": "news-post.html", "listing": "news-index.html", "notice": "news-only-in.html"}
LATEST_ON_HOME = 3


@dataclass
class NewsPage:
    kind: str  # "post" | "listing" | "notice"
    url: str
    switcher: dict[str, str]  # language -> URL the language switcher leads to
    translations: dict[str, str]  # language -> URL of a real translation (hreflang, sitemap)
    post: Post | None = None
    listing: Listing | None = None
    heading: str | None = None  # listings and notices: the page's title, printed by the template

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    def heading_toc(self) -> TableOfContents:
        """The page's one heading as its table of contents (Material's skip link leads to it)."""
        # ASCII where the heading has Latin letters ("news-cedaw"); its own script otherwise (Arabic).
        anchor = slugify(self.heading, "-") or slugify_unicode(self.heading, "-") or "title"
        return TableOfContents([AnchorLink(escape(self.heading), anchor, 1)])


@dataclass
class NewsPass:
    """Everything the news section adds to one language's build."""

    lang: i18n.Language
    languages: list[i18n.Language]
    section: NewsSection
    audience: Audience  # readers on the build date, or editors previewing (drafts, scheduled posts)
    date_locale: str
    news_dir: Path
    pictures: PicturePipeline | None = None  # cards show the lead picture's thumbnail
    pages: dict[str, NewsPage] = field(default_factory=dict)  # by page URL
    posts: list[Post] = field(default_factory=list)
    listing_urls: dict[str, dict[tuple, str]] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)  # post key -> HTML, for feeds and excerpts

    def __post_init__(self):
        self.posts = self.section.published(self.lang.code, self.audience)
        for lang in self.languages:
            lang_posts = self.section.published(lang.code, self.audience)
            self.listing_urls[lang.code] = {
                page.identity: i18n.localized_path(page.path, lang) for page in listings(lang_posts)
            }
        self._position = {post.key: index for index, post in enumerate(self.posts)}
        self._cards: dict[str, dict] = {}

    @property
    def default(self) -> str:
        return next(lang.code for lang in self.languages if lang.default)

    @property
    def order(self) -> list[str]:
        """The languages, default first: the order in which a post's versions are named."""
        return [lang.code for lang in sorted(self.languages, key=lambda lang: not lang.default)]

    def url(self, path: str, lang: i18n.Language | None = None) -> str:
        return i18n.localized_path(path, lang or self.lang)

    # --- building the file list -------------------------------------------------------

    def add_files(self, files: Files, config) -> None:
        for path in media_files(self.news_dir):
            src_uri = NEWS_PATH + path.relative_to(self.news_dir).as_posix()
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        for post in self.posts:
            self._add(files, config, post.src_uri, post.source_text, self._post_page(post))
        for post in self.section.untranslated_elsewhere(self.lang.code, self.audience, self.order):
            page = self._notice_page(post)
            self._add(files, config, post.src_uri, markdown_source(page.heading), page)
        for listing in listings(self.posts):
            page = self._listing_page(listing)
            if listing.identity == ("index", "", 1):
                self.pages[page.url] = page  # docs/news/index.md is the first index page
            else:
                self._add(files, config, listing.src_uri, markdown_source(page.heading), page)

    def _add(self, files: Files, config, src_uri: str, content: str, page: NewsPage) -> None:
        """A generated page, placed like static-i18n places a docs page of this language.

        Its source name carries the language suffix (``news/2019/x.es.md``) so that relative
        links in a post resolve like links in ``docs/`` (``../../instruments/cedaw.md``).
        """
        file = File.generated(config, localized_src_uri(src_uri, self.lang.code, self.default), content=content)
        file.dest_uri = self.lang.url_prefix + src_uri.removesuffix(".md") + "/index.html"
        file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        self.pages[file.url] = page

    def _post_page(self, post: Post) -> NewsPage:
        versions = self.section.translations(post, self.audience)
        translations = {
            lang.code: self.url(post.path, lang) for lang in self.languages if lang.code in versions
        }
        switcher = {lang.code: self.url(post.path, lang) for lang in self.languages}
        return NewsPage("post", self.url(post.path), switcher, translations, post=post)

    def _notice_page(self, post: Post) -> NewsPage:
        original = i18n.localized_path(post.path, _language(post.lang, self.languages))
        switcher = {lang.code: self.url(post.path, lang) for lang in self.languages}
        switcher[post.lang] = original
        heading = i18n.labels(self.lang.code)["only_in_language_title"]
        return NewsPage("notice", self.url(post.path), switcher, {}, post=post, heading=heading)

    def _listing_page(self, listing: Listing) -> NewsPage:
        switcher = {
            lang.code: self.listing_urls[lang.code].get(listing.identity, self.url("news/", lang))
            for lang in self.languages
        }
        translations = {
            lang.code: self.listing_urls[lang.code][listing.identity]
            for lang in self.languages
            if listing.identity in self.listing_urls[lang.code]
        }
        return NewsPage("listing", self.url(listing.path), switcher, translations, listing=listing,
                        heading=self._listing_title(listing))

    def _listing_title(self, listing: Listing) -> str:
        labels = i18n.labels(self.lang.code)
        if listing.kind == "archive":
            title = labels["news_archive_title"].format(year=listing.key)
        elif listing.kind == "category":
            title = labels["news_category_title"].format(category=self.category_label(listing.key))
        else:
            title = labels["news"]
        if listing.number > 1:
            title += " · " + labels["news_page"].format(number=listing.number, count=listing.count)
        return title

    # --- template contexts ------------------------------------------------------------

    def category_label(self, slug: str) -> str:
        return vocabulary("categories")[slug][self.lang.code]

    def card(self, post: Post, config, page_url: str) -> dict:
        """A post's card on the page at ``page_url``; built once, shown on the index, archive,
        category and home pages, its excerpt's links rebased for each (tcsite.excerpts)."""
        if post.key not in self._cards:
            self._cards[post.key] = self._new_card(post, config)
        card = self._cards[post.key]
        if card["excerpt_html"] is None:
            return card
        return {**card, "excerpt_html": trusted_html(excerpts.rebased(card["excerpt_html"], card["url"], page_url))}

    def _new_card(self, post: Post, config) -> dict:
        # MkDocs renders every page before any template runs: the post's HTML is here by now.
        excerpt = excerpts.excerpt_html(self.rendered.get(post.key, ""))
        return {
            "title": post.title,
            "url": self.url(post.path),
            "date": self.date_text(post.date),
            "date_iso": post.date.isoformat(),
            "categories": self.category_links(post),
            "excerpt_html": excerpt,  # relative to the post's page
            "summary": post.meta["summary"],
            "reading": i18n.labels(self.lang.code)["reading_time"].format(minutes=post.reading_minutes),
            "draft": post.draft,
            "scheduled": self.date_text(post.date) if post.scheduled(self.audience.today) else None,
            "picture": self._card_picture(post),
        }

    def _card_picture(self, post: Post):
        image = post.image_file(self.news_dir)
        if self.pictures is None or image is None:
            return None
        try:
            return self.pictures.card(image)
        except PictureError:
            return None  # refused before the build (tcsite.news.load_news)

    def category_links(self, post: Post) -> list[dict]:
        return [
            {"label": self.category_label(c), "url": self.url(f"news/category/{c}/")}
            for c in post.categories
        ]

    def date_text(self, day) -> str:
        return i18n.format_long_date(day, self.date_locale)

    def post_context(self, page: NewsPage, config) -> dict:
        post = page.post
        index = self._position[post.key]
        newer = self.posts[index - 1] if index > 0 else None
        older = self.posts[index + 1] if index + 1 < len(self.posts) else None
        labels = i18n.labels(self.lang.code)
        other_versions = [
            {
                "url": url,
                "lang": code,
                "text": labels["other_language_version"].format(language=i18n.language_name(code, self.lang.code)),
            }
            for code, url in page.translations.items()
            if code != self.lang.code
        ]
        meta = post.meta
        return {
            **self.card(post, config, page.url),
            "updated": self.date_text(meta["updated"]) if meta.get("updated") else None,
            "updated_iso": meta["updated"].isoformat() if meta.get("updated") else None,
            "author": meta.get("author"),
            "image_credit": meta.get("image_credit"),
            "newer": {"title": newer.title, "url": self.url(newer.path)} if newer else None,
            "older": {"title": older.title, "url": self.url(older.path)} if older else None,
            "other_versions": other_versions,
        }

    def notice_context(self, page: NewsPage) -> dict:
        """news-only-in.html: the languages the post is in, named in the reader's language, the
        default language's original first, and a link to each version."""
        labels = i18n.labels(self.lang.code)
        versions = self.section.translations(page.post, self.audience, self.order)
        names = [i18n.language_name(code, self.lang.code) for code in versions]
        return {
            "text": labels["only_in_language_text"].format(language=locales.join(names, self.date_locale)),
            "versions": [
                {"title": post.title, "url": page.switcher[code], "lang": code, "dir": locales.direction(code),
                 "language": name}
                for (code, post), name in zip(versions.items(), names)
            ],
        }

    def listing_context(self, page: NewsPage, config) -> dict:
        listing = page.listing
        return {
            "title": page.heading,
            "kind": listing.kind,
            "cards": [self.card(p, config, page.url) for p in listing.posts],
            "pagination": [
                {"number": n, "url": self.url(listing.path_of_page(n)), "current": n == listing.number}
                for n in range(1, listing.count + 1)
            ]
            if listing.count > 1
            else [],
            "previous_url": self.url(listing.path_of_page(listing.number - 1)) if listing.number > 1 else None,
            "next_url": self.url(listing.path_of_page(listing.number + 1))
            if listing.number < listing.count
            else None,
            "years": self._browse_links("archive"),
            "categories": self._browse_links("category"),
        }

    @cached_property
    def _browse_links_by_kind(self) -> dict[str, list[dict]]:
        """Links to every year of the archive and every category used, in this language."""
        first_pages = [key for key in self.listing_urls[self.lang.code] if key[2] == 1]
        years = sorted((key for kind, key, _ in first_pages if kind == "archive"), reverse=True)
        used = {key for kind, key, _ in first_pages if kind == "category"}
        return {
            "archive": [{"label": y, "url": self.url(f"news/archive/{y}/")} for y in years],
            "category": [
                {"label": self.category_label(slug), "url": self.url(f"news/category/{slug}/")}
                for slug in vocabulary("categories")
                if slug in used
            ],
        }

    def _browse_links(self, kind: str) -> list[dict]:
        return self._browse_links_by_kind[kind]

    def latest_cards(self, config, page_url: str) -> list[dict]:
        return [self.card(p, config, page_url) for p in self.posts[:LATEST_ON_HOME]]


def _language(code: str, languages: list[i18n.Language]) -> i18n.Language:
    return next(lang for lang in languages if lang.code == code)

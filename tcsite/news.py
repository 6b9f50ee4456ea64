"""The bilingual news section, compiled from the top-level ``news/`` folder.

Material's blog plugin assumes one language per build and produces no post pages under
mkdocs-static-i18n, so the news section is ours: posts are read and validated once, then each
language pass gets its post pages, its index, archive and category listings (paginated), and
a short "only available in …" page wherever a post has no translation.

A post appears to readers (``Audience``) once it is neither a draft nor dated after the build
date: a post dated 8 March 2027 is left out of every page, list, feed, the sitemap and search
until the daily build of that day publishes it. ``mkdocs serve`` shows drafts and scheduled posts
with a badge.

This module knows nothing of MkDocs; ``plugin.py`` turns what it returns into pages.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tcsite import pictures
from tcsite.content import Document, Record, read_document
from tcsite.content_files import regular_files, within
from tcsite.i18n import format_long_date
from tcsite.schema import POST_FIELDS, twin_mismatches, validate
from tcsite.validation import ContentError, Note, Problem, duplicate_version

PER_PAGE = 10
WORDS_PER_MINUTE = 200
MORE_MARKER = "<!-- more -->"
NEWS_PATH = "news/"


@dataclass
class Post(Record):
    @property
    def date(self):
        return self.meta["date"]

    @property
    def categories(self) -> list[str]:
        return list(self.meta.get("categories") or [])

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft"))

    def scheduled(self, today: dt.date) -> bool:
        """Dated after ``today``: published by the first build on or after its date."""
        return self.date > today

    @property
    def path(self) -> str:
        """Language-neutral URL path: ``news/2018/annual-report-2017-growth/``."""
        return f"{NEWS_PATH}{self.date.year}/{self.slug}/"

    @property
    def src_uri(self) -> str:
        return self.path.rstrip("/") + ".md"

    @property
    def excerpt_markdown(self) -> str | None:
        return excerpt_of(self.doc.body)

    @property
    def reading_minutes(self) -> int:
        words = len(re.findall(r"\w+", self.doc.body))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def image_file(self, news_dir: Path) -> Path | None:
        """The front-matter image: beside the post, or in news/images/."""
        return next((c for c in image_candidates(self.doc, news_dir) if c.is_file()), None)

    @property
    def source_text(self) -> str:
        """What MkDocs renders: the title as front matter, then the editor's body."""
        return markdown_source(self.title, self.doc.body)


def markdown_source(title: str, body: str = "") -> str:
    """A generated page's Markdown: the title as data (front matter), never as Markdown."""
    return f"---\n{_title_front_matter(str(title))}---\n{body}"  # str: a label is a Label


@functools.lru_cache(maxsize=None)
def _title_front_matter(title: str) -> str:
    return yaml.safe_dump({"title": title}, allow_unicode=True)  # ~0.2 ms: once per title, not per pass


@dataclass
class Listing:
    """One page of a list of posts: the index, a year of the archive, or a category."""

    kind: str  # "index" | "archive" | "category"
    key: str  # "" for the index, the year, or the category slug
    number: int
    count: int
    posts: list[Post]

    @property
    def base_path(self) -> str:
        if self.kind == "index":
            return NEWS_PATH
        return f"{NEWS_PATH}{self.kind}/{self.key}/"

    @property
    def path(self) -> str:
        return self.base_path if self.number == 1 else f"{self.base_path}page/{self.number}/"

    def path_of_page(self, number: int) -> str:
        return self.base_path if number == 1 else f"{self.base_path}page/{number}/"

    @property
    def src_uri(self) -> str:
        return self.path.rstrip("/") + ".md"

    @property
    def identity(self) -> tuple[str, str, int]:
        return self.kind, self.key, self.number


@dataclass(frozen=True)
class Audience:
    """Who a build is for: readers on ``today`` see the posts that are neither drafts nor dated
    after it; editors previewing with ``mkdocs serve`` (``preview``) see every post."""

    today: dt.date
    preview: bool = False

    def sees(self, post: Post) -> bool:
        return self.preview or not (post.draft or post.scheduled(self.today))


@dataclass
class NewsSection:
    posts: list[Post] = field(default_factory=list)

    def __post_init__(self):
        self._versions: dict[str, list[Post]] = {}
        for post in self.posts:
            self._versions.setdefault(post.key, []).append(post)

    def published(self, lang: str, audience: Audience) -> list[Post]:
        """Posts of one language the audience sees, newest first."""
        chosen = [p for p in self.posts if p.lang == lang and audience.sees(p)]
        return sorted(chosen, key=lambda p: (p.date, p.slug), reverse=True)

    def translations(self, post: Post, audience: Audience, order: list[str] = ()) -> dict[str, Post]:
        """Every language version of ``post`` (itself included) the audience sees, by language,
        in the languages' ``order`` (the default language first) where given."""
        found = {p.lang: p for p in self._versions[post.key] if audience.sees(p)}
        rank = {code: n for n, code in enumerate(order)}
        return dict(sorted(found.items(), key=lambda item: rank.get(item[0], len(rank))))

    def untranslated_elsewhere(self, lang: str, audience: Audience, order: list[str] = ()) -> list[Post]:
        """Posts in other languages that have no version in ``lang``: they get a notice page.
        Each is given by its version in the first language of ``order`` that has one: the
        original, in the default language, before any translation."""
        have = {p.key for p in self.published(lang, audience)}
        found = []
        for key, versions in self._versions.items():
            if key not in have:
                shown = self.translations(versions[0], audience, order)
                if shown:
                    found.append(next(iter(shown.values())))
        return found


def excerpt_of(body: str) -> str | None:
    """The part of a post's body shown on news cards: before ``<!-- more -->`` (None without it)."""
    head, marker, _ = body.partition(MORE_MARKER)
    return head.strip() if marker else None


def media_files(news_dir: Path) -> list[Path]:
    """Pictures and other files kept beside the posts, published under /news/: documents as they
    are, pictures as their variants (``tcsite.pictures``); ``tcsite.content_files`` says which
    may be, the build refuses the others."""
    return [p for p in regular_files(news_dir) if p.suffix != ".md"]


def image_candidates(doc: Document, news_dir: Path) -> list[Path]:
    """Where a post's ``image:`` may be, beside the post or in news/images/: never outside news/."""
    image = doc.meta.get("image")
    if not isinstance(image, str) or not image:
        return []
    candidates = (doc.path.parent / image, news_dir / "images" / image)
    return [c for c in candidates if within(c, news_dir)]


def _image_problems(doc: Document, news_dir: Path) -> list[Problem]:
    image = doc.meta.get("image")
    if not isinstance(image, str) or not image or urlsplit(image).scheme:
        return []
    candidates = image_candidates(doc, news_dir)
    if not candidates:
        return [doc.problem("image", f"the image {image} is outside the news folder",
                            "put the picture beside the post or in news/images/ and write its file name, "
                            "e.g. image: workshop.jpg")]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        return [doc.problem("image", f"the image {image} does not exist",
                            f"put it beside the post or in {doc.rel.split('/')[0]}/images/")]
    return pictures.lead_problems(doc, found)


def schedule_notes(news_dir: Path, root: Path, codes: list[str], default: str, today: dt.date,
                   date_locale: str = "en_GB") -> list[Note]:
    """For ``check``: each post dated after ``today`` and when it will appear (not a problem)."""
    notes = []
    for path in regular_files(news_dir, ".md"):
        try:
            doc = read_document(path, root, codes, default)
        except ContentError:
            continue  # reported as a problem
        day = doc.meta.get("date")
        if isinstance(day, dt.date) and day > today and doc.meta.get("draft") is not True:
            notes.append(Note(doc.rel, doc.line_of("date"), 1,
                              f"scheduled for {format_long_date(day, date_locale)}: it will be published "
                              "by the daily build of that day, and appears nowhere on the site until then"))
    return notes


def listings(posts: list[Post], per_page: int = PER_PAGE) -> list[Listing]:
    """Index, archive-by-year and category pages for one language's posts (newest first)."""
    groups: dict[tuple[str, str], list[Post]] = {("index", ""): posts}
    for post in posts:
        groups.setdefault(("archive", str(post.date.year)), []).append(post)
        for category in post.categories:
            groups.setdefault(("category", category), []).append(post)
    pages = []
    for (kind, key), group in groups.items():
        count = max(1, math.ceil(len(group) / per_page))
        for number in range(1, count + 1):
            chunk = group[(number - 1) * per_page : number * per_page]
            pages.append(Listing(kind, key, number, count, chunk))
    return pages


def load_news(news_dir: Path, root: Path, codes: list[str], default: str, read=read_document) -> NewsSection:
    """Read and validate every post; raises ContentError listing every problem found. ``read``:
    ``read_document`` or a cache of it (``make serve``: tcsite.incremental)."""
    problems: list[Problem] = []
    posts: list[Post] = []
    for path in regular_files(news_dir, ".md"):
        try:
            doc = read(path, root, codes, default)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        found = validate(doc, POST_FIELDS) + _image_problems(doc, news_dir)
        problems.extend(found)
        if not found:
            posts.append(Post(doc, slug=Path(doc.key).stem))
    problems.extend(twin_mismatches(posts, default, POST_FIELDS))
    problems.extend(_url_clashes(posts))
    if problems:
        raise ContentError(problems)
    return NewsSection(posts)



def _url_clashes(posts: list[Post]) -> list[Problem]:
    claimed: dict[tuple[str, str], Post] = {}
    problems = []
    for post in posts:
        first = claimed.setdefault((post.lang, post.path), post)
        if first is not post and first.key == post.key:  # x.md and x.en.md: the same version twice
            problems.append(duplicate_version(post.doc.rel, first.doc.rel, post.lang))
        elif first is not post and first.key != post.key:
            problems.append(
                post.doc.problem(
                    None,
                    f"this post has the same address /{post.path} as {first.doc.rel}",
                    "rename one of the two files",
                )
            )
    return problems

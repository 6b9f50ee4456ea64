"""`make serve` at a thousand posts: a rebuild redoes only the news pages whose inputs changed.

MkDocs' ``serve`` rebuilds the whole site on every save, and static-i18n does it once per
language: at a thousand posts per language that is tens of seconds before an editor sees a
sentence they added. With ``mkdocs serve --dirty`` (what ``make serve`` runs) MkDocs keeps the
site folder between rebuilds and asks each page's file ``is_modified()`` before reading it and
again before writing it; on its own it compares file dates, which says nothing of what a page
shows. Here the plugin answers instead:

- pages of ``docs/`` are always rebuilt (a few dozen; the home page lists the latest posts, course
  statuses follow the date, and every page's navigation shows their titles);
- a news page (post, listing, "only available in" notice) is rebuilt when anything it shows may
  have changed: a digest of its own inputs (a post's front matter and body, its neighbours'
  titles, the cards of a listing, its language switcher…) and of everything every page shows
  (mkdocs.yml, data/, the theme, the list of files, the titles of the docs pages, the build date)
  differs from the last successful build's;
- a page that is not rebuilt keeps the file written last time, and gets back the state the rest
  of the build reads from it (its rendered HTML for excerpts and feeds, its title, its sitemap
  entry).

After a failed build (a warning under ``strict``, a refused page, an error) everything is
forgotten, so the next save rebuilds the whole site. Adding, removing or renaming a file changes
the list of files and rebuilds everything too. ``mkdocs build`` never comes here.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from tcsite.content import read_document

# MkDocs warns that a dirty build "will likely lead to inaccurate navigation and other links";
# under strict mode the warning alone would refuse every build. It does not apply here: every
# page whose inputs changed is rebuilt.
DIRTY_WARNING = "A 'dirty' build is being performed"
# What a page that is not rebuilt gets back from the build that wrote it.
PAGE_STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids", "title")


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


@dataclass
class Built:
    """A news page as the last successful build wrote it."""

    digest: str
    dest: str
    state: dict
    sitemap_entry: object = None
    rendered: str | None = None  # a post's HTML for excerpts and feeds (NewsPass.rendered)


@dataclass
class Incremental:
    """Held by the plugin for the whole ``mkdocs serve --dirty`` session."""

    project_root: Path
    previous: dict[str, Built] = field(default_factory=dict)  # page URL -> last successful build
    current: dict[str, Built] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)  # every page file this build has (dest paths)
    last_written: set[str] = field(default_factory=set)
    skipped: list[Built] = field(default_factory=list)  # this language pass's pages not rebuilt
    # Pages that passed the build's last line of defence (tcsite.html_rules.PageGuard), by
    # ``guard_key``, with the theme's inline scripts found on them (for the CSP).
    passed_pages: dict[str, frozenset[str]] = field(default_factory=dict)
    documents: dict[Path, tuple] = field(default_factory=dict)  # content files read, by path
    failed: bool = False

    def __post_init__(self):
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

    # --- one build (every language pass) ---------------------------------------------------

    def begin_build(self) -> None:
        if self.failed:
            self.previous, self.last_written = {}, set()
        else:
            self.previous, self.last_written = self.current, self.written
        self.current, self.written, self.failed = {}, set(), False

    def read_document(self, path: Path, root: Path, codes, default: str):
        """``tcsite.content.read_document``, again only for a file that changed since (its
        documents are never changed once read)."""
        signature = (_signature(path), str(root), tuple(codes), default)
        found = self.documents.get(path)
        if found is None or found[0] != signature:
            found = self.documents[path] = (signature, read_document(path, root, codes, default))
        return found[1]

    @staticmethod
    def guard_key(output: str, page_url: str, source: str, base_url: str, script_paths) -> str:
        """A page as the guard judges it: the same key, the same verdict."""
        return _digest(page_url, source, base_url, sorted(script_paths), output)

    def forget(self) -> None:
        """The build failed: the next one rebuilds everything."""
        self.failed = True

    def stale_pages(self) -> list[Path]:
        """Page files of the last build that this build no longer has (a post deleted, a
        listing page fewer): MkDocs leaves them in a dirty build."""
        return [Path(dest) for dest in sorted(self.last_written - self.written)]

    # --- one language pass -------------------------------------------------------------------

    def start_pass(self, files, config, news_pass) -> None:
        """Answer ``is_modified()`` for every page of this pass (called after on_files)."""
        self.skipped = []
        news_inputs = _NewsInputs(news_pass)
        pass_inputs = _PassInputs(self.project_root, files, config, set(news_pass.pages))
        for file in files.documentation_pages():
            self.written.add(file.abs_dest_path)
            news_page = news_pass.pages.get(file.url)
            if news_page is None:
                file.is_modified = _always
            else:
                file.is_modified = _Once(functools.partial(self._needs_build, file, news_pass, news_page,
                                                           pass_inputs, news_inputs))

    def record(self, page, news_pass, sitemap_entry) -> None:
        """A news page this pass has built (at its template context, its state complete)."""
        digest = getattr(page.file, "tc_digest", None)
        if digest is None or page.url not in news_pass.pages:
            return
        state = {name: vars(page)[name] for name in PAGE_STATE if name in vars(page)}
        news_page = news_pass.pages[page.url]
        rendered = news_pass.rendered.get(news_page.post.key) if news_page.kind == "post" else None
        self.current[page.url] = Built(digest, page.file.abs_dest_path, state, sitemap_entry, rendered)

    def _needs_build(self, file, news_pass, news_page, pass_inputs, news_inputs) -> bool:
        digest = pass_inputs.digest()
        if digest is not None:
            digest = _digest(digest, news_inputs.of_page(news_page))
        file.tc_digest = digest
        built = self.previous.get(file.url)
        if digest is None or built is None or built.digest != digest or not Path(file.abs_dest_path).is_file():
            return True
        vars(file.page).update(built.state)
        if news_page.kind == "post":
            news_pass.rendered[news_page.post.key] = built.rendered
        self.current[file.url] = built
        self.skipped.append(built)
        return False


def _always() -> bool:
    return True


class _Once:
    """MkDocs asks twice (before reading, before writing): the first answer holds."""

    def __init__(self, decide):
        self.decide, self.answer = decide, None

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = self.decide()
        return self.answer


class _PassInputs:
    """What every page of a language pass shows, as one digest, taken when the first news page
    asks (the docs pages, read before the generated ones, have their titles by then)."""

    def __init__(self, root: Path, files, config, news_urls: set[str]):
        self.root, self.files, self.config, self.news_urls = root, files, config, news_urls
        self._digest: str | None = None

    def digest(self) -> str | None:
        if self._digest is None:
            titles = []
            for file in self.files.documentation_pages():
                if file.url in self.news_urls:
                    continue
                if file.page is None or file.page.markdown is None:
                    return None  # not read yet: no digest, every page is rebuilt
                titles.append((file.url, str(file.page.title)))
            self._digest = _digest(
                self.config.site_url,
                [(f.src_uri, f.dest_uri) for f in self.files],
                titles,
                _tree_signature(Path(self.config.config_file_path).resolve()),
                *(_tree_signature(self.root / folder) for folder in ("data", "tcsite")),
                _media_signature(Path(self.config.docs_dir)), _media_signature(self.root / "news"),
                _tree_signature(Path(self.config.theme.custom_dir)) if self.config.theme.custom_dir else None,
                _build_date(),
            )
        return self._digest


class _NewsInputs:
    """Everything a news page shows that is its own, for its digest."""

    def __init__(self, news_pass):
        self.news_pass = news_pass
        self.position = {post.key: index for index, post in enumerate(news_pass.posts)}
        self.listing_urls = _digest(sorted((lang, sorted(urls.items())) for lang, urls in news_pass.listing_urls.items()))
        self._posts: dict[tuple[str, str], str] = {}

    def of_page(self, news_page) -> list:
        news_pass = self.news_pass
        inputs: list = [news_page.kind, news_page.url, news_page.heading, news_page.switcher,
                        news_page.translations, repr(news_pass.audience)]
        if news_page.kind == "post":
            index = self.position[news_page.post.key]
            neighbours = news_pass.posts[max(0, index - 1): index + 2]
            inputs += [self.of_post(news_page.post), [(p.title, p.path) for p in neighbours]]
        elif news_page.kind == "notice":
            inputs += [news_page.post.title, news_page.post.lang]
        else:
            listing = news_page.listing
            inputs += [listing.identity, listing.count, [self.of_post(p) for p in listing.posts], self.listing_urls]
        return inputs

    def of_post(self, post) -> str:
        key = (post.key, post.lang)
        if key not in self._posts:
            news_dir = self.news_pass.news_dir
            image = post.image_file(news_dir)
            self._posts[key] = _digest(
                post.key, post.lang, sorted(post.meta.items(), key=lambda item: str(item[0])),
                hashlib.sha256(post.doc.body.encode("utf-8", "surrogatepass")).hexdigest(),
                str(image), _signature(image) if image else None,
            )
        return self._posts[key]


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _signature(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def _tree_signature(path: Path) -> list:
    if path.is_file():
        return [(path.name, _signature(path))]
    return sorted((p.relative_to(path).as_posix(), _signature(p)) for p in path.rglob("*") if p.is_file())


def _media_signature(folder: Path) -> list:
    """Pictures and documents beside the pages: a page shows variants of its pictures."""
    found = []
    for current, _, names in os.walk(folder):
        found += [(current, name, _signature(Path(current, name))) for name in names if not name.endswith(".md")]
    return sorted(found)


def _build_date():
    from tcsite.courses import build_date

    return build_date()

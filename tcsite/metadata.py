"""What a page tells search engines and social networks about itself.

For each page: the description, Open Graph and Twitter card tags, the share card image, and
schema.org JSON-LD (Organization on the home page, NewsArticle on posts, BreadcrumbList
below the top level). Everything comes from front matter editors already write.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from tcsite import cards, locales, seo
from tcsite.card_painter import CardPainter
from tcsite.escaping import plain_text
from tcsite.i18n import Language, absolute_url, labels

CARD_DIR = "assets/cards/"


def card_path(page_url: str) -> str:
    """``es/about/`` -> ``assets/cards/es/about.png``; the home page is ``index``."""
    return f"{CARD_DIR}{page_url.strip('/') or 'index'}.png"


def git_last_changes(root: Path, folders: tuple[str, ...]) -> dict[str, dt.date]:
    """The date of the last commit that touched each file (project-relative path)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", *folders],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    changes: dict[str, dt.date] = {}
    for commit in log.split("\x00")[1:]:
        day, *names = commit.strip().splitlines()
        for name in names:
            changes.setdefault(name, dt.date.fromisoformat(day))
    return changes


class PageMetadata:
    """Builds the metadata of every page of one language pass."""

    def __init__(self, config, lang: Language, og_locales: dict[str, str], painter: CardPainter | None,
                 titles: dict[str, str]):
        self.config = config
        self.lang = lang
        self.og_locales = og_locales
        self.painter = painter  # None while serving: pages name their cards, none is drawn
        self.titles = titles  # page URL -> title, for breadcrumbs
        self.labels = labels(lang.code)

    def for_page(self, page, alternates: list[seo.Alternate], post=None, section: str | None = None,
                 picture=None) -> dict:
        """``picture``: a lead picture's share crop and its alt text (tcsite.pictures), shown
        instead of a drawn card."""
        config = self.config
        url = absolute_url(config.site_url, page.url)
        home = self._is_home(page)
        # The home page is the site itself: titled with its name (its menu title is "Home").
        title = post.title if post else config.site_name if home else plain_text(page.title or config.site_name)
        summary = post.meta["summary"] if post else page.meta.get("summary")
        if picture is not None:
            image, image_alt = absolute_url(config.site_url, picture[0].path), picture[1]
        else:
            image, image_alt = self._share_card(page.url, title, self.labels["part_of_un_women"] if home else section or ""), title
        meta = {
            "url": url,
            "title": title,
            "description": seo.description(summary, page.content or "", config.site_description),
            "type": "article" if post else "website",
            "locale": self.og_locales.get(self.lang.code, self.lang.code),
            "locale_alternates": [self.og_locales.get(a.lang, a.lang) for a in alternates if a.lang != self.lang.code],
            "image": image,
            "image_alt": image_alt,
            "site_name": config.site_name,
            "json_ld": [seo.json_ld_script(data) for data in self._structured_data(page, url, title, image, post)],
        }
        if post:
            meta["published"] = post.date.isoformat()
            meta["modified"] = (post.meta.get("updated") or post.date).isoformat()
            meta["section"] = self.labels["news"]
        return meta

    def _share_card(self, page_url: str, title: str, section: str) -> str:
        path = card_path(page_url)
        card = cards.Card(title=title, section=section, site_name=self.config.site_name,
                          lang=self.lang.code, direction=locales.direction(self.lang.code))
        if self.painter:
            self.painter.paint(card, Path(self.config.site_dir, path))
        return absolute_url(self.config.site_url, path)

    def _is_home(self, page) -> bool:
        return page.url in ("", self.lang.url_prefix)

    def _publisher(self) -> dict:
        return seo.organization(self.config, absolute_url(self.config.site_url, "assets/images/logo.png"))

    def _structured_data(self, page, url: str, title: str, image: str, post) -> list[dict]:
        found = []
        if self._is_home(page):
            found.append({"@context": "https://schema.org", **self._publisher()})
        if post:
            found.append(
                seo.news_article(
                    headline=title, published=post.date, modified=post.meta.get("updated"),
                    image=image, url=url, lang=self.lang.code, author=post.meta.get("author"),
                    publisher=self._publisher(),
                )
            )
        trail = self._breadcrumbs(page.url, title)
        if len(trail) > 2:
            found.append(seo.breadcrumb_list(trail))
        return found

    def _breadcrumbs(self, page_url: str, title: str) -> list[tuple[str, str]]:
        """Home, then every ancestor path that is a page, then this page."""
        home = self.lang.url_prefix
        trail = [(self.titles.get(home, self.config.site_name), absolute_url(self.config.site_url, home))]
        parts = page_url[len(home):].strip("/").split("/") if page_url.strip("/") != home.strip("/") else []
        for depth in range(1, len(parts)):
            ancestor = home + "/".join(parts[:depth]) + "/"
            if ancestor in self.titles:
                trail.append((self.titles[ancestor], absolute_url(self.config.site_url, ancestor)))
        if parts:
            trail.append((title, absolute_url(self.config.site_url, page_url)))
        return trail

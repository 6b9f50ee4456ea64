"""The MkDocs plugin that wires our build logic into the site, in the order of MkDocs' events.

mkdocs-static-i18n runs the whole build once per language (English first; the other languages
are built from inside its ``on_post_build``). Every event below therefore runs once per
language pass; what spans languages (the sitemap) is written after the last pass.
"""

from __future__ import annotations

import copy
import functools
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import clean_directory, get_relative_url

from tcsite import (assets, cdn, cms, data_files, feeds, html_rules, i18n, limits, locales, metadata, pictures, redirects,
                    search, seo, text_layout, theme, untranslated)
from tcsite.card_painter import CardPainter
from tcsite.guard_pool import GuardPool, workers_available
from tcsite.incremental import Incremental
from tcsite.page_render import PassRenderer
from tcsite.template_cache import COMPILED as COMPILED_TEMPLATES
from tcsite.escaping import escaping, mark_body_html, mark_headings_html, plain_text, theme_environment, trusted_html
from tcsite.content import read_document
from tcsite.content_files import ContentTree, regular_files
from tcsite.course_pages import CoursePass  # course catalogue
from tcsite.courses import build_date, image_file, load_courses  # course catalogue
from tcsite.news import Audience, load_news
from tcsite.news_pages import NewsPass
from tcsite.naming import split_language_suffix
from tcsite.project import PAGES, Project, config_root, front_matter_problems, load_config, read_entries
from tcsite.script_integrity import ScriptIntegrity
from tcsite.untranslated import NOT_FOUND_PAGE, NOTICE_PAGE, SPECIAL_PAGES, LanguagesInProgress
from tcsite.validation import ContentError, Problem, missing_translations, refuse_build, relative_to

log = get_plugin_logger(__name__)

CONTACT_MARKER = "<p>{{ contact_details }}</p>"


class TrainingCentreConfig(Config):
    news_dir = c.Type(str, default="news")
    # Languages translated page by page (tcsite.untranslated): a page without a version in one
    # of them is published with the default language's text and a notice.
    languages_in_progress = c.ListOfItems(c.Type(str), default=[])
    # The Babel locale of a language's dates, numbers and lists, and its Open Graph locale: by
    # default the region CLDR gives the language (fr -> fr_FR, ar -> ar_EG); these override it.
    date_locales = c.Type(dict, default={})
    og_locales = c.Type(dict, default={})
    # Where drawn share cards are kept between builds (content-addressed).
    cards_cache = c.Type(str, default=".cache/cards")
    # Other sites that data/redirects.yml may lead to (exact host names; check and the build read
    # them through tcsite.project, this declares them to MkDocs).
    redirect_hosts = c.ListOfItems(c.Type(str), default=[])
    # Where the variants of pictures are kept between builds (content-addressed, tcsite.pictures).
    pictures_cache = c.Type(str, default=".cache/pictures")


class TrainingCentrePlugin(BasePlugin[TrainingCentreConfig]):
    def __init__(self):
        self.serving = False
        # `mkdocs serve --dirty` (make serve): only the pages whose inputs changed are rebuilt.
        self.dirty_serving = False
        self.incremental: Incremental | None = None
        self.sitemap_entries: list[seo.SitemapEntry] = []
        self.fallbacks: dict[str, untranslated.Fallback] = {}  # this pass's stand-in pages, by URL
        self.stand_in_titles: dict[str, tuple[str, str]] = {}  # their titles -> (language, direction)
        # The last line of defence (tcsite.html_rules.PageGuard): pages checked and what they
        # broke, theme inline scripts found on them (the CSP's hashes).
        self.guarded: set[str] = set()  # page files (normalised paths, as under site_dir)
        self.page_problems: list = []
        self.inline_scripts: set[str] = set()
        self.copied_html: dict[str, str] = {}  # HTML files copied as they are (normalised) -> their source
        self.news = None
        self.news_pass: NewsPass | None = None
        # Course catalogue: read once per build, one CoursePass per language pass.
        self.catalogue = None
        self.course_pass: CoursePass | None = None
        self.contact_source: dict | None = None  # extra.contact as mkdocs.yml gives it

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.dirty_serving = self.serving and dirty

    @event_priority(-110)  # after static-i18n has set the language of this pass
    def on_config(self, config):
        self.config_file = Path(config.config_file_path).resolve()
        self.root = config_root(config)
        if self.dirty_serving and self.incremental is None:
            self.incremental = Incremental(self.root)
        self.docs_dir = Path(config.docs_dir).resolve()  # course catalogue: docs/courses/
        self.languages = i18n.site_languages(config)
        self.codes = [lang.code for lang in self.languages]
        self.default = i18n.default_language(config).code
        self.in_progress = tuple(self.config.languages_in_progress)
        if i18n.current_language(config) == self.default:
            # This project's vocabularies and labels, before anything reads them (their problems
            # refuse the build with the others, in _start_build).
            self.project = Project(self.root, load_config(self.config_file))
            self.data = data_files.use(self.project.read_data())
        current = i18n.current_language(config)
        theme.localize(config, i18n.labels(current), locales.direction(current))  # Material's words in this language
        if current == self.default:
            self.own_stylesheets = [str(path) for path in config.extra_css]
        config.extra_css = []  # pages link them within one stylesheet (tcsite.assets)
        self._localize_contact(config)
        theme_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        self.content_tree = ContentTree(self.root, self.docs_dir, self.root / self.config.news_dir,
                                        self.root / "data", theme_dir, tuple(self.codes))
        if i18n.current_language(config) == self.default:
            self._start_build(config)
        return config

    def _start_build(self, config):
        """Content is read and validated once per build, before the first language pass; every
        problem is listed at once, as check lists them."""
        # Content types only, no links (tcsite.content_files); the loaders below read only regular
        # Markdown files, never through a link, and MkDocs reads nothing before the build is refused.
        problems = self.content_tree.problems() + self.data.problems
        self.default_site_name = config.site_name
        if self.incremental:
            self.incremental.begin_build()
        # Share cards, drawn off the main thread (none while serving: make preview draws them).
        self.painter = None if self.serving else CardPainter(self.root / self.config.cards_cache)
        self.sitemap_entries = []
        self.scripts: ScriptIntegrity | None = None  # the theme's scripts, from the first pass
        self.guard_pool: GuardPool | None = None
        # What every page's tags hold, for the rules of Material's stylesheet pages can use.
        self.page_tokens = None if self.serving else assets.PageTokens()
        self.guarded, self.page_problems, self.inline_scripts, self.copied_html = set(), [], set(), {}
        self.pictures = pictures.PicturePipeline(self.root / self.config.pictures_cache)
        pictures.quiet_links_to_originals()
        self.last_changes = metadata.git_last_changes(self.root, ("docs",))
        problems += untranslated.option_problems(self.in_progress, self.languages, self.config_file, self.root)
        complete = [code for code in self.codes if code == self.default or code not in self.in_progress]
        problems += missing_translations(self.docs_dir, self.codes, self.default, self.root, complete)
        self.progress = LanguagesInProgress.read(self.docs_dir, self.languages, self.in_progress)
        problems += text_layout.problems(self.codes, self.config_file, self.root)  # share cards
        problems += self._page_problems()
        self.news = None
        try:
            read = self.incremental.read_document if self.incremental else read_document
            self.news = load_news(self.root / self.config.news_dir, self.root, self.codes, self.default, read)
        except ContentError as error:
            problems += error.problems
        # --- Course catalogue (tcsite.courses): every course read and validated; statuses are
        # computed on the build date (SOURCE_DATE_EPOCH when set, for reproducible builds).
        self.build_date = build_date()
        try:
            self.catalogue = load_courses(self.docs_dir, self.root, self.codes, self.default)
        except ContentError as error:
            problems += error.problems
        # --- Redirects (tcsite.redirects): judged, like check does, against the addresses this build
        # will write; _redirects is written at the end.
        project = self.project
        posts = self.news.posts if self.news else []
        self.redirects, redirect_problems = redirects.checked_redirects(project, redirects.build_entries(project, posts))
        problems += redirect_problems
        refuse_build(problems)

    def formatting_locale(self, code: str) -> str:
        """The Babel locale of a language's dates, numbers and lists (``date_locales`` or CLDR's)."""
        return self.config.date_locales.get(code) or locales.region_locale(code)

    def og_locale(self, code: str) -> str:
        return self.config.og_locales.get(code) or locales.region_locale(code)

    def _localize_contact(self, config) -> None:
        """extra.contact in mkdocs.yml may give an address per language ({en: …, es: …}), for a
        site that has a page in each (UN Women's); each language pass reads its own."""
        contact = config.extra.get("contact") or {}
        if self.contact_source is None:
            self.contact_source = dict(contact)
        lang = i18n.current_language(config)
        for key, value in self.contact_source.items():
            contact[key] = value.get(lang, value.get(self.default, "")) if isinstance(value, dict) else value

    def _page_problems(self) -> list:
        """The front matter of docs pages, judged by the schema as check judges it (template, hide…)."""
        problems = []
        for entry in read_entries(self.project, sections=(PAGES,)):
            problems += entry.problems if entry.doc is None else front_matter_problems(self.project, entry)
        return problems

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.config.news_dir))
        server.watch(str(self.root / "data"))
        return server

    # static-i18n rewrites the file list at priority -100; we work on its result.
    @event_priority(-110)
    def on_files(self, files: Files, config) -> Files:
        self._take_special_pages(files)
        lang = i18n.language_of(i18n.current_language(config), config)
        self.fallbacks = self.progress.add_files(files, config, lang)  # a language in progress
        self.news_pass = NewsPass(
            lang=lang,
            languages=self.languages,
            section=self.news,
            audience=Audience(today=self.build_date, preview=self.serving),
            date_locale=self.formatting_locale(lang.code),
            news_dir=self.root / self.config.news_dir,
            pictures=self.pictures,
        )
        self.news_pass.add_files(files, config)
        # --- Course catalogue (tcsite.course_pages): this language's catalogue and course pages;
        # course pages are reached from the catalogue, not from the navigation.
        self.course_pass = CoursePass(
            lang=lang,
            catalogue=self.catalogue,
            date_locale=self.formatting_locale(lang.code),
            today=self.build_date,
            fallback=self.default if lang.code in self.in_progress else None,
            site_url=config.site_url,
        )
        self.course_pass.keep_out_of_nav(files)
        # Last look before MkDocs copies anything: a file that appeared since on_config is refused too.
        refuse_build(self.content_tree.refused_files(Path(f.abs_src_path) for f in files if f.abs_src_path))
        # Uploaded pictures are never copied: pages show their variants (tcsite.pictures).
        self.page_pictures = pictures.PagePictures(
            self.pictures, self._keep_out_pictures(files, config),
            theme_environment(config).get_template(pictures.PARTIAL))
        if self.incremental:
            self.incremental.start_pass(files, config, self.news_pass)
        self.renderer = PassRenderer(config)  # one Markdown converter for the pages of this pass
        return files

    def on_pre_page(self, page, config, files):
        page.render = functools.partial(self.renderer.render, page)  # instead of a converter per page
        return page

    def _keep_out_pictures(self, files: Files, config) -> dict[str, Path]:
        """Each uploaded picture of docs/ and news/, by its site path, excluded from the copy.

        static-i18n leaves the pictures of docs/ out of the other languages' passes
        (``fallback_to_default: false``): they are listed again, so that a translated page's
        pictures resolve like the default language's."""
        for path in regular_files(self.docs_dir):
            src_uri = path.relative_to(self.docs_dir).as_posix()
            if pictures.is_picture(path) and files.get_file_from_path(src_uri) is None:
                files.append(File(src_uri, str(self.docs_dir), config.site_dir, config.use_directory_urls))
        originals = {}
        for file in files:
            path = Path(file.abs_src_path) if file.abs_src_path else None
            if path and pictures.is_picture(path) and any(
                    path.is_relative_to(folder) for folder in self.content_tree.published_folders):
                file.inclusion = InclusionLevel.EXCLUDED
                originals[file.url] = path
        return originals

    def on_env(self, env, config, files):
        """Every page has been read by now: keep their titles for breadcrumbs (and the titles of
        this language's stand-ins, marked with their own language where the theme prints them)."""
        refuse_build(self.page_pictures.problems)  # pictures of page bodies the pipeline cannot read
        escaping(env)
        env.bytecode_cache = COMPILED_TEMPLATES  # compiled once per process (tcsite.template_cache)
        env.globals["tc_material_words"] = theme.material_words(i18n.labels(i18n.current_language(config)))
        logo = files.get_file_from_path(config.theme["logo"]) if config.theme.get("logo") else None
        env.globals["tc_logo_size"] = assets.image_size(logo.abs_src_path) if logo and logo.abs_src_path else None
        if self.scripts is None:
            self.scripts = ScriptIntegrity(files, config.theme.dirs)
            if not self.serving and workers_available() > 0:  # pages judged beside the build
                self.guard_pool = GuardPool(self.scripts.paths, workers_available())
        # Our scripts and styles minified (every pass copies the theme's files), once the theme's
        # scripts are known and before the first page hashes one's integrity.
        assets.minify_own_files(files, config.theme.custom_dir)
        titles = {f.page.url: plain_text(f.page.title) for f in files.documentation_pages() if f.page and f.page.title}
        self.stand_in_titles = {titles[url]: (stand_in.text_lang, locales.direction(stand_in.text_lang))
                                for url, stand_in in self.fallbacks.items() if url in titles}
        self.metadata = metadata.PageMetadata(
            config,
            self.news_pass.lang,
            {code: self.og_locale(code) for code in self.codes},
            self.painter,
            titles,
        )
        self.page_guard = html_rules.PageGuard(
            self.scripts.paths,
            lru_cache(lambda base_url: html_rules.theme_inline_script_hashes(env, config, base_url)),
            inline_seen=self.inline_scripts,
        )
        self.copied_html.update({os.path.normpath(f.abs_dest_path): relative_to(Path(f.abs_src_path), self.root)
                                 for f in files.static_pages() if f.abs_src_path})
        return env

    def _take_special_pages(self, files: Files) -> None:
        """docs/404.md and docs/untranslated.md are texts shown on other pages, not pages."""
        for file in list(files):
            base, _ = split_language_suffix(Path(file.src_uri).name, self.codes)
            if Path(file.src_uri).with_name(base).as_posix() in SPECIAL_PAGES:
                files.remove(file)

    def _special_text(self, name: str, config) -> tuple[str, str, str]:
        """A special page's language, file and HTML in this pass's language (the default
        language's text while it has none), its links rooted at the site for any depth."""
        lang = i18n.language_of(i18n.current_language(config), config)
        found = untranslated.special_text(self.docs_dir, self.root, name, lang.code, self.default)
        text_lang, source, body, line = found or (self.default, "overrides/404.html", "", 1)
        html = i18n.site_rooted_links(render_markdown(body, config, source, line), config.site_url, lang.url_prefix)
        return text_lang, source, untranslated.reader_permalinks(html, lang.code) if text_lang != lang.code else html

    def on_page_markdown(self, markdown_text, page, config, files):
        news_page = self.news_pass.pages.get(page.url)
        if news_page is not None:
            page.meta.setdefault("template", news_page.template)
            page.meta.setdefault("hide", ["navigation"] if news_page.kind == "post" else ["navigation", "toc"])
        # --- Course catalogue: courses-index.html / course.html unless the front matter says otherwise.
        course_page = self.course_pass.page_for(page.url)
        if course_page is not None:
            page.meta.setdefault("template", course_page.template)
            page.meta.setdefault("hide", ["navigation"])
        return markdown_text

    def on_page_content(self, html, page, config, files):
        if CONTACT_MARKER in html:
            lang = i18n.current_language(config)
            contact = theme_environment(config).get_template("partials/tc-contact.html").render(
                config=config, labels=i18n.labels(lang)
            )
            if page.url in self.fallbacks:  # in the reader's language, amid the default language's text
                contact = f'<div lang="{lang}" dir="{locales.direction(lang)}">{contact}</div>'
            html = html.replace(CONTACT_MARKER, contact)
        news_page = self.news_pass.pages.get(page.url)
        source = self._source_of(page)
        if news_page is not None and news_page.kind == "post":  # feed readers get plain <img>
            self.news_pass.rendered[news_page.post.key] = self.page_pictures.rewrite(html, page, source, plain=True)
        html = self.page_pictures.rewrite(html, page, source)
        if news_page is not None and news_page.heading and not page.toc:
            page.toc = news_page.heading_toc()  # a generated listing or notice: no Markdown heading
        fallback = self.fallbacks.get(page.url)
        if fallback is not None:
            html = untranslated.marked_text(html, page, fallback, locales.direction(fallback.text_lang))
        mark_headings_html(page)
        return html

    @event_priority(-50)  # after static-i18n has set the language switcher for docs pages
    def on_page_context(self, context, page, config, nav):
        mark_body_html(page)
        news_page = self.news_pass.pages.get(page.url)
        fallback = self.fallbacks.get(page.url)
        if news_page is not None:
            switcher, translations = news_page.switcher, news_page.translations
        else:  # a page of docs/: in every language, translated or (in progress) standing in
            switcher = self._docs_switcher(page, config)
            translations = fallback.translations if fallback else docs_page_translations(page)
        translations = self.progress.only_translations(page.file.src_uri, translations)
        alternates = seo.alternates_for(translations, config.site_url)
        set_language_switcher(config, switcher)
        tc = context["tc"] = self._context(config, alternates)
        if fallback is not None:
            tc["untranslated"] = self._untranslated_notice(config)
        if news_page is not None:
            tc[news_page.kind] = self._news_context(news_page, config)
        # --- Course catalogue: tc.catalogue (courses/) or tc.course (courses/<slug>/).
        course_page = self.course_pass.page_for(page.url)
        if course_page is not None:
            tc[course_page.kind] = self.course_pass.context(course_page, page.url)
        if split_language_suffix(page.file.src_uri, self.codes)[0] == "index.md":
            tc["is_home"] = True
            tc["latest_posts"] = self.news_pass.latest_cards(config, page.url)
        post = news_page.post if news_page and news_page.kind == "post" else None
        lead = self._lead_picture(post, course_page)
        share = None
        if lead is not None:
            tc["lead_picture"] = self.pictures.content(lead[0], lead[1], lead=True)
            share = (self.pictures.share_card(lead[0]), lead[1])
        tc["meta"] = self.metadata.for_page(page, alternates, post=post, section=section_title(page, news_page, tc),
                                            picture=share)
        entry = None
        if (news_page is None or news_page.kind != "notice") and fallback is None:
            entry = seo.SitemapEntry(page.url, alternates, self._last_change(page, post))
            self.sitemap_entries.append(entry)
        if self.incremental:
            self.incremental.record(page, self.news_pass, entry)
        return context

    def _docs_switcher(self, page, config) -> dict[str, str]:
        """A docs page's address in every language: it exists in each (tcsite.untranslated)."""
        prefix = i18n.language_of(i18n.current_language(config), config).url_prefix
        path = page.url.removeprefix(prefix) if page.url.startswith(prefix) else page.url
        return {lang.code: i18n.localized_path(path, lang) for lang in self.languages}

    def _untranslated_notice(self, config) -> dict:
        """The notice above a page shown in the default language's text (docs/untranslated.md)."""
        text_lang, _, html = self._special_text(NOTICE_PAGE, config)
        return {"html": trusted_html(html), "lang": text_lang, "dir": locales.direction(text_lang),
                "text_lang": self.default, "text_dir": locales.direction(self.default)}

    def _lead_picture(self, post, course_page) -> tuple[Path, str] | None:
        """The ``image:`` of a post or a course page, and its alt text (checked when loaded)."""
        if post is not None:
            found = post.image_file(self.root / self.config.news_dir)
            return (found, post.meta.get("image_alt") or "") if found else None
        if course_page is not None and course_page.course is not None:
            doc = course_page.course.doc
            found = image_file(doc, self.docs_dir)
            return (found, doc.meta.get("image_alt") or "") if found and found.is_file() else None
        return None

    def _last_change(self, page, post):
        if post:
            return post.meta.get("updated") or post.date
        if page.file.abs_src_path:
            return self.last_changes.get(relative_to(Path(page.file.abs_src_path), self.root))
        return None

    def _news_context(self, news_page, config) -> dict:
        if news_page.kind == "post":
            return self.news_pass.post_context(news_page, config)
        if news_page.kind == "listing":
            return self.news_pass.listing_context(news_page, config)
        return self.news_pass.notice_context(news_page)

    def _add_script_integrity(self, output, page, config):
        return self.scripts.add_to(assets.without_blank_lines(self._finished_markup(output, config)), page.url)

    def _finished_markup(self, output: str, config) -> str:
        """Material's page with our fixes: valid toggles, the direction on <html> too, the titles
        of pages shown in another language's text marked with it."""
        direction = locales.direction(i18n.current_language(config))
        output = untranslated.marked_titles(output, self.stand_in_titles)
        return theme.with_direction(theme.valid_toggles(output), direction)

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":
            lang = i18n.current_language(config)
            context["tc"] = self._context(config, [])
            context["tc"]["page_title"] = i18n.labels(lang)["page_not_found"]
            # Served at any address: the switcher leads to each language's home page.
            root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
            set_language_switcher(config, {other.code: root + other.url_prefix for other in self.languages})
            text_lang, _, html = self._special_text(NOT_FOUND_PAGE, config)
            context["tc"]["not_found_html"] = trusted_html(html)
            context["tc"]["not_found_lang"] = text_lang
        return context

    @event_priority(-1000)  # after every other plugin and hook: the page as it would be written
    def _guard_page(self, output, page, config):
        """A page that breaks the rules is not written (MkDocs skips empty output); judged beside
        the build, it is written, then removed with the whole site when the build is refused."""
        base_url = get_relative_url(".", page.url)
        if self.page_tokens is not None:
            self.page_tokens.add_page(output)
        if self.guard_pool:  # judged beside the build (tcsite.guard_pool); refused at the end
            self.guarded.add(os.path.normpath(page.file.abs_dest_path))
            theme_hashes = frozenset(self.page_guard.theme_inline_hashes(base_url))
            self.guard_pool.judge(output, page.url, self._source_of(page), base_url, theme_hashes)
            return output
        passed = self._guard(output, page.url, self._source_of(page), base_url, Path(page.file.abs_dest_path))
        return output if passed else ""

    on_post_page = CombinedEvent(_add_script_integrity, _guard_page)

    def _source_of(self, page) -> str:
        """The file an editor changes to change a page: a post's own file for news pages."""
        news_page = self.news_pass.pages.get(page.url)
        if news_page is not None and news_page.post is not None:
            return news_page.post.doc.rel
        if page.file.abs_src_path:
            return relative_to(Path(page.file.abs_src_path), self.root)
        return relative_to(self.root / self.config.news_dir, self.root) + "/"  # a list of posts

    def _guard(self, output, page_url, source, base_url, target: Path) -> bool:
        """Whether a page passes; its problems refuse the build once every page has been seen."""
        self.guarded.add(os.path.normpath(target))
        passed = self.incremental.passed_pages if self.incremental else {}
        key = self.incremental and self.incremental.guard_key(output, page_url, source, base_url, self.scripts.paths)
        if key in passed:  # make serve: this very page passed before
            self.inline_scripts.update(passed[key])
            return True
        seen = self.page_guard.inline_seen = set()
        problems = self.page_guard.problems(output, page_url, source, base_url)
        self.inline_scripts.update(seen)
        self.page_problems.extend(problems)
        if key and not problems:
            passed[key] = frozenset(seen)
        return not problems

    def _refuse_broken_pages(self, site_dir: Path) -> None:
        """Refuse the build, leaving nothing in site_dir to publish, if any page broke the rules."""
        if self.guard_pool:
            self.guard_pool.finish()
            self.page_problems.extend(self.guard_pool.problems)
            self.inline_scripts.update(self.guard_pool.inline_seen)
            self.guard_pool = None
        self._guard_copied_html(site_dir)
        if self.page_problems:
            if self.painter:
                self.painter.cancel()
            clean_directory(str(site_dir))
            refuse_build(self.page_problems)

    def on_post_template(self, output, template_name, config):
        """Each language gets its own 404 page: /404.html and /es/404.html."""
        if template_name != "404.html":
            return output
        lang = i18n.language_of(i18n.current_language(config), config)
        output = self.scripts.add_to(assets.without_blank_lines(self._finished_markup(output, config)),
                                     lang.url_prefix + "404.html")
        if self.page_tokens is not None:
            self.page_tokens.add_page(output)
        target = Path(config.site_dir, lang.url_prefix, "404.html")
        _, source, _ = self._special_text(NOT_FOUND_PAGE, config)
        if not self._guard(output, lang.url_prefix + "404.html", source, urlsplit(config.site_url or "/").path, target):
            return ""
        if lang.default:
            return output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return ""  # keeps MkDocs from overwriting the default language's /404.html

    @event_priority(60)  # at the end of each language pass, before its feeds
    def _carry_over_unchanged_pages(self, config) -> None:
        """`make serve`: the pages this pass did not rebuild keep their sitemap entries and count
        as guarded (they passed when they were written)."""
        for built in self.incremental.skipped if self.incremental else []:
            if built.sitemap_entry is not None:
                self.sitemap_entries.append(built.sitemap_entry)
            self.guarded.add(os.path.normpath(built.dest))

    @event_priority(50)  # at the end of each language pass, before static-i18n starts the next
    def _write_feeds(self, config) -> None:
        news = self.news_pass
        feed = self._feed(config)
        target = Path(config.site_dir, news.url("news/"))
        target.mkdir(parents=True, exist_ok=True)
        (target / feeds.RSS_NAME).write_bytes(feeds.rss_xml(feed))
        (target / feeds.ATOM_NAME).write_bytes(feeds.atom_xml(feed))

    @event_priority(-200)  # after static-i18n has run every other language pass
    def _finish_site(self, config) -> None:
        """Work on the whole built site, every language: sitemap (then search, CDN files)."""
        if config.plugins["i18n"].building:
            return
        if self.incremental:
            for stale in self.incremental.stale_pages():
                stale.unlink(missing_ok=True)
        self._refuse_broken_pages(Path(config.site_dir))
        try:
            self.pictures.publish(Path(config.site_dir))  # encode what the cache lacks, copy the variants
        except pictures.PictureError as error:
            refuse_build([Problem(relative_to(error.path, self.root), 1, 1, error.message, error.fix)])
        seo.write_sitemap(config.site_dir, self.sitemap_entries, config.site_url)
        Path(config.site_dir, "robots.txt").write_text(seo.robots_txt(config.site_url), encoding="utf-8")
        if self.serving:
            log.info("search: no index while serving (make preview builds the whole site, search included)")
        else:
            search.index_site(Path(config.site_dir), self.languages, optional=self.in_progress)  # one index per language
        cms.write_admin(Path(config.site_dir), config, self.default_site_name)  # /admin/: the editors' CMS (Decap), from the schema
        if self.painter:
            self.painter.finish()  # the share cards, drawn meanwhile
        # One stylesheet for every page; Material's rules that no page can use left out.
        assets.write_stylesheet(Path(config.site_dir), self.own_stylesheets,
                                self.page_tokens.tokens if self.page_tokens is not None else None, config)
        self._write_cdn_files(Path(config.site_dir))
        for lang in self.languages:
            if not lang.default:
                for name in ("sitemap.xml", "sitemap.xml.gz"):
                    Path(config.site_dir, lang.url_prefix, name).unlink(missing_ok=True)
        # Last: the CDN refuses a site holding any file over its limit (tcsite.limits).
        site_dir = Path(config.site_dir)
        refuse_build(limits.oversized_outputs(site_dir, relative_to(site_dir, self.root)))

    on_post_build = CombinedEvent(_carry_over_unchanged_pages, _write_feeds, _finish_site)

    def on_build_error(self, error):
        if getattr(self, "painter", None):
            self.painter.cancel()
        if getattr(self, "guard_pool", None):
            self.guard_pool.cancel()
        if self.incremental:
            self.incremental.forget()  # the next save rebuilds every page

    def _write_cdn_files(self, site_dir: Path) -> None:
        """_headers (CSP with the inline-script hashes found on the pages, caching) and _redirects
        (checked at the start)."""
        csp = cdn.content_security_policy(sorted(self.inline_scripts), sorted(self.scripts.used))
        headers = cdn.headers_file(csp, cdn.fingerprinted_assets(site_dir), {**cms.headers_rules(site_dir), **pictures.headers_rules()})
        (site_dir / "_headers").write_text(headers, encoding="utf-8")
        (site_dir / "_redirects").write_text(redirects.redirects_file(self.redirects), encoding="utf-8")

    def _guard_copied_html(self, site_dir: Path) -> None:
        """HTML that reached the site without being a page (copied as it is) passes the same rules;
        /admin/ (the CMS) has a policy of its own."""
        unguarded = []
        for folder, _, names in os.walk(site_dir):  # os.walk: thousands of pages, no Path objects
            unguarded += [path for name in names if name.endswith(".html")
                          and (path := os.path.normpath(os.path.join(folder, name))) not in self.guarded]
        for path in sorted(map(Path, unguarded)):
            rel = path.relative_to(site_dir).as_posix()
            if rel.startswith(cms.ADMIN_DIR + "/"):
                continue
            source = self.copied_html.get(str(path), rel)
            self._guard(path.read_text(encoding="utf-8", errors="replace"), rel, source, get_relative_url(".", rel), path)

    def _feed(self, config) -> feeds.Feed:
        news = self.news_pass
        labels = i18n.labels(news.lang.code)
        base = config.site_url
        items = []
        for post in news.posts[: feeds.FEED_SIZE]:
            url = i18n.absolute_url(base, news.url(post.path))
            items.append(
                feeds.FeedItem(
                    title=post.title,
                    url=url,
                    published=post.date,
                    updated=post.meta.get("updated"),
                    summary=post.meta["summary"],
                    content_html=feeds.feed_content(feeds.absolute_links(news.rendered.get(post.key, ""), url)),
                    categories=tuple(news.category_label(c) for c in post.categories),
                    author=post.meta.get("author"),
                )
            )
        return feeds.Feed(
            title=f"{config.site_name} · {labels['news']}",
            description=config.site_description,
            lang=news.lang.code,
            home_url=i18n.absolute_url(base, news.url("news/")),
            rss_url=i18n.absolute_url(base, news.url("news/" + feeds.RSS_NAME)),
            atom_url=i18n.absolute_url(base, news.url("news/" + feeds.ATOM_NAME)),
            items=items,
        )

    def _context(self, config, alternates):
        lang = i18n.current_language(config)
        prefix = i18n.language_of(lang, config).url_prefix
        return {
            "lang": lang,
            "dir": locales.direction(lang),
            "directions": {code: locales.direction(code) for code in self.codes},
            "labels": i18n.labels(lang),
            "labels_by_language": {code: i18n.labels(code) for code in self.codes},
            "alternates": alternates,
            "default_alternate": next((a for a in alternates if a.lang == self.default), None),
            "url_prefix": prefix,
            "news_url": f"{prefix}news/",
            "feeds": {"rss": f"{prefix}news/{feeds.RSS_NAME}", "atom": f"{prefix}news/{feeds.ATOM_NAME}"},
        }


def section_title(page, news_page, tc) -> str | None:
    """The top-level section a page belongs to, for its share card."""
    if news_page is not None:
        return tc["labels"]["news"]
    ancestors = [a for a in page.ancestors if getattr(a, "title", None)]
    return plain_text(ancestors[-1].title) if ancestors else None


def docs_page_translations(page) -> dict[str, str]:
    """For a page of docs/: its URL in each language, from static-i18n's alternates."""
    found = getattr(page.file, "alternates", {}) or {}
    return {lang: file.url for lang, file in found.items() if file.locale == lang}


def set_language_switcher(config, urls_by_lang: dict[str, str]) -> None:
    """Point each entry of Material's language switcher at this page's twin.

    The templates read the attribute ``config.extra.alternate``; on MkDocs' LegacyConfig the
    attribute is stored apart from the item ``config.extra["alternate"]``. static-i18n sets the
    attribute for each page; the 404 page is built before the first page of a pass.
    """
    entries = getattr(config.extra, "alternate", None)
    if entries is None:
        entries = config.extra.alternate = copy.deepcopy(config.extra.get("alternate") or [])
    for entry in entries:
        if entry["lang"] in urls_by_lang:
            entry["link"] = urls_by_lang[entry["lang"]]


def render_markdown(text: str, config, rel: str, line: int = 1) -> str:
    """The Markdown of content file ``rel`` (from its ``line``) as HTML, with the site's extensions."""
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    try:
        return limits.convert(md, text, rel, line)
    except ContentError as error:
        refuse_build(error.problems)

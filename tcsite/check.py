"""``python -m tcsite check [PATH…]``: every problem in the content, without building the site.

Each problem is one line, ``path:line:column: message (how to fix)``; the exit status is 1 when
there is any. Under GitHub Actions (``GITHUB_ACTIONS=true``) each problem is also printed as a
workflow annotation, so it shows on the changed line of the pull request.

What is checked, file by file and across files:

- the front matter, through the same schema and the same loaders as the build
  (``tcsite.schema.validate``, ``tcsite.news.load_news``, ``tcsite.courses.load_courses``,
  ``tcsite.validation.missing_translations``): YAML, unknown and missing fields, types, dates,
  controlled vocabularies, language versions that disagree on shared fields;
- translations: ``translation_of`` well formed and only in translations, a translation whose
  source is missing, two files claiming the same address, a language suffix the site lacks;
- the body: links to pages, posts, headings and files that do not exist or lie outside the
  content folders, or to a post scheduled after the linking page appears; pictures that do not
  exist, that the picture pipeline cannot read (``tcsite.pictures``), with no alt text or the
  file name as alt text; HTML left open, a body with no text yet, a page missing from the
  navigation;
- what readers get: the body (and a post's excerpt) rendered by the site's own Markdown
  pipeline, read with an HTML parser, must hold nothing that runs code or pulls in another
  document (``tcsite.html_rules``), reported at its line in the source;
- the files themselves (``tcsite.content_files``): only content types with plain names in
  ``docs/`` and ``news/``, no symbolic link in ``docs/``, ``news/`` or ``data/``.
- ``data/redirects.yml``, through the build's own rules (``tcsite.redirects``);
- the vocabularies and labels of ``data/``, read by the build's own reader (``tcsite.data_files``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import posixpath
import re
import sys
import time
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tcsite import data_files, html_rules, limits, links, pictures, untranslated
from tcsite.content import Document
from tcsite.content_files import type_refusal, within
from tcsite.courses import build_date
from tcsite.i18n import format_long_date
from tcsite.naming import language_like_suffix, split_language_suffix
from tcsite.news import excerpt_of, schedule_notes
from tcsite.project import (CONFIG_NAME, NEWS, PAGES, SCHEMA_OF_SECTION, Entry, Project, environment_flag,
                            front_matter_problems, page_url, read_entries)
from tcsite.redirects import checked_redirects
from tcsite.schema import SCHEMAS, shared_field_mismatches, vocabulary
from tcsite.validation import ContentError, Problem, missing_translations

class Checker:
    """Reads the project once and returns every problem, sorted by file and line."""

    def __init__(self, project: Project):
        self.project = project
        self.data = project.read_data()  # vocabularies and labels, as the build reads them
        self.entries = read_entries(project)
        self.problems: set[Problem] = set()
        self._ids: dict[Path, dict[str, None]] = {}
        self._html: dict[Path, str] = {}

    # --- indexes ----------------------------------------------------------------------

    @cached_property
    def by_key(self) -> dict[str, dict[str, Entry]]:
        found: dict[str, dict[str, Entry]] = {}
        for entry in self.entries:
            found.setdefault(entry.key, {}).setdefault(entry.lang, entry)
        return found

    @cached_property
    def targets(self) -> dict[str, dict[str, Entry]]:
        """Docs-relative names the build knows (``about.md``, ``news/2018/x.md``) -> versions."""
        found: dict[str, dict[str, Entry]] = {}
        for entry in self.entries:
            found.setdefault(self.build_path(entry), {}).setdefault(entry.lang, entry)
        return found

    @cached_property
    def generated(self) -> set[str]:
        """News listings made by the build: categories and archive years."""
        names = {f"news/category/{slug}.md" for slug in vocabulary("categories")}
        for entry in self.entries:
            if entry.section == NEWS and entry.doc and isinstance(entry.doc.meta.get("date"), dt.date):
                names.add(f"news/archive/{entry.doc.meta['date'].year}.md")
        return names

    def build_path(self, entry: Entry) -> str:
        """Where the build places a file among the docs (links are relative to it)."""
        return self.project.build_path(entry)

    def url(self, entry: Entry) -> str:
        """The address of a file as readers see it: ``/about/``, ``/es/news/2018/x/``."""
        return self.project.url(entry)

    # --- running ----------------------------------------------------------------------

    def run(self) -> list[Problem]:
        with data_files.using(self.data):
            return self._run()

    def _run(self) -> list[Problem]:
        self.problems.update(self.project.content_tree().problems())  # file types, names, links
        self.problems.update(self.data.problems)
        for entry in self.entries:
            self.problems.update(entry.problems)
            if entry.doc is not None:
                self.check_document(entry, entry.doc)
            self.check_language_suffix(entry)
        self.problems.update(self.build_problems())
        self.check_addresses()
        self.check_twins()
        self.check_navigation()
        return sorted(self.problems)

    def add(self, problem: Problem) -> None:
        self.problems.add(problem)

    def at(self, doc: Document, ref_line: int, column: int, message: str, fix: str) -> Problem:
        """A problem at a line of the body (``ref_line`` counts from the body's first line)."""
        return Problem(doc.rel, doc.body_line + ref_line - 1, column, message, fix)

    def build_problems(self) -> list[Problem]:
        """What the build itself refuses: its loaders, run on the same files."""
        from tcsite.courses import load_courses
        from tcsite.news import load_news

        p = self.project
        found: list[Problem] = []
        for load, folder in ((load_news, p.news_dir), (load_courses, p.docs_dir)):
            try:
                load(folder, p.root, p.codes, p.default)
            except ContentError as error:
                found.extend(error.problems)
        if p.docs_dir.is_dir():
            found.extend(missing_translations(p.docs_dir, p.codes, p.default, p.root, p.complete_codes))
        found.extend(untranslated.option_problems(p.languages_in_progress, p.languages, p.root / CONFIG_NAME, p.root))
        found.extend(checked_redirects(p, self.entries)[1])
        return found

    # --- one file ---------------------------------------------------------------------

    def check_document(self, entry: Entry, doc: Document) -> None:
        self.problems.update(front_matter_problems(self.project, entry))
        if doc.meta.get("translation_of") is not None and entry.lang == self.project.default:
            name = self.project.language(entry.lang).name
            self.add(doc.problem("translation_of", f"'translation_of' belongs in translations, not in the "
                                 f"{name} version", "remove the line"))
        if not links.has_text(doc.body) and not doc.meta.get("template"):
            self.add(Problem(doc.rel, doc.body_line, 1, "the file has no text yet",
                             "write the text below the front matter"))
        self.check_markup(entry, doc)
        masked = links.mask_code(doc.body)
        self.check_unclosed(doc, masked)
        for ref in links.references(masked):
            self.check_reference(entry, doc, ref)

    def check_language_suffix(self, entry: Entry) -> None:
        suffix = language_like_suffix(entry.path.name)
        if suffix and suffix[1] not in self.project.codes:
            stem, code = suffix
            codes = ", ".join(self.project.codes[1:])
            self.add(Problem(entry.rel, 1, 1, f"'{code}' is not a language of this site",
                             f"the translations are named {stem}.<language>.md, with one of: {codes}"))

    def check_markup(self, entry: Entry, doc: Document) -> None:
        """Forbidden markup in what readers get: the body, and a post's excerpt on news cards,
        rendered by the site's Markdown pipeline and read as HTML (``tcsite.html_rules``)."""
        parts = [(doc.body, 1, 0)]  # text, its first line in the body, columns cut from that line
        excerpt = excerpt_of(doc.body) if entry.section == NEWS else None
        if excerpt:
            stripped = doc.body[: len(doc.body) - len(doc.body.lstrip())]
            parts.append((excerpt, stripped.count("\n") + 1, len(stripped.rpartition("\n")[2])))
        for text, first_line, cut in parts:
            try:
                output = self.rendered(doc) if text is doc.body else self.render(text)
                located = html_rules.locate(text, self.render, html_rules.content_findings(output))
            except RecursionError:
                self.add(self.at(doc, 1, 1, "the text could not be turned into a web page",
                                 "look for lists or quotes nested very deeply, and simplify them"))
                return
            for found in located:
                column = found.column + (cut if found.line == 1 else 0)
                self.add(self.at(doc, first_line + found.line - 1, column, found.message, found.fix))

    def check_unclosed(self, doc: Document, masked: str) -> None:
        found = links.tags(masked)
        for tag, kind in links.unbalanced(found):
            if kind == "unclosed":
                self.add(self.at(doc, tag.line, tag.column, f"<{tag.name}> is opened here and never closed",
                                 f"add </{tag.name}> where it should end"))
            else:
                self.add(self.at(doc, tag.line, tag.column, f"</{tag.name}> closes nothing",
                                 f"remove it, or add the <{tag.name}> it should close"))

    # --- links and images -------------------------------------------------------------

    def check_reference(self, entry: Entry, doc: Document, ref: links.Ref) -> None:
        def problem(message: str, fix: str) -> None:
            self.add(self.at(doc, ref.line, ref.column, message, fix))

        target = ref.target
        if ref.kind == "image" and not (ref.text or "").strip() and not (ref.html and ref.text == ""):
            fix = ("add alt=\"…\" describing the picture" if ref.html
                   else "describe the picture between the brackets: ![What the picture shows](…)")
            problem("the image has no alt text", fix)
        parts = urlsplit(target)
        if html_rules.scheme_of(html.unescape(target)):
            return  # another site's address; code-running ones are refused from the rendered HTML
        if parts.scheme or target.startswith("//") or not target:
            if not target:
                problem("the link has no address", "write the address between the parentheses")
            return
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        here = self.build_path(entry)
        if not path:
            if fragment and ref.kind == "link":
                self.check_anchor(entry, doc, entry, target, fragment, problem)
            return
        if path.startswith("/"):
            if self.project.validation_level("absolute_links") == "warn":
                suggestion = self.relative_suggestion(here, path)
                problem(f"the link {target} starts with '/'",
                        f"link to the Markdown file, relative to this file: {suggestion}" if suggestion
                        else "link to the page's Markdown file, relative to this file")
            return
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
        if resolved.endswith(".md"):
            self.check_page_link(entry, doc, ref, resolved, fragment, problem)
        else:
            self.check_file_link(entry, ref, path, resolved, problem)

    def check_page_link(self, entry, doc, ref, resolved, fragment, problem) -> None:
        base_name, _ = split_language_suffix(posixpath.basename(resolved), self.project.codes)
        base = posixpath.join(posixpath.dirname(resolved), base_name) if "/" in resolved else base_name
        if resolved.startswith("../"):
            problem(f"the link {ref.target} points outside the site", self.page_fix(entry, ref.target))
            return
        if base in self.targets:
            self.check_not_scheduled(entry, self.targets[base], ref, problem)
            if fragment:
                versions = self.targets[base]
                target_entry = versions.get(entry.lang) or versions.get(self.project.default)
                if target_entry is None:
                    target_entry = next(iter(versions.values()))
                self.check_anchor(entry, doc, target_entry, ref.target, fragment, problem)
            return
        if base in self.generated:
            return
        kind = "post" if base.startswith("news/") and base.count("/") >= 2 else "page"
        problem(f"the link {ref.target} leads to a {kind} that does not exist", self.page_fix(entry, ref.target))

    def check_not_scheduled(self, entry: Entry, versions: dict[str, Entry], ref: links.Ref, problem) -> None:
        """A link to a post that appears after the linking page would lead nowhere until then
        (and the build refuses it, as a link to a page that does not exist)."""
        target = versions.get(entry.lang) or versions.get(self.project.default)
        day = target.doc.meta.get("date") if target and target.section == NEWS and target.doc else None
        if not isinstance(day, dt.date) or target.doc.meta.get("draft") is True:
            return
        own = entry.doc.meta.get("date") if entry.section == NEWS and entry.doc else None
        appears = max(self.today, own) if isinstance(own, dt.date) else self.today
        if day > appears:
            when = format_long_date(day, "en_GB")
            problem(f"the link {ref.target} leads to a post scheduled for {when}: it would lead nowhere until then",
                    f"add the link once the post is published, on {when}")

    @cached_property
    def today(self) -> dt.date:
        return build_date()

    def page_fix(self, entry: Entry, target: str) -> str:
        here = self.build_path(entry)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(urlsplit(target).path)))
        close = difflib.get_close_matches(resolved, list(self.targets), n=1, cutoff=0.6)
        if close:
            return f"did you mean {self.relative(here, close[0])}?"
        if entry.section == NEWS:
            return "a post links to pages as if it were in docs/news/<year>/, e.g. ../../instruments/cedaw.md"
        return "links are relative to this file and name the page's Markdown file, e.g. about.md"

    def check_file_link(self, entry, ref, path, resolved, problem) -> None:
        p = self.project
        candidates = [(p.docs_dir, p.docs_dir / resolved)]
        if entry.section == NEWS:
            candidates.append((p.news_dir, entry.path.parent / path))  # a file beside the post
        if p.theme_dir is not None:
            candidates.append((p.theme_dir, p.theme_dir / resolved))  # the theme's, e.g. the logo
        inside = [c for folder, c in candidates if within(c, folder)]
        if not inside:
            where = "docs/ or beside the post in news/" if entry.section == NEWS else "docs/"
            problem(f"the {ref.kind} {ref.target} points outside the site",
                    f"link only to files in {where}, relative to this file")
            return
        found = next((c for c in inside if c.is_file()), None)
        if found is not None:
            if ref.kind == "image":
                self.check_picture(found, ref, problem)
            return
        if ref.kind == "image":
            problem(f"the image {ref.target} does not exist",
                    "check the file name; put pictures in docs/assets/images/ and link them relative to this file")
            return
        stem = resolved.rstrip("/")
        for name in (f"{stem}.md", f"{stem}/index.md"):
            if name in self.targets or name in self.generated:
                problem(f"the link {ref.target} does not name a Markdown file",
                        f"write {self.relative(self.build_path(entry), name)}")
                return
        if resolved.startswith("../"):
            problem(f"the link {ref.target} points outside the site", self.page_fix(entry, ref.target))
            return
        problem(f"the link {ref.target} leads to a file that does not exist",
                "check the name; files to download belong in docs/assets/files/")

    def check_picture(self, path: Path, ref: links.Ref, problem) -> None:
        """A picture the pipeline can publish (other types: tcsite.content_files), described."""
        refusal = pictures.refusal(path) if type_refusal(path.name) is None else None
        refusal = refusal or pictures.alt_refusal(ref.text, path.name)
        if refusal:
            problem(*refusal)

    # --- anchors ----------------------------------------------------------------------

    def check_anchor(self, entry, doc, target: Entry, written: str, fragment: str, problem) -> None:
        if target.doc is None:
            return
        ids = self.ids_of(target.doc)
        if fragment in ids:
            return
        close = difflib.get_close_matches(fragment, ids, n=1, cutoff=0.5)
        where = "this page" if target is entry else target.rel
        if close:
            fix = f"did you mean #{close[0]}?"
        elif ids:
            listed = ", ".join(f"#{i}" for i in list(ids)[:5]) + (", …" if len(ids) > 5 else "")
            fix = f"the headings of {where} are: {listed}"
        else:
            fix = f"{where} has no headings: link to the page without '#{fragment}'"
        problem(f"the link {written} leads to a heading that does not exist in {where}", fix)

    def ids_of(self, doc: Document) -> dict[str, None]:
        """The ids of a page's headings (and any other element), as MkDocs' Markdown gives them, in
        order (a dict: looking one up does not read them all)."""
        if doc.path not in self._ids:
            self._ids[doc.path] = dict.fromkeys(re.findall(r'\sid="([^"]+)"', self.rendered(doc)))
        return self._ids[doc.path]

    def rendered(self, doc: Document) -> str:
        """A file's body as the site renders it, once per run (a body too deep for Markdown is a
        problem of the file, never a traceback)."""
        if doc.path not in self._html:
            try:
                self._html[doc.path] = limits.convert(self.markdown, doc.body, doc.rel, doc.body_line)
            except ContentError as error:
                self.problems.update(error.problems)
                self._html[doc.path] = ""
        return self._html[doc.path]

    def render(self, text: str) -> str:
        return self.markdown.reset().convert(text)

    @cached_property
    def markdown(self):
        import markdown

        names, configs = self.project.markdown_extensions()
        return markdown.Markdown(extensions=names, extension_configs=configs)

    # --- across files -----------------------------------------------------------------

    def check_addresses(self) -> None:
        """Two files that would be published at the same address."""
        claimed: dict[str, Entry] = {}
        for entry in sorted(self.entries, key=lambda e: e.rel):
            if entry.section == NEWS and entry.doc is None:
                continue
            url = self.url(entry)
            first = claimed.setdefault(url, entry)
            if first is entry:
                continue
            if first.key == entry.key and first.lang == entry.lang:
                continue  # x.md and x.en.md: the loaders report it (validation.duplicate_version)
            if entry.section == NEWS and first.section == NEWS and first.key != entry.key:
                continue  # tcsite.news reports it, in its own words
            self.add(Problem(entry.rel, 1, 1, f"this file has the same address {url} as {first.rel}",
                             "keep only one of them, or rename one"))

    def check_twins(self) -> None:
        p = self.project
        for versions in self.by_key.values():
            source = versions.get(p.default)
            for lang, entry in versions.items():
                if entry.doc is None or lang == p.default:
                    continue
                if source is None:
                    if entry.doc.meta.get("translation_of") is not None:
                        source_rel = p.rel(p.twin_path(entry.path, p.default))
                        self.add(entry.doc.problem(
                            "translation_of",
                            f"this translation has no source: {source_rel} does not exist",
                            "give this file the name of its source, or remove 'translation_of' "
                            "if it was written in this language first",
                        ))
                    continue
                if source.doc is not None and source.section == entry.section:
                    fields = SCHEMAS[SCHEMA_OF_SECTION[entry.section]]
                    self.problems.update(shared_field_mismatches(source.doc, entry.doc, fields))

    def check_navigation(self) -> None:
        p = self.project
        if p.nav_paths is None or p.validation_level("omitted_files") != "warn":
            return
        for entry in self.entries:
            if entry.section != PAGES or entry.lang != p.default or entry.doc is None:
                continue
            docs_path = p.docs_path(entry.path)
            if docs_path not in p.nav_paths and not p.not_in_nav(docs_path):
                self.add(Problem(entry.rel, 1, 1, "this page is not in the navigation",
                                 f"add '- {docs_path}' under nav: in mkdocs.yml, where readers should find it"))

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def relative(here: str, name: str) -> str:
        return posixpath.relpath(name, posixpath.dirname(here) or ".")

    def relative_suggestion(self, here: str, absolute: str) -> str | None:
        """For ``/about/`` (or ``/es/about/``): the relative name of the page's Markdown file."""
        path = absolute.strip("/")
        for lang in self.project.languages:
            if lang.url_prefix and path.startswith(lang.url_prefix):
                path = path[len(lang.url_prefix):]
        for name in self.targets:
            if page_url(name).rstrip("/") == path.rstrip("/"):
                return self.relative(here, name)
        return None


def check(project: Project, paths: list[Path] | None = None) -> list[Problem]:
    """Every problem in the project; with ``paths``, only those in these files or folders."""
    problems = Checker(project).run()
    if not paths:
        return problems
    wanted = [project.rel(path.resolve()).rstrip("/") for path in paths]
    return [
        problem for problem in problems
        if any(w in (".", "") or problem.path == w or problem.path.startswith(w + "/") for w in wanted)
    ]


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or folders to check (default: all the content)")
    parser.add_argument("--root", type=Path, default=None, help="the project folder (default: found from here)")


def run(args) -> int:
    started = time.perf_counter()
    project = Project.load(args.root)
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        print(f"No such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    problems = check(project, args.paths)
    notes = [note for note in schedule_notes(project.news_dir, project.root, project.codes, project.default,
                                             build_date())
             if not args.paths or any(within(project.root / note.path, path) for path in args.paths)]
    for found in (*problems, *notes):
        print(found)
    if environment_flag("GITHUB_ACTIONS"):
        for found in (*problems, *notes):
            print(found.github_annotation())
    if problems:
        files = len({problem.path for problem in problems})
        print(f"{len(problems)} problem(s) in {files} file(s), found in "
              f"{time.perf_counter() - started:.2f} s.", file=sys.stderr)
        return 1
    return 0

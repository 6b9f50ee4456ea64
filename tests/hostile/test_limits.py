"""Bounded input, clean errors (issue 14, item 6): content too large, too deep, too repetitive or
malformed is refused as ``path:line:col: message (fix)`` by ``check`` and by the strict build,
never with a traceback; what the build writes stays under the CDN's 25 MiB per file.

Every case is laid into one copy of the project: ``check`` runs once over all of them, and one
strict build must refuse with the same lines. A second build (content that is accepted, one post
whose HTML grows past the CDN's limit) shows what readers get: pages saved with a byte-order mark,
bounded feeds, and the refusal of the oversized page at the end of the build.
"""

from __future__ import annotations

import codecs
import inspect
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from tcsite.check import check
from tcsite.content import MAX_FILE_BYTES
from tcsite.feeds import ATOM_NS, FEED_CONTENT_MAX_BYTES
from tcsite.limits import (EMPHASIS_FIX, MAX_NESTING, MAX_OPEN_EMPHASIS, MAX_OUTPUT_BYTES, NESTING_FIX, TooDeepToRead,
                           convert)
from tcsite.project import Project
from tcsite.schema import vocabulary
from tcsite.validation import ContentError
from tests.conftest import build_site, copy_project

QUOTES_FIX = "put the value in quotes"


def post(title: str = "A post", categories: str = "[cedaw]", extra: str = "", body: str = "Some text.\n") -> str:
    """A news post; its lines: 1 '---', 2 title, 3 date, 4 summary, 5 categories, then ``extra``."""
    return (f"---\ntitle: {title}\ndate: 2021-03-08\nsummary: A summary.\ncategories: {categories}\n"
            f"{extra}---\n\n{body}")


def nested_list(levels: int) -> str:
    return "".join("\t" * level + "- item\n" for level in range(levels))  # a tab: 4 columns, one level


def too_deep(depth: int = MAX_NESTING + 1) -> str:
    return (f"the text is nested {depth} levels deep here (lists, quotes or indented blocks inside each "
            f"other); pages may nest at most {MAX_NESTING} ({NESTING_FIX})")


TEN_THOUSAND = "[" + ", ".join(["cedaw"] * 10_000) + "]"
NOT_UTF8_PAGE = "---\ntitle: Café\n---\n\nThe Centre's café is open.\n".encode("utf-8").replace(
    "é is open".encode("utf-8"), "é is open".encode("latin-1"))  # one character saved as Latin-1

# file (relative to the project) -> its content; body lines of a post start at line 7.
CASES: dict[str, str | bytes] = {
    "news/2021/deep-list.md": post(body=nested_list(1000)),  # the RecursionError of the issue
    "news/2021/deep-quote.md": post(body=">" * 1000 + " a quote in a quote…\n"),
    "news/2021/deep-html.md": post(body="<div markdown>\n" * 400 + "Text.\n" + "</div>\n" * 400),
    "news/2021/deep-mixed.md": post(body="- " + "> - " * 20 + "b\n"),  # a list in a quote in a list…
    "news/2021/deep-emphasis.md": post(body="*a " * 1000 + "x" + " b*" * 1000 + "\n"),
    "news/2021/many-categories.md": post(categories=TEN_THOUSAND),
    "news/2021/repeated-category.md": post(categories="[cedaw, beijing, cedaw]"),
    "news/2021/repeated-category-lines.md": post(categories="\n  - cedaw\n  - beijing\n  - cedaw"),
    "news/2021/duplicate-key.md": post(extra="author: Someone\ntitle: Another title\n"),
    "news/2021/unclosed-quote.md": post(title='"Beijing+25: a new generation', extra="author: Someone\n"),
    "news/2021/alias.md": post(title="*Important* news"),
    "news/2021/tag.md": post(extra="author: !!binary c2VjcmV0\n"),
    "news/2021/nested-front-matter.md": post(categories="[[[[cedaw]]]]"),
    "news/2021/impossible-date-in-list.md": post(categories="[2021-02-30]"),
    "news/2021/long-title.md": post(title="A" * 5000),
    # In the body, where the front matter's rules do not reach: it would make the feeds invalid XML.
    "news/2021/control-in-body.md": post(body="A line.\nAn escape \x1b here.\n"),
    # Windows line endings are line breaks, not control characters.
    "news/2021/windows-lines.md": post(body="First line.\nSecond line.\n").replace("\n", "\r\n"),
    "docs/not-utf8.md": NOT_UTF8_PAGE,
    "docs/not-utf8.es.md": "---\ntitle: Café\n---\n\nLa cafetería del Centro está abierta.\n",
}
OVERSIZED = {"news/2021/oversized.md": 50 * 2**20, "news/2021/just-over.md": MAX_FILE_BYTES + 1,
             "docs/assets/files/annual-report-scan.pdf": MAX_OUTPUT_BYTES + 1}

EXPECTED = {
    "news/2021/oversized.md": [
        "news/2021/oversized.md:1:1: the file is 51,200 KB; a page or post may have at most 1,024 KB of text "
        "(split it into several pages or posts)"],
    "news/2021/just-over.md": [
        "news/2021/just-over.md:1:1: the file is 1,025 KB; a page or post may have at most 1,024 KB of text "
        "(split it into several pages or posts)"],
    "docs/assets/files/annual-report-scan.pdf": [
        "docs/assets/files/annual-report-scan.pdf:1:1: this file is 25.1 MB; the site cannot serve files over "
        "25 MB (make it smaller (save a PDF at a lower resolution), or split it in parts)"],
    # level 21 of the list: body line 22 (after the blank line 7), after 20 tabs
    "news/2021/deep-list.md": [f"news/2021/deep-list.md:28:21: {too_deep()}"],
    "news/2021/deep-quote.md": [f"news/2021/deep-quote.md:8:21: {too_deep()}"],
    "news/2021/deep-html.md": [f"news/2021/deep-html.md:28:1: {too_deep()}"],
    # level 21: the tenth "- " after a "> ", at column 41
    "news/2021/deep-mixed.md": [f"news/2021/deep-mixed.md:8:41: {too_deep()}"],
    # the 101st '*' still open, after 100 times "*a "
    "news/2021/deep-emphasis.md": [
        "news/2021/deep-emphasis.md:8:301: 101 emphasis marks (*, _ or ~) are open at once here; a paragraph "
        f"may hold at most {MAX_OPEN_EMPHASIS} ({EMPHASIS_FIX})"],
    "news/2021/many-categories.md": [
        "news/2021/many-categories.md:5:49: 'categories' lists 10,000 items; it may list at most 5 "
        "(keep the 5 that matter most)"],
    "news/2021/repeated-category.md": [
        "news/2021/repeated-category.md:5:30: 'cedaw' is listed twice in 'categories' (remove this one)"],
    "news/2021/repeated-category-lines.md": [
        "news/2021/repeated-category-lines.md:8:5: 'cedaw' is listed twice in 'categories' (remove this one)"],
    "news/2021/duplicate-key.md": [
        "news/2021/duplicate-key.md:7:1: 'title' is written twice, on lines 2 and 7 "
        "(keep one of them and delete the other)"],
    "news/2021/unclosed-quote.md": [
        "news/2021/unclosed-quote.md:2:8: the front matter is not valid YAML: the quotation mark that starts "
        "here is never closed (end the text with the same quotation mark, or remove it)"],
    "news/2021/alias.md": [
        "news/2021/alias.md:2:8: the front matter is not valid YAML: '*' at the start of a value has a "
        f"special meaning in YAML ({QUOTES_FIX})"],
    "news/2021/tag.md": [f"news/2021/tag.md:6:9: '!!binary' has a special meaning in YAML ({QUOTES_FIX})"],
    "news/2021/nested-front-matter.md": [
        "news/2021/nested-front-matter.md:5:15: the front matter is nested too deeply here "
        "(a field holds a text, a date, a number or a list of texts)"],
    "news/2021/impossible-date-in-list.md": [
        "news/2021/impossible-date-in-list.md:5:1: '2021-02-30' is not one of the categories in "
        f"data/categories.yml (use one of: {', '.join(vocabulary('categories'))})"],
    "news/2021/long-title.md": [
        "news/2021/long-title.md:2:1: 'title' is 5,000 characters long; a field may hold at most 1,000 "
        "(shorten it; long text belongs in the body, below the front matter)"],
    "news/2021/control-in-body.md": [
        "news/2021/control-in-body.md:9:11: the text contains a control character (U+001B) "
        "(delete it: feeds cannot carry it, and it is usually invisible, so retype the text around it)"],
    "news/2021/windows-lines.md": [],
    # line 5, after "The Centre's caf": the Latin-1 'é'
    "docs/not-utf8.md": [
        "docs/not-utf8.md:5:17: the file is not UTF-8 text: this character cannot be read "
        "(save it with the UTF-8 encoding)"],
    "docs/not-utf8.es.md": [],
}


def lay_cases(project: Path) -> None:
    for rel, content in CASES.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for rel, size in OVERSIZED.items():  # generated here, never committed
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.write(post().encode("utf-8"))
            handle.truncate(size)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("limits") / "project")
    lay_cases(project)
    return project


@pytest.fixture(scope="module")
def problems(hostile_project) -> list[str]:
    return [str(problem) for problem in check(Project.load(hostile_project))]


def test_every_case_has_an_expectation():
    assert sorted(EXPECTED) == sorted([*CASES, *OVERSIZED])


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_check_reports_the_case_at_its_line(problems, rel):
    assert [line for line in problems if line.startswith(rel + ":")] == EXPECTED[rel]


def test_check_reports_nothing_else(problems):
    assert sorted(problems) == sorted(line for lines in EXPECTED.values() for line in lines)


@pytest.fixture(scope="module")
def refused_build(hostile_project, tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("limits-refused") / "site"
    return build_site(hostile_project, site_dir), site_dir


def test_the_strict_build_refuses_every_case_with_the_same_lines_and_no_traceback(refused_build):
    result, site_dir = refused_build
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output and "RecursionError" not in output
    listed = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    assert sorted(listed) == sorted(line for lines in EXPECTED.values() for line in lines)
    assert not any(site_dir.rglob("*.html")), "the refused build wrote pages"


def test_a_text_too_deep_for_python_markdown_is_a_problem_of_its_file(hostile_project):
    """Should a text get past the limits and still exhaust Python-Markdown's recursion, our
    conversion (check's, and the build's own for excerpts and the 404 page) reports it as a
    problem of the file, and MkDocs' (tcsite.markdown_bounds) as an error naming the page."""
    names, configs = Project.load(hostile_project).markdown_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    text = nested_list(MAX_NESTING)  # within the limit; the recursion limit is lowered instead
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)
    try:
        with pytest.raises(ContentError) as refused:
            convert(md, text, "news/2021/x.md", 7)
        with pytest.raises(TooDeepToRead, match="the text is nested too deeply to be read"):
            md.reset().convert(text)
    finally:
        sys.setrecursionlimit(limit)
    assert [str(p) for p in refused.value.problems] == [
        f"news/2021/x.md:7:1: the text is nested too deeply to be read ({NESTING_FIX})"]
    assert "<li>" in convert(md, text, "news/2021/x.md", 7)  # and the converter still works


# --- What the build writes from content it accepts ---------------------------------------------

BOM = codecs.BOM_UTF8.decode("utf-8")
LONG_URL = "https://example.org/" + "a" * 3000
# 53 KB of Markdown that Python-Markdown turns into 29 MiB of HTML: each '[a]' becomes the long link.
EXPANDING_BODY = f"[a]: {LONG_URL}\n\n" + "\n\n".join(", ".join(["[a]"] * 100) for _ in range(100)) + "\n"
EXPANDING_SUMMARY = "A post whose page is too large to publish."


@pytest.fixture(scope="module")
def accepted_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("limits-accepted") / "project")
    for name in ("about.md", "about.es.md"):  # saved by Windows Notepad
        page = project / "docs" / name
        page.write_text(BOM + page.read_text(encoding="utf-8"), encoding="utf-8")
    news = project / "news" / "2021"
    news.mkdir(parents=True, exist_ok=True)
    (news / "bom-post.md").write_text(BOM + post("Saved with a byte-order mark"), encoding="utf-8")
    text = post("A long post").replace("A summary.", EXPANDING_SUMMARY).replace("2021-03-08", "2021-12-31")
    (news / "expanding.md").write_text(text.replace("Some text.\n", EXPANDING_BODY), encoding="utf-8")
    return project


def test_check_accepts_the_byte_order_mark_and_the_expanding_post(accepted_project):
    assert [str(p) for p in check(Project.load(accepted_project))] == []


@pytest.fixture(scope="module")
def accepted_build(accepted_project, tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("limits-accepted-site") / "site"
    return build_site(accepted_project, site_dir), site_dir


def test_the_build_refuses_a_written_file_over_the_cdn_limit_naming_it(accepted_build):
    result, site_dir = accepted_build
    page = site_dir / "news" / "2021" / "expanding" / "index.html"
    assert page.stat().st_size > MAX_OUTPUT_BYTES  # written, then the final check refused the site
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    listed = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    assert len(listed) == 1, listed
    assert listed[0].startswith(f"{site_dir.as_posix()}/news/2021/expanding/index.html:1:1: the build wrote a file of ")
    assert "the CDN refuses files over 25 MB" in listed[0]


def test_pages_saved_with_a_byte_order_mark_are_built_with_their_front_matter(accepted_build):
    _, site_dir = accepted_build
    for path, title in (("about/index.html", "About"), ("es/about/index.html", "Quiénes somos"),
                        ("news/2021/bom-post/index.html", "Saved with a byte-order mark")):
        soup = BeautifulSoup((site_dir / path).read_text(encoding="utf-8"), "html.parser")
        assert soup.h1 is not None and soup.h1.get_text(strip=True).startswith(title), path
        assert "title:" not in soup.get_text(), f"{path} shows its front matter as text"


def test_feeds_carry_a_summary_for_a_post_too_long_for_them(accepted_build):
    _, site_dir = accepted_build
    for name in ("rss.xml", "atom.xml"):
        feed = site_dir / "news" / name
        assert feed.stat().st_size < 2 * FEED_CONTENT_MAX_BYTES, name
    channel = ET.parse(site_dir / "news" / "rss.xml").getroot().find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert items["A long post"].findtext("description") == EXPANDING_SUMMARY
    assert "<p>" in items["Saved with a byte-order mark"].findtext("description")  # short posts: in full
    atom = {entry.findtext(f"{{{ATOM_NS}}}title"): entry
            for entry in ET.parse(site_dir / "news" / "atom.xml").getroot().findall(f"{{{ATOM_NS}}}entry")}
    assert atom["A long post"].find(f"{{{ATOM_NS}}}content") is None
    assert atom["A long post"].findtext(f"{{{ATOM_NS}}}summary") == EXPANDING_SUMMARY
    assert atom["Saved with a byte-order mark"].find(f"{{{ATOM_NS}}}content") is not None

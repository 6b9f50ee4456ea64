"""Hostile files: only content file types are published, and nothing outside the repository
reaches ``site/`` (issue 14, items 3 and 6; ``tcsite/content_files.py``).

Three builds of hostile copies of the project:

- ``refused``: every refused file, folder and link at once (scripts, pages, styles, SVG with a
  script, Cloudflare's server files, dotfiles, symbolic links to /etc/passwd and to /etc in
  docs/, news/ and data/, an ``image:`` outside the content folders). ``check`` reports each
  at its ``path:line:column``; the build refuses before MkDocs reads a file, lists every one,
  and publishes nothing.
- ``links``: links and pictures to ``../../../../etc/passwd`` in a post and in a page. ``check``
  reports each; the strict build fails on them and no byte of /etc/passwd reaches the site.
- a file that appears after the build has started (planted by a hook after ``on_config``): the
  build's last look at the file list refuses it before MkDocs copies it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tcsite import assets
from tcsite.check import check
from tcsite.content_files import ContentTree
from tcsite.project import Project
from tests.conftest import ROOT, build_site, copy_project

PASSWD = Path("/etc/passwd")
SVG_WITH_SCRIPT = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   '<script>alert(document.domain)</script></svg>\n')


@dataclass(frozen=True)
class Case:
    """One hostile file: where it is planted, what it holds, and what check and the build must say."""

    id: str
    path: str  # below the project
    content: str | None = None  # None: a symbolic link to ``link``
    link: Path | None = None
    where: str = ""  # "path:line:column" reported; default: path:1:1
    says: str = ""  # a phrase of the message
    payload: tuple[str, ...] = ()  # where the site would hold it (below site/)

    @property
    def location(self) -> str:
        return self.where or f"{self.path}:1:1"


def post(title: str, body: str = "Text.\n", **extra: str) -> str:
    lines = ["---", f"title: {title}", "date: 2021-03-08", "summary: A hostile post.", "categories: [cedaw]"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n---\n\n" + body


def course(title: str, **extra: str) -> str:
    lines = ["---", f"title: {title}", "summary: A hostile course.", "topics: [gender-concepts]",
             "registration_url: https://trainingcentre.unwomen.org/"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n---\n\nText.\n"


CODE = "'.js' files are code"
PAGE = "'.html' files are web pages"
STYLE = "'.css' files are code"
SVG = "SVG pictures can carry scripts"
SERVER = "would be read by Cloudflare as the server's own code or rules"
HIDDEN = "is a hidden file"
LINK = "this is a symbolic link (to "

REFUSED = [
    Case("script in docs", "docs/assets/extra.js", "alert(1)\n", says=CODE,
         payload=("assets/extra.js", "es/assets/extra.js")),
    Case("script beside a post", "news/2021/a.js", "alert(1)\n", says=CODE, payload=("news/2021/a.js",)),
    Case("web page in docs", "docs/landing.html", "<script>alert(1)</script>\n", says=PAGE,
         payload=("landing.html",)),
    Case("web page in news", "news/2021/page.html", "<script>alert(1)</script>\n", says=PAGE,
         payload=("news/2021/page.html",)),
    Case("style sheet in docs", "docs/evil.css", "body{display:none}\n", says=STYLE, payload=("evil.css",)),
    Case("style sheet in news", "news/2021/evil.css", "body{display:none}\n", says=STYLE,
         payload=("news/2021/evil.css",)),
    Case("SVG with a script in docs", "docs/assets/images/chart.svg", SVG_WITH_SCRIPT, says=SVG,
         payload=("assets/images/chart.svg",)),
    Case("SVG with a script in news", "news/images/chart.svg", SVG_WITH_SCRIPT, says=SVG,
         payload=("news/images/chart.svg",)),
    Case("Cloudflare worker", "docs/_worker.js", "export default {fetch() {}}\n", says=SERVER,
         payload=("_worker.js",)),
    Case("Cloudflare routes", "docs/_routes.json", '{"version": 1, "include": ["/*"]}\n', says=SERVER,
         payload=("_routes.json",)),
    Case("Cloudflare headers", "docs/_headers", "/*\n  Content-Security-Policy: default-src *\n", says=SERVER,
         payload=("_headers",)),
    Case("Cloudflare redirects", "docs/_redirects", "/ https://evil.example/ 301\n", says=SERVER,
         payload=("_redirects",)),
    Case("dotfile in docs", "docs/.env", "TOKEN=secret\n", says=HIDDEN, payload=(".env",)),
    Case("dotfile in news", "news/2021/.secret.png", "not a picture\n", says=HIDDEN,
         payload=("news/2021/.secret.png",)),
    Case("hidden folder", "docs/.well-known", None, says="is a hidden folder",
         payload=(".well-known/security.png",)),
    Case("old Office document", "news/2021/report.doc", "macro\n", says="'.doc' documents can carry macros",
         payload=("news/2021/report.doc",)),
    Case("file name that is not an address", "docs/assets/My Photo.JPG", "not a picture\n",
         says="rename it to my-photo.jpg", payload=("assets/My Photo.JPG",)),
    Case("picture replacing the site's logo", "docs/assets/images/logo.png", "not the logo\n",
         says="would replace the site's own overrides/assets/images/logo.png"),
    Case("link to /etc/passwd", "docs/passwd.txt", link=PASSWD, says=LINK + "/etc/passwd)",
         payload=("passwd.txt",)),
    Case("link to /etc/passwd named as a picture", "news/2021/passwd.png", link=PASSWD,
         says=LINK + "/etc/passwd)", payload=("news/2021/passwd.png",)),
    Case("link to a folder in docs", "docs/system", link=Path("/etc"), says=LINK + "/etc)",
         payload=("system/passwd",)),
    Case("link to a folder in news", "news/system", link=Path("/etc"), says=LINK + "/etc)",
         payload=("news/system/passwd",)),
    Case("link to /dev/zero named as a page (reading it would never end)", "docs/zero.md", link=Path("/dev/zero"),
         says=LINK + "/dev/zero)", payload=("zero/index.html",)),
    Case("link in data", "data/extra.yml", link=PASSWD, says=LINK + "/etc/passwd)"),
    Case("link to a folder in data", "data/system", link=Path("/etc"), says=LINK + "/etc)"),
    Case("post image outside the news folder", "news/2021/hostile-image.md",
         post("Hostile image", image="../../../etc/passwd", image_alt="A file"),
         where="news/2021/hostile-image.md:6:1", says="the image ../../../etc/passwd is outside the news folder"),
    Case("course image outside docs", "docs/courses/hostile-course.md",
         course("Hostile course", image="../../../etc/passwd", image_alt="A file"),
         where="docs/courses/hostile-course.md:6:1", says="the image ../../../etc/passwd is outside docs/"),
    Case("course image outside docs (its translation)", "docs/courses/hostile-course.es.md",
         course("Curso hostil", image="../../../etc/passwd", image_alt="Un archivo"),
         where="docs/courses/hostile-course.es.md:6:1", says="the image ../../../etc/passwd is outside docs/"),
]

LINKS = [
    Case("link out of the repository from a post", "news/2021/hostile-links.md", where="news/2021/hostile-links.md:8:5",
         says="the link ../../../../etc/passwd points outside the site"),
    Case("picture out of the repository from a post", "news/2021/hostile-links.md",
         where="news/2021/hostile-links.md:10:1", says="the image ../../../../etc/passwd points outside the site"),
    Case("link out of the repository from a page", "docs/about.md", where="docs/about.md:{n}:6",
         says="the link ../../../../etc/passwd points outside the site"),
    Case("picture out of the repository from a page", "docs/about.md", where="docs/about.md:{m}:1",
         says="the image ../../../../../etc/passwd points outside the site"),
]


def plant(project: Path, case: Case) -> None:
    target = project / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.link is not None:
        os.symlink(case.link, target)
    elif case.path.endswith(".well-known"):
        target.mkdir()
        (target / "security.png").write_text("hidden\n", encoding="utf-8")
    else:
        target.write_text(case.content, encoding="utf-8")


@dataclass
class Outcome:
    check: list[str]
    build: str
    returncode: int
    site: Path
    lines: dict[str, int] = field(default_factory=dict)  # line numbers the cases refer to


def build_and_check(project: Path, site: Path) -> Outcome:
    problems = [str(p) for p in check(Project.load(project))]
    result = build_site(project, site)
    return Outcome(problems, result.stdout + result.stderr, result.returncode, site)


def published_bytes_of(path: Path, site: Path) -> list[Path]:
    """Files of the site holding the first line of ``path``."""
    marker = path.read_bytes().splitlines()[0]
    return [f for f in site.rglob("*") if f.is_file() and not f.is_symlink() and marker in f.read_bytes()]


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Outcome:
    project = copy_project(tmp_path_factory.mktemp("hostile-files"))
    for case in REFUSED:
        plant(project, case)
    return build_and_check(project, tmp_path_factory.mktemp("hostile-files-site") / "site")


@pytest.fixture(scope="module")
def links(tmp_path_factory) -> Outcome:
    project = copy_project(tmp_path_factory.mktemp("hostile-links"))
    (project / "news/2021").mkdir(parents=True, exist_ok=True)
    (project / "news/2021/hostile-links.md").write_text(
        post("Hostile links", "See [the file](../../../../etc/passwd).\n\n![A file](../../../../etc/passwd)\n"),
        encoding="utf-8")
    about = project / "docs/about.md"
    text = about.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    link_line = text.count("\n") + 1
    about.write_text(text + "Read [the file](../../../../etc/passwd).\n\n![A file](../../../../../etc/passwd)\n",
                     encoding="utf-8")
    outcome = build_and_check(project, tmp_path_factory.mktemp("hostile-links-site") / "site")
    outcome.lines = {"n": link_line, "m": link_line + 2}
    return outcome


def reported(lines: list[str], case: Case, location: str) -> list[str]:
    return [line for line in lines if line.startswith(location + ": ") and case.says in line]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_check_reports_a_refused_file_at_its_path(refused, case):
    assert reported(refused.check, case, case.location), "\n".join(refused.check)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_the_build_refuses_a_refused_file_and_publishes_nothing(refused, case):
    assert refused.returncode != 0
    build_lines = [line.strip() for line in refused.build.splitlines()]
    assert reported(build_lines, case, case.location), refused.build
    for path in case.payload:
        assert not (refused.site / path).exists()


def test_the_refused_build_lists_every_problem_check_finds_and_writes_no_file(refused):
    assert "Traceback" not in refused.build
    build_lines = {line.strip() for line in refused.build.splitlines()}
    assert set(refused.check) <= build_lines
    assert not refused.site.exists() or not any(p.is_file() for p in refused.site.rglob("*"))


@pytest.mark.parametrize("case", LINKS, ids=lambda c: c.id)
def test_check_refuses_a_link_or_picture_out_of_the_repository(links, case):
    location = case.location.format(**links.lines)
    assert reported(links.check, case, location), "\n".join(links.check)


def test_the_strict_build_fails_on_links_out_of_the_repository_and_publishes_none_of_their_targets(links):
    assert links.returncode != 0
    for page in ("news/2021/hostile-links.md", "about.md"):
        assert f"Doc file '{page}' contains an unrecognized relative link '../../../../" in links.build
    assert published_bytes_of(PASSWD, links.site) == []
    assert not list(links.site.rglob("passwd"))


def test_a_file_that_appears_after_the_build_started_is_refused_before_it_is_copied(tmp_path):
    """A hook plants docs/late.js after on_config; the plugin's on_files refuses it."""
    project = copy_project(tmp_path / "project")
    (project / "hooks").mkdir()
    (project / "hooks" / "plant.py").write_text(
        "from pathlib import Path\n\n\ndef on_pre_build(config):\n"
        "    Path(config.docs_dir, 'late.js').write_text('alert(1)\\n', encoding='utf-8')\n",
        encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - hooks/plant.py\n")
    site = tmp_path / "site"
    result = build_site(project, site)
    assert result.returncode != 0
    assert "docs/late.js:1:1: '.js' files are code" in result.stderr
    assert not (site / "late.js").exists() and not (site / "es" / "late.js").exists()


# --- the site's own files, after the move to overrides/ ---------------------------------------


OUR_ASSETS = ["assets/javascripts/alternate-links-shim.js", "assets/javascripts/course-filter.js",
              "assets/javascripts/language-notice.js", "assets/javascripts/search.js",
              "assets/stylesheets/site.css", "assets/stylesheets/search.css",
              "assets/images/logo.svg", "assets/images/favicon.svg", "assets/images/logo.png"]


def test_the_current_content_holds_only_content_files():
    project = Project.load(ROOT)
    tree = project.content_tree()
    assert isinstance(tree, ContentTree) and tree.problems() == []
    assert not [p for p in project.docs_dir.rglob("*") if p.suffix in (".js", ".css", ".svg", ".html")]


@pytest.mark.parametrize("path", OUR_ASSETS)
def test_our_scripts_styles_and_logo_are_published_from_the_theme(site, path):
    source = ROOT / "overrides" / path
    minified = {".js": assets.minify_js, ".css": assets.minify_css}.get(source.suffix)  # tcsite/assets.py
    expected = minified(source.read_text(encoding="utf-8")).encode() if minified else source.read_bytes()
    assert (site / path).read_bytes() == expected


def test_pages_load_our_scripts_styles_and_logo_from_the_theme(site):
    for page in ("index.html", "es/index.html", "courses/index.html"):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        prefix = "../" if page.count("/") else ""
        referenced = {tag.get("href") or tag.get("src") for tag in soup.select("link[href], script[src], img[src]")}
        for path in (assets.STYLESHEET,
                     "assets/javascripts/search-loader.js", "assets/javascripts/language-notice.js",
                     "assets/images/logo.svg", "assets/images/favicon.svg"):
            assert prefix + path in referenced or "/" + path in referenced, (page, path)
    # The one stylesheet holds ours (after Material's).
    stylesheet = (site / assets.STYLESHEET).read_text(encoding="utf-8")
    for path in ("assets/stylesheets/site.css", "assets/stylesheets/search.css"):
        assert (site / path).read_text(encoding="utf-8") in stylesheet, path
    catalogue = BeautifulSoup((site / "courses/index.html").read_text(encoding="utf-8"), "html.parser")
    assert catalogue.select_one('script[src$="assets/javascripts/course-filter.js"]') is not None

"""Hostile ``data/redirects.yml``: refused by ``check`` at the rule's line and column, and by the
build before it writes anything (``tcsite/redirects.py``, issue 14 item 5).

Each case is a whole redirects file laid over one copy of the project; ``check`` must exit 1 and
print exactly the expected ``data/redirects.yml:<line>:<col>:`` lines, no more, no less. Then
one strict build of a file holding many bad rules must refuse with the same lines and write
nothing, and a build of good rules writes them all into ``_redirects``.
"""

from __future__ import annotations

import re

import pytest

from tcsite.__main__ import main
from tests.conftest import build_site, copy_project

PROBLEM = re.compile(r"^data/redirects\.yml:(\d+):(\d+): (.*)$")
CATCH_ALL = "a pattern must start with a fixed folder"
HIDES = "the redirect would hide it"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("redirects") / "project")


def check_redirects(project, capsys, content: str | bytes) -> tuple[int, list[tuple[int, int, str]]]:
    """``python -m tcsite check data/redirects.yml`` on ``content``: exit status and problems."""
    path = project / "data" / "redirects.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    capsys.readouterr()
    status = main(["check", "--root", str(project), str(path)])
    printed = capsys.readouterr().out.splitlines()
    found = [PROBLEM.match(line) for line in printed if not line.startswith("::")]
    assert all(found), printed  # every line it prints is a problem of this file
    return status, [(int(m[1]), int(m[2]), m[3]) for m in found]


def assert_refused(project, capsys, content, expected: list[tuple[int, int, str]]) -> None:
    status, found = check_redirects(project, capsys, content)
    assert status == 1
    assert [(line, column) for line, column, _ in found] == [(line, column) for line, column, _ in expected], found
    for (_, _, message), (_, _, fragment) in zip(found, expected):
        assert fragment in message, (message, fragment)


CASES = {
    # --- the file itself ---------------------------------------------------------------------
    "unclosed quote, at its line": (
        "# moved pages\n/old/: \"/about/\n/b/: /training/\n/c/: /training/\n",
        [(2, 8, "the quotation mark here is never closed")]),
    "line without a colon": (
        "/old/: /about/\n/lost/\n/b/: /training/\n", [(2, 1, "this line has no ': '")]),
    "unclosed bracket, where it opens": (
        "/old/: /about/\n/b/: [/x/\n/c/: /training/\n", [(2, 6, "not valid YAML")]),
    "not a mapping": ("- /old/\n- /about/\n", [(1, 1, "must be a list of '/old/address/: /new/address/' lines")]),
    "a plain sentence": ("redirect the old pages\n", [(1, 1, "must be a list of")]),
    "two documents": ("/old/: /about/\n---\n/b/: /training/\n", [(2, 1, "more than one YAML document")]),
    "key written twice, both lines named": (
        "/old/: /about/\n/other/: /training/\n/old/: /contact/\n",
        [(3, 1, "/old/ is written twice, on lines 1 and 3")]),
    "non-text keys and values": (
        "404: /about/\n/a/: 301\n/b/: yes\n/c/: [/about/]\n/d/:\n? [/e/, /f/]\n: /about/\n/g/: !!binary aGk=\n",
        [(1, 1, "the old address '404' is not text"), (2, 6, "the new address '301' is not text"),
         (3, 6, "'yes' is not text"), (4, 6, "is a list or a block"), (5, 5, "the new address is missing"),
         (6, 3, "the old address is a list or a block"), (8, 6, "'aGk=' is not text")]),
    "an alias": ("/a/: &page /about/\n/b/: *page\n", [(2, 6, "is an alias (*page)")]),
    "a character YAML refuses": ("/a/: /about/\n/b/: /training/\x01\n", [(2, 16, "a character YAML does not accept")]),
    "not UTF-8": (b"/a/: /about/\n/b/: /caf\xe9/\n", [(2, 1, "not UTF-8")]),
    "over a megabyte": ("# " + "x" * (1024 * 1024) + "\n/a/: /about/\n", [(1, 1, "more than 1024 KB")]),
    # --- characters that would rewrite the CDN's line -----------------------------------------
    "space in a source": ('"/old page/": /about/\n', [(1, 1, "contains a space")]),
    "a status code injected": ('/old/: "/about/ 302"\n', [(1, 1, "contains a space")]),
    "another rule injected with a line break": (
        '/old/: "/about/\\n/* https://evil.example/:splat"\n', [(1, 1, "contains a line break")]),
    "a tab, a no-break space, a NUL, an invisible override": (
        '/a/: "/ab\\tout/"\n/b/: "/about/\\u00a0"\n/c/: "/ab\\0out/"\n/d/: "/about/\\u202e"\n',
        [(1, 1, "contains a space"), (2, 1, "contains a space"), (3, 1, "invisible character (U+0000)"),
         (4, 1, "invisible character (U+202E)")]),
    "quotes, angle brackets, # and backslash": (
        "/a/: /about/\"onload=\n/b/: /<script>/\n/c/: /about/#top\n/d/: /\\evil.example/\n\"/e'/\": /about/\n",
        [(1, 1, "contains a quotation mark"), (2, 1, "contains '<'"), (3, 1, "contains '#'"),
         (4, 1, "contains a backslash"), (5, 1, "contains a quotation mark")]),
    "sources not starting with one /": (
        "old/: /about/\nhttps://evil.example/: /about/\n//evil.example/: /about/\n/old?page=2: /about/\n",
        [(1, 1, "must start with a single '/'"), (2, 1, "is a full web address"),
         (3, 1, "must start with a single '/'"), (4, 1, "has a query")]),
    "dot folders": ("/old/../about/: /training/\n/a/: /news/%2e%2e/about/\n",
                    [(1, 1, "'.' or '..' folders"), (2, 1, "'.' or '..' folders")]),
    "a rule over the CDN's 1,000 characters": (f"/old/: /about/?{'x' * 1000}\n", [(1, 1, "longer than 1000")]),
    # --- external targets ---------------------------------------------------------------------
    "external hosts not allowed": (
        "/a/: https://evil.example/\n/b/: HTTPS://EVIL.EXAMPLE/x\n/c/: https://trainingcentre.unwomen.org.evil.example/\n",
        [(1, 1, "leads to another site, evil.example, which is not one of the allowed sites"), (2, 1, "another site, evil.example,"),
         (3, 1, "another site, trainingcentre.unwomen.org.evil.example,")]),
    "other schemes and scheme-relative": (
        "/a/: http://trainingcentre.unwomen.org/\n/b/: //evil.example/x\n/c/: javascript:alert(1)\n"
        "/d/: data:text/html,hi\n/e/: about/\n",
        [(1, 1, "is not secure (http:)"), (2, 1, "starts with '//'"), (3, 1, "starts with 'javascript:'"),
         (4, 1, "starts with 'data:'"), (5, 1, "must start with '/' (a page of this site) or https://")]),
    "user names, ports, empty and placeholder hosts": (
        "/a/: https://trainingcentre.unwomen.org@evil.example/\n/b/: https://trainingcentre.unwomen.org:8443/\n"
        "/c/: https:///evil.example/\n/old/*: https://:splat.evil.example/\n",
        [(1, 1, "not a plain https://host/path"), (2, 1, "not a plain https://host/path"),
         (3, 1, "not a plain https://host/path"), (4, 1, "not a plain https://host/path")]),
    "the site's own domain": ("/a/: https://trainingcentre.example.org/about/\n",
                              [(1, 1, "this site's own address")]),
    # --- shadowing pages ----------------------------------------------------------------------
    "the home pages": ("/: https://evil.example/\n/es/: /about/\n",
                       [(1, 1, "/ is an address of the site (docs/index.md)"), (1, 1, "another site, evil.example,"),
                        (2, 1, "/es/ is an address of the site (docs/index.es.md)")]),
    "pages, in any language and spelling": (
        "/about/: /training/\n/about: /training/\n/es/about/: /es/training/\n/about/index.html: /training/\n"
        "/courses/: /training/\n",
        [(1, 1, "/about/ is an address of the site (docs/about.md): " + HIDES),
         (2, 1, "/about is an address of the site (docs/about.md)"),
         (3, 1, "/es/about/ is an address of the site (docs/about.es.md)"),
         (4, 1, "/about/index.html is an address of the site"),
         (5, 1, "/courses/ is an address of the site (docs/courses/index.md)")]),
    "posts, notices and listings": (
        "/news/2018/annual-report-2017-growth/: /about/\n/es/news/2020/beijing-25/: /about/\n"
        "/news/: /about/\n/news/archive/2018/: /about/\n/es/news/category/cedaw/: /about/\n",
        [(1, 1, "(news/2018/annual-report-2017-growth.md)"), (2, 1, "(news/2020/beijing-25.es.md)"),
         (3, 1, "(docs/news/index.md)"), (4, 1, "(the news listings)"), (5, 1, "(the news listings)")]),
    "files and folders the site fills itself": (
        "/news/rss.xml: /about/\n/es/news/atom.xml: /about/\n/sitemap.xml: /about/\n/admin/: /about/\n"
        "/assets/javascripts/anything.js: /about/\n/pagefind/pagefind.js: /about/\n/news/page/9/: /about/\n"
        "/assets/images/logo.svg: /about/\n",
        [(1, 1, "/news/rss.xml is an address of the site (written by the build)"), (2, 1, "(written by the build)"),
         (3, 1, "(written by the build)"), (4, 1, "is inside /admin/, which the site fills itself"),
         (5, 1, "is inside /assets/"), (6, 1, "is inside /pagefind/"), (7, 1, "is inside /news/page/"),
         (8, 1, "is inside /assets/")]),
    # --- catch-alls ---------------------------------------------------------------------------
    "catch-alls over the root and the languages": (
        "/*: https://evil.example/:splat\n/es/*: /es/about/\n/:lang/*: /about/\n/e*: /about/\n/old-*: /about/\n"
        "/:page/: /about/\n",
        [(1, 1, "the pattern /* starts at the top of the site: " + CATCH_ALL), (1, 1, "another site, evil.example,"),
         (2, 1, "the pattern /es/* starts at the top of the site in /es/"),
         (3, 1, "the pattern /:lang/* starts at the top of the site"), (4, 1, "/e* starts at the top of the site"),
         (5, 1, "/old-* starts at the top of the site"), (6, 1, "/:page/ starts at the top of the site")]),
    "catch-alls over sections": (
        "/news/*: /about/\n/es/news/*: /es/about/\n/news/:year/:slug/: /about/\n/courses/:slug/: /about/\n"
        "/instruments/*: /about/\n/about/*: /training/\n",
        [(1, 1, "the pattern /news/* would redirect addresses of the site: /news/ and"),
         (2, 1, "/es/news/* would redirect addresses of the site: /es/news/ and"),
         (3, 1, "would redirect addresses of the site: /news/2018/annual-report-2017-growth/"),
         (4, 1, "would redirect addresses of the site: /courses/"),
         (5, 1, "would redirect addresses of the site: /instruments/ and"),
         (6, 1, "would redirect addresses of the site: /about/")]),
    "patterns over the site's own folders, and malformed patterns": (
        "/admin/*: /about/\n/news/archive/:year/x/: /about/\n/old/*/x/*: /about/\n/old/:a/:a/: /about/\n",
        [(1, 1, "the pattern /admin/* covers /admin/, which the site fills itself"),
         (2, 1, "covers /news/archive/"), (3, 1, "more than one '*'"), (4, 1, "uses a :name twice")]),
    "pattern targets": (
        "/old-blog/*: /nowhere/:splat\n/old-news/:year/: /news/:slug/\n",
        [(1, 1, "no page of the site is under /nowhere/"), (2, 1, "uses :slug, which /old-news/:year/ does not define")]),
    # --- duplicates, targets, loops, limits -----------------------------------------------------
    "the same source after a trailing slash": (
        "/old/: /about/\n/old: /training/\n", [(2, 1, "/old is the same address as /old/ on line 1")]),
    "a target that does not exist": ("/old/: /no-such-page/\n/older/: /es/news/archive/1999/\n",
                                     [(1, 1, "the target /no-such-page/ does not exist"),
                                      (2, 1, "the target /es/news/archive/1999/ does not exist")]),
    "a loop": ("/a/: /b/\n/b/: /c\n/c/: /a\n/d/: /a/\n",
               [(1, 1, "/a/ redirects in a loop"), (2, 1, "/b/ redirects in a loop"), (3, 1, "/c/ redirects in a loop"),
                (4, 1, "/d/ redirects in a loop")]),
    "more fixed rules than the CDN takes": (
        "".join(f"/old-{n}/: /about/\n" for n in range(2001)), [(2001, 1, "2,001 redirects of single addresses")]),
    "more patterns than the CDN takes": (
        "".join(f"/old-{n}/*: /about/\n" for n in range(101)), [(101, 1, "101 patterns")]),
}


@pytest.mark.parametrize("content,expected", CASES.values(), ids=list(CASES))
def test_check_refuses(project, capsys, content, expected):
    assert_refused(project, capsys, content, expected)


GOOD = (
    "# Moved pages, and the eLearning Campus (an allowed host)\n"
    "/old-blog/*: /news/:splat\n"
    "/training-for-gender-equality/: /training/\n"
    "/es/training-for-gender-equality: /es/training/\n"
    "/campus/: https://trainingcentre.unwomen.org/\n"
    "/old-courses/:slug/: https://trainingcentre.unwomen.org/course/:slug\n"
    "/feed/: /news/rss.xml\n"
    "/cedaw/: /cedaw-convention/\n"
    "/cedaw-convention/: /instruments/cedaw/?from=old\n"
    "/news/2017/*: /news/archive/2018/\n"
)


def test_check_accepts_good_redirects(project, capsys):
    """The other side of every case above: what editors legitimately write passes."""
    assert check_redirects(project, capsys, GOOD) == (0, [])


def test_the_real_redirects_pass_check(capsys):
    from tests.conftest import ROOT

    status = main(["check", "--root", str(ROOT), str(ROOT / "data" / "redirects.yml")])
    assert status == 0, capsys.readouterr().out


BAD_RULES = "".join(content for content, _ in (
    CASES["the home pages"], CASES["catch-alls over the root and the languages"], CASES["external hosts not allowed"],
    CASES["a status code injected"], CASES["pages, in any language and spelling"], CASES["a loop"],
))


@pytest.fixture(scope="module")
def refused_build(project, tmp_path_factory):
    (project / "data" / "redirects.yml").write_text(BAD_RULES, encoding="utf-8")
    site_dir = tmp_path_factory.mktemp("refused") / "site"
    return build_site(project, site_dir), site_dir


def test_the_build_refuses_every_bad_rule_that_check_reports(project, capsys, refused_build):
    result, site_dir = refused_build
    _, reported = check_redirects(project, capsys, BAD_RULES)
    assert result.returncode != 0
    assert len(reported) > 20
    for line, column, message in reported:
        assert f"data/redirects.yml:{line}:{column}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site_dir / "_redirects").exists()
    assert not (site_dir / "index.html").exists()  # refused before any page was written


def test_the_build_reports_malformed_yaml_at_its_line(project, tmp_path):
    (project / "data" / "redirects.yml").write_text("/old/: /about/\n/b/: '/training/\n", encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert "data/redirects.yml:2:6: the file is not valid YAML: the quotation mark here is never closed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "_redirects").exists()


def test_the_build_writes_good_redirects_fixed_addresses_first(project, tmp_path):
    (project / "data" / "redirects.yml").write_text(GOOD, encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    rules = [line.split(" ") for line in (tmp_path / "site" / "_redirects").read_text(encoding="utf-8").splitlines()]
    assert all(len(rule) == 3 and rule[2] == "301" for rule in rules)
    sources = [rule[0] for rule in rules]
    assert sources == [
        "/training-for-gender-equality/", "/es/training-for-gender-equality", "/campus/", "/feed/", "/cedaw/",
        "/cedaw-convention/",  # fixed addresses, in the file's order, then the patterns
        "/old-blog/*", "/old-courses/:slug/", "/news/2017/*",
    ]
    assert dict((rule[0], rule[1]) for rule in rules)["/old-courses/:slug/"] == (
        "https://trainingcentre.unwomen.org/course/:slug")

"""Hostile markup (issue 14, item 2): code slipped into content, tried as an attacker would.

``check`` judges the HTML that the site's own Markdown pipeline makes of each file, read with an
HTML parser, and must refuse every case below at the exact line (and column) of the source where
it is written, including the tricks that fooled the old masked-source check (an escaped
backtick, ``<!-->``, a ``~~~`` line that is not a fence). One copy of the project holds every
case, and ``check`` runs once over it.

The build is the last line of defence: it must refuse, naming the source file, markup that
reaches a page by a road ``check`` cannot see. A hook added to a copy's ``mkdocs.yml`` plays that
road (it appends markup to some pages), and one build proves the refusal and that nothing is
left to publish.
"""

from __future__ import annotations

import pytest

from tcsite.check import check
from tcsite.html_rules import PageGuard, content_findings
from tcsite.project import Project
from tests.conftest import build_site, copy_project

FRONT_MATTER = "---\ntitle: {title}\ndate: 2021-03-08\nsummary: A short summary.\ncategories: [cedaw]\n---\n\n"
FIRST_LINE = 8  # the body's first line in a file written with FRONT_MATTER

SCRIPT = "<script> is not allowed in content"
RUNS_CODE = "'javascript:' addresses run code"

# name -> (body, [(line in the body, column, message)]); line 1 is the file's line 8.
CASES = {
    # The old check read a masked copy of the source; Markdown reads these differently.
    "escaped-backticks": ('Try this: \\`<script src="/x.js"></script>\\`\n', [(1, 13, SCRIPT)]),
    "empty-comment": ('Read this.\n\n<!--> <script src="/x.js"></script> <!-- -->\n', [(3, 7, SCRIPT)]),
    "tilde-line-with-text": ('~~~ not a fence\n<script src="/x.js"></script>\n~~~\n', [(2, 1, SCRIPT)]),
    "tilde-line-never-closed": ('An example follows.\n\n~~~\n<script src="/x.js"></script>\n', [(4, 1, SCRIPT)]),
    # javascript: given through an attribute list, or disguised.
    "attribute-list-href": ('[Campus](https://trainingcentre.unwomen.org/){: href="javascript:alert(1)" }\n',
                            [(1, 49, RUNS_CODE)]),
    "entity-in-scheme": ("[Subscribe](jav&#x61;script:alert(1)) to our news.\n", [(1, 13, RUNS_CODE)]),
    "uppercase-scheme": ("[Subscribe](JAVASCRIPT:alert(1)) to our news.\n", [(1, 13, RUNS_CODE)]),
    "tab-in-scheme": ('Go <a href="java\tscript:alert(1)">there</a>.\n', [(1, 7, RUNS_CODE)]),
    "reference-definition": ("Read [the report][report].\n\n[report]: javascript:alert(1)\n", [(3, 11, RUNS_CODE)]),
    # Every forbidden element, one per paragraph.
    "elements": (
        '<iframe src="https://example.org/"></iframe>\n\n<object data="movie.swf"></object>\n\n'
        '<embed src="movie.swf">\n\n<form action="https://example.org/"><input name="q"></form>\n\n'
        "<style>p { color: red }</style>\n\n"
        '<base href="https://evil.example/">\n\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n\n'
        '<link rel="stylesheet" href="https://evil.example/x.css">\n\n<applet code="x.class"></applet>\n\n'
        '<frameset><frame src="https://example.org/"></frameset>\n',
        [(1, 1, "<iframe> is not allowed in content"), (3, 1, "<object> is not allowed in content"),
         (5, 1, "<embed> is not allowed in content"), (7, 1, "<form> is not allowed in content"),
         (9, 1, "<style> is not allowed in content"), (11, 1, "<base> is not allowed in content"),
         (13, 1, "<meta> is not allowed in content"), (15, 1, "<link> is not allowed in content"),
         (17, 1, "<applet> is not allowed in content"), (19, 1, "<frameset> is not allowed in content"),
         (19, 11, "<frame> is not allowed in content")],
    ),
    # on… attributes: raw HTML, attribute lists, a tag over two lines, a footnote.
    "event-in-raw-html": ('<b onmouseover="alert(1)">Hover</b> here.\n', [(1, 4, "the onmouseover attribute runs a script")]),
    "event-in-attribute-list": ('A paragraph.\n{: onclick="alert(1)" }\n', [(2, 4, "the onclick attribute runs a script")]),
    "event-in-heading-attribute-list": ('## Dates {: onclick="alert(1)" }\n\nText.\n',
                                        [(1, 13, "the onclick attribute runs a script")]),
    "event-on-second-line-of-tag": ('<a href="https://trainingcentre.unwomen.org/"\n   onclick="alert(1)">Campus</a>\n',
                                    [(2, 4, "the onclick attribute runs a script")]),
    "event-in-footnote": ('A claim.[^1]\n\n[^1]: <b onclick="alert(1)">Source</b>\n',
                          [(3, 10, "the onclick attribute runs a script")]),
    # Every scheme through other address-bearing attributes.
    "xlink-href-in-svg": ('<svg width="10" height="10"><a xlink:href="javascript:alert(1)"><text y="9">x</text></a></svg>\n',
                          [(1, 32, RUNS_CODE)]),
    "svg-animation": ('<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y="9">x</text></a></svg>\n',
                      [(1, 35, RUNS_CODE)]),
    "formaction": ('<button formaction="javascript:alert(1)">Send</button>\n', [(1, 9, RUNS_CODE)]),
    "srcset-candidate": ('<img alt="A chart" src="data:image/png;base64,iVBORw0KGgo=" '
                         'srcset="chart.png 1x, javascript:alert(1) 2x">\n', [(1, 61, RUNS_CODE)]),
    "vbscript-poster": ('<video poster="vbscript:msgbox(1)"></video>\n', [(1, 8, "'vbscript:' addresses run code")]),
    "data-href": ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Open</a>\n',
                  [(1, 4, "'data:' addresses can hide a page or a script")]),
    "data-svg-picture": ('![Logo](data:image/svg+xml;base64,PHN2Zy8+)\n', [(1, 9, "'data:' addresses can hide a page or a script")]),
    # Material's bundle would fetch the Mermaid library from unpkg.com for it ('strict-dynamic'
    # trusts what the bundle loads), and an excerpt cut inside inline code.
    "mermaid-class": ('<pre class="mermaid"><code>graph TD; A--&gt;B</code></pre>\n',
                      [(1, 13, 'class="mermaid" makes the page load the Mermaid diagram library from another site')]),
    # Markdown inside HTML blocks, and HTML the browser reads differently from a naive parser.
    "md-in-html": ("<div markdown>\n\n[Click](javascript:alert(1))\n\n</div>\n", [(3, 9, RUNS_CODE)]),
    "textarea-hides-a-comment": ('<textarea><!--</textarea><img src="x.png" alt="x" onerror="alert(1)">-->\n',
                                 [(1, 1, "<textarea> is not allowed in content"),
                                  (1, 51, "the onerror attribute runs a script")]),
    "end-tag-with-attributes": ('<noscript><p title="</noscript><img src=x alt=x onerror=alert(1)>"></p></noscript>\n',
                                [(1, 1, "<noscript> is not allowed in content"),
                                 (1, 49, "the onerror attribute runs a script")]),
    # The excerpt on news cards is rendered on its own: here an indented code block of the post
    # becomes raw HTML once the excerpt's leading spaces are cut.
    "excerpt-only": ('\n    <script src="/x.js"></script>\n\n<!-- more -->\n\nThe rest of the post.\n', [(2, 5, SCRIPT)]),
    # A long file (renderings get slow) is located by searching its lines: still refused, same line.
    "long-file": ("A line about training.\n\n" * 2000 + '<script src="/x.js"></script>\n', [(4001, 1, SCRIPT)]),
    # Examples in code are text, not markup.
    "code-examples": ('Write `<script src="/x.js"></script>` nowhere.\n\n```html\n<iframe src="x"></iframe>\n'
                      '<a href="javascript:alert(1)" onclick="x()">x</a>\n```\n', []),
}


def post_path(name: str) -> str:
    return f"news/2021/hostile-{name}.md"


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> dict[str, list[str]]:
    """Every case written into one copy of the project; one check; its lines, by file."""
    project = copy_project(tmp_path_factory.mktemp("hostile-markup") / "project")
    for name, (body, _) in CASES.items():
        path = project / post_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FRONT_MATTER.format(title=name) + body, encoding="utf-8")
    found: dict[str, list[str]] = {}
    for problem in check(Project.load(project), [project / "news" / "2021"]):
        found.setdefault(problem.path, []).append(f"{problem.path}:{problem.line}:{problem.column}: {problem.message}")
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_refuses_hostile_markup_at_its_source_line(name, reported):
    _, expected = CASES[name]
    path = post_path(name)
    assert reported.get(path, []) == [
        f"{path}:{FIRST_LINE + line - 1}:{column}: {message}" for line, column, message in expected
    ]


def test_an_attribute_list_is_named_as_such_in_the_fix(tmp_path):
    project = copy_project(tmp_path / "project")
    post = project / post_path("attribute-list-fix")
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(FRONT_MATTER.format(title="Fix") + CASES["event-in-attribute-list"][0], encoding="utf-8")
    assert [str(p) for p in check(Project.load(project), [post])] == [
        f"{post_path('attribute-list-fix')}:9:4: the onclick attribute runs a script "
        "(remove onclick=… from the {…} attribute list)"
    ]


# --- the scanner against a real browser ----------------------------------------------------

# Where a naive reading of HTML and a browser's part ways (tcsite.html_rules, "Reading HTML").
TRICKS = [
    "<!--> <img src=x onerror=alert(1)> <!-- -->",
    "<!---> <img src=x onerror=alert(1)> -->",
    "<!-- a --!> <img src=x onerror=alert(1)> -->",
    "<![CDATA[ x > <img src=x onerror=alert(1)> ]]>",
    "<svg><![CDATA[ x > <img src=x onerror=alert(1)> ]]></svg>",
    "<script>a</script x><img src=x onerror=alert(1)>",
    "<textarea><!--</textarea><img src=x onerror=alert(1)>-->",
    "<textarea/><!--</textarea><img src=x onerror=alert(1)>-->",
    "<title><!--</title><img src=x onerror=alert(1)>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<xmp><!--</xmp><img src=x onerror=alert(1)>-->",
    "<svg><desc><textarea><!--</textarea><img src=x onerror=alert(1)>-->",
    "<svg></p><style><!--</style><img src=x onerror=alert(1)>-->",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><g><foreignObject><div></svg></div></foreignObject><style><img src=x onerror=alert(1)></style>",
    "<a href=\" jav&#x61;script&colon;alert(1)\">x</a>",
    "<a href=\"java&Tab;script:alert(1)\">x</a>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<img/src=\"x\"/onerror=alert(1)>",
]
DANGEROUS_IN_BROWSER = """(html) => {
  const found = [];
  for (const el of new DOMParser().parseFromString(html, 'text/html').querySelectorAll('*')) {
    if (el.localName === 'script') found.push('script');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(a.name);
      if (/^javascript:/i.test(a.value.replace(/[\\u0000-\\u0020]/g, ''))) found.push(a.name + '=javascript:');
    }
  }
  return found;
}"""


@pytest.mark.browser
def test_whatever_chromium_would_run_both_rule_sets_find(browser):
    page = browser.new_page()
    dangerous = [trick for trick in TRICKS if page.evaluate(DANGEROUS_IN_BROWSER, trick)]
    page.close()
    assert len(dangerous) >= 15, "the tricks must still be tricks"
    guard = PageGuard(set(), lambda base_url: set())
    assert [trick for trick in dangerous if not content_findings(trick)] == []
    assert [trick for trick in dangerous if not guard.problems(trick, "", "docs/x.md", "")] == []


# --- the build's last line of defence -------------------------------------------------------

HOOK = '''"""Appends markup to some pages after they are rendered: a road check does not see."""

INJECT = {
    "about/": '<script src="/x.js"></script>',
    "training/": "<script>alert(1)</script>",
    "es/contact/": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "news/2019/cedaw-40th-anniversary/": '<a href="jav&#x61;script:alert(1)">x</a>',
    "instruments/cedaw/": '<p onclick="alert(1)">x</p>',
    "courses/": '<script type="importmap">{"imports": {}}</script>',
    "es/about/": '<pre class="mermaid"><code>graph TD; A--&gt;B</code></pre>',
}


def on_post_page(output, page, config):
    extra = INJECT.get(page.url)
    return output.replace("</body>", extra + "</body>") if extra else output
'''


def test_the_build_refuses_markup_that_check_cannot_see_and_writes_no_site(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "inject.py").write_text(HOOK, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - inject.py\n")
    assert check(Project.load(project)) == [], "the content itself is clean"
    site_dir = tmp_path / "site"
    result = build_site(project, site_dir)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for line in (
        "docs/about.md:1:1: a <script> loads /x.js, which is not one of the site's own scripts",
        "docs/training.md:1:1: an inline <script> that is not one of the theme's own",
        'docs/contact.es.md:1:1: a <meta http-equiv="refresh"> would send readers to another address',
        "news/2019/cedaw-40th-anniversary.md:1:1: 'javascript:' addresses run code (the href of a <a>)",
        "docs/instruments/cedaw.md:1:1: the onclick attribute of a <p> runs a script",
        'docs/courses/index.md:1:1: a <script type="importmap"> is on the page',
        'docs/about.es.md:1:1: class="mermaid" makes the page load the Mermaid diagram library from another site',
    ):
        assert line in output, output
    assert not site_dir.exists() or not any(site_dir.iterdir()), "a refused build leaves nothing to publish"

"""What readers download (tcsite/assets.py): our scripts and styles minified without changing
what they do, one stylesheet that keeps every rule a page can use, pages without blank lines, and
in Chromium no layout shift from the language notice and a logo with its size."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tcsite import assets
from tests.conftest import ROOT

SCRIPTS = sorted((ROOT / "overrides" / "assets" / "javascripts").glob("*.js"))
STYLES = sorted((ROOT / "overrides" / "assets" / "stylesheets").glob("*.css"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_minified_scripts_are_the_same_program(script, tmp_path):
    """Same tokens in the same lines, comments aside: Node parses the result."""
    node = shutil.which("node")
    assert node, "Node.js is needed (README)"
    minified = assets.minify_js(script.read_text(encoding="utf-8"))
    assert len(minified) < len(script.read_text(encoding="utf-8"))
    target = tmp_path / script.name.replace(".js", ".mjs" if "import(" in minified or "export " in minified else ".js")
    target.write_text(minified, encoding="utf-8")
    result = subprocess.run([node, "--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Nothing invented or reordered: the minified lines are lines of the source, in order.
    source_lines = iter(line.strip() for line in script.read_text(encoding="utf-8").splitlines())
    assert all(any(line == source for source in source_lines) for line in minified.splitlines())


def test_minifying_keeps_strings_templates_and_code_after_comments():
    source = 'const a = "/* not a comment */";  // a comment\n  /* one\n  two */ const b = `x\n  // kept\n  y`;\n'
    minified = assets.minify_js(source)
    assert '"/* not a comment */"' in minified and "const b = `x\n  // kept\n  y`;" in minified
    assert "one" not in minified and "two" not in minified


@pytest.mark.parametrize("stylesheet", STYLES, ids=lambda p: p.name)
def test_minified_stylesheets_hold_the_same_rules(stylesheet):
    text = stylesheet.read_text(encoding="utf-8")
    minified = assets.minify_css(text)
    assert "/*" not in minified and len(minified) < len(text)

    def declarations(css):
        rules = []
        for rule in assets.parse_css(css):
            body = assets.minify_css(rule.body) if rule.prelude.startswith("@") else rule.body
            rules.append((re.sub(r"\s+", "", rule.prelude),
                          sorted(re.sub(r"\s+", "", d) for d in re.split(r";(?![^(]*\))", body or "") if d.strip())))
        return rules

    assert declarations(minified) == declarations(text)


def test_the_stylesheet_keeps_what_pages_or_scripts_can_use_and_drops_the_rest():
    css = ('.md-typeset .admonition{a:1}.md-typeset .tabbed-set{b:2}@media screen{.md-tabs{c:3}.unused{d:4}}'
           '@font-face{font-family:x}.md-nav:not(.md-nav--secondary){e:5}[dir=rtl] .md-nav{f:6}'
           '[data-md-state=lock]{g:7}:root{--md-admonition-icon--note:url("x;y")}a:hover{h:8}')
    kept = assets.purge(css, {"md-typeset", "admonition", "md-tabs", "md-nav", "data-md-state", "a", "dir", "ltr"})
    assert kept == ('.md-typeset .admonition{a:1}@media screen{.md-tabs{c:3}}@font-face{font-family:x}'
                    '.md-nav:not(.md-nav--secondary){e:5}[data-md-state=lock]{g:7}'
                    ':root{--md-admonition-icon--note:url("x;y")}a:hover{h:8}')
    sheets = assets.without_unused_properties([kept + ".x{color:var(--used)}", ":root{--used:1;--unread:2;--ours:3}"], {"--ours"})
    assert sheets == [".md-typeset .admonition{a:1}@media screen{.md-tabs{c:3}}@font-face{font-family:x}"
                      ".md-nav:not(.md-nav--secondary){e:5}[data-md-state=lock]{g:7}a:hover{h:8}.x{color:var(--used)}",
                      ":root{--used:1;--ours:3}"]


def test_blank_lines_between_tags_go_and_nothing_else_changes():
    html = ('<div>\n\n    <p title="a\n   b">x  \n  y</p>\n   <pre>\n\n  code\n</pre>\n'
            '<script>\n  var a = 1;\n</script>\n  <span>z</span> <b>w</b></div>')
    assert assets.without_blank_lines(html) == (
        '<div>\n<p title="a\n   b">x  \n  y</p>\n   <pre>\n\n  code\n</pre>\n'
        '<script>\n  var a = 1;\n</script>\n  <span>z</span> <b>w</b></div>')


def test_every_page_links_one_stylesheet_and_the_logo_has_its_size(site):
    for page in ("index.html", "es/about/index.html", "news/index.html", "courses/index.html", "404.html"):
        html = (site / page).read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert [link.rsplit("/", 1)[-1] for link in links] == ["styles.css"], (page, links)
        assert re.search(r'<img src="[^"]*logo\.svg" alt="" width="24" height="24">', html), page


@pytest.mark.browser
@pytest.mark.parametrize("path, reader", [("es/about/", "en-GB"), ("about/", "es-ES"), ("es/news/2020/beijing-25/", "en-US")])
def test_the_language_notice_moves_nothing_on_the_page(cdn, browser, path, reader):
    context = browser.new_context(locale=reader, viewport={"width": 412, "height": 823})  # a phone
    page = context.new_page()
    page.add_init_script("""
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) for (const source of entry.sources) {
            // Material's header buttons may settle once its script has run (at most 0.001): the
            // page's content, where the notice would push, is what must not move.
            if (!source.node || !source.node.closest || !source.node.closest(".md-header"))
              window.__shifts.push({value: entry.value, moved: source.node ? source.node.outerHTML.slice(0, 120) : "?"});
          }
        }).observe({type: "layout-shift", buffered: true});
    """)
    page.goto(cdn + path)
    notice = page.locator("[data-tc-language-notice]:visible")
    notice.wait_for()
    heading = page.locator("article h1").bounding_box()
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("window.__shifts") == []  # else: each shift's value and what moved
    assert page.locator("article h1").bounding_box() == heading
    box, viewport = notice.bounding_box(), page.viewport_size
    assert abs(box["y"] + box["height"] - viewport["height"]) < 1, "the notice lies over the bottom of the window"
    notice.locator("button").click()
    assert not notice.is_visible()
    assert page.evaluate("window.__shifts") == []
    context.close()

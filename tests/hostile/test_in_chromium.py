"""In Chromium, with the production headers (the CDN's own runtime): hostile content runs
nothing, and the Content-Security-Policy runs only the site's own scripts."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import serve_with_cdn
from tests.hostile.conftest import POST_URL, TITLE

pytestmark = pytest.mark.browser

# Records what the browser refuses, before any script of the page runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
# A script that is on the site but is not one of the site's own, and a page that loads it.
FOREIGN_SCRIPT = "news/2021/a.js"
FOREIGN_PAGE = "about/"


@pytest.fixture(scope="module")
def served(hostile_site, tmp_path_factory):
    """The hostile build, plus a foreign script slipped onto one page after the build (as if every
    check had missed it), served by wrangler dev with the site's _headers."""
    site = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(hostile_site, site)
    (site / FOREIGN_SCRIPT).write_text("window.__foreign_ran = true;", encoding="utf-8")
    page = site / FOREIGN_PAGE / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", f'<script src="/{FOREIGN_SCRIPT}"></script><script src="/admin/decap-cms.js"></script></body>'),
        encoding="utf-8")
    with serve_with_cdn(site, tmp_path_factory.mktemp("wrangler")) as base:
        yield base


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.mark.parametrize("path", [POST_URL, "", "news/", "admin/"])
def test_hostile_title_summary_and_author_run_nothing(served, tab, path):
    response = tab.goto(served + path)
    assert response.status == 200
    tab.wait_for_load_state("load")
    assert tab.dialogs == [], "a payload ran alert()"
    assert tab.evaluate("typeof window.__foreign_ran") == "undefined"
    assert tab.url.split("#")[0] == served + path, "a payload redirected the page"  # Decap adds #/
    assert tab.locator("tc-injected").count() == 0
    if path == POST_URL:
        assert tab.locator("h1").first.text_content() == TITLE
        assert tab.title().startswith(TITLE)


def test_a_script_on_the_site_that_is_not_ours_is_blocked_while_ours_work(served, tab):
    tab.goto(served + FOREIGN_PAGE)
    tab.wait_for_load_state("load")
    assert tab.evaluate("typeof window.__foreign_ran") == "undefined"
    assert tab.evaluate("typeof window.CMS") == "undefined", "the CMS bundle ran on a public page"
    blocked = tab.evaluate("window.__violations")
    assert f"script-src-elem {served}{FOREIGN_SCRIPT}" in blocked, blocked
    assert f"script-src-elem {served}admin/decap-cms.js" in blocked, blocked
    # The palette toggle (Material's bundle) still works.
    scheme = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
    tab.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    # Search (ours, loading Pagefind) finds pages.
    tab.keyboard.press("/")
    tab.locator(".md-search__input").fill("CEDAW")
    tab.wait_for_selector("#tc-search-results li")
    assert tab.locator("#tc-search-results li").count() > 0
    tab.keyboard.press("Escape")
    # The language switcher leads to the Spanish twin.
    tab.locator(".md-select").first.hover()
    tab.locator("a.md-select__link[hreflang='es']").click()
    tab.wait_for_url("**/es/about/")
    assert tab.evaluate("window.__violations") == [], "the Spanish page broke the policy"

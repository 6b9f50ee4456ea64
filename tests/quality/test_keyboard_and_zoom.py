"""Keyboard and zoom: the skip link comes first, the language switcher and the search can be
reached with Tab, and no page scrolls sideways at 320 CSS px (400 % zoom)."""

import pytest

import quality_gates as gates

pytestmark = pytest.mark.browser

KEY_PAGES = ["", "es/", "about/", "es/about/"]


@pytest.mark.parametrize("path", KEY_PAGES, ids=lambda p: "/" + p)
def test_keyboard_reaches_skip_link_language_switcher_and_search(desktop_page, served_site, path):
    lang = "es" if path.startswith("es/") else "en"
    problems = gates.keyboard_problems(desktop_page, served_site + path, lang)
    assert not problems, "\n".join(problems)


def test_no_horizontal_scroll_at_320_css_px(narrow_page, served_site, site):
    """The key pages and one page of each type in each language."""
    pages = gates.representative_pages(gates.visitor_pages(gates.site_pages(site)))
    paths = list(dict.fromkeys(KEY_PAGES + [p.path for p in pages]))
    problems = []
    for path in paths:
        problems += gates.reflow_problems(narrow_page, served_site + path)
    assert not problems, "\n".join(problems)

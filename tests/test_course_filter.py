"""The catalogue's filter (overrides/assets/javascripts/course-filter.js) in Chromium, on the real
site: it filters in place, announces the count, keeps the filter in the URL, and without
JavaScript every course is listed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

CARDS = ".tc-catalogue [data-course]"


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        CARDS, "cards => cards.filter(c => !c.hidden && c.offsetParent !== null)"
               ".map(c => c.querySelector('.tc-card__title').textContent.trim())",
    )


def cards_with(page, attribute: str, value: str) -> list[str]:
    return page.eval_on_selector_all(
        CARDS, "(cards, [attribute, value]) => cards"
               ".filter(c => (c.getAttribute(attribute) || '').split(' ').includes(value))"
               ".map(c => c.querySelector('.tc-card__title').textContent.trim())",
        [attribute, value],
    )


def shared_topic(page) -> str:
    """A topic some courses have and others do not, so that filtering by it shows a change."""
    total = page.locator(CARDS).count()
    for value in page.eval_on_selector_all("#tc-filter-topic option", "os => os.map(o => o.value)"):
        if value and 0 < len(cards_with(page, "data-topics", value)) < total:
            return value
    pytest.fail("no topic tells the courses apart")


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_a_topic_filters_the_cards_and_the_url_can_be_shared(page, served_site, prefix):
    page.goto(served_site + prefix + "courses/")
    assert page.locator("form[data-course-filter]").is_visible(), "the script shows the filter"
    everything = visible_titles(page)
    assert len(everything) == page.locator(CARDS).count() >= 2

    topic = shared_topic(page)
    expected = cards_with(page, "data-topics", topic)
    page.select_option("#tc-filter-topic", topic)
    shown = visible_titles(page)
    assert shown == expected and len(shown) < len(everything)

    count = page.locator("#tc-course-count")
    assert count.get_attribute("aria-live") == "polite"
    words = {"": ("course", "courses"), "es/": ("curso", "cursos")}[prefix]
    assert count.inner_text() == (f"1 {words[0]}" if len(shown) == 1 else f"{len(shown)} {words[1]}")

    url = page.url
    assert parse_qs(urlsplit(url).query) == {"topic": [topic]}
    assert urlsplit(url).path == f"/{prefix}courses/"

    page.goto(url)  # the shared link, opened afresh
    assert visible_titles(page) == shown
    assert page.locator("#tc-filter-topic").input_value() == topic
    page.reload()
    assert visible_titles(page) == shown

    page.click("[data-filter-reset]")
    assert visible_titles(page) == everything
    assert urlsplit(page.url).query == ""


def test_filters_combine_and_an_empty_result_is_announced(page, served_site):
    page.goto(served_site + "courses/")
    topic = shared_topic(page)
    page.select_option("#tc-filter-topic", topic)
    statuses = page.eval_on_selector_all("#tc-filter-status option", "os => os.map(o => o.value).filter(Boolean)")
    for status in statuses:
        page.select_option("#tc-filter-status", status)
        expected = sorted(set(cards_with(page, "data-topics", topic)) & set(cards_with(page, "data-status", status)))
        assert sorted(visible_titles(page)) == expected
        if not expected:
            assert page.locator("#tc-course-count").inner_text() == "No course matches these filters."
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"topic": [topic], "status": [status]}


def test_an_unknown_value_in_the_url_is_ignored(page, served_site):
    page.goto(served_site + "courses/?topic=no-such-topic&format=webinar")
    assert len(visible_titles(page)) == page.locator(CARDS).count()
    assert page.locator("#tc-filter-topic").input_value() == ""


def test_the_filter_is_usable_with_the_keyboard(page, served_site):
    page.goto(served_site + "courses/")
    page.focus("#tc-filter-topic")
    page.keyboard.press("End")  # a closed native select changes its value with the keyboard
    chosen = page.locator("#tc-filter-topic").input_value()
    assert chosen, "the keyboard changed the topic"
    assert visible_titles(page) == cards_with(page, "data-topics", chosen)
    assert parse_qs(urlsplit(page.url).query) == {"topic": [chosen]}


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_without_javascript_every_course_is_listed(browser, served_site, prefix):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + prefix + "courses/?topic=leadership")
        cards = page.locator(CARDS)
        assert cards.count() >= 4
        assert all(cards.nth(i).is_visible() for i in range(cards.count()))
        assert not page.locator("form[data-course-filter]").is_visible(), "no filter that cannot work"
    finally:
        context.close()

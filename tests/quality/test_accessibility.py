"""Accessibility: axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page."""

import pytest

pytestmark = pytest.mark.browser


def test_every_page_both_languages_is_checked(site_sweep):
    assert {p.lang for p in site_sweep.pages} >= {"en", "es"}
    assert {p.kind for p in site_sweep.pages} >= {"home", "404"}


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
def test_axe_finds_no_violations(site_sweep, scheme):
    """Light scheme on every sampled page; dark scheme on one page of each type."""
    found = [v for v in site_sweep.violations if v.scheme == scheme]
    assert not found, f"{len(found)} axe violation(s):\n" + "\n".join(map(str, found))

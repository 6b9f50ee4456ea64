"""Privacy: a visit to any page sends nothing to another host (no fonts, CDNs, analytics)."""

import pytest

pytestmark = pytest.mark.browser


def test_pages_make_no_third_party_requests(site_sweep):
    leaks = site_sweep.foreign_requests
    assert not leaks, "requests to other hosts than the site's:\n" + "\n".join(
        f"{page}\n    " + "\n    ".join(urls) for page, urls in leaks.items()
    )

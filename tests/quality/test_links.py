"""Links: every internal link and #anchor of the built site, in both languages, resolves;
external links are listed in the report, never fetched."""

import quality_gates as gates


def test_internal_links_and_anchors_resolve(site, quality_report):
    report = gates.dead_links(site, gates.site_url_of(gates.ROOT))
    quality_report.append(("links: external (not fetched)", report.external_summary()))
    assert report.checked > 0
    assert not report.dead, f"{len(report.dead)} dead link(s):\n" + "\n".join(report.dead)


def test_both_languages_are_linked_and_checked(site):
    """The link check walks the Spanish pages too (a gate that skipped /es/ would pass)."""
    pages = gates.site_pages(site)
    assert any(p.lang == "es" and p.path.startswith("es/") for p in pages)
    assert any(p.lang == "en" for p in pages)

"""Each gate, seen to fail: a copy of the project gets a deliberately broken page (in both
languages, as the build requires) and every gate must report what is wrong with it."""

from __future__ import annotations

import pytest

import quality_gates as gates

# Raw HTML, which MkDocs passes through unchecked, so the build accepts the page and the gates
# on the built HTML are the ones that must object. Each line breaks one gate.
BROKEN_PAGE = """\
---
title: Broken page
---

# Broken page

<a href="#broken-page" tabindex="1">A link that takes the first Tab from the skip link</a>

<img src="/assets/images/logo.svg">

<p id="twice">The first element with this id.</p>
<p id="twice">The second element with the same id.</p>

<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">

<a href="../about/#no-such-anchor">A link to an anchor that does not exist</a>

<div style="width: 40rem">A block wider than a phone held upright.</div>

<p id="dark-trap" style="color: #444">Dark grey text: fine on white, unreadable in the dark scheme.</p>
"""

# The same dead anchor as a Markdown link: MkDocs itself checks those (strict mode).
DEAD_MARKDOWN_ANCHOR = """\
---
title: Broken page
---

# Broken page

See [a section that does not exist](about.md#no-such-anchor).
"""

BROKEN_PATHS = ["broken/", "es/broken/"]
FONTS = "https://fonts.googleapis.com/css?family=Roboto"


def add_broken_page(project, text: str) -> None:
    for name in ("broken.md", "broken.es.md"):
        (project / "docs" / name).write_text(text, encoding="utf-8")
    # Outside the nav, as a page nobody linked yet would be (strict mode warns otherwise).
    config = project / "mkdocs.yml"
    yml = config.read_text(encoding="utf-8")
    entries = "  /broken.md\n  /broken.es.md\n"
    if "\nnot_in_nav: |\n" in yml:
        yml = yml.replace("\nnot_in_nav: |\n", "\nnot_in_nav: |\n" + entries, 1)
    else:
        yml += "\nnot_in_nav: |\n" + entries
    config.write_text(yml, encoding="utf-8")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory, site_tools):
    project = site_tools.copy_project(tmp_path_factory.mktemp("broken") / "project")
    add_broken_page(project, BROKEN_PAGE)
    site_dir = project.parent / "site"
    result = site_tools.build_site(project, site_dir)
    assert result.returncode == 0, f"the broken page must build:\n{result.stdout}\n{result.stderr}"
    for path in BROKEN_PATHS:
        assert (site_dir / path / "index.html").is_file()
    return site_dir


@pytest.fixture(scope="module")
def broken_served(broken_site, site_tools):
    with site_tools.serve(broken_site) as base_url:
        yield base_url


def test_strict_build_refuses_a_dead_markdown_anchor(project_copy, site_tools, tmp_path):
    add_broken_page(project_copy, DEAD_MARKDOWN_ANCHOR)
    result = site_tools.build_site(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken.md" in output and "#no-such-anchor" in output
    assert "broken.es.md" in output


@pytest.mark.browser
@pytest.mark.parametrize("path", BROKEN_PATHS)
def test_axe_reports_the_image_without_alt_text(desktop_page, broken_served, path):
    found = gates.axe_violations(desktop_page, broken_served + path)
    image_alt = [v for v in found if v.rule == "image-alt"]
    assert image_alt, "axe missed the <img> without alt:\n" + "\n".join(map(str, found))
    assert any("img" in target for target in image_alt[0].targets)
    assert path in str(image_alt[0]) and "image-alt" in str(image_alt[0])


@pytest.mark.browser
def test_axe_dark_scheme_reports_text_only_the_dark_scheme_hides(desktop_page, broken_served):
    found = gates.axe_violations(desktop_page, broken_served + "broken/", ("default", "slate"))
    trapped = {v.scheme for v in found if v.rule == "color-contrast" and "#dark-trap" in v.targets}
    assert trapped == {"slate"}, "\n".join(map(str, found))


def test_vnu_reports_the_duplicate_id_and_the_missing_alt(broken_site, quality_tools):
    files = [broken_site / path / "index.html" for path in BROKEN_PATHS]
    errors = gates.vnu_errors(files, relative_to=broken_site)
    for path in BROKEN_PATHS:
        mine = [e.message for e in errors if e.file == path + "index.html"]
        assert "Duplicate ID “twice”." in mine, mine
        assert any("“img” element must have an “alt” attribute" in m for m in mine), mine


@pytest.mark.browser
@pytest.mark.parametrize("path", BROKEN_PATHS)
def test_privacy_gate_reports_the_google_fonts_request(desktop_page, broken_served, path):
    requests = gates.third_party_requests(desktop_page, broken_served + path, broken_served)
    assert FONTS in requests


def test_link_gate_reports_the_dead_anchor_in_both_languages(broken_site):
    report = gates.dead_links(broken_site, gates.site_url_of(gates.ROOT))
    for path in BROKEN_PATHS:
        about = path.replace("broken/", "about/")
        assert any(
            line.startswith(f"{path}index.html:") and "no-such-anchor" in line
            and f"{about}index.html has no element" in line
            for line in report.dead
        ), "\n".join(report.dead)


@pytest.mark.browser
@pytest.mark.parametrize("path", BROKEN_PATHS)
def test_keyboard_gate_reports_the_skip_link_is_not_first(desktop_page, broken_served, path):
    lang = "es" if path.startswith("es/") else "en"
    problems = gates.keyboard_problems(desktop_page, broken_served + path, lang)
    assert problems and "the first Tab focuses" in problems[0] and "not the skip link" in problems[0]


@pytest.mark.browser
@pytest.mark.parametrize("path", BROKEN_PATHS)
def test_zoom_gate_reports_sideways_scrolling(narrow_page, broken_served, path):
    problems = gates.reflow_problems(narrow_page, broken_served + path)
    assert problems and "scrolls sideways" in problems[0] and "div" in problems[0]

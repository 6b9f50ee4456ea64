"""The site as the CDN serves it: the real built site as the Worker's static assets, in
`wrangler dev` on loopback (``serve_with_cdn`` in conftest.py).

wrangler runs Cloudflare's own runtime (workerd) and applies site/_headers, site/_redirects and the
nearest 404.html as production does, so these tests see the headers, redirects and 404s readers get.
"""

from __future__ import annotations

import re
import tomllib
from urllib.parse import urlsplit

import pytest
import yaml

from tcsite.html_rules import inline_script_hashes
from tcsite.cms import admin_csp
from tcsite.project import Project
from tests.conftest import ROOT, build_site, fetch

SECURITY = {
    "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}


def csp_of(headers) -> dict[str, str]:
    policy = headers["content-security-policy"]
    return {d.split()[0]: d.split(" ", 1)[1] for d in policy.split("; ")}


@pytest.mark.parametrize("path", ["", "es/about/", "assets/stylesheets/site.css", "news/rss.xml", "sitemap.xml"])
def test_every_response_carries_the_security_headers(cdn, path):
    status, headers, _ = fetch(cdn + path)
    assert status == 200
    for name, value in SECURITY.items():
        assert headers[name] == value, name
    csp = csp_of(headers)
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'wasm-unsafe-eval'" in csp["script-src"]


def test_the_csp_hashes_are_exactly_the_inline_scripts_of_the_built_pages(cdn, site):
    _, headers, _ = fetch(cdn)
    allowed = set(re.findall(r"'sha256-[^']+'", csp_of(headers)["script-src"]))
    used = set()
    for page in site.rglob("*.html"):
        found = set(inline_script_hashes(page.read_text(encoding="utf-8")))
        assert found <= allowed, f"{page.relative_to(site)} runs an inline script the policy does not allow"
        used |= found
    assert used == allowed, "the policy allows scripts that no page has"


def test_cache_headers_per_kind_of_file(cdn, site):
    bundle = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    assert fetch(cdn + bundle)[1]["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("", "es/news/", "news/atom.xml", "sitemap.xml", "assets/stylesheets/site.css"):
        assert fetch(cdn + path)[1]["cache-control"] == "public, max-age=0, must-revalidate", path


def test_unknown_urls_get_the_404_page_of_their_language(cdn):
    status, _, body = fetch(cdn + "es/no-existe/")
    assert status == 404 and b'<html lang="es"' in body and "no encontrada".encode() in body
    status, _, body = fetch(cdn + "no-such/page/")
    assert status == 404 and b'<html lang="en"' in body and b"not found" in body.lower()


def test_pages_without_trailing_slash_redirect_to_it(cdn):
    # Workers static assets redirect with 307 (html_handling "auto-trailing-slash").
    status, headers, _ = fetch(cdn + "es/about")
    assert status in (301, 307, 308) and headers["location"].endswith("/es/about/")


def test_every_redirect_of_the_redirects_file(cdn):
    redirects = yaml.safe_load((ROOT / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects
    for source, target in redirects.items():
        status, headers, _ = fetch(cdn + source.lstrip("/"))
        assert status == 301 and headers["location"].endswith(target), source
        assert fetch(cdn + target.lstrip("/"))[0] == 200


@pytest.mark.parametrize("lines,message", [
    ("/a/: /b/\n/b/: /a/\n", "/a/ redirects in a loop"),
    ("/old/: /no-such-page/\n", "the target /no-such-page/ does not exist"),
])
def test_a_redirect_loop_or_missing_target_fails_the_build(project_copy, tmp_path, lines, message):
    (project_copy / "data" / "redirects.yml").write_text(lines, encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"data/redirects.yml:1:1: {message}" in result.stderr


def test_an_inline_script_in_content_fails_the_build(project_copy, tmp_path):
    about = project_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/about.md:1:1: an inline <script> that is not one of the theme's own" in result.stderr


CSP_LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.browser
def test_under_the_csp_the_page_works_with_no_violation(cdn, browser):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(cdn + "about/")
    # The palette toggle switches the colour scheme.
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    # The language switcher leads to the Spanish twin.
    page.locator(".md-select").first.hover()
    page.locator("a.md-select__link[hreflang='es']").click()
    page.wait_for_url("**/es/about/")
    assert page.evaluate("document.documentElement.lang") == "es"
    # Search opens from the header and loads Pagefind (its WebAssembly) under the policy: the
    # filters are shown once its index has started.
    # (Selectors, not wait_for_function: its string is evaluated in the page, which the policy forbids.)
    page.keyboard.press("/")
    page.wait_for_selector("#__search:checked", state="attached")
    page.wait_for_selector("[data-search-filters]:not([hidden])", state="attached")
    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not [url for url in requests if url.endswith("sitemap.xml")], "Material fetched sitemaps"
    assert all(url.startswith(cdn) for url in requests), [u for u in requests if not u.startswith(cdn)]
    context.close()


@pytest.mark.browser
def test_a_spanish_reader_on_an_english_page_is_offered_the_spanish_page_never_redirected(cdn, browser):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(cdn + "about/")
    assert page.url == cdn + "about/"
    notice = page.locator("[data-tc-language-notice='es']")
    assert notice.is_visible()
    assert notice.locator("a").get_attribute("href") == "../es/about/"
    notice.locator("button").click()
    assert not notice.is_visible()
    page.reload()
    assert not page.locator("[data-tc-language-notice='es']").is_visible(), "the dismissal was not remembered"
    context.close()
    english_reader = browser.new_context(locale="en-GB")
    page = english_reader.new_page()
    page.goto(cdn + "about/")
    assert not page.locator("[data-tc-language-notice]").first.is_visible()
    english_reader.close()


def test_on_the_cdn_the_admin_has_exactly_its_own_policy(cdn):
    for path in ("admin/", "admin/config.yml", "admin/decap-cms.js"):
        status, headers, _ = fetch(cdn + path)
        assert status == 200, path
        assert headers.get_all("content-security-policy") == [admin_csp()], path
        assert headers.get_all("cross-origin-opener-policy") == ["same-origin-allow-popups"], path
        assert headers["x-robots-tag"] == "noindex"
        assert headers["x-content-type-options"] == "nosniff"
    _, headers, _ = fetch(cdn + "about/")
    assert "'unsafe-eval'" not in headers["content-security-policy"], "only the admin relaxes the policy"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_the_worker_answers_only_its_own_api_paths(cdn):
    status, headers, body = fetch(cdn + "api/no-such-thing")
    assert status == 404 and body == b"Not found." and headers["cache-control"] == "no-store"
    status, _, body = fetch(cdn + "about/")
    assert status == 200 and b"<html" in body


def test_the_cms_login_hands_tokens_to_the_sites_own_origin_only():
    """CMS_ORIGIN (wrangler.toml) is the origin of site_url (mkdocs.yml): one is changed with the other."""
    variables = tomllib.loads((ROOT / "wrangler.toml").read_text(encoding="utf-8"))["vars"]
    site_url = urlsplit(Project.load(ROOT).config["site_url"])
    assert variables["CMS_ORIGIN"] == f"{site_url.scheme}://{site_url.netloc}"

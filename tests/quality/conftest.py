"""Fixtures of the quality gates: one Chromium for the session, one sweep of the site's pages
shared by the accessibility and privacy tests, and a report printed at the end of the run."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the gates module, whatever pytest's import mode
    sys.path.insert(0, str(HERE))

import quality_gates as gates  # noqa: E402


def _root_conftest():
    """tests/conftest.py, the module pytest already loaded (build_site, SiteHandler, ...)."""
    path = HERE.parent / "conftest.py"
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == path:
            return module
    spec = importlib.util.spec_from_file_location("_tc_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


root = _root_conftest()
build_site = root.build_site
copy_project = root.copy_project
SiteHandler = root.SiteHandler
ROOT = root.ROOT

DESKTOP = {"width": 1280, "height": 800}


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a built site on loopback as the CDN would (see SiteHandler); yields the base URL."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_tools():
    """tests/conftest.py's helpers, for tests that build and serve a site of their own."""
    return SimpleNamespace(build_site=build_site, copy_project=copy_project, serve=serve, root=ROOT)


def _require(missing: list[str]) -> None:
    if missing:  # never a skip: CI must not pass a gate that did not run
        pytest.fail("The quality gates need: " + "; ".join(missing)
                    + " (make install-test installs them all).", pytrace=False)


@pytest.fixture(scope="session")
def quality_tools():
    """axe-core and vnu.jar (node_modules/, from package-lock.json) and Java."""
    _require(gates.missing_tools())


@pytest.fixture(scope="session")
def chromium(request):
    """One headless Debian Chromium for the whole session: tests/conftest.py's ``browser``
    when it has one, else our own."""
    _require(gates.missing_tools(browser=True))
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = gates.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def desktop_page(chromium):
    context = gates.new_context(chromium, viewport=DESKTOP, color_scheme="light")
    yield context.new_page()
    context.close()


@pytest.fixture
def narrow_page(chromium):
    """320 CSS px wide: what a 1280 px window shows at 400 % zoom (WCAG 1.4.10 Reflow)."""
    context = gates.new_context(chromium, viewport={"width": 320, "height": 640},
                                color_scheme="light")
    yield context.new_page()
    context.close()


# --------------------------------------------------------------------------------------------
# The report printed after the tests (vnu warnings, external links, what was checked)


REPORT = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def quality_report(request):
    """Append (title, text) to print it in the terminal summary."""
    return request.config.stash.setdefault(REPORT, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for title, text in config.stash.get(REPORT, []):
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)


# --------------------------------------------------------------------------------------------
# The sweep: every sampled page loaded once, axe run on it, its requests recorded


@dataclass
class Sweep:
    pages: list[gates.SitePage]
    dark_pages: list[gates.SitePage]
    violations: list[gates.AxeViolation] = field(default_factory=list)
    foreign_requests: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture(scope="session")
def site_sweep(chromium, site, served_site, quality_report) -> Sweep:
    """Each sampled page is loaded once while every request it makes is recorded: axe runs in
    the light scheme (and in the dark one on one page of each type: the languages share every
    colour), then the page is scrolled to the end. The search, the same on every page of a
    language, is also used on one page of each type in each language."""
    pages = gates.sample_pages(gates.visitor_pages(gates.site_pages(site)))
    sweep = Sweep(pages, gates.representative_pages(pages, per_language=False))
    dark = set(sweep.dark_pages)
    searched = set(gates.representative_pages(pages))
    context = gates.new_context(chromium, viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    try:
        for site_page in pages:
            url = served_site + site_page.path
            schemes = ("default", "slate") if site_page in dark else ("default",)
            with gates.RequestLog(page, served_site) as log:
                sweep.violations += gates.axe_violations(page, url, schemes)
                gates.exercise(page, use_search=site_page in searched)
                log.settle(page)
            if log.foreign:
                sweep.foreign_requests[url] = log.foreign
    finally:
        context.close()
    total = len(gates.site_pages(site))
    quality_report.append((
        "quality: pages checked in Chromium",
        f"{len(pages)} of {total} page(s) (editors' tools excepted: "
        f"{', '.join(gates.EDITOR_TOOLS)}) (axe light scheme, requests); search used on "
        f"{len(searched)}; dark scheme on {len(sweep.dark_pages)}: "
        + ", ".join("/" + p.path for p in sweep.dark_pages),
    ))
    return sweep

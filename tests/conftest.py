"""Shared fixtures: the real site, built once per test session, and a loopback server for it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "news", "overrides", "data")
# A fixed build date keeps date-dependent output (course status, copyright years) reproducible.
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}  # 2026-01-01


def build_site(project: Path, site_dir: Path, *extra_args: str, env: dict | None = None,
               engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict -f mkdocs.yml`` in the project as an editor or CI would, and
    return what it printed; ``engine="properdocs"`` builds with ProperDocs instead."""
    return subprocess.run(
        # No -q: it also turns off strict mode's count of warnings (MkDocs 1.6).
        [sys.executable, "-m", engine, "build", "--strict",
         "-f", "mkdocs.yml", "-d", str(site_dir), *extra_args],
        capture_output=True, text=True, env={**os.environ, **BUILD_ENV, **(env or {})}, cwd=project,
    )


def copy_project(destination: Path) -> Path:
    """A throwaway copy of the site's sources, for tests that break something on purpose."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        elif source.exists():
            shutil.copy2(source, destination / part)
    return destination


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once for the whole test session."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site_dir)
    assert result.returncode == 0, f"the site did not build:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like the CDN does: /es/… misses get the Spanish 404 page."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        language_dir = "es/" if self.path.startswith("/es/") else ""
        page = Path(self.directory, language_dir, "404.html")
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def served_site(site):
    """Base URL (``http://127.0.0.1:PORT/``) of the built site served over loopback."""
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium; a browser is never downloaded
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the browser tests of the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()

"""Shared fixtures: the real site, built once per test session, and loopback servers for it
(a plain one, and the CDN's own runtime with the site's Worker: ``serve_with_cdn``)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRANGLER = ROOT / "node_modules" / ".bin" / "wrangler"
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
    """Serves the built site like the CDN does: /es/… misses get the Spanish 404 page (each
    language's folder its own)."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        # The nearest 404.html, as the CDN serves it: /es/… gets /es/404.html, / the default one.
        first = self.path.lstrip("/").split("/", 1)[0]
        page = Path(self.directory, first, "404.html")
        page = page if first and page.is_file() else Path(self.directory, "404.html")
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict | None = None):
    """(status, headers, body) without following redirects; 4xx/5xx are answers too."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_config(site_dir: Path, vars: dict | None = None) -> dict:
    """wrangler.toml with absolute paths, ``site_dir`` as the assets and ``vars`` (when given)
    instead of its ``[vars]``."""
    config = tomllib.loads((ROOT / "wrangler.toml").read_text(encoding="utf-8"))
    config["main"] = str(ROOT / config["main"])
    config["assets"]["directory"] = str(Path(site_dir).resolve())
    if vars is not None:
        config["vars"] = dict(vars)
    return config


@contextlib.contextmanager
def serve_with_cdn(site_dir: Path, workdir: Path, vars: dict | None = None, *, port: int | None = None) -> Iterator[str]:
    """Serve a built site as production does and yield its base URL (``http://127.0.0.1:PORT/``).

    ``wrangler dev`` runs the site's Worker (wrangler.toml) in Cloudflare's own runtime (workerd)
    with ``site_dir`` as its static assets (``_headers``, ``_redirects``, 404 pages), on loopback
    and offline. ``vars`` replace the Worker's variables of wrangler.toml (``{}``: none);
    ``workdir`` receives its configuration, state and log (``wrangler.log``).
    """
    assert WRANGLER.exists(), "wrangler is missing: run `make install-test` (npm ci)"
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "wrangler.json"
    config.write_text(json.dumps(worker_config(site_dir, vars), indent=2), encoding="utf-8")
    port = port or free_port()
    log_path = workdir / "wrangler.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(WRANGLER), "dev", "--config", str(config), "--local", "--ip", "127.0.0.1", "--port", str(port),
             "--inspector-ip", "127.0.0.1", "--inspector-port", str(free_port()), "--log-level", "warn"],
            cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true",
                 # Offline: no download of the request.cf placeholder from workers.cloudflare.com.
                 "CLOUDFLARE_CF_FETCH_ENABLED": "false",
                 "XDG_CONFIG_HOME": str(workdir / "config")},
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answering(base, process, log_path)
        yield base
    finally:
        _stop(process)


def _wait_until_answering(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("wrangler dev stopped:\n" + log_path.read_text())
        try:
            fetch(base)
            return
        except OSError:
            time.sleep(0.2)  # polling interval, not a wait for something to happen
    pytest.fail(f"wrangler dev did not answer within {timeout:.0f} s:\n" + log_path.read_text())


def stop_process_group(process: subprocess.Popen, first: int = signal.SIGTERM, timeout: float = 20) -> None:
    """A server started with ``start_new_session=True`` and what it started (its process group):
    asked to stop with ``first``, killed if it has not within ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, first)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _stop(process: subprocess.Popen) -> None:
    """wrangler and the workerd processes it started (its own process group)."""
    stop_process_group(process)


@pytest.fixture(scope="session")
def cdn(site, tmp_path_factory) -> Iterator[str]:
    """Base URL of the real site as production serves it (``serve_with_cdn``)."""
    with serve_with_cdn(site, tmp_path_factory.mktemp("cdn")) as base:
        yield base


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

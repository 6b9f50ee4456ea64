"""The site builds the same with ProperDocs (the maintained fork of MkDocs 1.x) as with MkDocs.

README "Maintaining" explains why both engines are kept working. ProperDocs passes the
configuration's path on as given (``-f mkdocs.yml``, relative), which our plugin once trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tcsite.project import Project
from tests.conftest import ROOT, build_site

# Pagefind names its index chunks after a hash of their content and does not order them the
# same way from one run to the next (two MkDocs builds differ there too): compared by summary.
SEARCH_INDEX = "pagefind"


def published(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and path.relative_to(site_dir).parts[0] != SEARCH_INDEX
    }


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("properdocs-site")
    result = build_site(ROOT, site_dir, engine="properdocs")
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


def test_properdocs_publishes_the_same_files_byte_for_byte(site, properdocs_site):
    mkdocs_files, properdocs_files = published(site), published(properdocs_site)
    assert "index.html" in mkdocs_files and "es/about/index.html" in mkdocs_files and "_headers" in mkdocs_files
    assert sorted(properdocs_files) == sorted(mkdocs_files)
    differing = [name for name in mkdocs_files if properdocs_files[name] != mkdocs_files[name]]
    assert differing == []


def test_properdocs_indexes_the_same_pages_for_search(site, properdocs_site):
    def summary(site_dir: Path) -> dict:
        entry = json.loads((site_dir / SEARCH_INDEX / "pagefind-entry.json").read_text(encoding="utf-8"))
        return {code: language["page_count"] for code, language in entry["languages"].items()}

    assert summary(properdocs_site) == summary(site) and set(summary(site)) == set(Project.load(ROOT).codes)

"""``python -m tcsite status``: missing, stale, untracked and up-to-date translations.

``tests/fixtures/status/`` is a tiny project: a page with an up-to-date translation, and posts
with a missing, a stale (its source had a typo fixed after translating), an untracked and an
up-to-date twin.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tcsite.check import check
from tcsite.content import read_document
from tcsite.project import Project
from tcsite.schema import POST_FIELDS
from tcsite.status import accept, rows, source_hash

FIXTURE = Path(__file__).parent / "fixtures" / "status"


@pytest.fixture
def project(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "status"))


def states(root: Path) -> dict[str, str]:
    return {row.file: row.state for row in rows(Project.load(root))}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tcsite", "status", *args], cwd=root,
                          capture_output=True, text=True)


def test_each_translation_has_its_state():
    assert states(FIXTURE) == {
        "docs/index.es.md": "up to date",
        "news/2021/current-twin.es.md": "up to date",
        "news/2021/missing-twin.es.md": "missing",
        "news/2021/stale-twin.es.md": "stale",
        "news/2021/untracked-twin.es.md": "untracked",
    }


def test_the_table_counts_per_section_and_language():
    result = run(FIXTURE)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "Translation status (source language: English)",
        "",
        "section  language  up to date  stale  untracked  missing",
        "pages    es        1           0      0          0",
        "news     es        1           1      1          1",
    ]
    assert "  stale      news/2021/stale-twin.es.md      news/2021/stale-twin.md changed: update the " \
           "translation, then run: python -m tcsite status --accept news/2021/stale-twin.es.md" in lines


def test_json_report():
    report = json.loads(run(FIXTURE, "--json").stdout)
    assert report["source_language"] == "en"
    assert report["summary"]["news"]["es"] == {"up to date": 1, "stale": 1, "untracked": 1, "missing": 1}
    stale = next(item for item in report["items"] if item["state"] == "stale")
    assert stale["file"] == "news/2021/stale-twin.es.md" and stale["source"] == "news/2021/stale-twin.md"
    assert stale["recorded"] != stale["source_hash"]


def test_markdown_report_for_pull_requests():
    text = run(FIXTURE, "--markdown").stdout
    assert text.startswith("### Translation status\n")
    assert "| news | es | 1 | 1 | 1 | 1 |" in text
    assert "- **missing**: `news/2021/missing-twin.es.md` (translate news/2021/missing-twin.md)" in text


def test_rewrapping_the_source_keeps_the_translation_up_to_date(project):
    source = project / "news" / "2021" / "current-twin.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("The text as translated.", "The text   as\ntranslated.  "), encoding="utf-8")
    assert states(project)["news/2021/current-twin.es.md"] == "up to date"


@pytest.mark.parametrize("change", [
    ("The text as translated.", "The text as translatd."),  # even a typo fix needs a look
    ("summary: A post with an up-to-date translation.", "summary: A post with a new summary."),
])
def test_changing_the_translatable_text_of_the_source_makes_it_stale(project, change):
    source = project / "news" / "2021" / "current-twin.md"
    source.write_text(source.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    assert states(project)["news/2021/current-twin.es.md"] == "stale"


def test_shared_fields_are_not_part_of_the_hash():
    """Dates and categories are compared by check, not by status."""
    doc = read_document(FIXTURE / "news" / "2021" / "current-twin.md", FIXTURE, ["en", "es"], "en")
    before = source_hash(doc, POST_FIELDS)
    doc.meta["categories"] = ["beijing"]
    assert source_hash(doc, POST_FIELDS) == before
    doc.meta["title"] = "Another title"
    assert source_hash(doc, POST_FIELDS) != before


def test_accept_records_the_hash_and_changes_nothing_else(project):
    stale = project / "news" / "2021" / "stale-twin.es.md"
    before = stale.read_text(encoding="utf-8").splitlines()
    result = run(project, "--accept", "news/2021/stale-twin.es.md")
    assert result.returncode == 0
    assert result.stdout.startswith("news/2021/stale-twin.es.md: translation_of set to ")
    after = stale.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1 and changed[0][1].startswith('translation_of: "')
    assert states(project)["news/2021/stale-twin.es.md"] == "up to date"
    assert check(Project.load(project), [stale]) == []


def test_accept_adds_the_field_to_an_untracked_translation_and_accepts_from_the_source(project):
    accept(Project.load(project), project / "news" / "2021" / "untracked-twin.md")
    assert states(project)["news/2021/untracked-twin.es.md"] == "up to date"
    text = (project / "news" / "2021" / "untracked-twin.es.md").read_text(encoding="utf-8")
    assert text.splitlines()[5].startswith('translation_of: "') and text.splitlines()[6] == "---"

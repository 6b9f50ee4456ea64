"""``python -m tcsite new post|course|page "Title"``: files that pass ``check`` once filled in."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tcsite import scaffold
from tcsite.check import check
from tcsite.content import read_document
from tcsite.project import Project
from tcsite.schema import LAYOUT_FIELDS, SCHEMAS
from tests.conftest import copy_project


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("base") / "project")


@pytest.fixture
def project(base_project, tmp_path) -> Path:
    return Path(shutil.copytree(base_project, tmp_path / "project"))


def new(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tcsite", "new", *args], cwd=root, capture_output=True, text=True)


def problems(root: Path, *paths: Path) -> list[str]:
    return [str(p) for p in check(Project.load(root), list(paths))]


def fill(path: Path, replacements: dict[str, str], body: str) -> None:
    text = path.read_text(encoding="utf-8")
    for field, value in replacements.items():
        text, count = re.subn(rf"^{field}:.*$", f"{field}: {value}", text, flags=re.M)
        assert count == 1, field
    front, _, _ = text.partition("\n---\n")
    path.write_text(front + "\n---\n\n" + body, encoding="utf-8")


def test_slugs_are_made_from_the_title():
    assert scaffold.make_slug("Beijing+25: a new generation") == "beijing25-a-new-generation"
    assert scaffold.make_slug("Formación en línea: ¿qué hay de nuevo?") == "formacion-en-linea-que-hay-de-nuevo"
    assert len(scaffold.make_slug("word " * 40)) <= scaffold.MAX_SLUG


def test_new_post_prints_its_files_and_preview_urls(project):
    result = new(project, "post", "Beijing+25: a new generation", "--date", "2026-03-08")
    assert result.returncode == 0, result.stderr
    languages = Project.load(project).languages  # the default first
    assert result.stdout.splitlines()[:3 + 2 * len(languages)] == [
        "Created:",
        "  news/2026/beijing25-a-new-generation.md",
        *(f"  news/2026/beijing25-a-new-generation.{lang.code}.md" for lang in languages[1:]),
        "Fill in the fields and the text, then run: python -m tcsite check",
        "Preview with 'make serve', at:",
        *(f"  http://127.0.0.1:8000/{lang.url_prefix}news/2026/beijing25-a-new-generation/" for lang in languages),
    ]


def test_a_new_post_lists_every_field_and_fails_check_until_written(project):
    new(project, "post", "Beijing+25: a new generation", "--date", "2026-03-08")
    english = project / "news" / "2026" / "beijing25-a-new-generation.md"
    spanish = english.with_name("beijing25-a-new-generation.es.md")
    doc = read_document(english, project, ["en", "es"], "en")
    assert doc.meta["title"] == "Beijing+25: a new generation"
    assert doc.meta["date"] == dt.date(2026, 3, 8)
    assert set(doc.meta) == {f.name for f in SCHEMAS["post"]} - {"translation_of"}
    assert "translation_of" in read_document(spanish, project, ["en", "es"], "en").meta
    assert "# Required. The headline of the post." in english.read_text(encoding="utf-8")
    found = problems(project, english, spanish)
    assert "news/2026/beijing25-a-new-generation.md:7:1: missing required field 'summary' (add 'summary:' — " \
           "One or two sentences shown on news cards, in feeds and to search engines.)" in found
    assert any("the file has no text yet" in line for line in found)
    assert any(line.startswith("news/2026/beijing25-a-new-generation.es.md:") and "'title'" in line for line in found)


def test_a_new_post_passes_check_once_filled_in(project):
    new(project, "post", "Beijing+25: a new generation", "--date", "2026-03-08")
    english = project / "news" / "2026" / "beijing25-a-new-generation.md"
    spanish = english.with_name("beijing25-a-new-generation.es.md")
    fill(english, {"summary": "A new generation takes up the Platform.", "categories": "[beijing]"},
         "A new generation.\n\n<!-- more -->\n\nRead the [Platform](../../instruments/beijing.md).\n")
    fill(spanish, {"title": '"Beijing+25: una nueva generación"', "summary": "Una nueva generación.",
                   "categories": "[beijing]"},
         "Una nueva generación.\n\n<!-- more -->\n\nLea la [Plataforma](../../instruments/beijing.md).\n")
    assert problems(project, english, spanish) == []
    result = subprocess.run([sys.executable, "-m", "tcsite", "status", "--accept", str(spanish)], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert problems(project, english, spanish) == []


def test_a_new_page_passes_check_once_filled_in_and_listed_in_the_navigation(project):
    result = new(project, "page", "Our team", "--folder", "about-us")
    assert result.returncode == 0, result.stderr
    assert "  http://127.0.0.1:8000/about-us/our-team/" in result.stdout.splitlines()
    assert "Add '- about-us/our-team.md' under nav: in mkdocs.yml" in result.stdout
    english = project / "docs" / "about-us" / "our-team.md"
    spanish = english.with_name("our-team.es.md")
    assert not {f.name for f in SCHEMAS["page"]} & LAYOUT_FIELDS & set(
        read_document(english, project, ["en", "es"], "en").meta)
    fill(english, {"summary": "Who works at the Centre."}, "# Our team\n\nThe people of the Centre.\n")
    fill(spanish, {"title": "Nuestro equipo", "summary": "Quién trabaja en el Centro."},
         "# Nuestro equipo\n\nLas personas del Centro.\n")
    assert problems(project, english, spanish) == [
        "docs/about-us/our-team.md:1:1: this page is not in the navigation (add '- about-us/our-team.md' "
        "under nav: in mkdocs.yml, where readers should find it)"]
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    listed = re.sub(r"^(\s*)- contact\.md\n", r"\g<0>\1- about-us/our-team.md\n", text, count=1, flags=re.M)
    assert listed != text
    config.write_text(listed, encoding="utf-8")
    assert problems(project, english, spanish) == []


def test_a_new_course_uses_the_course_schema_and_passes_check_once_filled_in(project):
    result = new(project, "course", "Gender and climate")
    assert result.returncode == 0, result.stderr
    english = project / "docs" / "courses" / "gender-and-climate.md"
    spanish = english.with_name("gender-and-climate.es.md")
    assert set(read_document(english, project, ["en", "es"], "en").meta) == \
        {f.name for f in SCHEMAS["course"]} - LAYOUT_FIELDS - {"translation_of"}
    facts = {"topics": "[leadership]", "registration_url": "https://trainingcentre.unwomen.org/"}
    fill(english, {**facts, "summary": "Climate action and gender equality."}, "What learners will learn.\n")
    fill(spanish, {**facts, "title": "Género y clima", "summary": "Acción climática e igualdad de género."},
         "Lo que aprenderán.\n")
    assert problems(project, english, spanish) == []


def test_courses_are_refused_without_a_course_schema(project, monkeypatch):
    monkeypatch.delitem(SCHEMAS, "course")
    with pytest.raises(SystemExit, match="Courses are not available yet"):
        scaffold.plan(Project.load(project), "course", "Gender and climate")


def test_existing_files_are_never_overwritten(project):
    assert new(project, "page", "About").returncode == 2
    assert "already exist" in new(project, "page", "About").stderr

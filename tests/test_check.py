"""``python -m tcsite check``: one broken file per error class, and the exact line it prints.

Each case in ``tests/fixtures/broken/<case>/`` is a small tree laid over a copy of the real
project (``news/2021/x.md`` lands in the copy's ``news/2021/``); the check of its files must
print exactly the lines below, no more, no less.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tcsite.check import check
from tcsite.content import read_document
from tcsite.courses import load_courses
from tcsite.news import load_news
from tcsite.project import Project
from tcsite.schema import vocabulary
from tcsite.validation import ContentError
from tests.conftest import ROOT, copy_project

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def allowed(name: str) -> str:
    """The slugs of a vocabulary as the message lists them (the data may grow; the test follows)."""
    return ", ".join(vocabulary(name))

EXPECTED = {
    "invalid-yaml": [
        "news/2021/invalid-yaml.md:2:18: the front matter is not valid YAML: mapping values are not allowed "
        "in this context (check the indentation and put quotes around text containing ':')",
    ],
    "no-front-matter": [
        "news/2021/no-front-matter.md:1:1: the file has no front matter (start it with a '---' block)",
    ],
    "unknown-field": [
        "news/2021/unknown-field.md:6:1: unknown field 'autor' (did you mean 'author'?)",
    ],
    "missing-field": [
        "news/2021/missing-field.md:1:1: missing required field 'summary' (add 'summary:' — One or two "
        "sentences shown on news cards, in feeds and to search engines.)",
    ],
    "wrong-type": [
        "news/2021/wrong-type.md:6:1: 'draft' must be true or false, not 'not yet' (write true or false)",
    ],
    "bad-date": [
        "news/2021/bad-date.md:3:1: 'date' is not a date: '2021-02-30' (write it as YYYY-MM-DD, e.g. 2018-05-18)",
    ],
    "vocabulary": [
        "news/2021/vocabulary.md:5:1: 'gender-equality' is not one of the categories in data/categories.yml "
        f"(use one of: {allowed('categories')})",
    ],
    "course-vocabulary": [
        f"docs/courses/course-vocabulary{suffix}.md:{line}:1: {message}"
        for suffix in (".es", "")
        for line, message in (
            (4, f"'online' is not one of the formats in data/formats.yml (use one of: {allowed('formats')})"),
            (5, f"'klingon' is not one of the languages in data/languages.yml (use one of: {allowed('languages')})"),
            (6, f"'climate' is not one of the topics in data/topics.yml (use one of: {allowed('topics')})"),
        )
    ],
    "twin-mismatch": [
        "news/2021/twin-mismatch.es.md:3:1: 'date' is 2021-03-09 here but 2021-03-08 in "
        "news/2021/twin-mismatch.md (make 'date' the same in both files)",
    ],
    "twin-without-source": [
        "news/2021/twin-without-source.es.md:6:1: this translation has no source: "
        "news/2021/twin-without-source.md does not exist (give this file the name of its source, "
        "or remove 'translation_of' if it was written in this language first)",
    ],
    "same-address": [  # x.md and x.en.md: both the English version (the CMS's name and ours)
        "news/2021/same-address.md:1:1: this file and news/2021/same-address.en.md are both the 'en' version "
        "of the same text (keep only same-address.md: copy any change from same-address.en.md into it, "
        "then delete same-address.en.md)",
    ],
    "unknown-language": [
        "news/2021/unknown-language.xx.md:1:1: 'xx' is not a language of this site (the translations are "
        f"named unknown-language.<language>.md, with one of: {', '.join(Project.load(ROOT).codes[1:])})",
    ],
    "malformed-translation-of": [
        "news/2021/malformed-translation-of.es.md:6:1: 'translation_of' must be the 12-character code written "
        "by the status command, not '3f2a9c' (check the translation, then run: python -m tcsite status "
        "--accept news/2021/malformed-translation-of.es.md)",
    ],
    "translation-of-in-source": [
        "news/2021/translation-of-in-source.md:6:1: 'translation_of' belongs in translations, not in the "
        "English version (remove the line)",
    ],
    "page-without-twin": [
        "docs/no-twin.md:1:1: this page has no 'es' version (create docs/no-twin.es.md with the "
        "translated text)",
        "docs/no-twin.md:1:1: this page is not in the navigation (add '- no-twin.md' under nav: "
        "in mkdocs.yml, where readers should find it)",
    ],
    "not-in-nav": [
        "docs/orphan-page.md:1:1: this page is not in the navigation (add '- orphan-page.md' under nav: "
        "in mkdocs.yml, where readers should find it)",
    ],
    "missing-image": [
        "news/2021/missing-image.md:10:1: the image enrolments-chart.png does not exist (check the file name; "
        "put pictures in docs/assets/images/ and link them relative to this file)",
    ],
    "image-without-alt": [
        "news/2021/image-without-alt.md:10:1: the image has no alt text (describe the picture between the "
        "brackets: ![What the picture shows](…))",
    ],
    "front-matter-image-without-alt": [
        "news/2021/front-matter-image-without-alt.md:6:1: the image has no alt text "
        "(add 'image_alt:' describing the picture)",
    ],
    "unreadable-image": [
        "news/2021/unreadable-image.md:10:1: the picture campus-photo.jpg cannot be read: it is damaged or "
        "not a picture (export it again from the camera or editor as JPEG or PNG)",
    ],
    "missing-page": [
        "news/2021/missing-page.md:8:16: the link ../../instruments/cedaw-convention.md leads to a page that "
        "does not exist (did you mean ../../instruments/cedaw.md?)",
    ],
    "missing-post": [
        "news/2021/missing-post.md:8:21: the link ../2019/cedaw-40-anniversary.md leads to a post that does "
        "not exist (did you mean ../2019/cedaw-40th-anniversary.md?)",
    ],
    "missing-heading": [
        "news/2021/missing-heading.md:8:5: the link ../../instruments/cedaw.md#key-date leads to a heading "
        "that does not exist in docs/instruments/cedaw.md (did you mean #key-dates?)",
    ],
    "missing-file": [
        "news/2021/missing-file.md:8:14: the link ../../assets/files/annual-report-2017.pdf leads to a file "
        "that does not exist (check the name; files to download belong in docs/assets/files/)",
    ],
    "absolute-link": [
        "news/2021/absolute-link.md:8:6: the link /about/ starts with '/' (link to the Markdown file, "
        "relative to this file: ../../about.md)",
    ],
    "script": [
        "news/2021/script.md:10:1: <script> is not allowed in content (remove it: content cannot run "
        "scripts; ask the web team if a page needs one)",
    ],
    "event-attribute": [
        "news/2021/event-attribute.md:8:57: the onclick attribute runs a script (remove onclick=… from the <a> tag)",
    ],
    "javascript-url": [
        "news/2021/javascript-url.md:8:13: 'javascript:' addresses run code (link to a page or to a web "
        "address starting with https://)",
    ],
    "unclosed-html": [
        "news/2021/unclosed-html.md:8:1: <div> is opened here and never closed (add </div> where it should end)",
    ],
    "empty-body": [
        "news/2021/empty-body.md:7:1: the file has no text yet (write the text below the front matter)",
    ],
}


def lay_case(case: str, project: Path) -> list[Path]:
    """Copy a broken case over a project; returns the content files it added."""
    added = []
    for source in sorted((BROKEN / case).rglob("*")):
        if source.is_file():
            target = project / source.relative_to(BROKEN / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            if target.suffix == ".md":
                added.append(target)
    if case == "unreadable-image":  # a JPEG's first bytes, then nothing a decoder can read
        (project / "news" / "2021" / "campus-photo.jpg").write_bytes(b"\xff\xd8" + b"\0" * 600_000)
    return added


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("base") / "project")


@pytest.fixture
def project(base_project, tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(base_project, target)
    return target


def test_every_case_has_an_expectation_and_every_expectation_a_case():
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_broken_file_prints_its_exact_problem(case, project):
    added = lay_case(case, project)
    problems = [str(p) for p in check(Project.load(project), added)]
    assert problems == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_check_reports_everything_the_build_refuses(case, project):
    """The build's own loaders run on the same files: check must say at least what they say."""
    lay_case(case, project)
    p = Project.load(project)
    refused = []
    for load, folder in ((load_news, p.news_dir), (load_courses, p.docs_dir)):
        try:
            load(folder, p.root, p.codes, p.default)
        except ContentError as error:
            refused += [str(problem) for problem in error.problems]
    assert set(refused) <= {str(problem) for problem in check(p)}


def test_the_real_content_has_no_problem():
    assert [str(p) for p in check(Project.load(ROOT))] == []


def test_the_command_prints_nothing_and_succeeds_on_the_real_content():
    """(How long it takes is a figure: bench/check_speed.py.)"""
    result = subprocess.run([sys.executable, "-m", "tcsite", "check"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "GITHUB_ACTIONS": ""})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_command_fails_and_annotates_the_pull_request_under_github_actions(project):
    lay_case("unknown-field", project)
    result = subprocess.run([sys.executable, "-m", "tcsite", "check", "news/2021"], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        EXPECTED["unknown-field"][0],
        "::error file=news/2021/unknown-field.md,line=6,col=1::unknown field 'autor' (did you mean 'author'?)",
    ]
    assert "1 problem(s) in 1 file(s)" in result.stderr


def test_without_paths_every_file_is_checked_and_problems_are_sorted(project):
    for case in ("wrong-type", "missing-page", "script"):
        lay_case(case, project)
    problems = [str(p) for p in check(Project.load(project))]
    assert problems == EXPECTED["missing-page"] + EXPECTED["script"] + EXPECTED["wrong-type"]


def test_links_and_html_inside_code_are_examples_not_problems(project):
    post = project / "news" / "2021" / "code-examples.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "---\ntitle: Code\ndate: 2021-03-08\nsummary: Examples.\ncategories: [cedaw]\n---\n\n"
        "Write links as `[CEDAW](../../instruments/missing.md)`.\n\n"
        "```html\n<script>alert(1)</script>\n<div>\n```\n\n"
        "<!-- [old link](gone.md) -->\n"
        "A decorative picture: <img src=\"../../assets/images/logo.svg\" alt=\"\">\n",
        encoding="utf-8",
    )
    assert [str(p) for p in check(Project.load(project), [post])] == []


def test_a_translation_links_to_the_headings_of_its_own_language(project):
    """``cedaw.md#key-dates`` from a Spanish file is resolved in cedaw.es.md, like the build does."""
    spanish = project / "docs" / "instruments" / "cedaw.es.md"
    doc = read_document(spanish, project, ["en", "es"], "en")
    assert doc.lang == "es"
    post = project / "news" / "2021" / "headings.es.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "---\ntitle: Títulos\ndate: 2021-03-08\nsummary: Resumen.\ncategories: [cedaw]\n---\n\n"
        "[Fechas clave](../../instruments/cedaw.md#key-dates)\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in check(Project.load(project), [post])]
    assert len(problems) == 1 and "leads to a heading that does not exist in docs/instruments/cedaw.es.md" in problems[0]


def test_a_stray_backtick_does_not_hide_the_next_paragraph(project):
    post = project / "news" / "2021" / "stray-backtick.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "---\ntitle: Backtick\ndate: 2021-03-08\nsummary: A stray backtick.\ncategories: [cedaw]\n---\n\n"
        "A stray ` backtick.\n\nThen a [broken link](../../xqzv.md) and another ` backtick.\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in check(Project.load(project), [post])]
    assert problems == ["news/2021/stray-backtick.md:10:8: the link ../../xqzv.md leads to a page that does "
                        "not exist (a post links to pages as if it were in docs/news/<year>/, e.g. "
                        "../../instruments/cedaw.md)"]

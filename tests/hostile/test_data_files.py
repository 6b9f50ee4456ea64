"""Hostile ``data/*.yml`` files and page front matter: refused by ``check`` at the line and column
where the problem is written, and by the build before it writes anything, never with a traceback
(``tcsite/data_files.py``, ``tcsite/schema.py``; issue 14, issue 16 items 2 and 6).

Each case lays a few files over one copy of the project; ``check`` of those files must exit 1 and
print exactly the expected ``path:line:col:`` lines, no more, no less. Then one strict build of a
copy holding one of each class must refuse, naming them all, and write nothing, in the site or
outside it. A copy with a third language reports the one entry without it.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
import yaml

from tcsite.__main__ import main
from tcsite.data_files import Label
from tests.conftest import build_site, copy_project

PROBLEM = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")
TOKEN_PAYLOAD = "{start.join.__globals__[t].sys.modules[os].environ[FAKE_DEPLOY_TOKEN]}"
SECRET = "tc-fake-deploy-token-3b1f"
PAGE_BODY = "\n# A page\n\nSome text.\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("data-files") / "project")


@contextlib.contextmanager
def laid_over(project: Path, files: dict):
    """``files`` written into the project, then put back: path -> content, or a function of the
    file's text, or None to delete the file."""
    saved = {name: (project / name).read_bytes() if (project / name).exists() else None for name in files}
    try:
        for name, content in files.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                path.write_text(content(path.read_text(encoding="utf-8")), encoding="utf-8")
            elif content is None:
                path.unlink(missing_ok=True)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        yield
    finally:
        for name, content in saved.items():
            if content is None:
                (project / name).unlink(missing_ok=True)
            else:
                (project / name).write_bytes(content)


def check_lines(project: Path, capsys, paths: list[str]) -> tuple[int, list[tuple[str, int, int, str]]]:
    """``python -m tcsite check --root project PATH…``: exit status and every problem printed."""
    capsys.readouterr()
    status = main(["check", "--root", str(project), *(str(project / p) for p in paths)])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err
    found = [PROBLEM.match(line) for line in printed.out.splitlines() if not line.startswith("::")]
    assert all(found), printed.out
    return status, [(m["path"], int(m["line"]), int(m["column"]), m["message"]) for m in found]


def page(*front: str) -> str:
    return "---\n" + "".join(line + "\n" for line in front) + "---\n" + PAGE_BODY


def post(*front: str) -> str:
    return page('date: 2021-03-08', 'summary: A summary.', 'categories: [cedaw]', *front)


def vocabulary(*entries: str) -> str:
    return "".join(entry + "\n" for entry in entries)


OK = "{en: A label, es: Una etiqueta}"

# name -> (files laid over the project, [(path, line, column, fragment of the message)])
CASES = {
    # --- F1: slugs that are no plain names --------------------------------------------------------
    "a category slug that climbs out of the site": (
        {"data/categories.yml": vocabulary(f"cedaw: {OK}", f'"../../../../../../tmp/rv/pwned": {OK}',
                                           f'"../../about": {OK}')},
        [("data/categories.yml", 2, 1, "'../../../../../../tmp/rv/pwned' is not a plain name: names of categories"),
         ("data/categories.yml", 3, 1, "'../../about' is not a plain name")]),
    "slugs with capitals, spaces, dots, slashes in every vocabulary": (
        {"data/topics.yml": vocabulary(f'"Gender Equality": {OK}'),
         "data/formats.yml": vocabulary(f'"self-paced/../x": {OK}'),
         "data/levels.yml": vocabulary(f'".hidden": {OK}'),
         "data/languages.yml": vocabulary(f'"en\\x1b[31m": {OK}')},
        [("data/formats.yml", 1, 1, "'self-paced/../x' is not a plain name: names of formats"),
         ("data/languages.yml", 1, 1, "'en\\u001b[31m' is not a plain name: names of languages"),
         ("data/levels.yml", 1, 1, "'.hidden' is not a plain name: names of levels"),
         ("data/topics.yml", 1, 1, "'Gender Equality' is not a plain name: names of topics")]),
    # --- F7: entries that are no mapping of language -> text ---------------------------------------
    "a string instead of per-language labels": (
        {"data/categories.yml": vocabulary(f"cedaw: {OK}", "beijing: Beijing", "courses: [en, es]")},
        [("data/categories.yml", 2, 1, "'beijing' must give its text in each language, not a single value"),
         ("data/categories.yml", 3, 1, "'courses' must give its text in each language")]),
    "a category with no es label, an empty one, a null one": (
        {"data/categories.yml": vocabulary("cedaw:", "  en: CEDAW", "beijing: {en: Beijing, es: ''}",
                                           "courses: {en: Courses, es: ~}")},
        [("data/categories.yml", 1, 1, "'cedaw' has no 'es' value"),
         ("data/categories.yml", 3, 1, "'beijing' has no 'es' value"),
         ("data/categories.yml", 4, 1, "'courses' has no 'es' value")]),
    "labels that are not text": (
        {"data/levels.yml": vocabulary("advanced:", "  en: 3", "  es: [Avanzado]", "basic:", "  en: yes",
                                       "  es: !!binary aGk=")},
        [("data/levels.yml", 2, 7, "the 'en' text of 'advanced' is not text"),
         ("data/levels.yml", 3, 7, "the 'es' text of 'advanced' is not text"),
         ("data/levels.yml", 5, 7, "the 'en' text of 'basic' is not text"),
         ("data/levels.yml", 6, 7, "the 'es' text of 'basic' is not text")]),
    "names that are not text, and a language code that is not": (
        {"data/topics.yml": vocabulary(f"404: {OK}", f"yes: {OK}", "leadership: {en: Leadership, es: Liderazgo, 1: x}")},
        [("data/topics.yml", 1, 1, "the name '404' is not text"), ("data/topics.yml", 2, 1, "the name 'yes' is not text"),
         ("data/topics.yml", 3, 45, "'1' under 'leadership' is not a language code")]),
    "a slug and a language written twice": (
        {"data/categories.yml": vocabulary(f"cedaw: {OK}", f"beijing: {OK}", "cedaw: {en: Again, es: Otra vez}",
                                           "courses:", "  en: Courses", "  es: Cursos", "  en: Again")},
        [("data/categories.yml", 3, 1, "'cedaw' is written twice, on lines 1 and 3"),
         ("data/categories.yml", 7, 3, "'en' under 'courses' is written twice")]),
    "a format the course code does not know": (
        {"data/formats.yml": vocabulary(f"self-paced: {OK}", "webinar:", "  en: Webinar", "  es: Seminario web")},
        [("data/formats.yml", 2, 1, "the site cannot describe the format 'webinar' to search engines")]),
    # --- the file itself ---------------------------------------------------------------------------
    "an unclosed quote, at its line": (
        {"data/categories.yml": vocabulary(f"cedaw: {OK}", 'beijing: {en: "Beijing, es: Beijing}',
                                           f"courses: {OK}", f"partnerships: {OK}")},
        [("data/categories.yml", 2, 15, "the quotation mark here is never closed")]),
    "a line without a colon, a bracket never closed": (
        {"data/topics.yml": vocabulary(f"leadership: {OK}", "lost", f"peace: {OK}"),
         "data/levels.yml": vocabulary(f"advanced: {OK}", "basic: {en: Basic, es: [Básico", f"other: {OK}")},
        [("data/levels.yml", 2, 24, "not valid YAML"), ("data/topics.yml", 2, 1, "this line has no ': '")]),
    "a list instead of a mapping, two documents, a character YAML refuses": (
        {"data/categories.yml": "- cedaw\n- beijing\n",
         "data/topics.yml": vocabulary(f"leadership: {OK}", "---", f"peace: {OK}"),
         "data/levels.yml": vocabulary(f"advanced: {OK}", "basic: {en: Basic\x01, es: Básico}")},
        [("data/categories.yml", 1, 1, "the file must be a list of names"),
         ("data/levels.yml", 2, 18, "a character YAML does not accept (U+0001)"),
         ("data/topics.yml", 2, 1, "more than one YAML document")]),
    "not UTF-8, over a megabyte, nested too deeply, missing": (
        {"data/categories.yml": b"cedaw: {en: CEDAW, es: CEDAW}\nbeijing: {en: B, es: Bei\xe9ing}\n",
         "data/topics.yml": "# " + "x" * (1024 * 1024) + "\n",
         "data/levels.yml": "advanced: " + "[" * 2000 + "]" * 2000 + "\n",
         "data/languages.yml": None},
        [("data/categories.yml", 2, 1, "the file is not UTF-8 text"),
         ("data/languages.yml", 1, 1, "data/languages.yml is missing"),
         ("data/levels.yml", 1, 1, "nested too deeply"),
         ("data/topics.yml", 1, 1, "more than 1024 KB")]),
    # --- F8: control characters in vocabularies and labels -----------------------------------------
    "control characters in labels": (
        {"data/categories.yml": vocabulary('cedaw: {en: "CEDAW\\v", es: "CEDAW\\x1b[2J"}', 'beijing: {en: "B\\0", es: B}',
                                           'courses: {en: "C\\x85", es: "C\\uFFFE"}')},
        [("data/categories.yml", 1, 13, "the 'en' text of 'cedaw' contains a control character (U+000B)"),
         ("data/categories.yml", 1, 28, "the 'es' text of 'cedaw' contains a control character (U+001B)"),
         ("data/categories.yml", 2, 15, "the 'en' text of 'beijing' contains a control character (U+0000)"),
         ("data/categories.yml", 3, 15, "the 'en' text of 'courses' contains a control character (U+0085)"),
         ("data/categories.yml", 3, 28, "the 'es' text of 'courses' contains a control character (U+FFFE)")]),
    # --- F4: labels are filled, never run ----------------------------------------------------------
    "placeholders that read attributes, items, conversions, formats": (
        {"data/labels.yml": vocabulary(
            "course_dates_range:", f'  en: "{{start}} to {{end}} {TOKEN_PAYLOAD}"', '  es: "Del {start} al {end}"',
            "course_dates_from:", '  en: "From {start!r}"', '  es: "Desde el {start:>99}"',
            "course_hours:", '  en: "{hours} hours {0}"', '  es: "{hours} horas {}"')},
        [("data/labels.yml", 2, 7, "has '{start.join.__globals__[t].sys.modules[…', which is not a placeholder"),
         ("data/labels.yml", 5, 7, "the 'en' text of 'course_dates_from' has '{start!r}', which is not a placeholder"),
         ("data/labels.yml", 6, 7, "the 'es' text of 'course_dates_from' has '{start:>99}', which is not"),
         ("data/labels.yml", 8, 7, "the 'en' text of 'course_hours' has '{0}', which is not a placeholder"),
         ("data/labels.yml", 9, 7, "the 'es' text of 'course_hours' has '{}', which is not a placeholder")]),
    "unknown, missing and unclosed placeholders": (
        {"data/labels.yml": vocabulary(
            "news_archive_title:", "  en: News from {yr}", "  es: Noticias de {year}",
            "reading_time:", '  en: "{minutes min read"', '  es: "{minutes}} min de lectura"',
            "news_page:", "  en: Page {number} of {count}", "  es: Página {number}",
            "all_news:", "  en: All {news}", "  es: Todas las noticias")},
        [("data/labels.yml", 2, 7, "the 'en' text of 'news_archive_title' has '{yr}', which is not a placeholder "
                                   "of this label"),
         ("data/labels.yml", 5, 7, "the 'en' text of 'reading_time' has a '{' without its '}'"),
         ("data/labels.yml", 6, 7, "the 'es' text of 'reading_time' has a '}' without its '{'"),
         ("data/labels.yml", 9, 7, "the 'es' text of 'news_page' lacks {count}"),
         ("data/labels.yml", 11, 7, "the 'en' text of 'all_news' has '{news}', which is not a placeholder of this")]),
    "a label without its Spanish, a label with a control character": (
        {"data/labels.yml": vocabulary("all_news:", "  en: All news", "news:", '  en: "News\\x1b"', "  es: Noticias")},
        [("data/labels.yml", 1, 1, "'all_news' has no 'es' value"),
         ("data/labels.yml", 4, 7, "the 'en' text of 'news' contains a control character (U+001B)")]),
    # --- F6: page front matter -----------------------------------------------------------------------
    "templates that are not a page's layout": (
        {"docs/about.md": page("title: About", "template: news-post.html"),
         "docs/contact.md": page("title: Contact", "template: ../../../etc/passwd"),
         "docs/training.md": page("title: Training", "template: partials/languages/en.html"),
         "docs/instruments/cedaw.md": page("title: CEDAW", "template: redirect.html",
                                           "location: https://evil.example/"),
         "docs/instruments/beijing.md": page("title: Beijing", "template: home.html"),
         "docs/instruments/index.md": page("title: Instruments", "template: course.html")},
        [("docs/about.md", 3, 1, "'template: news-post.html' is not allowed here"),
         ("docs/contact.md", 3, 1, "'template: ../../../etc/passwd' is not allowed here"),
         ("docs/instruments/beijing.md", 3, 1, "'template: home.html' is the layout of docs/index.md only"),
         ("docs/instruments/cedaw.md", 3, 1, "'template: redirect.html' is not allowed here"),
         ("docs/instruments/cedaw.md", 4, 1, "unknown field 'location'"),
         ("docs/instruments/index.md", 3, 1, "'template: course.html' is not allowed here"),
         ("docs/training.md", 3, 1, "'template: partials/languages/en.html' is not allowed here")]),
    "a course's and a post's template": (
        {"docs/courses/i-know-gender.md": lambda text: text.replace("---\n", "---\ntemplate: home.html\n", 1),
         "news/2021/template.md": post("title: T", "template: main.html")},
        [("docs/courses/i-know-gender.md", 2, 1, "'template: home.html' is not allowed here (use course.html"),
         ("news/2021/template.md", 6, 1, "unknown field 'template'")]),
    "hide, titles and unknown fields of the wrong kind": (
        {"docs/about.md": page("title: [1, 2]", "hide: x", "colour: red"),
         "docs/contact.md": page("title: Contact", "hide: [navigation, everything]", "search: 3")},
        [("docs/about.md", 2, 1, "'title' must be text, not list"), ("docs/about.md", 3, 1, "'hide' must be a list"),
         ("docs/about.md", 4, 1, "unknown field 'colour'"),
         ("docs/contact.md", 3, 1, "'hide: everything' is not allowed here"),
         ("docs/contact.md", 4, 1, "'search' must be text")]),
    # --- F8: control characters in front matter --------------------------------------------------------
    "control characters in titles, summaries, authors": (
        {"news/2021/control.md": post('title: "Vertical\\vtab"', 'author: "Esc\\x1b[31m"'),
         "news/2021/control-nul.md": post('title: "Null\\0"'),
         "docs/about.md": page("title: About", 'summary: "A\\x7f summary"')},
        [("docs/about.md", 3, 1, "'summary' contains a control character (U+007F)"),
         ("news/2021/control-nul.md", 5, 1, "'title' contains a control character (U+0000)"),
         ("news/2021/control.md", 5, 1, "'title' contains a control character (U+000B)"),
         ("news/2021/control.md", 6, 1, "'author' contains a control character (U+001B)")]),
}


@pytest.mark.parametrize("files,expected", CASES.values(), ids=list(CASES))
def test_check_refuses(project, capsys, files, expected):
    with laid_over(project, files):
        paths = {path if (project / path).exists() else str(Path(path).parent) for path, *_ in expected}
        status, found = check_lines(project, capsys, sorted(paths))
    assert status == 1
    assert [(path, line, column) for path, line, column, _ in found] == [e[:3] for e in expected], found
    for (*_, message), (*_, fragment) in zip(found, expected):
        assert fragment in message, (message, fragment)


def test_a_missing_language_reads_as_issue_16_says(project, capsys):
    files = {"data/topics.yml": vocabulary("leadership:", "  en: Transformative leadership")}
    with laid_over(project, files):
        capsys.readouterr()
        main(["check", "--root", str(project), str(project / "data/topics.yml")])
    assert capsys.readouterr().out.splitlines() == ["data/topics.yml:1:1: 'leadership' has no 'es' value (add it)"]


def test_check_accepts_the_site_data_and_unusual_good_texts(project, capsys):
    """The other side of the cases: quotes, braces-free punctuation, tabs and line breaks pass."""
    files = {"data/categories.yml": vocabulary(
        "cedaw: {en: 'CEDAW: \"the\" Convention', es: \"CEDAW\\tConvención\\nde 1979\"}",
        "beijing-25: {en: Beijing+25 & more, es: Beijing+25 <y más>}")}
    with laid_over(project, files):
        status, found = check_lines(project, capsys, ["data"])
    assert (status, found) == (0, [])


def test_labels_fill_names_only_whatever_they_say():
    """Even a label no check has seen cannot reach the objects it is given."""
    label = Label(f"{{start}} to {{end}} {TOKEN_PAYLOAD} {{start.__class__}} {{0}} {{")
    assert label.format(start="1 May", end="2 May") == f"1 May to 2 May {TOKEN_PAYLOAD} {{start.__class__}} {{0}} {{"


# --- the build ----------------------------------------------------------------------------------


def test_the_build_refuses_every_class_before_writing_anything(tmp_path, capsys):
    """One of each class above in one copy: the strict build lists the same lines as check, names
    no traceback, leaks no environment variable and writes nothing, in the site or outside it."""
    project = copy_project(tmp_path / "project")
    escape = "../../../escaped"  # from site/news/category/<slug>/: the folder beside the site
    with open(project / "data" / "categories.yml", "a", encoding="utf-8") as handle:
        handle.write(f'"{escape}": {{en: Escape, es: Escape}}\nbare: CEDAW\nno-spanish:\n  en: No Spanish\n')
    with open(project / "data" / "formats.yml", "a", encoding="utf-8") as handle:
        handle.write("webinar: {en: Webinar, es: Seminario web}\n")
    labels = project / "data" / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8")
                      .replace('en: "{start} to {end}"', f'en: "{{start}} to {{end}} {TOKEN_PAYLOAD}"')
                      .replace("en: News from {year}", "en: News from {yr}")
                      .replace('en: "{minutes} min read"', 'en: "{minutes min read"'), encoding="utf-8")
    (project / "docs" / "about.md").write_text(page("title: About", "template: news-post.html"), encoding="utf-8")
    (project / "docs" / "contact.md").write_text(page("title: Contact", "template: redirect.html",
                                                      "location: https://evil.example/"), encoding="utf-8")
    (project / "docs" / "training.md").write_text(page("title: [1, 2]", "hide: x"), encoding="utf-8")
    control = project / "news" / "2021" / "control.md"
    control.parent.mkdir(parents=True, exist_ok=True)
    control.write_text(post('title: "Vertical\\vtab \\x1b[31m"').replace("[cedaw]", f'["{escape}"]'), encoding="utf-8")

    capsys.readouterr()
    main(["check", "--root", str(project)])
    checked = [line for line in capsys.readouterr().out.splitlines() if PROBLEM.match(line)]
    site = tmp_path / "site"
    result = build_site(project, site, env={"FAKE_DEPLOY_TOKEN": SECRET})
    printed = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in printed and SECRET not in printed
    refused = [line.strip() for line in printed.splitlines() if PROBLEM.match(line.strip())]
    for name in ("data/categories.yml", "data/formats.yml", "data/labels.yml", "docs/about.md", "docs/contact.md",
                 "docs/training.md", "news/2021/control.md"):
        assert any(line.startswith(name + ":") for line in refused), (name, refused)
    assert sorted(refused) == sorted(checked)
    assert not site.exists() or not any(site.iterdir())
    assert not (tmp_path / "escaped").exists()


# --- a third language --------------------------------------------------------------------------------


def with_french(text: str, skip: str | None = None) -> str:
    """A data file with a French text beside each Spanish one (all but the entry ``skip``)."""
    data = yaml.safe_load(text)
    for key, texts in data.items():
        if key != skip:
            texts["fr"] = texts["es"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_third_language_names_the_one_entry_without_it(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    spanish = re.search(r"\n( +)- locale: es\n", text)
    assert spanish, "the i18n languages of mkdocs.yml have moved"
    indent = spanish[1]
    config.write_text(text.replace(spanish[0], f"\n{indent}- locale: fr\n{indent}  name: Français\n{indent}  build: true"
                                               + spanish[0], 1), encoding="utf-8")
    for path in sorted((project / "data").glob("*.yml")):
        if path.name != "redirects.yml":
            path.write_text(with_french(path.read_text(encoding="utf-8"), skip="peace-and-security"), encoding="utf-8")
    line = (project / "data" / "topics.yml").read_text(encoding="utf-8").splitlines().index("peace-and-security:") + 1
    capsys.readouterr()
    main(["check", "--root", str(project), str(project / "data")])
    assert capsys.readouterr().out.splitlines() == [f"data/topics.yml:{line}:1: 'peace-and-security' has no 'fr' value (add it)"]

"""``python -m tcsite new post|course|page "Title"``: new content files in every language.

The front matter is written from the schema (``tcsite.schema.SCHEMAS``): every field an editor
fills, required ones first, each under a short comment saying what to write. Required fields
left empty and the placeholder text make ``check`` fail until the text is written.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from markdown.extensions.toc import slugify

from tcsite import data_files
from tcsite.project import Project
from tcsite.schema import LAYOUT_FIELDS, SCHEMAS, TRANSLATION_OF, Field

KINDS = ("post", "course", "page")
MAX_SLUG = 60

BODIES = {
    "post": {
        "source": (
            "<!-- Write the first paragraph here: it is the excerpt shown on news cards. -->\n\n"
            "<!-- more -->\n\n"
            "<!-- Then the rest of the post. Link to pages as if this file were in docs/news/{year}/,\n"
            "     e.g. [CEDAW](../../instruments/cedaw.md). -->\n"
        ),
        "translation": (
            "<!-- Translate the English post ({source}) here, with the same links and the same\n"
            "     excerpt marker after the first paragraph. -->\n"
        ),
    },
    "course": {
        "source": "<!-- Describe the course here: what learners will learn, its modules, who it is for. -->\n",
        "translation": "<!-- Translate the English description ({source}) here. -->\n",
    },
    "page": {
        "source": "# {title}\n\n<!-- Write the page here. Link to other pages by their file, e.g. [CEDAW](instruments/cedaw.md). -->\n",
        "translation": "<!-- Translate the English page ({source}) here, starting with its title as '# …'. -->\n",
    },
}


def make_slug(title: str) -> str:
    slug = slugify(title, "-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug.strip("-") or "untitled"


def yaml_text(value: str) -> str:
    """A YAML string that stays a string whatever it holds (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def field_lines(f: Field, value, translation: bool, source_rel: str, vocabulary_values: list[str]) -> list[str]:
    need = "Required" if f.required else "Optional"
    comment = f"# {need}. {f.help}"
    if f.vocabulary and vocabulary_values and not all(v in f.help for v in vocabulary_values):
        comment += f" One of: {', '.join(vocabulary_values)}."
    if translation and f.shared:
        comment += f" Same as in {source_rel}."
    if f is TRANSLATION_OF or f.name == TRANSLATION_OF.name:
        comment = (f"# Filled in by 'python -m tcsite status --accept' once the translation is checked "
                   f"against {source_rel}.")
    if value is None:
        rendered = "[]" if f.kind == "list" else '""' if f.kind in ("text", "image", "url") else ""
    elif isinstance(value, list):
        rendered = "[" + ", ".join(value) + "]"
    elif isinstance(value, dt.date):
        rendered = value.isoformat()
    else:
        rendered = yaml_text(str(value))
    return [comment, f"{f.name}: {rendered}".rstrip()]


def front_matter(fields: tuple[Field, ...], values: dict, translation: bool, source_rel: str) -> str:
    from tcsite.schema import vocabulary

    chosen = [f for f in fields if f.name not in LAYOUT_FIELDS]
    if not translation:
        chosen = [f for f in chosen if f.name != TRANSLATION_OF.name]
    chosen.sort(key=lambda f: not f.required)
    lines = ["---"]
    for f in chosen:
        known = list(vocabulary(f.vocabulary)) if f.vocabulary else []
        lines += field_lines(f, values.get(f.name), translation, source_rel, known)
    lines.append("---")
    return "\n".join(lines) + "\n"


def plan(project: Project, kind: str, title: str, slug: str | None = None, day: dt.date | None = None,
         folder: str = "") -> dict:
    """What ``new`` would write: {path: text}, the preview URLs and notes, without writing."""
    schema_name = kind
    fields = SCHEMAS.get(schema_name)
    if fields is None:
        raise SystemExit(f"Courses are not available yet: there is no '{kind}' schema in tcsite/schema.py.")
    day = day or dt.date.today()
    slug = slug or make_slug(title)
    field_names = {f.name for f in fields}
    if kind == "post":
        base = project.news_dir / str(day.year) / f"{slug}.md"
        url = f"news/{day.year}/{slug}/"
    elif kind == "course":
        base = project.docs_dir / "courses" / f"{slug}.md"
        url = f"courses/{slug}/"
    else:
        base = project.docs_dir / folder.strip("/") / f"{slug}.md" if folder else project.docs_dir / f"{slug}.md"
        url = project.docs_path(base).removesuffix(".md") + "/"
    source_rel = project.rel(base)
    files: dict[Path, str] = {}
    for lang in project.languages:
        translation = not lang.default
        values = {}
        if "title" in field_names:
            values["title"] = None if translation else title
        if "date" in field_names:
            values["date"] = day
        body = BODIES[kind]["translation" if translation else "source"].format(
            title=title, year=day.year, source=source_rel)
        path = project.twin_path(base, lang.code)
        with data_files.using(project.read_data()):  # the slugs of this project's vocabularies
            files[path] = front_matter(fields, values, translation, source_rel) + "\n" + body
    urls = [project.dev_url + lang.url_prefix + url for lang in project.languages]
    notes = []
    if kind == "page" and project.nav_paths is not None:
        notes.append(f"Add '- {project.docs_path(base)}' under nav: in mkdocs.yml, where readers should find the page.")
    if kind == "post":
        notes.append("Every language version is published: delete the ones you will not translate.")
    return {"files": files, "urls": urls, "notes": notes}


def create(project: Project, kind: str, title: str, **options) -> dict:
    result = plan(project, kind, title, **options)
    existing = [project.rel(path) for path in result["files"] if path.exists()]
    if existing:
        raise SystemExit(f"Not created: {', '.join(existing)} already exist(s). Choose another --slug.")
    for path, text in result["files"].items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return result


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to create")
    parser.add_argument("title", help="the title, in English (in quotes)")
    parser.add_argument("--slug", help="the last part of the address (default: made from the title)")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                        help="publication date of a post, YYYY-MM-DD (default: today)")
    parser.add_argument("--folder", default="", help="for a page: the folder below docs/ (e.g. instruments)")
    parser.add_argument("--root", type=Path, default=None, help="the project folder (default: found from here)")


def run(args) -> int:
    project = Project.load(args.root)
    try:
        result = create(project, args.kind, args.title, slug=args.slug, day=args.date, folder=args.folder)
    except SystemExit as stop:
        print(stop, file=sys.stderr)
        return 2
    print("Created:")
    for path in result["files"]:
        print(f"  {project.rel(path)}")
    print("Fill in the fields and the text, then run: python -m tcsite check")
    print("Preview with 'make serve', at:")
    for url in result["urls"]:
        print(f"  {url}")
    for note in result["notes"]:
        print(note)
    return 0

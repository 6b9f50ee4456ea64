"""``python -m tcsite guide [--write|--check]``: the field reference of the editors' guide.

The reference in ``CONTRIBUTING.md`` (and ``CONTRIBUTING.es.md``) is generated from
``tcsite.schema.SCHEMAS`` between two marker comments, so the guide says what the build and
``check`` enforce. The test suite fails when it is out of date; ``--write`` regenerates it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tcsite.project import Project
from tcsite.schema import LAYOUT_FIELDS, SCHEMAS, Field

BEGIN = "<!-- BEGIN FIELD REFERENCE: generated from tcsite/schema.py by 'python -m tcsite guide --write'; do not edit by hand -->"
END = "<!-- END FIELD REFERENCE -->"

LABELS = {
    "en": {
        "page": "Pages (`docs/<name>.md`)",
        "post": "News posts (`news/<year>/<slug>.md`)",
        "course": "Courses (`docs/courses/<slug>.md`)",
        "columns": ("field", "required", "kind", "same in every language", "what to write"),
        "yes": "yes",
        "no": "",
        "values": "values from",
        "layout": "Set by the layout, leave them as they are",
        "kinds": {"text": "text", "date": "date", "bool": "true/false", "list": "list", "url": "web address",
                  "number": "number", "cost": "free or number", "image": "image file", "hash": "code"},
        "note": "",
    },
    "es": {
        "page": "Páginas (`docs/<nombre>.es.md`)",
        "post": "Noticias (`news/<año>/<slug>.es.md`)",
        "course": "Cursos (`docs/courses/<slug>.es.md`)",
        "columns": ("campo", "obligatorio", "tipo", "igual en todos los idiomas", "qué escribir (en inglés)"),
        "yes": "sí",
        "no": "",
        "values": "valores de",
        "layout": "Los fija el diseño; déjelos como están",
        "kinds": {"text": "texto", "date": "fecha", "bool": "true/false", "list": "lista",
                  "url": "dirección web", "number": "número", "cost": "free o número",
                  "image": "archivo de imagen", "hash": "código"},
        "note": "Las descripciones de los campos se generan a partir del esquema, en inglés.",
    },
}


def cell(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def field_row(f: Field, labels: dict) -> str:
    kind = labels["kinds"].get(f.kind, f.kind)
    help_text = f.help
    if f.vocabulary and f"data/{f.vocabulary}.yml" not in help_text:
        help_text += f" ({labels['values']} data/{f.vocabulary}.yml)"
    return (f"| `{f.name}` | {labels['yes'] if f.required else labels['no']} | {kind} | "
            f"{labels['yes'] if f.shared else labels['no']} | {cell(help_text)} |")


def reference(lang: str = "en") -> str:
    """The generated block, markers included."""
    labels = LABELS.get(lang, LABELS["en"])
    lines = [BEGIN, ""]
    if labels["note"]:
        lines += [labels["note"], ""]
    for name, fields in SCHEMAS.items():
        lines += [f"### {labels.get(name, name)}", "",
                  "| " + " | ".join(labels["columns"]) + " |",
                  "|" + "---|" * len(labels["columns"])]
        lines += [field_row(f, labels) for f in fields if f.name not in LAYOUT_FIELDS]
        layout = [f"`{f.name}`" for f in fields if f.name in LAYOUT_FIELDS]
        if layout:
            lines += ["", f"{labels['layout']}: {', '.join(layout)}."]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def guide_files(project: Project) -> dict[str, Path]:
    found = {}
    for lang in project.languages:
        name = "CONTRIBUTING.md" if lang.default else f"CONTRIBUTING.{lang.code}.md"
        if (project.root / name).is_file():
            found[lang.code] = project.root / name
    return found


def updated_text(text: str, lang: str, path: Path) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{path.name} has no field reference markers ({BEGIN[:30]}… and {END}).")
    return text[:start] + reference(lang) + text[end + len(END):]


def out_of_date(project: Project) -> list[Path]:
    stale = []
    for lang, path in guide_files(project).items():
        text = path.read_text(encoding="utf-8")
        if updated_text(text, lang, path) != text:
            stale.append(path)
    return stale


def write(project: Project) -> list[Path]:
    changed = []
    for lang, path in guide_files(project).items():
        text = path.read_text(encoding="utf-8")
        new = updated_text(text, lang, path)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def add_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite the reference in CONTRIBUTING*.md")
    group.add_argument("--check", action="store_true", help="exit 1 when the guide is out of date")
    parser.add_argument("--lang", default="en", help="language of the printed reference (default: en)")
    parser.add_argument("--root", type=Path, default=None, help="the project folder (default: found from here)")


def run(args) -> int:
    project = Project.load(args.root)
    if args.write:
        for path in write(project):
            print(f"updated {project.rel(path)}")
        return 0
    if args.check:
        stale = out_of_date(project)
        for path in stale:
            print(f"{project.rel(path)}: the field reference is out of date "
                  f"(run: python -m tcsite guide --write)", file=sys.stderr)
        return 1 if stale else 0
    print(reference(args.lang))
    return 0

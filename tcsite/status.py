"""``python -m tcsite status``: which translations are missing, stale or up to date.

How staleness is known. A translation records, in its front matter, which version of its
source it was made from::

    translation_of: "3f2a9c1b7d4e"

The value is the first 12 hexadecimal digits of a SHA-256 hash of the source's *translatable
text*: its body and every field of the schema that is neither shared between languages nor set
by the layout (title, summary, image_alt…), each with its whitespace collapsed, so re-wrapping lines or trailing
spaces change nothing while any change of wording (a typo fix too) does. Shared fields (date,
categories, course facts) are not part of it: ``check`` requires them to be equal anyway.

- **up to date**: the recorded value is the hash of the source as it is now;
- **stale**: the source changed since (someone must review the translation);
- **untracked**: the translation records nothing, so nobody knows;
- **missing**: there is no file in that language.

After reviewing (and updating) a translation, ``python -m tcsite status --accept FILE`` writes
the current hash into it. No git history is needed: a rename, a rebase or a squash cannot fool it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from tcsite.content import FENCE, Document
from tcsite.project import SCHEMA_OF_SECTION as SCHEMA_OF
from tcsite.project import SECTIONS, Entry, Project, read_entries
from tcsite.schema import LAYOUT_FIELDS, SCHEMAS, TRANSLATION_OF, Field

HASH_LENGTH = 12
STATES = ("up to date", "stale", "untracked", "missing")


def normalise(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(normalise(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def translatable_fields(fields: tuple[Field, ...]) -> list[Field]:
    """The fields a translator translates: every field neither shared between languages nor set
    by the layout (template, hide…)."""
    return [f for f in fields if not f.shared and f.name not in LAYOUT_FIELDS and f.name != TRANSLATION_OF.name]


def source_hash(doc: Document, fields: tuple[Field, ...]) -> str:
    """The hash a translation of ``doc`` records in ``translation_of``."""
    parts = []
    for f in translatable_fields(fields):
        value = doc.meta.get(f.name)
        if value not in (None, "", []):
            parts.append(f"{f.name}: {normalise(value)}")
    parts.append(normalise(doc.body))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass
class Row:
    section: str
    key: str
    language: str
    state: str
    file: str  # the translation (where it is or would be)
    source: str | None
    source_hash: str | None = None
    recorded: str | None = None


def rows(project: Project, entries: list[Entry] | None = None) -> list[Row]:
    """One row per content item and language other than the source's."""
    entries = read_entries(project) if entries is None else entries
    items: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        items.setdefault(entry.key, {}).setdefault(entry.lang, entry)
    found = []
    for key, versions in sorted(items.items()):
        source = versions.get(project.default)
        any_entry = next(iter(versions.values()))
        section = any_entry.section
        fields = SCHEMAS[SCHEMA_OF[section]]
        current = source_hash(source.doc, fields) if source and source.doc else None
        for lang in project.codes:
            entry = versions.get(lang)
            path = project.twin_path(any_entry.path, lang)
            if lang == project.default:
                if entry is None:
                    found.append(Row(section, key, lang, "missing", project.rel(path), None))
                continue
            if entry is None:
                found.append(Row(section, key, lang, "missing", project.rel(path), source and source.rel, current))
                continue
            recorded = entry.doc.meta.get(TRANSLATION_OF.name) if entry.doc else None
            if source is None or entry.doc is None or not recorded:
                state = "untracked"
            else:
                state = "up to date" if str(recorded) == current else "stale"
            found.append(Row(section, key, lang, state, entry.rel, source and source.rel, current,
                             str(recorded) if recorded else None))
    return found


def summary(project: Project, found: list[Row]) -> dict[str, dict[str, dict[str, int]]]:
    table: dict[str, dict[str, dict[str, int]]] = {}
    for section in SECTIONS:
        if not any(r.section == section for r in found):
            continue
        for lang in project.codes:
            chosen = [r for r in found if r.section == section and r.language == lang]
            if lang == project.default and not chosen:
                continue
            counts = {state: sum(r.state == state for r in chosen) for state in STATES}
            if any(counts.values()) or lang != project.default:
                table.setdefault(section, {})[lang] = counts
    return table


def render_text(project: Project, found: list[Row]) -> str:
    table = summary(project, found)
    lines = [f"Translation status (source language: {project.language(project.default).name})", ""]
    header = ("section", "language", *STATES)
    body = [
        (section, lang, *(str(counts[s]) for s in STATES))
        for section, by_lang in table.items()
        for lang, counts in by_lang.items()
    ]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    for row in (header, *body):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    todo = [r for r in found if r.state != "up to date"]
    if todo:
        lines += ["", "To do:"]
        width = max(len(r.file) for r in todo)
        lines += [f"  {r.state:<10} {r.file:<{width}}  {advice(r)}" for r in todo]
    else:
        lines += ["", "Every translation is up to date."]
    return "\n".join(lines) + "\n"


def render_markdown(project: Project, found: list[Row]) -> str:
    table = summary(project, found)
    lines = ["### Translation status", "",
             "| section | language | " + " | ".join(STATES) + " |",
             "|---|---|" + "---:|" * len(STATES)]
    for section, by_lang in table.items():
        for lang, counts in by_lang.items():
            lines.append(f"| {section} | {lang} | " + " | ".join(str(counts[s]) for s in STATES) + " |")
    todo = [r for r in found if r.state != "up to date"]
    lines.append("")
    if todo:
        lines.append("<details><summary>Translations to do ({})</summary>".format(len(todo)))
        lines.append("")
        lines += [f"- **{r.state}**: `{r.file}` ({advice(r)})" for r in todo]
        lines += ["", "</details>"]
    else:
        lines.append("Every translation is up to date.")
    return "\n".join(lines) + "\n"


def advice(row: Row) -> str:
    if row.state == "missing" and row.source:
        return f"translate {row.source}"
    if row.state == "missing":
        return "no version in this language"
    if row.state == "stale":
        return f"{row.source} changed: update the translation, then run: python -m tcsite status --accept {row.file}"
    if row.source is None:
        return "written in this language; no source to compare with"
    return f"check it against {row.source}, then run: python -m tcsite status --accept {row.file}"


# --- accepting a translation --------------------------------------------------------------

def accept(project: Project, path: Path) -> list[str]:
    """Record the current hash of the source in the translation(s) of ``path``."""
    entries = read_entries(project)
    by_path = {e.path.resolve(): e for e in entries}
    entry = by_path.get(path.resolve())
    if entry is None:
        raise SystemExit(f"{path} is not a content file (pages in docs/, posts in news/).")
    versions = [e for e in entries if e.key == entry.key]
    source = next((e for e in versions if e.lang == project.default), None)
    if source is None or source.doc is None:
        raise SystemExit(f"{entry.rel} has no readable {project.language(project.default).name} source to compare with.")
    targets = [e for e in versions if e.lang != project.default] if entry is source else [entry]
    if not targets:
        raise SystemExit(f"{entry.rel} has no translation yet.")
    value = source_hash(source.doc, SCHEMAS[SCHEMA_OF[source.section]])
    done = []
    for target in targets:
        write_field(target.path, TRANSLATION_OF.name, value)
        done.append(f"{target.rel}: translation_of set to {value} (matches {source.rel} as it is now)")
    return done


def write_field(path: Path, name: str, value: str) -> None:
    """Set ``name: "value"`` in a file's front matter, leaving every other line as it was (a
    byte-order mark, which some editors write first, is dropped)."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise SystemExit(f"{path} has no front matter.")
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE), None)
    if end is None:
        raise SystemExit(f"{path}: the front matter is not closed with '---'.")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    new_line = f'{name}: "{value}"{newline}'
    pattern = re.compile(rf"^{re.escape(name)}\s*:")
    for index in range(1, end):
        if pattern.match(lines[index]):
            lines[index] = new_line
            break
    else:
        lines.insert(end, new_line)
    path.write_text("".join(lines), encoding="utf-8")


# --- command line -------------------------------------------------------------------------

def add_arguments(parser) -> None:
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the report as JSON")
    output.add_argument("--markdown", action="store_true", help="print the report as Markdown (for pull requests)")
    output.add_argument("--accept", nargs="+", type=Path, metavar="PATH",
                        help="after reviewing a translation: record that it matches its source as it is now")
    parser.add_argument("--root", type=Path, default=None, help="the project folder (default: found from here)")


def run(args) -> int:
    project = Project.load(args.root)
    if args.accept:
        for path in args.accept:
            for line in accept(project, path):
                print(line)
        return 0
    found = rows(project)
    if args.json:
        report = {
            "source_language": project.default,
            "summary": summary(project, found),
            "items": [asdict(row) for row in found],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.markdown:
        sys.stdout.write(render_markdown(project, found))
    else:
        sys.stdout.write(render_text(project, found))
    return 0

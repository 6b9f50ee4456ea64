"""Problems in content, reported the way editors need them: file, line, column, what, how to fix.

The build and ``python -m tcsite check`` report through the same ``Problem`` type, so an
editor reads the same sentence in a pull-request annotation and in a failed build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

from tcsite.naming import split_language_suffix, version_path  # split_language_suffix: also imported from here


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        fix = f" ({self.fix})" if self.fix else ""
        return f"{self.path}:{self.line}:{self.column}: {self.message}{fix}"

    def github_annotation(self) -> str:
        text = self.message + (f" ({self.fix})" if self.fix else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.column}::{text}"


class ContentError(Exception):
    """Raised while reading content; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def refuse_build(problems: list[Problem]) -> None:
    """Stop the build before anything is written, listing every problem."""
    if problems:
        listing = "\n".join(f"  {p}" for p in sorted(set(problems)))
        raise PluginError(
            f"The site was not built: {len(set(problems))} problem(s) in the content.\n{listing}"
        )


def relative_to(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def missing_translations(docs_dir: Path, codes: list[str], default: str, root: Path,
                         required: list[str] | None = None) -> list[Problem]:
    """Every page in ``docs_dir`` must exist in every language (``x.md`` and ``x.es.md``) of
    ``required`` (default: all of ``codes``; a language in progress is not required).

    The default language's file may also be named with its code (``x.en.md``, as the CMS and
    mkdocs-static-i18n allow), but not both ways at once.
    """
    from tcsite.content_files import regular_files  # it reports problems as this module's Problem

    present: dict[Path, set[str]] = {}
    seen: dict[tuple[Path, str], Path] = {}
    problems = []
    for path in regular_files(docs_dir, ".md"):
        base, lang = split_language_suffix(path.name, codes)
        first = seen.setdefault((path.with_name(base), lang or default), path)
        if first != path:
            problems.append(duplicate_version(relative_to(path, root), relative_to(first, root), lang or default))
        present.setdefault(path.with_name(base), set()).add(lang or default)
    for base, langs in present.items():
        source = seen.get((base, default)) or seen[(base, sorted(langs)[0])]  # x.md or x.en.md
        for code in codes if required is None else required:
            if code not in langs:
                twin = version_path(base, code, default)
                problems.append(
                    Problem(
                        relative_to(source, root),
                        1,
                        1,
                        f"this page has no {code!r} version",
                        f"create {relative_to(twin, root)} with the translated text",
                    )
                )
    return problems


def duplicate_version(rel: str, first_rel: str, code: str) -> Problem:
    """``x.md`` and ``x.en.md`` side by side: two files for the same language version."""
    names = sorted((rel.rpartition("/")[2], first_rel.rpartition("/")[2]), key=len)
    return Problem(
        rel, 1, 1,
        f"this file and {first_rel} are both the {code!r} version of the same text",
        f"keep only {names[0]}: copy any change from {names[1]} into it, then delete {names[1]}",
    )


def yaml_error_place(error: yaml.YAMLError, text: str) -> tuple[int, int]:
    """Where to show a YAML error in ``text`` (1-based line and column): where the faulty construct
    starts (a quote, a key, a bracket), not where the YAML library gave up, often lines later (the
    end of the text, for a quote never closed). A block mapping starts at the first line, so for it
    the place the library stopped is the better guess."""
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not accept
        return (text.count("\n", 0, error.position) + 1,
                error.position - (text.rfind("\n", 0, error.position) + 1) + 1)
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "context_mark", None)
    if mark is None or not context or "block" in context:
        mark = getattr(error, "problem_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


@dataclass(frozen=True, order=True)
class Note:
    """Something an editor should know that is not a problem (a post scheduled for later):
    printed like a problem, without failing the check."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: note: {self.message}"

    def github_annotation(self) -> str:
        text = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::notice file={self.path},line={self.line},col={self.column}::{text}"

"""Problems in content, reported the way editors need them: file, line, column, what, how to fix.

The build and ``python -m tcsite check`` report through the same ``Problem`` type, so an
editor reads the same sentence in a pull-request annotation and in a failed build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError


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


def split_language_suffix(name: str, codes: list[str]) -> tuple[str, str | None]:
    """``"about.es.md"`` -> ``("about.md", "es")``; ``"about.md"`` -> ``("about.md", None)``."""
    stem, _, ext = name.rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in codes:
        return f"{base}.{ext}", suffix
    return name, None


def missing_translations(docs_dir: Path, codes: list[str], default: str, root: Path) -> list[Problem]:
    """Every page in ``docs_dir`` must exist in every language (``x.md`` and ``x.es.md``)."""
    present: dict[Path, set[str]] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        base, lang = split_language_suffix(path.name, codes)
        present.setdefault(path.with_name(base), set()).add(lang or default)
    problems = []
    for base, langs in present.items():
        source = base if default in langs else _suffixed(base, sorted(langs)[0])
        for code in codes:
            if code not in langs:
                twin = base if code == default else _suffixed(base, code)
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


def _suffixed(base: Path, code: str) -> Path:
    return base.with_name(f"{base.stem}.{code}{base.suffix}")

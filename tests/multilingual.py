"""Copies of the site with another language added, as a web team adds one (README, "Adding a
language"): its entry in mkdocs.yml, its value of every label and vocabulary entry, and the pages
and posts translated so far (``tests/fixtures/languages/<code>/``). French and Arabic live in
these fixtures only: the real site is English and Spanish."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import ROOT, copy_project

FIXTURES = ROOT / "tests" / "fixtures" / "languages"


def language_project(destination: Path, *codes: str, in_progress: bool = True) -> Path:
    """A copy of the site with the languages ``codes`` added (in progress unless told), and a copy
    of ``tcsite`` beside it: build it with ``env=build_env(project)``."""
    project = copy_project(destination)
    # Vocabularies and labels are read beside the package (tcsite/../data): build with a copy of it.
    shutil.copytree(ROOT / "tcsite", project / "tcsite", ignore=shutil.ignore_patterns("__pycache__"))
    for code in codes:
        add_language(project, code, in_progress=in_progress)
    return project


def build_env(project: Path) -> dict:
    return {"PYTHONPATH": str(project)}


def add_language(project: Path, code: str, *, in_progress: bool = True) -> None:
    folder = FIXTURES / code
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.setdefault("extra", {}).setdefault("cms", {})["enabled"] = False  # /admin/ is tested elsewhere
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            plugin["i18n"]["languages"].append(yaml.safe_load((folder / "language.yml").read_text(encoding="utf-8")))
        if isinstance(plugin, dict) and "tcsite" in plugin and in_progress:
            options = plugin["tcsite"]
            options["languages_in_progress"] = [*(options.get("languages_in_progress") or []), code]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for values in sorted((folder / "data").glob("*.yml")):
        table_path = project / "data" / values.name
        table = yaml.safe_load(table_path.read_text(encoding="utf-8"))
        for key, value in yaml.safe_load(values.read_text(encoding="utf-8")).items():
            table[key][code] = value
        table_path.write_text(yaml.safe_dump(table, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for part in ("docs", "news"):
        if (folder / part).is_dir():
            shutil.copytree(folder / part, project / part, dirs_exist_ok=True)


def translated(code: str) -> list[str]:
    """The files of ``docs/`` and ``news/`` a fixture language translates (``docs/about.fr.md``)."""
    folder = FIXTURES / code
    return sorted(p.relative_to(folder).as_posix() for part in ("docs", "news")
                  for p in (folder / part).rglob("*.md"))

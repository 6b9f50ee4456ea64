"""The editors' guide: its field reference is generated from the schema and must be current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tcsite import guide
from tcsite.project import Project
from tcsite.schema import LAYOUT_FIELDS, SCHEMAS
from tests.conftest import ROOT


def test_the_field_reference_of_the_guides_matches_the_schema():
    stale = guide.out_of_date(Project.load(ROOT))
    assert stale == [], f"run: python -m tcsite guide --write ({', '.join(p.name for p in stale)} out of date)"


def test_there_is_a_guide_in_every_language():
    assert set(guide.guide_files(Project.load(ROOT))) == {"en", "es"}


def test_every_field_of_every_schema_is_in_the_reference():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for fields in SCHEMAS.values():
        for field in fields:
            if field.name in LAYOUT_FIELDS:
                assert f"`{field.name}`" in text
            else:
                required = "yes" if field.required else ""
                assert f"| `{field.name}` | {required} |" in text


def test_guide_write_regenerates_an_edited_reference(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("CONTRIBUTING.md", "CONTRIBUTING.es.md"):
        shutil.copy2(ROOT / name, root / name)
    english = root / "CONTRIBUTING.md"
    original = english.read_text(encoding="utf-8")
    english.write_text(original.replace("The headline of the post.", "An outdated description."), encoding="utf-8")
    check = [sys.executable, "-m", "tcsite", "guide", "--check"]
    result = subprocess.run(check, cwd=root, capture_output=True, text=True)
    assert result.returncode == 1 and "CONTRIBUTING.md: the field reference is out of date" in result.stderr
    written = subprocess.run([sys.executable, "-m", "tcsite", "guide", "--write"], cwd=root, capture_output=True, text=True)
    assert written.stdout == "updated CONTRIBUTING.md\n"
    assert english.read_text(encoding="utf-8") == original
    assert subprocess.run(check, cwd=root).returncode == 0


def test_the_text_around_the_markers_is_kept(tmp_path):
    path = Path(tmp_path / "CONTRIBUTING.md")
    path.write_text(f"Intro.\n\n{guide.BEGIN}\nold\n{guide.END}\n\nOutro.\n", encoding="utf-8")
    new = guide.updated_text(path.read_text(encoding="utf-8"), "en", path)
    assert new.startswith("Intro.\n\n" + guide.BEGIN) and new.endswith(guide.END + "\n\nOutro.\n")
    assert new == guide.updated_text(new, "en", path)

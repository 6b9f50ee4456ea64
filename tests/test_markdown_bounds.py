"""``tcsite.markdown_bounds`` changes how long the site's Markdown takes, never what it makes.

Every content file, and a long synthetic page dense in what the extension touches (blocks followed
by line breaks, smart symbols, fenced code in lists and quotes), converts to the same HTML with the
extension as without it. The figures are in ``bench/check_scale.py``.
"""

from __future__ import annotations

import markdown
import pytest

from tcsite.content import split_front_matter
from tcsite.project import Project
from tests.conftest import ROOT

OURS = "tcsite.markdown_bounds"


def converters():
    names, configs = Project.load(ROOT).markdown_extensions()
    assert OURS in names, "mkdocs.yml lists the extension, so the build and check both use it"
    without = [name for name in names if name != OURS]
    return (markdown.Markdown(extensions=without, extension_configs=configs),
            markdown.Markdown(extensions=names, extension_configs=configs))


def content_files():
    return sorted(p for folder in ("docs", "news") for p in (ROOT / folder).rglob("*.md"))


def long_page() -> str:
    blocks = []
    for n in range(300):
        blocks += [
            f"## Part {n} (c) 1/2 --> 3rd", f"Text with *emphasis* and `code` c/o someone +/- {n}.",
            "- a list item (tm)\n- another\n\n    ```python\n    x = 1\n    ```",
            "> A quote with a fence:\n>\n> ```\n> inside\n> ```",
            "```\nfenced =/= code\n```", "<div markdown>\n\n**In HTML** (r)\n\n</div>",
            "Term\n:   Definition <-- here", "Footnote[^n].\n\n[^n]: The note.",
        ]
    return "\n\n".join(blocks) + "\n"


@pytest.fixture(scope="module")
def pair():
    return converters()


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_content_file_converts_to_the_same_html(pair, path):
    without, linear = pair
    _, body, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
    assert linear.reset().convert(body) == without.reset().convert(body)


def test_a_long_page_converts_to_the_same_html(pair):
    without, linear = pair
    text = long_page()
    expected = without.reset().convert(text)
    assert "&copy;" in expected and "<pre" in expected and "&frac12;" in expected  # the page exercises them
    assert linear.reset().convert(text) == expected
    assert linear.reset().convert(text) == expected  # and again, on the same converter

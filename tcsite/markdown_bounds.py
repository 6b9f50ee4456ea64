"""A Python-Markdown extension that keeps the site's Markdown pipeline within bounds on any text:
in time linear in its length, and without a traceback when a text is too deep for it. It changes
no HTML (``tests/test_markdown_bounds.py`` compares every content file).

Listed under ``markdown_extensions:`` in mkdocs.yml, so the build and ``python -m tcsite check``
(which reads the same list) both use it. What it changes in other extensions it changes at the
first conversion, when all of them are in place, whatever the order of the list.

1. Inline processors registered after ``prettify`` (pymdownx.smartsymbols at priority 6.1,
   Python-Markdown's own smarty at 6) look up an element's position among its siblings with
   ``list.index`` for each element followed by text, and prettify has just given every block a
   line break after it: O(blocks²) per page (40 s for a 100,000-line page instead of 7). Line
   breaks and spaces hold no inline markup, so they are set aside while those processors run.
2. pymdownx.superfences puts each fenced block back by slicing the whole list of lines: O(fences ×
   lines). The same blocks are put back in one pass.
3. Python-Markdown reads nested blocks and emphasis by recursion. ``tcsite.limits`` refuses texts
   nested deeper than a reader needs before they are converted; should one get through, its
   ``RecursionError`` becomes ``TooDeepToRead``, which MkDocs reports with the page's name and
   ``tcsite.limits.convert`` as a problem of the file, instead of a traceback.

``bench/check_scale.py`` prints the figures.
"""

from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from tcsite.limits import NESTING_FIX, TooDeepToRead

INSTALL = "tcsite-bounds"
PRETTIFY = "prettify"
FENCES = "fenced_code_block"  # pymdownx.superfences' preprocessor


class WithoutBlankTails(Treeprocessor):
    """Runs an inline processor with the whitespace-only tails of the tree set aside."""

    def __init__(self, md, inner: InlineProcessor):
        super().__init__(md)
        self.inner = inner

    def run(self, root):
        blank = [element for element in root.iter() if element.tail and element.tail.isspace()]
        tails = [element.tail for element in blank]
        for element in blank:
            element.tail = None
        try:
            result = self.inner.run(root)
        finally:
            for element, tail in zip(blank, tails):
                element.tail = tail
        return result


def reassemble_in_one_pass(preprocessor):
    """superfences' ``reassemble`` (which slices the list once per block), in one pass."""
    original = preprocessor.reassemble

    def reassemble(lines):
        stack = preprocessor.stack
        starts = [start for _, start, _ in stack]
        if any(b[1] < a[2] for a, b in zip(stack, stack[1:])) or starts != sorted(starts):
            return original(lines)  # not blocks in order, one after the other: as it was written
        out, last = [], 0
        for fenced, start, end in stack:
            out.extend(lines[last:start])
            out.append(fenced)
            last = end
        out.extend(lines[last:])
        stack.clear()
        return out

    preprocessor.reassemble = reassemble


class Install(Preprocessor):
    """Runs first in the first conversion, when every extension has registered its processors."""

    def run(self, lines):
        md = self.md
        md.preprocessors.deregister(INSTALL)
        prettify = _priority(md.treeprocessors, PRETTIFY)
        for item in list(md.treeprocessors._priority):
            processor = md.treeprocessors[item.name]
            if prettify is not None and item.priority < prettify and type(processor) is InlineProcessor:
                md.treeprocessors.register(WithoutBlankTails(md, processor), item.name, item.priority)
        if FENCES in md.preprocessors:
            fences = md.preprocessors[FENCES]
            if hasattr(fences, "stack") or hasattr(type(fences), "reassemble"):
                reassemble_in_one_pass(fences)
        return lines


def _priority(registry, name: str) -> float | None:
    return next((item.priority for item in registry._priority if item.name == name), None)


def refuse_what_is_too_deep(md) -> None:
    convert = md.convert

    def bounded_convert(source: str) -> str:
        try:
            return convert(source)
        except RecursionError:
            raise TooDeepToRead(f"the text is nested too deeply to be read ({NESTING_FIX})") from None

    md.convert = bounded_convert


class BoundedMarkdownExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Install(md), INSTALL, 1000)
        refuse_what_is_too_deep(md)


def makeExtension(**kwargs):
    return BoundedMarkdownExtension(**kwargs)

"""Templates compiled once per process, not once per language pass and rebuild.

MkDocs makes a new Jinja environment for every build, and static-i18n runs one build per
language (``mkdocs serve``: per save), so Material's templates were compiled again each time.
Jinja's bytecode cache keys a template by its file and checks the hash of its source, so an
edited template is compiled afresh. Only for the theme's environment as the plugin configures it
(``tcsite.escaping``): compiled code depends on the environment's settings.
"""

from __future__ import annotations

from jinja2 import BytecodeCache


class CompiledTemplates(BytecodeCache):
    """In memory, for the life of the process."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()

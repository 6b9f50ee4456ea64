"""The build's last line of defence, judged beside the build in a worker process.

``tcsite.html_rules.PageGuard`` reads every written page with an HTML parser written in Python:
about a quarter of a build's time, on one core while the others wait. Here each page is handed to
a worker process as MkDocs writes it and judged while the next pages render; the verdicts are
collected before anything else reads the site (``finish``, at the start of the build's last step).
A page that breaks the rules still refuses the build, every such page is listed, and site/ is left
empty: the page is only written before it is judged, then removed with everything else.

On a machine with one core, or while serving (``tcsite.incremental`` judges the few pages it
rebuilds), pages are judged on the spot, as before.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

from tcsite.html_rules import PageGuard

# Pages waiting for a verdict at most: beyond, the build waits for the oldest (memory stays flat
# whatever the number of pages).
IN_FLIGHT = 64

_script_files: set[str] = set()


def workers_available() -> int:
    return (os.cpu_count() or 1) - 1


class GuardPool:
    def __init__(self, script_files: set[str], workers: int):
        """Call it before the build starts any thread (share cards are drawn in threads): the
        workers are forked at once, while the build runs on one thread. Forked, not spawned: a
        spawned worker would run again the script that called MkDocs, if not MkDocs' own."""
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                         initializer=_start, initargs=(set(script_files),))
        self._pool.submit(int).result()  # the workers start now
        self._waiting: deque[Future] = deque()
        self.problems: list = []
        self.inline_seen: set[str] = set()

    def judge(self, html: str, page_url: str, source: str, base_url: str, theme_hashes: frozenset[str]) -> None:
        while len(self._waiting) >= IN_FLIGHT:
            self._collect(self._waiting.popleft())
        self._waiting.append(self._pool.submit(_judge, html, page_url, source, base_url, theme_hashes))

    def finish(self) -> None:
        """Every verdict in: ``problems`` and ``inline_seen`` are complete."""
        try:
            while self._waiting:
                self._collect(self._waiting.popleft())
        finally:
            self._pool.shutdown(wait=True)

    def cancel(self) -> None:
        self._waiting.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _collect(self, future: Future) -> None:
        problems, seen = future.result()
        self.problems.extend(problems)
        self.inline_seen.update(seen)


def _start(script_files: set[str]) -> None:
    global _script_files
    _script_files = script_files


def _judge(html: str, page_url: str, source: str, base_url: str, theme_hashes: frozenset[str]):
    seen: set[str] = set()
    guard = PageGuard(_script_files, lambda _: theme_hashes, inline_seen=seen)
    return guard.problems(html, page_url, source, base_url), seen

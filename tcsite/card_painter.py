"""Share cards drawn off the main thread, while the build renders pages.

A card takes a few milliseconds to draw and more to compress as PNG, nearly all of it in Pillow's
C code, which lets other threads run: at thousands of pages, drawing them one after another on
the main thread was most of a build with an empty cache (every CI run before the cache was kept).
Here each page's card is handed to a pool of threads and the build waits for the last one at its
end (``finish``). The cache stays content-addressed (``tcsite.cards``): a card shared by several
pages is drawn once (one lock per card), then copied to each.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tcsite import cards


class CardPainter:
    """Draws the cards of one build (every language pass)."""

    def __init__(self, cache_dir: Path, workers: int | None = None):
        self.cache_dir = cache_dir
        self._pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1, thread_name_prefix="cards")
        self._tasks: list[Future] = []
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def paint(self, card: cards.Card, target: Path) -> None:
        """Write ``card`` to ``target`` (later), drawing it only if the cache lacks it."""
        self._tasks.append(self._pool.submit(self._paint, card, target))

    def finish(self) -> int:
        """Wait for every card; the number drawn (not found in the cache). Raises what failed."""
        try:
            return sum(task.result() for task in self._tasks)
        finally:
            self._pool.shutdown(wait=True)

    def cancel(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _paint(self, card: cards.Card, target: Path) -> bool:
        with self._locks_lock:
            lock = self._locks.setdefault(card.digest(), threading.Lock())
        with lock:
            return cards.render_card(card, target, self.cache_dir)

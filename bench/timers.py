"""Wraps pipeline functions with accumulating timers in a child process, to break a step's wall time down.

Only the benchmark's own process is patched (module attributes are rebound); no pipeline file changes.
"""
from __future__ import annotations

import functools
import time
from collections import defaultdict


class Breakdown:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner, attribute: str, label: str, without: tuple[str, ...] = ()) -> None:
        """Time every call of owner.attribute under `label`, less the time the labels `without` took inside it."""
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started, nested_before = time.perf_counter(), self._nested(without)
            try:
                return original(*args, **kwargs)
            finally:
                nested = self._nested(without) - nested_before
                self.seconds[label] += time.perf_counter() - started - nested
                self.calls[label] += 1

        setattr(owner, attribute, timed)

    def wrap_generator(self, owner, attribute: str, label: str) -> None:
        """Time what owner.attribute's generators spend making each item (the caller consumes them as they come)."""
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            self.calls[label] += 1
            items = original(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    self.seconds[label] += time.perf_counter() - started
                yield item

        setattr(owner, attribute, timed)

    def _nested(self, labels: tuple[str, ...]) -> float:
        return sum(self.seconds[label] for label in labels)

    def as_dict(self) -> dict:
        return {label: {"seconds": round(self.seconds[label], 3), "calls": self.calls[label]} for label in self.seconds}


PUBLISH = "publish (checkpoint + copy)"
TAGGING = "tagging (derive_batches)"


def instrument_run_path() -> Breakdown:
    """Time the phases of RunBuilder.commit: keying, dedup reads, tagging, the write transaction, publish."""
    import pipeline.ingest as ingest
    from pipeline.store.warehouse import Warehouse

    breakdown = Breakdown()
    breakdown.wrap(ingest.RunBuilder, "_add_candidates", "keying entries (the run's stored links)")
    breakdown.wrap(ingest.RunBuilder, "_new_articles", "dedup (existing ids, title keys)")
    breakdown.wrap_generator(ingest, "derive_batches", TAGGING)
    # write_run consumes the tagging batches as it stages them: their time is tagging's
    breakdown.wrap(Warehouse, "write_run", "write_run (staging each batch, one transaction)", without=(TAGGING,))
    breakdown.wrap(ingest, "publish", PUBLISH)  # the snapshots taken during the load
    wrap_final_publish(breakdown)
    return breakdown


def wrap_final_publish(breakdown: Breakdown) -> None:
    """The last publish of a bulk write (snapshot.publish_compacted): its compaction, and the publish itself."""
    import pipeline.store.snapshot as snapshot
    from pipeline.store.warehouse import Warehouse

    breakdown.wrap(Warehouse, "compact", "compact (rewrite the writer file without its free blocks)")
    breakdown.wrap(snapshot, "publish", PUBLISH)

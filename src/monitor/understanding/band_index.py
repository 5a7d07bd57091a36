"""The MinHash LSH index of one story pass, in memory: every filed release's band buckets as one
sorted array of 64-bit entries (bucket in the high bits, release id in the low ones).

It is built at the start of a pass from the signatures stored with each release (never from the
texts), so it needs no table of its own and survives any restart. A lookup is a directory probe
and a few comparisons, whatever the store's size; in the database the same lookup was a B-tree
probe per bucket, and storing a release's 96 bucket rows cost more than filing it."""

from __future__ import annotations

import numpy as np

ID_BITS = 28  # 268 million releases; the bucket keeps its top 36 bits
ID_MASK = np.uint64((1 << ID_BITS) - 1)
DIRECTORY_BITS = 20  # a million slots: about ten entries each at 100,000 releases
DIRECTORY_SHIFT = np.uint64(64 - DIRECTORY_BITS)
RECENT_MIN = 1 << 18  # entries added since the last fold; searched apart until then


def entries(buckets: np.ndarray, release_ids: np.ndarray) -> np.ndarray:
    """Sorted index entries of buckets (uint64) and the releases they belong to (an array of the
    same shape, or one that broadcasts to it). Two buckets equal in their top 36 bits are one (a
    rare collision: candidates are compared anyway)."""
    return sorted_unique(((buckets & ~ID_MASK) | release_ids.astype(np.uint64)).ravel())


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2's hash-based np.unique took 1 s for a million values here."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions covered by ranges [start, start + count), and the range each belongs to."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return np.repeat(starts, counts) + np.arange(int(counts.sum())) - np.repeat(first, counts), owner


class BandIndex:
    def __init__(self) -> None:
        self.main = np.empty(0, dtype=np.uint64)
        self.directory = np.zeros((1 << DIRECTORY_BITS) + 1, dtype=np.int64)
        self.recent = np.empty(0, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self.main) + len(self.recent)

    def add(self, new: np.ndarray) -> None:
        """Add sorted entries. They join a small array first; it folds into the main one when it
        grows past a sixteenth of it, so that each entry is copied a few times, not once a batch."""
        self.recent = np.sort(np.concatenate([self.recent, new]), kind="stable")  # two sorted runs: a merge
        if len(self.recent) > max(RECENT_MIN, len(self.main) // 16):
            self.fold([self.main, self.recent])
            self.recent = self.recent[:0]

    def fold(self, runs: list[np.ndarray]) -> None:
        """Make sorted runs of entries (the main array among them) the main array."""
        self.main = np.concatenate(runs)
        self.main.sort(kind="stable")  # merges the runs, in place: no third copy of the index
        slot_starts = np.arange(1 << DIRECTORY_BITS, dtype=np.uint64) << DIRECTORY_SHIFT
        self.directory[:-1] = np.searchsorted(self.main, slot_starts)
        self.directory[-1] = len(self.main)

    def holders(self, buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the bucket in `buckets`, release id) of every entry in these buckets."""
        keys = buckets & ~ID_MASK
        slot = (keys >> DIRECTORY_SHIFT).astype(np.int64)
        found = [self._matching(self.main, keys, self.directory[slot], self.directory[slot + 1])]
        if len(self.recent):
            found.append(self._matching(self.recent, keys, np.searchsorted(self.recent, keys),
                                        np.searchsorted(self.recent, keys | ID_MASK, side="right")))  # fmt: skip
        which = np.concatenate([w for w, _ in found])
        return which, np.concatenate([ids for _, ids in found])

    @staticmethod
    def _matching(table: np.ndarray, keys: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        positions, which = expand(lo, hi - lo)
        values = table[positions]
        hit = (values & ~ID_MASK) == keys[which]
        return which[hit], (values[hit] & ID_MASK).astype(np.int64)

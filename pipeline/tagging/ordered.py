"""Searches in ascending lists of offsets. Written out rather than taken from `bisect`: compiled, a search of a
few offsets is a short native loop, where a call into `bisect` parses its arguments and compares Python objects
(a pair sentence groups every topic and cue hit of its field by sentence this way)."""
from __future__ import annotations


def count_at_most(values: list[int], value: int) -> int:
    """How many of the ascending `values` are <= `value` (`bisect.bisect_right`)."""
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if values[middle] <= value:
            low = middle + 1
        else:
            high = middle
    return low

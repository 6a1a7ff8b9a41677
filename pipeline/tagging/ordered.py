"""Searches in ascending lists of offsets, and the few strings of an article in order. Written out rather than taken
from `bisect` and `sorted`: compiled, a search of a few offsets is a short native loop, where a call into `bisect`
parses its arguments and compares Python objects (a pair sentence groups every topic and cue hit of its field by
sentence this way), and `sorted` copies its argument into a list and sorts it (~800 instructions for two codes)."""
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


def keys_in_order(mapping: dict[str, float]) -> tuple[str, ...]:
    """tuple(sorted(mapping)), without the set in_order takes: an article's countries are its salience's keys."""
    if len(mapping) > 2:
        return tuple(sorted(mapping))
    keys: tuple[str, ...] = ()
    for key in mapping:  # a dict is iterated natively; one or two keys go straight into the tuple
        keys = (key,) if not keys else (keys[0], key) if keys[0] < key else (key, keys[0])
    return keys


def in_order(values: set[str]) -> tuple[str, ...]:
    """tuple(sorted(values)): an article's countries, focus or a sentence's topics are mostly one or two."""
    if not values:
        return ()
    if len(values) == 1:
        (only,) = values  # tuple(values) is a call into the interpreter (~350 instructions)
        return (only,)
    if len(values) == 2:
        first, second = values
        return (first, second) if first < second else (second, first)
    return tuple(sorted(values))

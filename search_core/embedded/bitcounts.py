"""Bit-count kernels over facet masks: how many hits have each value of a facet, in numpy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

_BITS_OF_BYTE = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1, bitorder="little")
"""Row *b*: the 8 bits of byte value *b*, least significant first."""


BIT_COUNT_ROWS = 16_384
"""Rows histogrammed at a time by :func:`bit_counts_of` (its codes are 8 bytes a byte)."""


def bit_counts(masks: np.ndarray, nbits: int) -> np.ndarray:
    """How many of ``masks`` (unsigned integers) have each of the low ``nbits`` bits set."""
    return bit_counts_of([(masks, nbits)])[0]


def bit_counts_of(columns: Sequence[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """:func:`bit_counts` of several mask arrays of the same length at once: one histogram of
    every byte the bits need, of every array, then bits per byte value (cheaper than unpacking
    every mask, and one ``bincount`` instead of one per byte of each facet)."""
    parts: list[np.ndarray] = []
    for masks, nbits in columns:
        size = masks.dtype.itemsize
        if nbits > 8 * size:
            raise ValueError(f"{nbits} bits do not fit in {masks.dtype}")
        as_bytes = np.ascontiguousarray(masks, dtype=masks.dtype.newbyteorder("<"))
        parts.append(as_bytes.view(np.uint8).reshape(-1, size)[:, : (nbits + 7) // 8])
    if not parts:
        return []
    per_byte = byte_bit_counts(np.hstack(parts) if len(parts) > 1 else parts[0])
    out, start = [], 0
    for (_, nbits), part in zip(columns, parts, strict=True):
        out.append(per_byte[start : start + part.shape[1]].reshape(-1)[:nbits])
        start += part.shape[1]
    return out


def byte_bit_counts(rows: np.ndarray) -> np.ndarray:
    """How many of ``rows`` (bytes, rows × width) have each bit of each byte column set
    (width × 8, least significant bit first): one histogram of every byte (byte j of a row
    counts at 256 j + its value), then bits per byte value."""
    width = rows.shape[1]
    offsets = np.arange(width, dtype=np.intp) * 256
    histogram = np.zeros(256 * width, dtype=np.int64)
    for start in range(0, len(rows), BIT_COUNT_ROWS):  # bounded temporaries in big areas
        codes = rows[start : start + BIT_COUNT_ROWS].astype(np.intp)
        codes += offsets
        histogram += np.bincount(codes.ravel(), minlength=256 * width)
    per_byte: np.ndarray = histogram.reshape(width, 256) @ _BITS_OF_BYTE
    return per_byte


def all_of(conditions: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Where every boolean array of ``conditions`` holds (everywhere when there are none)."""
    out = np.ones(n, dtype=bool)
    for ok in conditions:
        out &= ok
    return out

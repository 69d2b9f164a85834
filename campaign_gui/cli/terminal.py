"""What the terminal is given: text without invisible direction marks.

The window's texts isolate names and figures with direction marks so Darija lays them out right.
A terminal lays nothing out from right to left, and Windows consoles draw those marks as boxes;
every command's output and error goes through here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from ..core.i18n import without_invisible_marks


class _Markless:
    """A text stream that drops invisible marks from what is written, and passes on the rest."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(without_invisible_marks(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def plain_terminal() -> Iterator[None]:
    """Standard output and error without invisible marks, until the block ends."""
    out, err = sys.stdout, sys.stderr
    if out is not None:
        sys.stdout = _Markless(out)
    if err is not None:
        sys.stderr = _Markless(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err

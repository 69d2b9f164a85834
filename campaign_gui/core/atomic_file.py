"""Writing a file whole or not at all: a temporary file beside it, renamed over it at the end."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from .errors import UserError
from .i18n import _

T = TypeVar("T")


def write_atomically(target: Path, write: Callable[[TextIO], T]) -> T:
    """Call ``write`` on a UTF-8 text stream; ``target`` then holds all of it, or is unchanged.

    A failure to write is a ``UserError`` naming the file; the exact cause goes to the log.
    """
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.resolve().parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                result = write(out)
                out.flush()
                os.fsync(out.fileno())
            Path(temp).replace(target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(
            _("Cannot write {path}.").format(path=target), detail=f"{target}: {exc!r}"
        ) from exc
    return result

"""Files the monitor writes (PDFs, feeds, outbox messages): whole or not at all, and an error
that names the file asked for."""

from __future__ import annotations

import errno
import os
from contextlib import suppress
from pathlib import Path


def make_folder(folder: Path) -> None:
    """The folder and its parents; a file standing where one of them should be is 'Not a directory'
    on `folder` (mkdir's 'File exists' would name only the file in the way)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None


def replace_whole(path: Path, body: bytes) -> None:
    """Write through a .part file beside `path` and a rename, so that no reader sees half a file.
    A failure (a missing or read-only folder, a directory at `path`, a full disk) removes the .part
    file and raises an OSError naming `path`, not the .part file the user never asked for."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")  # two runs at once do not share one
    try:
        make_folder(path.parent)
        part.write_bytes(body)
        part.replace(path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        with suppress(OSError):  # where the folder could not be made, there is no .part to remove
            part.unlink(missing_ok=True)

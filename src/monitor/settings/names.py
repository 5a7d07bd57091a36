"""Names that become parts of file names (source keys, digest names): checked when the config
is read, and every file written under a folder is proved to stay inside it."""

from __future__ import annotations

import re
from pathlib import Path

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def check_name(what: str, name: object) -> str:
    """`name` if it is a plain name (letters, digits, '_', '-', '.'; no '..'); ValueError otherwise."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or ".." in name:
        raise ValueError(
            f"{what} {name!r} is not a plain name: use letters, digits, '_', '-' and '.' (it becomes part of file names)"
        )
    return name


def file_in(folder: Path, filename: str) -> Path:
    """folder/filename, refused unless it stays inside the folder."""
    path = (folder / filename).resolve()
    if path.parent != folder.resolve():
        raise ValueError(f"refusing to write {filename!r} outside {folder}")
    return path

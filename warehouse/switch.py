"""What readers see changes in one step: the new version is written in a folder of its own beside the old, then a
symbolic link naming the current version is replaced with one rename. A reader opens either the old version or the
new one, whole; one that already has an old file open keeps reading it (Linux keeps a removed file for its open
handles). Whatever an interrupted swap left behind is removed by the next one."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

LINK_IN_PROGRESS = ".link-"


def point(link: Path, target: Path) -> None:
    """Make `link` a relative link to `target` with one rename. A real folder left there by the layout before links
    is moved aside first and removed after (the only moment a reader could find nothing there)."""
    relative = os.path.relpath(target, link.parent)
    if link.is_symlink() and os.readlink(link) == relative:
        return
    temporary = link.with_name(f".{link.name}{LINK_IN_PROGRESS}{uuid.uuid4().hex[:8]}")
    os.symlink(relative, temporary)
    retired = None
    if link.is_dir() and not link.is_symlink():
        retired = link.with_name(f".{link.name}-retired-{uuid.uuid4().hex[:8]}")
        os.replace(link, retired)
    os.replace(temporary, link)
    if retired:
        shutil.rmtree(retired)


def current_target(link: Path) -> Path | None:
    return (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None


def remove_all_but(folder: Path, pattern: str, keep: Path | None) -> None:
    """Every entry of folder matching pattern except keep, with any link a killed swap left half made."""
    if not folder.is_dir():
        return
    for entry in [*folder.glob(pattern), *folder.glob(f".*{LINK_IN_PROGRESS}*")]:
        if entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif keep is not None and entry.resolve() == keep.resolve():
            continue
        elif entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)

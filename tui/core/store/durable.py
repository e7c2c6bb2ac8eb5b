"""Replace a file so that a crash leaves the old version or the new one, never a mix.

Used for every file Hamish writes that matters: the annotation store and the config. The
steps: a temporary file in the same directory, fsync, rename over the target (atomic on
POSIX), fsync the directory so the rename itself survives a power cut. On failure the old
file is untouched and the temporary file is removed.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

#: Suffix of the temporary files; a crash can leave one behind (the store sweeps them).
TEMP_SUFFIX = ".tmp"


def _write_all(fd: int, data: bytes) -> None:
    """os.write until everything is written (a separate function so tests can fail it midway)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never a mix.

    Temp file in the same directory, fsync, rename over `path`, fsync the directory (so the
    rename itself survives a power cut). Raises OSError; the old file is untouched then.
    """
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):  # filesystems that cannot
            raise
    finally:
        os.close(fd)

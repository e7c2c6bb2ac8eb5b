"""Where annotations live: a directory with one small TinyDB JSON file per document.

Why one file per document: TinyDB's own JSONStorage rewrites and re-parses the whole
database on every operation, and truncates in place (a crash mid-write leaves a corrupt
file). Here each document's file is small, its parsed data stays in memory (this process
holds the directory's lock, so nobody else writes it), and every write goes to a temporary
file in the same directory which is fsynced, renamed over the old one, and the directory
fsynced: when `put` returns, the change is on disk, and a crash at any moment leaves either
the old file or the new one.

What happens when things go wrong:

- a file that does not parse, or has the wrong shape, raises StoreFormatError naming the
  file (and record and field) and is never written to; `move_aside` renames it so the user
  can start afresh without losing it;
- a file from a newer Hamish raises StoreTooNewError;
- a failed write (read-only directory, disk full, I/O error) keeps the change in memory,
  sets `pending` and raises StoreWriteError; the next successful write saves everything;
- a second Hamish on the same directory gets the store read-only, with a reason to show.

File layout (UTF-8, Arabic as itself, one record per line so files read and diff well):

    {
     "_meta": {"1": {"schema": 1, "path": "/news/a.txt", "fingerprint": "…", ...}},
     "annotations": {
      "1": {"id": "…", "start": 10, "end": 52, "exact": "…", "labels": ["claim"], ...},
      ...
     }
    }
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from platformdirs import user_data_dir
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from .anchoring import ReanchorReport, reanchor
from .durable import TEMP_SUFFIX as _TEMP_SUFFIX
from .durable import fsync_directory as _fsync_directory
from .durable import write_durably
from .annotation import (
    SCHEMA_VERSION,
    Annotation,
    StoreError,
    StoreFormatError,
    StoreTooNewError,
    StoreWriteError,
    utc_now,
)
from .history import Change

try:
    import fcntl
except ImportError:  # Windows: no flock; the store still works, unguarded
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "AnnotationStore",
    "DocumentStore",
    "StoreError",
    "StoreFormatError",
    "StoreTooNewError",
    "StoreWriteError",
    "default_store_dir",
]

LOCK_NAME = ".lock"
META_TABLE = "_meta"
ANNOTATION_TABLE = "annotations"
_META_ID = 1


def default_store_dir() -> Path:
    """`$HAMISH_DATA_DIR` if set (tests use it to stay isolated), else the user's data dir."""
    override = os.environ.get("HAMISH_DATA_DIR")
    if override:
        return Path(override)
    return Path(user_data_dir("hamish", appauthor=False)) / "store"


# --- writing ------------------------------------------------------------------------------


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dumps(data: dict, lines: dict | None = None) -> bytes:
    """The database as UTF-8 JSON, one record per line (json's indent= would use its slow
    Python encoder, and put every field on a line of its own).

    `lines`, if given, caches each record's encoded line between writes: a record equal to
    the copy kept beside its line is not encoded again (comparing is ~15x cheaper than encoding
    Arabic text). The cache is rebuilt from this write's records, so deleted ones drop out.
    """
    cache = {} if lines is None else lines
    fresh: dict[tuple[str, str], tuple[object, bytes]] = {}
    parts = []
    for name, table in data.items():
        records = []
        for doc_id, record in table.items():
            key = (name, str(doc_id))
            cached = cache.get(key)
            if cached is None or cached[0] != record:
                line = f"  {json.dumps(key[1])}: {_ENCODER.encode(record)}".encode("utf-8")
                cached = (_snapshot(record), line)
            fresh[key] = cached
            records.append(cached[1])
        body = b",\n".join(records)
        parts.append(f" {json.dumps(name, ensure_ascii=False)}: {{\n".encode("utf-8") + body + (b"\n }" if records else b" }"))
    if lines is not None:
        lines.clear()
        lines.update(fresh)
    return b"{\n" + b",\n".join(parts) + b"\n}\n"


def _snapshot(record: object) -> object:
    """A copy deep enough that later in-place changes to the record do not alter it."""
    if isinstance(record, dict):
        return {k: _snapshot(v) for k, v in record.items()}
    if isinstance(record, list):
        return [_snapshot(v) for v in record]
    return record


class DurableStorage(Storage):
    """A TinyDB storage that keeps the parsed data in memory and writes it durably.

    `read` never touches the disk: the store parsed and validated the file already, and holds
    the lock. `write` records the new state in memory first, then writes it; if the write
    fails the memory still has it (`pending`) and any later write saves it.
    """

    def __init__(self, path: str, data: dict) -> None:
        super().__init__()
        self.path = Path(path)
        self._data = data
        self.pending = False
        self._deferred = 0
        self._lines: dict[tuple[str, str], tuple[object, bytes]] = {}

    def read(self) -> dict:
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        if self._deferred:
            return
        self.pending = True
        write_durably(self.path, _dumps(data, self._lines))
        self.pending = False

    def flush(self) -> None:
        """Write the in-memory state again (after a failure, or to save staged metadata)."""
        self.write(self._data)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """TinyDB operations inside only change memory; the caller flushes once afterwards."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1


# --- reading ------------------------------------------------------------------------------


def _load(file: Path) -> tuple[dict, dict, dict[int, Annotation]] | None:
    """Parse and validate a document file: (raw data, meta record, annotations by record id).

    None if the file does not exist. Never writes.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{file}: cannot read the annotation file ({_reason(exc)})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StoreFormatError(f"{file}: not UTF-8 text (byte {exc.start}: {exc.reason})", file) from None
    except json.JSONDecodeError as exc:
        raise StoreFormatError(f"{file}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", file) from None

    def bad(reason: str) -> StoreFormatError:
        return StoreFormatError(f"{file}: {reason}", file)

    if not isinstance(data, dict):
        raise bad(f"must be a JSON object holding the tables '{META_TABLE}' and '{ANNOTATION_TABLE}'")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise bad(f"table '{name}' must be an object of records")
    meta_table = data.get(META_TABLE)
    if meta_table is None:
        raise bad(f"table '{META_TABLE}' is missing")
    if len(meta_table) != 1:
        raise bad(f"table '{META_TABLE}' must hold exactly one record, not {len(meta_table)}")
    ((meta_key, meta),) = meta_table.items()
    if meta_key != str(_META_ID) or not isinstance(meta, dict):
        raise bad(f"table '{META_TABLE}' must hold one object under the key \"{_META_ID}\"")
    meta = _check_meta(meta, file)
    annotations: dict[int, Annotation] = {}
    seen: dict[str, str] = {}
    for key, record in data.setdefault(ANNOTATION_TABLE, {}).items():
        if not (key.isascii() and key.isdigit()):
            raise bad(f"annotation key {key!r} is not a record number")
        try:
            annotation = Annotation.from_record(record, f"{file}: annotation {key}")
        except StoreFormatError as exc:
            exc.path = file
            raise
        if annotation.id in seen:
            raise bad(f"annotation {key}: field 'id' repeats annotation {seen[annotation.id]} ({annotation.id})")
        seen[annotation.id] = key
        annotations[int(key)] = annotation
    return data, meta, annotations


def _check_meta(meta: dict, file: Path) -> dict:
    where = f"{file}: {META_TABLE}"
    if "schema" not in meta:
        raise StoreFormatError(f"{where}: field 'schema' is missing", file)
    schema = meta["schema"]
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise StoreFormatError(f"{where}: field 'schema' must be a positive integer, not {schema!r:.40}", file)
    if schema > SCHEMA_VERSION:
        raise StoreTooNewError(file, schema)
    checks = {
        "path": (lambda v: isinstance(v, str), "a string"),
        "fingerprint": (lambda v: isinstance(v, str) and len(v) == 64, "a SHA-256 hex digest"),
        "reading_position": (
            lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0),
            "a non-negative integer or null",
        ),
        "created": (lambda v: isinstance(v, str), "a string"),
        "updated": (lambda v: isinstance(v, str), "a string"),
    }
    for name, (check, wanted) in checks.items():
        if name not in meta:
            raise StoreFormatError(f"{where}: field '{name}' is missing", file)
        if not check(meta[name]):
            raise StoreFormatError(f"{where}: field '{name}' must be {wanted}, not {meta[name]!r:.40}", file)
    return meta


# --- the store ----------------------------------------------------------------------------


class AnnotationStore:
    """A directory holding one TinyDB JSON file per document, and a lock file.

    The lock (an exclusive flock on DIR/.lock, held for the life of the object) keeps two
    Hamish processes from overwriting each other: the second one gets the store read-only,
    with `read_only_reason` to show the user.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_store_dir()
        self.read_only = False
        self.read_only_reason: str | None = None
        #: Files `documents()` skipped on its last run: (file, why).
        self.skipped: list[tuple[Path, str]] = []
        self._lock_fd: int | None = None
        self._closed = False
        self._open: dict[Path, DocumentStore] = {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.directory}: cannot create the annotation store ({_reason(exc)})") from None
        if not self.directory.is_dir():
            raise StoreError(f"{self.directory}: the annotation store must be a directory")
        self._lock()
        if not self.read_only:
            self._remove_stale_temp_files()

    def _lock(self) -> None:
        directory = self.directory
        if not os.access(directory, os.W_OK | os.X_OK):
            self._go_read_only(f"cannot write to {directory}; opened read-only")
            return
        lock = directory / LOCK_NAME
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            self._go_read_only(f"cannot create {lock} ({_reason(exc)}); opened read-only")
            return
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    self._go_read_only(f"another Hamish is using {directory}; opened read-only")
                else:
                    self._go_read_only(f"cannot lock {lock} ({_reason(exc)}); opened read-only")
                return
        self._lock_fd = fd

    def _go_read_only(self, reason: str) -> None:
        self.read_only = True
        self.read_only_reason = reason

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a crash between writing and renaming; we hold the lock, so no one else's."""
        for temp in self.directory.glob(f".*{_TEMP_SUFFIX}"):
            try:
                temp.unlink()
            except OSError:
                pass

    def file_for(self, doc_path: Path) -> Path:
        """The store file of a document: a hash of its absolute path, so any path is a safe name."""
        key = hashlib.sha256(str(Path(doc_path).resolve()).encode("utf-8")).hexdigest()[:24]
        return self.directory / f"{key}.json"

    def open(self, doc_path: Path, fingerprint: str, text: str) -> DocumentStore:
        """The annotations of a document whose current text is `text` (SHA-256 `fingerprint`).

        If the text changed since the file was written, every annotation is re-anchored
        (`reanchor` on the result says how it went) and the result saved unless read-only.
        Raises StoreFormatError / StoreTooNewError, never touching such a file.
        """
        self._check_open()
        file = self.file_for(doc_path)
        current = self._open.get(file)
        if current is None:
            loaded = _load(file)
            if loaded is None:
                now = utc_now()
                meta = {
                    "schema": SCHEMA_VERSION,
                    "path": str(Path(doc_path).resolve()),
                    "fingerprint": fingerprint,
                    "reading_position": None,
                    "created": now,
                    "updated": now,
                }
                loaded = ({META_TABLE: {str(_META_ID): meta}, ANNOTATION_TABLE: {}}, meta, {})
            data, meta, annotations = loaded
            current = DocumentStore(self, file, data, annotations)
            self._open[file] = current
        current._rebase(fingerprint, text, str(Path(doc_path).resolve()))
        return current

    def move_aside(self, file: Path) -> Path:
        """Rename an unusable file to NAME.corrupt-YYYYmmddTHHMMSSZ (kept, never deleted)."""
        self._check_open()
        file = Path(file)
        if self.read_only:
            raise StoreWriteError(f"{file}: not moved aside: {self.read_only_reason}")
        if file in self._open:
            raise StoreError(f"{file}: is open; close it before moving it aside")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = file.with_name(f"{file.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = file.with_name(f"{file.name}.corrupt-{stamp}-{n}")
        try:
            os.rename(file, target)
            _fsync_directory(file.parent)
        except OSError as exc:
            raise StoreWriteError(f"{file}: could not be moved aside ({_reason(exc)})") from None
        return target

    def documents(self) -> Iterator[tuple[dict, list[Annotation]]]:
        """(meta, annotations) of every readable document file; unreadable ones go to `skipped`."""
        self._check_open()
        self.skipped = []
        for file in sorted(self.directory.glob("*.json")):
            if file in self._open:
                document = self._open[file]
                yield document.meta, document.annotations()
                continue
            try:
                loaded = _load(file)
            except StoreError as exc:
                self.skipped.append((file, str(exc)))
                continue
            if loaded is not None:
                _, meta, annotations = loaded
                yield dict(meta), sorted(annotations.values(), key=_order)

    def close(self) -> None:
        """Save what can be saved, then release the lock. Raises StoreWriteError if something was not saved."""
        failures = []
        for document in list(self._open.values()):
            try:
                document.close()
            except StoreWriteError as exc:
                failures.append(str(exc))
        self._open.clear()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None
        self._closed = True
        if failures:
            raise StoreWriteError("; ".join(failures))

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.directory}: the annotation store is closed")

    def _forget(self, document: DocumentStore) -> None:
        if self._open.get(document.file) is document:
            del self._open[document.file]

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _reason(exc: OSError) -> str:
    """A plain reason for an OSError ("No space left on device"); the messages name the file."""
    if exc.strerror:
        return exc.strerror
    code = exc.errno if exc.errno is not None else (exc.args[0] if len(exc.args) == 1 else None)
    if isinstance(code, int):
        return os.strerror(code)
    return str(exc) or type(exc).__name__


def _order(annotation: Annotation) -> tuple[int, int, str]:
    return annotation.start, annotation.end, annotation.created


class DocumentStore:
    """The annotations of one document, in memory and (after each put/remove) on disk."""

    def __init__(self, owner: AnnotationStore, file: Path, data: dict, annotations: dict[int, Annotation]) -> None:
        self.file = file
        self.read_only = owner.read_only
        self.read_only_reason = owner.read_only_reason
        #: How re-anchoring went when this document was opened; None if its text had not changed.
        self.reanchor: ReanchorReport | None = None
        #: The last write error's message, while `pending`.
        self.last_error: str | None = None
        self._owner = owner
        self._closed = False
        self._meta: dict = data[META_TABLE][str(_META_ID)]
        self.reading_position: int | None = self._meta.get("reading_position")
        self._meta_dirty = False
        self._db = TinyDB(str(file), storage=DurableStorage, data=data)
        self._storage: DurableStorage = self._db.storage  # type: ignore[assignment]
        self._table = self._db.table(ANNOTATION_TABLE, cache_size=0)
        self._by_id: dict[str, Annotation] = {a.id: a for a in annotations.values()}
        self._doc_ids: dict[str, int] = {a.id: doc_id for doc_id, a in annotations.items()}
        self._next_doc_id = max(annotations, default=0) + 1
        self._sorted: list[Annotation] | None = None
        self._spans: dict[tuple[int, int], Annotation] | None = None

    # --- reading

    @property
    def fingerprint(self) -> str:
        return self._meta["fingerprint"]

    @property
    def meta(self) -> dict:
        """A copy of the file's metadata (schema, path, fingerprint, reading_position, created, updated)."""
        return dict(self._meta, reading_position=self.reading_position)

    def annotations(self) -> list[Annotation]:
        """All annotations, orphans included, sorted by (start, end, created)."""
        if self._sorted is None:
            self._sorted = sorted(self._by_id.values(), key=_order)
        return list(self._sorted)

    def get(self, annotation_id: str) -> Annotation | None:
        return self._by_id.get(annotation_id)

    def at_span(self, start: int, end: int) -> Annotation | None:
        """The placed (non-orphaned) annotation of exactly this span; the oldest if several."""
        if self._spans is None:
            spans: dict[tuple[int, int], Annotation] = {}
            for annotation in self.annotations():
                if not annotation.orphaned:
                    spans.setdefault((annotation.start, annotation.end), annotation)
            self._spans = spans
        return self._spans.get((start, end))

    # --- writing

    def put(self, annotation: Annotation) -> None:
        """Insert or replace (by id); on disk before it returns.

        If the write fails the change is kept in memory (`pending`) and StoreWriteError is
        raised; the next successful write saves it.
        """
        self._check_writable()
        if not annotation.orphaned and annotation.document != self.fingerprint:
            raise ValueError(f"annotation {annotation.id} refers to another version of the text")
        record = annotation.to_record()
        self._remember(annotation)
        self._stage_meta()
        doc_id = self._doc_ids.get(annotation.id)
        if doc_id is not None:
            self._write(lambda: self._table.update(record, doc_ids=[doc_id]), "annotation not saved")
        else:
            doc_id = self._doc_ids[annotation.id] = self._next_doc_id
            self._next_doc_id += 1
            self._write(lambda: self._table.insert(Document(record, doc_id=doc_id)), "annotation not saved")

    def put_many(self, annotations: list[Annotation]) -> None:
        """Insert or replace several annotations with one write (imports, benchmarks)."""
        self._check_writable()
        for annotation in annotations:
            if not annotation.orphaned and annotation.document != self.fingerprint:
                raise ValueError(f"annotation {annotation.id} refers to another version of the text")
        for annotation in annotations:
            self._remember(annotation)
            if annotation.id not in self._doc_ids:
                self._doc_ids[annotation.id] = self._next_doc_id
                self._next_doc_id += 1
        self._stage_meta()
        self._write(self._replace_table, "annotations not saved")

    def remove(self, annotation_id: str) -> None:
        """Delete an annotation (nothing happens if there is none with this id); same durability as put."""
        self._check_writable()
        doc_id = self._doc_ids.pop(annotation_id, None)
        if doc_id is None:
            return
        del self._by_id[annotation_id]
        self._invalidate()
        self._stage_meta()
        self._write(lambda: self._table.remove(doc_ids=[doc_id]), "removal not saved")

    def apply(self, change: Change) -> None:
        """Make a change (or an undo's inverse) happen: put its `after`, or remove its `before`."""
        if change.after is not None:
            self.put(change.after)
        else:
            assert change.before is not None
            self.remove(change.before.id)

    @property
    def pending(self) -> bool:
        """True after a failed write: memory holds changes the disk does not."""
        return self._storage.pending

    def set_reading_position(self, offset: int) -> None:
        """Remember the cursor; written with the next change, flush or close (not per call)."""
        if offset != self.reading_position:
            self.reading_position = offset
            self._meta_dirty = True

    def flush(self) -> None:
        """Write the in-memory state if the disk lacks any of it; StoreWriteError if that fails."""
        self._check_not_closed()
        if self.read_only or not (self.pending or self._meta_dirty):
            return
        self._stage_meta()
        self._write(self._storage.flush, "changes not saved")

    def close(self) -> None:
        """Flush and forget. If the flush fails, StoreWriteError is raised and the store stays open."""
        if self._closed:
            return
        self.flush()
        self._closed = True
        self._db.close()
        self._owner._forget(self)

    # --- internals

    def _rebase(self, fingerprint: str, text: str, path: str) -> None:
        """Re-anchor everything if the document's text is not the one the file was written for."""
        if self._meta["fingerprint"] == fingerprint:
            return
        self._meta["fingerprint"] = fingerprint
        self._meta["path"] = path
        self._meta_dirty = True
        if not self._by_id:
            return
        placed, report = reanchor(list(self._by_id.values()), text, fingerprint)
        self.reanchor = report
        for annotation in placed:
            self._by_id[annotation.id] = annotation
        self._invalidate()
        if self.read_only:
            self._replace_table_in_memory()
            return
        self._stage_meta()
        try:
            self._write(self._replace_table, "re-anchored annotations not saved")
        except StoreWriteError:
            pass  # kept in memory and `pending`; `last_error` says why; the next write retries

    def _replace_table(self) -> None:
        """Rewrite the annotation table from memory: two TinyDB operations, one disk write."""
        self._replace_table_in_memory()
        self._storage.flush()

    def _replace_table_in_memory(self) -> None:
        documents = [Document(self._by_id[i].to_record(), doc_id=d) for i, d in self._doc_ids.items()]
        with self._storage.deferred():
            self._table.truncate()
            self._table.insert_multiple(documents)

    def _remember(self, annotation: Annotation) -> None:
        self._by_id[annotation.id] = annotation
        self._invalidate()

    def _invalidate(self) -> None:
        self._sorted = None
        self._spans = None

    def _stage_meta(self) -> None:
        """Put the reading position and times into the in-memory meta record; the next write saves it."""
        self._meta["reading_position"] = self.reading_position
        self._meta["updated"] = utc_now()
        self._meta_dirty = False

    def _write(self, operation, what: str) -> None:
        try:
            operation()
        except OSError as exc:
            self.last_error = f"{self.file}: {what}: {_reason(exc)}; kept in memory, will retry"
            raise StoreWriteError(self.last_error) from None
        self.last_error = None

    def _check_not_closed(self) -> None:
        if self._closed:
            raise StoreError(f"{self.file}: this document's annotations were closed")

    def _check_writable(self) -> None:
        self._check_not_closed()
        if self.read_only:
            raise StoreWriteError(f"{self.file}: not saved: {self.read_only_reason}")

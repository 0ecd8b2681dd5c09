"""Writing the user's output files: never over an input, never half-written.

Every command and export that writes a file goes through this module:

* :func:`check_output`, called before any data is read: the name has an allowed suffix, its
  folder exists, is a folder and can be written to, and the path is not, and does not link to
  (symbolic or hard link), any file of any input dataset: every Shapefile sidecar (``.shx``,
  ``.dbf``, ``.prj``, ``.cpg``, spatial indexes, ``.shp.xml``...) whether or not it exists, a
  GeoPackage's or database's ``-wal``/``-shm``/``-journal`` files, the zip, the seat table read
  with a boundary file, the indicator table, the config, the registry database (the callers list
  them: ``kerjasama.commands._common.input_files``).
* :func:`write_output`: the bytes go to a temporary file in the same folder, which then replaces
  the target in one step (:func:`os.replace`), so an interrupted run leaves the old file as it
  was. A link given as output is followed: the file it points to is replaced, the link kept.

Problems are :class:`common.errors.InputError` (exit 2) naming the option, the file and the
folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from common.errors import InputError
from common.text import Listing

#: Files that belong to a Shapefile ``<stem>.shp`` (ESRI, GDAL, QGIS and ArcGIS sidecars).
SHAPEFILE_PARTS = (
    ".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".fbn", ".fbx", ".ain", ".aih",
    ".atx", ".ixs", ".mxs", ".qix", ".qpj", ".qmd", ".fix", ".xml", ".shp.xml", ".shp.iso.xml",
)  # fmt: skip
#: Files that belong to a GeoPackage or SQLite database ``<name>`` (checked for every input).
DATABASE_PARTS = ("-wal", "-shm", "-journal")


def _family(path: Path) -> tuple[set[Path], set[tuple[int, int]]]:
    """Paths (folder-resolved, lower-case names) and file identities of one input dataset."""
    names: set[Path] = set()
    ids: set[tuple[int, int]] = set()
    for given in {path, Path(os.path.realpath(path))}:
        folder = Path(os.path.realpath(given.parent))
        members = [folder / given.name]
        members += [folder / f"{given.name}{part}" for part in DATABASE_PARTS]
        suffix = given.suffix.lower()
        if suffix == ".shp":
            members += [folder / f"{given.stem}{part}" for part in SHAPEFILE_PARTS]
        for member in members:
            names.add(member.with_name(member.name.lower()))
        if suffix == ".shp" and folder.is_dir():  # sidecars in any letter case
            stem = given.stem.lower()
            parts = {p.lower() for p in SHAPEFILE_PARTS}
            for other in folder.iterdir():
                low = other.name.lower()
                if low.startswith(stem + ".") and low[len(stem) :] in parts:
                    members.append(other)
        for member in members:
            with contextlib.suppress(OSError):
                info = os.stat(member)
                ids.add((info.st_dev, info.st_ino))
    return names, ids


def _same_as_input(out: Path, inputs: Iterable[Path]) -> Path | None:
    """The input dataset that ``out`` is, or links to, a file of (None when it is not)."""
    real = Path(os.path.realpath(out))
    candidates = {out.parent.resolve() / out.name.lower(), real.with_name(real.name.lower())}
    try:
        info = os.stat(out)
        out_id = (info.st_dev, info.st_ino)
    except OSError:
        out_id = None
    for source in inputs:
        names, ids = _family(Path(source))
        if candidates & names or (out_id is not None and out_id in ids):
            return Path(source)
    return None


def check_output(
    path: str | os.PathLike[str] | None,
    option: str,
    inputs: Iterable[str | os.PathLike[str]] = (),
    suffixes: tuple[str, ...] = (),
) -> Path | None:
    """Check an output path before any work; return it (None when ``path`` is empty).

    Parameters
    ----------
    path
        The output file as the user gave it.
    option
        How the user named it (``"--out"``), for the message.
    inputs
        Every input file of the run (boundaries, indicators, config...); their whole datasets are
        protected.
    suffixes
        Allowed file name endings (lower case, e.g. ``(".csv",)``); empty = any.

    Raises
    ------
    InputError
        Wrong suffix, part of an input dataset, folder missing, not a folder or not writable.
    """
    if path is None or str(path) == "":
        return None
    out = Path(path)
    if suffixes and out.suffix.lower() not in suffixes:
        raise InputError(
            "errors.output.suffix", option=option, file=out, suffixes=Listing(suffixes, last="or")
        )
    source = _same_as_input(out, [Path(p) for p in inputs])
    if source is not None:
        raise InputError("errors.output.is_input", option=option, file=out, dataset=source)
    folder = Path(os.path.realpath(out)).parent
    if not folder.exists():
        raise InputError("errors.output.no_folder", option=option, file=out, folder=out.parent)
    if not folder.is_dir():
        raise InputError("errors.output.not_folder", option=option, file=out, folder=out.parent)
    if Path(os.path.realpath(out)).is_dir():
        raise InputError("errors.output.is_folder", option=option, file=out)
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise _cannot_write(option, out, err) from None
    return out


def _cannot_write(option: str, out: Path, err: OSError) -> InputError:
    return InputError(
        "errors.output.cannot_write",
        option=option,
        file=out,
        folder=out.parent,
        error=err.strerror or type(err).__name__,
    )


def _umask() -> int:
    """The process umask, read without changing it (Linux ``/proc``; else the usual 022)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def write_output(path: str | os.PathLike[str], data: str | bytes, option: str = "--out") -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; return the path written.

    The data goes to a temporary file in the target's folder, is flushed to disk, and replaces
    the target in one :func:`os.replace`: readers see the old file or the new one, never a part.
    A target that exists keeps its permissions; a new one gets the usual ``0666 & ~umask``.

    Raises
    ------
    InputError
        The folder cannot be written (the message names it); nothing is left behind.
    """
    out = Path(path)
    target = Path(os.path.realpath(out))
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as err:
        raise _cannot_write(option, out, err) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return out

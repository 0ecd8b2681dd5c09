"""Records that pandas must share between frames, not copy.

pandas deep-copies ``DataFrame.attrs`` / ``Series.attrs`` on nearly every operation (a column
access, ``.loc``, a comparison). A record written once when a file is read and only read
afterwards (how the file was read, the raw cell texts) may be shared by every copy instead:
keep it in a :class:`SharedInfo`.
"""

from __future__ import annotations


class SharedInfo(dict):
    """A dict that copies (shallow or deep) return as itself. Write it once, then only read."""

    def __deepcopy__(self, memo) -> SharedInfo:
        return self

    def __copy__(self) -> SharedInfo:
        return self

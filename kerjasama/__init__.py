"""kerjasama: find where neighbouring kabupaten/kota should cooperate on public services.

The analysis lives in the ``geo`` (boundaries, CRS, adjacency) and ``analysis`` (indicators,
sectors, scoring, clustering, export) packages; this package holds the command line and the
shared plumbing (data folder discovery, user-facing errors).
"""

__version__ = "0.1.0"

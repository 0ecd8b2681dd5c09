"""The agreements registry: from suggestion to signed PKS to monthly monitoring.

Layer: may import ``common``, ``geo`` and ``analysis``; only ``kerjasama`` (command line,
presentation) and ``app.py`` import it. Public face:

* :class:`registry.store.Registry` (``Registry.open(url, local_user=..., places=...)``): reads
  (``list``, ``get``, ``history``, ``alerts``, ``open_alerts``, ``agreements_overlapping``) and
  attributed, audited writes (``add``, ``add_many``, ``edit``, ``advance``,
  ``record_monitoring``, ``commit_budget``, ``add_document``, ``draft_from_candidate``).
* :mod:`registry.auth`: editor accounts and app logins (``create_user``, ``verify``, ``login``,
  ``require_editor``, ``logout``).
* :mod:`registry.db`: database URL, creation and migration (``upgrade``).
* :mod:`registry.exchange`: import files, CSV and GeoJSON export; :mod:`registry.seed`: the
  documented arrangements.
* :mod:`registry.alerts`: the follow-up rules; thresholds in ``[registry.alerts]`` of
  ``analysis/sectors.toml``.

See ``docs/registry.md``.
"""

from registry.store import Registry

__all__ = ["Registry"]

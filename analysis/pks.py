"""The minimum contents of a cooperation agreement (PKS): one list for every part of the tool.

PP 50/2007 (kept in practice after PP 28/2018; check against Permendagri 22/2020) asks a
Perjanjian Kerja Sama to state at least: the parties, the object, the scope, rights and
obligations, the duration, termination, force majeure and dispute settlement. The briefing pack
pre-fills this checklist for a suggestion; the agreements registry records which clauses a signed
PKS holds. Labels live in the text catalogue (:data:`LABEL_KEYS`).
"""

from __future__ import annotations

#: Clause ids in the order a PKS lists them.
CLAUSES: tuple[str, ...] = (
    "parties",
    "object",
    "scope",
    "rights",
    "duration",
    "termination",
    "force_majeure",
    "dispute",
)


#: Catalogue key of each clause's label.
LABEL_KEYS: dict[str, str] = {
    "parties": "ui.pks_parties",
    "object": "ui.pks_object",
    "scope": "ui.pks_scope",
    "rights": "ui.pks_rights",
    "duration": "ui.pks_duration",
    "termination": "ui.pks_termination",
    "force_majeure": "ui.pks_force_majeure",
    "dispute": "ui.pks_dispute",
}


def label_key(clause: str) -> str:
    """Catalogue key of a clause's label, e.g. ``"ui.pks_scope"`` (KeyError if unknown)."""
    return LABEL_KEYS[clause]

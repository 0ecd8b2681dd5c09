"""The registry's thresholds: the ``[registry]`` table of the sector config.

``[registry.alerts]`` holds the follow-up alert thresholds and ``[registry.auth]`` the login
settings (see ``analysis/sectors.toml``). The table is validated when the config is loaded
(:data:`analysis.config.REGISTRY`: known keys, whole numbers in range); every key is optional
and takes the default below when left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AlertSettings:
    """Follow-up alert thresholds (``[registry.alerts]``)."""

    kb_without_pks_months: int = 6
    pks_ending_days: int = 180
    monitoring_interval_months: int = 1
    monitoring_grace_days: int = 10
    budget_from_month: int = 7
    overlap_min_shared: int = 2


@dataclass(frozen=True)
class AuthSettings:
    """Login settings (``[registry.auth]``)."""

    session_hours: int = 8
    min_password_length: int = 10


@dataclass(frozen=True)
class Settings:
    """Everything the ``[registry]`` table sets."""

    alerts: AlertSettings = AlertSettings()
    auth: AuthSettings = AuthSettings()


def settings_from(config: Any = None) -> Settings:
    """:class:`Settings` of a loaded :class:`analysis.config.Config` (default: the packaged one)."""
    if config is None:
        from analysis.config import load_config

        config = load_config()
    raw = dict(getattr(config, "registry", {}) or {})
    return Settings(
        alerts=AlertSettings(**dict(raw.get("alerts") or {})),
        auth=AuthSettings(**dict(raw.get("auth") or {})),
    )

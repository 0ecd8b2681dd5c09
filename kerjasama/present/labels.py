"""Labels of the analysis vocabulary (cooperation forms, score components) in each language."""

from __future__ import annotations

from common.text import t

#: catalogue key of each cooperation form (``analysis.ranking.FORMS``)
FORM_KEYS = {"joint": "ui.form_joint", "contract": "ui.form_contract"}
#: catalogue key of each score component (``analysis.ranking.COMPONENTS``)
COMPONENT_KEYS = {
    "need": "ui.component_need",
    "scale": "ui.component_scale",
    "cohesion": "ui.component_cohesion",
    "capacity": "ui.component_capacity",
    "client_need": "ui.component_client_need",
    "complementarity": "ui.component_complementarity",
    "linkage": "ui.component_linkage",
    "reach": "ui.component_reach",
}


def form_label(form: str, lang: str) -> str:
    """Label of a cooperation form (``joint`` / ``contract``) in ``lang``; the name if unknown."""
    key = FORM_KEYS.get(str(form))
    return t(key, lang) if key else str(form)


def component_label(name: str, lang: str) -> str:
    """Label of a score component (``need``, ``capacity``...) in ``lang``; the name if unknown."""
    key = COMPONENT_KEYS.get(str(name))
    return t(key, lang) if key else str(name)

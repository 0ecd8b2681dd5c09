"""kerjasama: the Streamlit app (``streamlit run app.py``).

Thin wiring only: the page configuration and the navigation between pages
(``kerjasama/webapp/``). The map page is the default; another page (e.g. the agreements
registry) is one more ``st.Page`` in ``PAGES``. Every error a planner can cause is shown in the
chosen language, never as a traceback.
"""

from __future__ import annotations

import streamlit as st

from common.errors import KerjasamaError
from common.text import t, translator
from kerjasama.webapp import mappage, registrypage
from kerjasama.webapp.panels import plain

st.set_page_config(page_title="kerjasama", page_icon=":handshake:", layout="wide")


def guarded(render):
    """A page function that shows a planner's error in their language instead of raising."""

    def page() -> None:
        try:
            render()
        except KerjasamaError as err:
            lang = st.session_state.get("lang")
            message = plain(err.render(lang, "app"))  # names in it are the user's text
            st.error(f"**{translator(lang)('ui.error_heading')}**\n\n{message}")

    page.__name__ = render.__name__
    return page


lang = st.session_state.get("lang", "id")
PAGES = [
    st.Page(
        guarded(mappage.page),
        title=t("ui.page_map", lang),
        icon=":material/map:",
        url_path="peta",
        default=True,
    ),
    st.Page(
        guarded(registrypage.page),
        title=t("registry.app.title", lang),
        icon=":material/handshake:",
        url_path="registri",
    ),
]
st.navigation(PAGES, position="hidden" if len(PAGES) == 1 else "sidebar").run()

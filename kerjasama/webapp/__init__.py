"""The Streamlit app's pages and widgets (``app.py`` only wires them into a navigation).

``mappage`` is the cooperation map; ``state`` keeps the view in the URL and the selection by
``cluster_id``; ``compute`` caches every step that does not change with the widget that moved;
``panels`` draws the detail, comparison, data and download panels; ``mapview`` draws the
folium map with streamlit-folium. A second page (the agreements registry) plugs in next to
``mappage``.
"""

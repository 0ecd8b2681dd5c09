"""The bottom layer shared by every package: user-facing errors and the text catalogue.

``common`` imports nothing from the project; ``geo`` ← ``analysis`` ← ``registry`` ← ``kerjasama``
(CLI and presentation) ← ``app.py`` all build on it.
"""

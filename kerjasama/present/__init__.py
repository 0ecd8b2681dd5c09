"""Presentation: turning the facts of ``geo`` and ``analysis`` into words, tables, maps and files.

Every string comes from the text catalogue (:mod:`common.text`); nothing here computes analysis
results.
"""

"""Indicators, sectors, scoring, clustering and export for kerja sama daerah suggestions."""

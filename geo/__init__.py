"""Boundaries, coordinate reference systems and adjacency of kabupaten/kota."""

"""Bulk, deterministic data for `make bench` (docs/performance.md, "make bench")."""

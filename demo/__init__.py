"""Deterministic demo and scale data: patterns as pure generators, and the builder.

`pattern_of(external_id)` tells which behaviour a generated account was given, so tests of
the scoring rules can check their answer against it.
"""

from demo.patterns import Pattern, pattern_of

__all__ = ["Pattern", "pattern_of"]

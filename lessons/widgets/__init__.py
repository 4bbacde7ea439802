"""Widgets for the lessons: thin ipywidgets containers over :mod:`lessons.charts` and :mod:`lessons.data`.

Re-exports, loaded when first used (so ``import lessons.widgets.exercises`` does not pay for the
others)::

    from .history import TimelineExplorer, StructureExplorer, BoardTimeline, OwnershipExplorer
    from .calculators import CappedReturnCalculator, BidCalculator
    from .exercises import ClaimChecker, ArgumentSorter, StructureComparator, Quiz, show_sources, glossary_table
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "TimelineExplorer": "history", "StructureExplorer": "history", "BoardTimeline": "history",
    "OwnershipExplorer": "history",
    "CappedReturnCalculator": "calculators", "BidCalculator": "calculators",
    "ClaimChecker": "exercises", "ArgumentSorter": "exercises", "StructureComparator": "exercises",
    "Quiz": "exercises", "show_sources": "exercises", "glossary_table": "exercises",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lessons.widgets' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])

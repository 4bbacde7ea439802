"""Who controls OpenAI? — the Python side of the lessons.

``import lessons`` is cheap: the data module, the charts and the widgets load when first used.

>>> import lessons
>>> lessons.setup()                      # plotly renderer and template, language
>>> lessons.data.events().head()         # the sourced data
>>> lessons.TimelineExplorer()           # a widget
>>> lessons.check("4.1", answer)         # a friendly verdict on an exercise
"""

from __future__ import annotations

import importlib

from .i18n import get_language, set_language

__version__ = "0.1.0"

_WIDGETS = ("TimelineExplorer", "StructureExplorer", "BoardTimeline", "CappedReturnCalculator", "BidCalculator",
            "OwnershipExplorer", "ClaimChecker", "ArgumentSorter", "StructureComparator", "Quiz")
__all__ = ["setup", "set_language", "get_language", "check", "show_sources", "data", "charts", "widgets", *_WIDGETS]


def setup(language: str = "en") -> None:
    """Prepare a lesson: plotly's renderer and template set explicitly, and the language.

    The ``plotly_mimetype`` renderer works offline (JupyterLab draws it with the extension inside the
    plotly wheel) and gives the same output on every machine; the template is fixed so that a user's
    own plotly settings cannot change how a chart looks.
    """
    import plotly.io as pio

    from .charts import TEMPLATE

    pio.renderers.default = "plotly_mimetype"
    pio.templates.default = TEMPLATE
    set_language(language)


def __getattr__(name: str):
    if name in ("data", "charts", "widgets", "teacher"):
        return importlib.import_module(f".{name}", __name__)
    if name in _WIDGETS:
        return getattr(importlib.import_module(".widgets", __name__), name)
    if name == "check":
        return importlib.import_module(".check", __name__).check
    if name == "show_sources":
        return importlib.import_module(".widgets", __name__).show_sources
    raise AttributeError(f"module 'lessons' has no attribute {name!r}")

"""Who controls OpenAI? — the Python side of the lessons.

``import lessons`` is cheap: the data module, the charts and the widgets load when first used.

>>> import lessons
>>> lessons.setup(renderer="plotly_mimetype", template="plotly_white", language="en")
>>> lessons.data.events().head()         # the sourced data
>>> lessons.TimelineExplorer()           # a widget
>>> lessons.check("4.1", answer)         # a friendly verdict on an exercise
>>> lessons.show(lessons.data.bid())     # a table as a learner reads it: dates at their precision, names
"""

from __future__ import annotations

import importlib

from .i18n import get_language, set_language

__version__ = "0.1.0"

_WIDGETS = ("TimelineExplorer", "StructureExplorer", "BoardTimeline", "CappedReturnCalculator", "BidCalculator",
            "OwnershipExplorer", "ClaimChecker", "ArgumentSorter", "StructureComparator", "Quiz")
__all__ = ["setup", "set_language", "get_language", "check", "show", "show_sources", "data", "charts", "widgets", *_WIDGETS]


def setup(*, renderer: str = "plotly_mimetype", template: str = "plotly_white", language: str = "en") -> None:
    """Prepare a lesson: plotly's renderer and template, and the language of labels and data text.

    Lessons pass every argument explicitly so that nothing depends on a user's own settings. The
    ``plotly_mimetype`` renderer works offline (JupyterLab draws it with the extension inside the plotly
    wheel) and gives the same output on every machine. Avoid ``notebook_connected`` (it needs a CDN) and
    ``notebook`` (it embeds 5 MB of plotly.js in every notebook).
    """
    import sys

    # plotly.io imports nbformat, whose jsonschema imports rfc3987_syntax if it is installed (JupyterLab
    # brings it): that module builds a parser at import, about 1 s of every lesson's start, for URI
    # formats nothing here checks. jsonschema treats the module as optional; mark it absent unless
    # something imported it already.
    sys.modules.setdefault("rfc3987_syntax", None)
    import plotly.io as pio

    if renderer not in pio.renderers:
        raise ValueError(f"renderer: expected a plotly renderer such as 'plotly_mimetype'; got {renderer!r}.")
    if template not in pio.templates:
        raise ValueError(f"template: expected a plotly template such as 'plotly_white'; got {template!r}.")
    pio.renderers.default = renderer
    pio.templates.default = template
    set_language(language)


def __getattr__(name: str):
    if name in ("data", "charts", "widgets", "teacher"):
        return importlib.import_module(f".{name}", __name__)
    if name in _WIDGETS:
        return getattr(importlib.import_module(".widgets", __name__), name)
    if name == "check":
        # The function lives in `lessons.checking`: a submodule named `check` would replace it on import.
        return importlib.import_module(".checking", __name__).check
    if name == "show":
        return importlib.import_module(".tables", __name__).readable
    if name == "show_sources":
        return importlib.import_module(".widgets", __name__).show_sources
    raise AttributeError(f"module 'lessons' has no attribute {name!r}")

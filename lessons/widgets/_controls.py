"""Controls that a learner can use without knowing a keyboard trick.

A multiple-selection list (``SelectMultiple``) needs Ctrl-click or Shift-click to choose several
items, which most learners do not know: one plain click silently deselects everything else. A group
of checkboxes shows every choice and its state, and each click changes one item.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import traitlets

__all__ = ["CheckboxGroup"]


class CheckboxGroup(widgets.VBox):
    """A labelled group of checkboxes whose ``value`` is the tuple of the checked options' values,
    in the order of ``options`` (``(label, value)`` pairs), like ``SelectMultiple``'s.

    Set ``value`` to check exactly those options (unknown values are refused with a ``TraitError``
    naming them); observe ``value`` to react to a learner's clicks.
    """

    value = traitlets.Tuple()

    def __init__(self, options, value=(), description: str = "", columns: int = 1):
        self.options = [(str(label), option) for label, option in options]
        self.description = description
        self._boxes = [widgets.Checkbox(value=False, description=label, indent=False,
                                        layout=widgets.Layout(width="auto"))
                       for label, _option in self.options]
        heading = widgets.HTML(f"<strong class='lessons-group-label'>{escape(description)}</strong>")
        rows = [widgets.HBox(self._boxes[start:start + columns]) for start in range(0, len(self._boxes), columns)]
        super().__init__([heading, *rows])
        self.add_class("lessons-checkbox-group")
        self._syncing = False
        self.value = tuple(value)
        for box in self._boxes:
            box.observe(self._on_click, "value")

    @property
    def _options_values(self) -> tuple:
        return tuple(option for _label, option in self.options)

    @property
    def _options_labels(self) -> tuple:
        return tuple(label for label, _option in self.options)

    @traitlets.validate("value")
    def _valid(self, proposal):
        wanted = tuple(proposal["value"])
        unknown = [item for item in wanted if item not in self._options_values]
        if unknown:
            raise traitlets.TraitError(f"{self.description}: unknown option(s) {unknown!r}; expected values among "
                                       f"{list(self._options_values)!r}.")
        return tuple(option for option in self._options_values if option in wanted)

    @traitlets.observe("value")
    def _show(self, change):
        self._syncing = True
        try:
            for box, option in zip(self._boxes, self._options_values):
                box.value = option in change["new"]
        finally:
            self._syncing = False

    def _on_click(self, _change):
        if not self._syncing:
            self.value = tuple(option for box, option in zip(self._boxes, self._options_values) if box.value)

"""Publishing: the lessons as a rendered website and as printable handouts.

A room on top of the house: it reads the notebooks, the data and the charts' static views, and nothing
else in ``lessons`` imports it. ``outline`` reads what each lesson is about; ``site`` writes the website
(``python -m lessons site DEST``).
"""

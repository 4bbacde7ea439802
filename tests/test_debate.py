"""A fair debate: the arguments of ``data/arguments.csv`` give each side its strongest case.

Only ``for-profit`` and ``nonprofit`` rows are scored as a side; ``both`` rows serve the two sides and
``neither`` rows answer another question (open versus proprietary models, regulation). Each side
carries the themes its proponents actually argue, each argument is dated, attributed and sourced.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lessons import data
from lessons.charts import debate

# The themes each side must carry (issue 12, "A fair debate"), as values of the ``kind`` column.
THEMES = {
    "for-profit": {"capital", "talent", "competition", "governance", "philanthropy"},
    "nonprofit": {"charitable-assets", "accountability", "conflicts-of-interest", "safety", "oversight"},
}


@pytest.fixture(scope="module")
def arguments() -> pd.DataFrame:
    return data.arguments()


def test_the_two_sides_have_as_many_arguments_within_one(arguments):
    counts = debate.arguments_per_side(arguments)
    assert abs(counts["for-profit"] - counts["nonprofit"]) <= 1, counts.to_dict()


@pytest.mark.parametrize("side", sorted(THEMES))
def test_each_side_makes_its_strongest_case(arguments, side):
    kinds = set(arguments.loc[arguments["side"] == side, "kind"].astype(str))
    assert THEMES[side] <= kinds, f"{side}: no argument about {sorted(THEMES[side] - kinds)}"


def test_openness_is_not_scored_as_a_side(arguments):
    openness = arguments[arguments["kind"] == "openness"]
    assert len(openness) > 0
    assert set(openness["side"].astype(str)) == {"neither"}


def test_every_side_the_sorter_offers_is_a_side_of_the_data(arguments):
    assert set(arguments["side"].astype(str)) <= set(debate.SIDES)
    assert debate.SCORED_SIDES == ("for-profit", "nonprofit")


def test_every_argument_is_dated_attributed_and_sourced(arguments):
    assert arguments["date"].notna().all()
    assert arguments["date_precision"].notna().all()
    known = set(data.people()["id"]) | set(data.organisations()["id"])
    assert set(arguments["made_by_id"]) <= known
    sources = set(data.sources()["id"])
    for row in arguments.itertuples():
        assert list(row.source_ids), row.id
        assert set(row.source_ids) <= sources, row.id


def test_arguments_per_side_counts_every_side_even_an_empty_one():
    frame = pd.DataFrame({"side": ["nonprofit", "nonprofit", "neither"]})
    assert debate.arguments_per_side(frame).to_dict() == {"for-profit": 0, "nonprofit": 2, "both": 0, "neither": 1}

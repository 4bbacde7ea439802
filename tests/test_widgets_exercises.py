"""The exercise widgets: claim checker, argument sorter, structure comparator, quiz, sources, glossary.

Run against the real data in data/; expectations are read from lessons.data, so a row a teacher adds
keeps these tests true. Injection tests poison a copy of data/ (the ``data_copy`` fixture of
conftest.py).
"""

from __future__ import annotations

import html

import hypothesis.strategies as st
import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings

import lessons
from conftest import html_values
import lessons.data
from lessons.charts import debate
from lessons.i18n import date_text
from lessons.widgets.exercises import (ArgumentSorter, ClaimChecker, Quiz, StructureComparator, glossary_table,
                                       show_sources)

SCRIPT, IMAGE = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
POISON = f"Poisoned {SCRIPT} and {IMAGE}"
ESCAPED_SCRIPT, ESCAPED_IMAGE = html.escape(SCRIPT), html.escape(IMAGE)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------------------------

def all_html(widget) -> str:
    return "\n".join(html_values(widget))


def assert_escaped(widget) -> None:
    values = html_values(widget)
    for value in values:
        assert SCRIPT not in value and IMAGE not in value, value
    joined = "\n".join(values)
    assert ESCAPED_SCRIPT in joined and ESCAPED_IMAGE in joined


def text_of(value: str) -> str:
    return html.unescape(value)


def claims() -> pd.DataFrame:
    return lessons.data.claims().sort_values(["position", "id"]).reset_index(drop=True)


def arguments_shown(sorter) -> pd.DataFrame:
    return debate.arguments_in_order(lessons.data.arguments())


def first_url(source_ids) -> str:
    urls = lessons.data.sources_for(list(source_ids))["url"].dropna()
    return urls.iloc[0] if len(urls) else ""


def lesson_quiz(lesson="04") -> pd.DataFrame:
    return debate.quiz_for_lesson(lessons.data.quiz(), lesson)


def right_answer(row) -> object:
    return float(row["answer"]) if row["kind"] == "numeric" else int(row["answer"])


def wrong_answer(row) -> object:
    if row["kind"] == "numeric":
        return float(row["answer"]) + 10 * (float(row["tolerance"]) if pd.notna(row["tolerance"]) else 0) + 1
    return (int(row["answer"]) + 1) % len(debate.split_options(row["options_en"]))


# --------------------------------------------------------------------------------------------
# ClaimChecker.
# --------------------------------------------------------------------------------------------

def right_evidence(row) -> str:
    return row["evidence_ids"][0]


def answer_claim(checker, index, verdict, evidence) -> None:
    """What a learner does for one claim: pick a verdict and the evidence it rests on."""
    checker.choices[index].value = verdict
    checker.evidence[index].value = evidence


def test_claim_checker_lists_every_claim_in_article_order_with_nothing_chosen():
    checker, expected = ClaimChecker(), claims()
    assert len(checker.choices) == len(expected) == len(checker.feedback) == len(checker.evidence)
    assert all(choice.value is None for choice in [*checker.choices, *checker.evidence])
    page = text_of(all_html(checker))
    positions = [page.index(text) for text in expected["claim_fr"]]
    assert positions == sorted(positions)
    assert checker.correct_count == checker.evidence_count == checker.answered_count == 0
    assert f"verdicts 0 of {len(expected)}, evidence 0 of {len(expected)}" in text_of(checker.score.value)


def test_claim_checker_in_english_shows_the_french_claim_with_its_translation():
    checker, row = ClaimChecker(), claims().iloc[0]
    first_card = text_of(checker.children[1].children[0].value)
    assert row["claim_fr"] in first_card and f"In English: {row['claim_en']}" in first_card


def test_claim_checker_offers_the_four_verdicts_under_a_visible_label():
    choice = ClaimChecker().choices[0]
    assert [value for _label, value in choice.options] == ["accurate", "inaccurate", "incomplete", "outdated"]
    assert choice.description == "Your verdict"


def test_claim_checker_offers_the_right_evidence_mixed_with_the_decoys():
    checker, expected = ClaimChecker(), claims()
    for control, (_index, row) in zip(checker.evidence, expected.iterrows()):
        offered = [value for _label, value in control.options]
        assert sorted(offered) == sorted([*row["evidence_ids"], *row["decoy_ids"]])
        assert control.description == "Your evidence"
    firsts = {control.options[0][1] in row["evidence_ids"] for control, (_i, row) in zip(checker.evidence,
                                                                                         expected.iterrows())}
    assert firsts == {True, False}, "the right evidence should not always come first"


def test_claim_checker_labels_a_source_by_publisher_title_and_date_and_a_data_row_by_its_date():
    checker, expected = ClaimChecker(), claims()
    index = expected.index[expected["id"] == "claim-01-amount"][0]
    labels = dict((value, label) for label, value in checker.evidence[index].options)
    assert labels["reuters-2025-02-10"].startswith("Reuters, “Musk-led group makes $97.4 billion bid")
    assert labels["reuters-2025-02-10"].endswith("(wire report), 10 February 2025")
    assert labels["bid-2025-02-10-offer"].startswith("Lesson data, the bid's steps: 10 February 2025, A consortium")


def test_claim_checker_reveals_nothing_until_verdict_and_evidence_are_both_chosen():
    checker, row = ClaimChecker(), claims().iloc[0]
    checker.choices[0].value = row["verdict"]
    assert checker.feedback[0].value == "" and checker.answered_count == 0
    checker.choices[0].value = None
    checker.evidence[0].value = right_evidence(row)
    assert checker.feedback[0].value == "" and checker.answered_count == 0
    checker.choices[0].value = row["verdict"]
    assert "Right" in checker.feedback[0].value and checker.answered_count == 1


def test_claim_checker_right_picks_show_verdict_evidence_explanation_and_clickable_sources():
    checker, row = ClaimChecker(), claims().iloc[0]
    answer_claim(checker, 0, row["verdict"], right_evidence(row))
    feedback = checker.feedback[0].value
    assert "Right" in feedback and f"“{row['verdict']}”" in text_of(feedback) and "Good evidence" in feedback
    assert html.escape(row["explanation_en"]) in feedback
    url = first_url(row["source_ids"])
    assert f'<a href="{html.escape(url)}"' in feedback and 'target="_blank"' in feedback
    assert checker.correct_count == checker.evidence_count == checker.answered_count == 1


def test_claim_checker_a_decoy_scores_the_verdict_but_not_the_evidence():
    checker, row = ClaimChecker(), claims().iloc[0]
    answer_claim(checker, 0, row["verdict"], row["decoy_ids"][0])
    assert "does not settle this claim" in text_of(checker.feedback[0].value)
    assert (checker.correct_count, checker.evidence_count, checker.answered_count) == (1, 0, 1)


def test_claim_checker_wrong_pick_names_the_pick_and_the_evidence_verdict():
    checker, row = ClaimChecker(), claims().iloc[0]
    wrong = next(v for v in debate.VERDICTS if v != row["verdict"])
    answer_claim(checker, 0, wrong, right_evidence(row))
    feedback = text_of(checker.feedback[0].value)
    assert "Not quite" in feedback and f"you said “{wrong}”" in feedback and f"says “{row['verdict']}”" in feedback
    assert (checker.correct_count, checker.evidence_count, checker.answered_count) == (0, 1, 1)


def test_claim_checker_2019_departure_claim_is_rated_inaccurate():
    checker, expected = ClaimChecker(), claims()
    index = expected.index[expected["claim_en"].str.contains("2019") & expected["claim_en"].str.contains("left")][0]
    answer_claim(checker, index, "inaccurate", right_evidence(expected.loc[index]))
    assert "Right" in checker.feedback[index].value and "2018" in checker.feedback[index].value


def test_claim_checker_score_counts_verdicts_evidence_and_answered():
    checker, expected = ClaimChecker(), claims()
    answer_claim(checker, 0, expected.loc[0, "verdict"], expected.loc[0, "decoy_ids"][0])
    answer_claim(checker, 1, next(v for v in debate.VERDICTS if v != expected.loc[1, "verdict"]),
                 right_evidence(expected.loc[1]))
    checker.choices[2].value = expected.loc[2, "verdict"]
    total = len(expected)
    assert (checker.correct_count, checker.evidence_count, checker.answered_count) == (1, 1, 2)
    score = text_of(checker.score.value)
    assert f"Score: verdicts 1 of {total}, evidence 1 of {total} (2 of {total} answered)." in score


def test_claim_checker_clearing_a_choice_removes_its_feedback_and_its_points():
    checker, row = ClaimChecker(), claims().iloc[0]
    answer_claim(checker, 0, row["verdict"], right_evidence(row))
    checker.evidence[0].value = None
    assert checker.feedback[0].value == ""
    assert checker.correct_count == checker.evidence_count == checker.answered_count == 0


def test_claim_checker_for_the_core_of_lesson_04_lists_its_eight_claims_with_mixed_verdicts():
    checker = ClaimChecker(lesson="04", part="core")
    core = claims().query("lesson == '04' and part == 'core'")
    assert len(checker.choices) == len(core) == 8
    assert set(core["verdict"]) == set(debate.VERDICTS)
    assert "Score: verdicts 0 of 8, evidence 0 of 8" in text_of(checker.score.value)
    page = text_of(all_html(checker))
    assert all(text in page for text in core["claim_fr"])
    assert not any(text in page for text in claims().query("part == 'further'")["claim_fr"])


def test_claim_checker_lesson_parts_together_list_every_claim():
    core, further = ClaimChecker(lesson=4, part="core"), ClaimChecker(lesson="04", part="further")
    assert len(core.choices) + len(further.choices) == len(claims())


@pytest.mark.parametrize(("arguments", "message"), [
    ({"lesson": "four"}, "lesson: expected a lesson number such as 4 or \"04\"; got 'four'."),
    ({"part": "all"}, "part: expected \"core\", \"further\" or None; got 'all'."),
    ({"lesson": "09"}, "No claim of lesson 09 (None) in data/claims.csv: there is nothing to check."),
])
def test_claim_checker_bad_arguments_give_one_message_naming_the_parameter(arguments, message):
    checker = ClaimChecker(**arguments)
    assert checker.choices == [] and message in checker.message.text


def test_claim_checker_evidence_listed_as_decoy_too_names_the_row(data_copy):
    row = claims().iloc[0]
    data_copy.set("claims", row["id"], "decoy_ids", ";".join([row["evidence_ids"][0], *row["decoy_ids"]]))
    lessons.data.reload()
    checker = ClaimChecker()
    assert checker.choices == []
    assert (f"data/claims.csv, row '{row['id']}': {row['evidence_ids'][0]} in both 'evidence_ids' and 'decoy_ids'"
            in checker.message.text)


def test_claim_checker_evidence_that_is_no_source_nor_bid_row_names_the_row_and_column(data_copy):
    row = claims().iloc[0]
    data_copy.set("claims", row["id"], "evidence_ids", "no-such-source")
    lessons.data.reload()
    checker = ClaimChecker()
    assert checker.choices == [] and "'evidence_ids'" in checker.message.text
    assert "data/sources.csv or data/bid.csv; 'no-such-source' does not" in checker.message.text


def test_claim_checker_right_evidence_is_among_the_verdicts_sources_or_the_bid_rows():
    bid_rows = set(lessons.data.bid()["id"])
    for _index, row in claims().iterrows():
        assert set(row["evidence_ids"]) <= set(row["source_ids"]) | bid_rows, row["id"]


def test_claim_checker_chart_appears_only_once_every_claim_is_answered():
    checker, expected = ClaimChecker(), claims()
    for index, (_i, row) in enumerate(expected.iloc[:-1].iterrows()):
        answer_claim(checker, index, row["verdict"], right_evidence(row))
    assert checker.panel.layout.display == "none" and checker.panel.figure is None
    answer_claim(checker, len(expected) - 1, "outdated", right_evidence(expected.iloc[-1]))
    assert checker.panel.layout.display != "none"
    figure, table = checker.panel.figure, checker.panel.table
    assert len(figure.data) == 2
    counts = expected["verdict"].value_counts()
    assert list(figure.data[0].y) == [int(counts.get(v, 0)) for v in debate.VERDICTS]
    assert sum(figure.data[1].y) == len(expected)
    assert table.shape == (4, 3) and list(table["Evidence says"]) == list(figure.data[0].y)
    assert f"Bar chart of the {len(expected)} claims by verdict" in checker.panel.summary_text
    last_right = expected["verdict"].iloc[-1] == "outdated"
    assert f"for {len(expected) - (0 if last_right else 1)} of {len(expected)}" in checker.panel.summary_text


def test_claim_checker_in_french_shows_french_labels_claims_and_explanations_without_translation():
    lessons.set_language("fr")
    checker, row = ClaimChecker(), claims().iloc[0]
    assert [label for label, _value in checker.choices[0].options] == ["exacte", "inexacte", "incomplète", "dépassée"]
    assert checker.choices[0].description == "Votre verdict" and checker.evidence[0].description == "Votre preuve"
    assert html.escape(row["claim_fr"]) in all_html(checker) and "En anglais" not in all_html(checker)
    answer_claim(checker, 0, row["verdict"], right_evidence(row))
    assert "Juste" in checker.feedback[0].value and html.escape(row["explanation_fr"]) in checker.feedback[0].value
    assert "Score\u00a0: verdicts 1 sur" in checker.score.value and "preuves 1 sur" in checker.score.value


def test_claim_checker_without_claims_file_shows_a_message(data_copy):
    (data_copy.folder / "claims.csv").unlink()
    lessons.data.reload()
    checker = ClaimChecker()
    assert checker.choices == [] and "could not be loaded" in checker.message.text
    assert "claims.csv" in checker.message.text


def test_claim_checker_escapes_claim_explanation_and_source_title(data_copy):
    row = claims().iloc[0]
    data_copy.set("claims", row["id"], "claim_en", POISON)
    data_copy.set("claims", row["id"], "claim_fr", POISON)
    data_copy.set("claims", row["id"], "explanation_en", POISON)
    data_copy.set("sources", row["source_ids"][0], "title", POISON)
    checker = ClaimChecker()
    answer_claim(checker, 0, row["verdict"], right_evidence(row))
    assert_escaped(checker)


@FAST
@given(st.lists(st.tuples(st.integers(min_value=-3, max_value=40), st.booleans(),
                          st.sampled_from([*debate.VERDICTS, None, "bogus", "", 3, 0])), max_size=30))
def test_claim_checker_survives_any_sequence_of_picks(moves):
    checker = ClaimChecker()
    for index, on_evidence, value in moves:
        if not 0 <= index < len(checker.choices):
            continue
        control = checker.evidence[index] if on_evidence else checker.choices[index]
        if on_evidence and value == 0:
            value = control.options[0][1]
        try:
            control.value = value
        except traitlets.TraitError:
            # the control itself refuses a value it does not offer
            assert value is not None and value not in [option for _label, option in control.options]
    expected = claims()
    both = [(c.value, e.value) for c, e in zip(checker.choices, checker.evidence)]
    answered = [(pick, evidence, row) for (pick, evidence), (_i, row) in zip(both, expected.iterrows())
                if pick is not None and evidence is not None]
    assert checker.answered_count == len(answered)
    assert checker.correct_count == sum(pick == row["verdict"] for pick, _e, row in answered)
    assert checker.evidence_count == sum(evidence in row["evidence_ids"] for _p, evidence, row in answered)
    assert "lessons-warning" not in checker.message.value


# --------------------------------------------------------------------------------------------
# ArgumentSorter.
# --------------------------------------------------------------------------------------------

def test_argument_sorter_lists_every_argument_with_four_answers_and_nothing_chosen():
    sorter, expected = ArgumentSorter(), lessons.data.arguments()
    assert len(sorter.choices) == len(expected) == len(sorter.feedback)
    assert all(choice.value is None for choice in sorter.choices)
    assert [value for _label, value in sorter.choices[0].options] == ["for-profit", "nonprofit", "both", "neither"]
    assert [label for label, _value in sorter.choices[0].options] == ["for-profit", "nonprofit", "both sides",
                                                                      "neither side"]
    assert sorter.choices[0].description == "Side"
    page = text_of(all_html(sorter))
    assert all(text in page for text in expected["argument_en"])


def test_argument_sorter_mixes_the_sides_in_a_fixed_order():
    shown = arguments_shown(ArgumentSorter())
    assert shown["id"].tolist() == arguments_shown(ArgumentSorter())["id"].tolist()
    half = shown["side"].iloc[: len(shown) // 2]
    assert {"for-profit", "nonprofit"} <= set(half)  # not one block per side


def test_argument_sorter_feedback_names_who_made_it_when_and_the_source():
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    index = shown.index[shown["side"].isin(["for-profit", "nonprofit"])][0]
    row = shown.loc[index]
    sorter.choices[index].value = row["side"]
    feedback = sorter.feedback[index].value
    assert f"Right: an argument for the {row['side']} side." in text_of(feedback)
    assert html.escape(row["made_by_label_en"]) in feedback
    assert date_text(row["date"], row["date_precision"]) in feedback
    url = first_url(row["source_ids"])
    assert f'<a href="{html.escape(url)}"' in feedback


def test_argument_sorter_shows_dates_at_their_precision():
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    for precision in ("year", "month"):
        rows = shown.index[shown["date_precision"] == precision]
        if len(rows) == 0:
            continue
        index = rows[0]
        sorter.choices[index].value = "nonprofit"
        text = text_of(sorter.feedback[index].value)
        when = date_text(shown.loc[index, "date"], precision)
        assert f", {when}." in text
        assert date_text(shown.loc[index, "date"], "day") not in text


def test_argument_sorter_wrong_side_says_which_side_and_scores_nothing():
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    first, second = shown.index[shown["side"].isin(["for-profit", "nonprofit"])][:2]
    other = "nonprofit" if shown.loc[first, "side"] == "for-profit" else "for-profit"
    sorter.choices[first].value = other
    assert f"Not quite: this is an argument for the {shown.loc[first, 'side']} side." in \
        text_of(sorter.feedback[first].value)
    assert (sorter.correct_count, sorter.answered_count) == (0, 1)
    sorter.choices[second].value = shown.loc[second, "side"]
    assert f"Score: 1 of {len(shown)} correct (2 of {len(shown)} sorted)." in text_of(sorter.score.value)


def test_argument_sorter_accepts_neither_for_an_argument_about_another_question():
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    index = shown.index[shown["id"] == "arg-altman-open-source"][0]
    sorter.choices[index].value = "neither"
    text = text_of(sorter.feedback[index].value)
    assert "Right: this argument answers another question, not whether OpenAI should be a nonprofit." in text
    assert "Made by Sam Altman, OpenAI's CEO (online Q&A on Reddit), January 2025." in text
    assert (sorter.correct_count, sorter.answered_count) == (1, 1)


def test_argument_sorter_says_both_sides_when_a_side_was_picked_for_a_shared_argument():
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    index = shown.index[shown["id"] == "arg-2019-capped-profit"][0]
    sorter.choices[index].value = "for-profit"
    assert "Not quite: both sides can use this argument." in text_of(sorter.feedback[index].value)
    assert sorter.correct_count == 0
    sorter.choices[index].value = "both"
    assert "Right: both sides can use this argument." in text_of(sorter.feedback[index].value)
    assert sorter.correct_count == 1


def test_argument_sorter_in_french_shows_french_sides_and_who_made_it():
    lessons.set_language("fr")
    sorter, shown = ArgumentSorter(), arguments_shown(ArgumentSorter())
    assert [label for label, _value in sorter.choices[0].options] == ["but lucratif", "but non lucratif",
                                                                      "les deux camps", "aucun camp"]
    sorter.choices[0].value = shown.loc[0, "side"]
    assert "Juste" in sorter.feedback[0].value
    assert html.escape(shown.loc[0, "made_by_label_fr"]) in sorter.feedback[0].value
    assert html.escape(shown.loc[0, "argument_fr"]) in all_html(sorter)


def test_argument_sorter_escapes_argument_and_who_made_it(data_copy):
    row = arguments_shown(None).iloc[0]
    data_copy.set("arguments", row["id"], "argument_en", POISON)
    data_copy.set("arguments", row["id"], "made_by_label_en", POISON)
    sorter = ArgumentSorter()
    sorter.choices[0].value = row["side"]
    assert_escaped(sorter)


@FAST
@given(st.lists(st.tuples(st.integers(min_value=-2, max_value=30),
                          st.sampled_from(["for-profit", "nonprofit", None, "both", "neither", "maybe", 1])), max_size=30))
def test_argument_sorter_survives_any_sequence_of_picks(moves):
    sorter = ArgumentSorter()
    for index, value in moves:
        if 0 <= index < len(sorter.choices):
            try:
                sorter.choices[index].value = value
            except traitlets.TraitError:
                assert value not in (*debate.SIDES, None)
    sides = arguments_shown(sorter)["side"].tolist()
    picks = [choice.value for choice in sorter.choices]
    assert sorter.correct_count == sum(p == s for p, s in zip(picks, sides))
    assert sorter.answered_count == sum(p is not None for p in picks)
    assert "lessons-warning" not in sorter.message.value


# --------------------------------------------------------------------------------------------
# StructureComparator.
# --------------------------------------------------------------------------------------------

def test_structure_comparator_shows_features_as_rows_and_organisations_as_columns():
    comparator, comparison = StructureComparator(), lessons.data.comparison()
    organisations = list(dict.fromkeys(comparison["organisation_label_en"]))
    assert organisations[:3] == ["OpenAI 2015", "OpenAI 2019", "OpenAI 2025"]
    assert list(comparator.frame.columns) == ["Feature", *organisations]
    assert list(comparator.frame["Feature"]) == [
        "Who appoints the board?", "Can outside investors hold equity?", "Are investors' returns capped?",
        "Is the mission legally binding?", "Who can enforce the mission?"]
    assert comparator.organisations.description == "Organisations" and comparator.features.description == "Features"
    row = comparison.iloc[0]
    assert html.escape(row["value_en"]) in comparator.table.value
    assert "<th scope='col'>OpenAI 2015</th>" in comparator.table.value


def test_structure_comparator_marks_reported_cells(data_copy):
    row = lessons.data.comparison().query("organisation_label_en == 'Mozilla' and feature == 'outside_equity'").iloc[0]
    data_copy.set("comparison", row["id"], "status", "reported")
    comparator = StructureComparator(organisations=["Mozilla"], features=["outside_equity"])
    assert comparator.frame.iloc[0, 1] == f"{row['value_en']} (reported)"
    assert html.escape(f"{row['value_en']} (reported)") in comparator.table.value
    assert "Cells marked (reported) rest on press reports the organisations did not confirm: 1." in text_of(
        comparator.summary.value)


def test_structure_comparator_every_reported_row_of_the_data_is_marked():
    comparator, comparison = StructureComparator(), lessons.data.comparison()
    for row in comparison[comparison["status"] == "reported"].itertuples():
        line = comparator.frame[comparator.frame["Feature"] == debate.feature_label(row.feature)].iloc[0]
        assert line[row.organisation_label_en].endswith("(reported)")


def test_structure_comparator_narrows_to_the_chosen_organisations_and_features():
    comparator = StructureComparator()
    comparator.organisations.value = ("Anthropic", "Mozilla")
    comparator.features.value = ("returns_capped",)
    assert comparator.frame.shape == (1, 3)
    assert list(comparator.frame.columns) == ["Feature", "Anthropic", "Mozilla"]
    summary = text_of(comparator.summary.value)
    assert "compares 2 organisation(s) (Anthropic, Mozilla) on 1 feature(s): Are investors' returns capped?" in summary
    assert "<a href=" in comparator.sources.value


def test_structure_comparator_with_nothing_selected_asks_for_a_choice():
    comparator = StructureComparator()
    comparator.organisations.value = ()
    assert comparator.message.text == "Pick at least one organisation and one feature to see the table."
    assert comparator.table.value == "" and comparator.frame.empty
    comparator.organisations.value = ("xAI",)
    comparator.features.value = ()
    assert "Pick at least one" in comparator.message.text
    comparator.features.value = ("outside_equity",)
    assert comparator.message.text == "" and comparator.frame.shape == (1, 2)


def test_structure_comparator_names_unknown_organisations_and_features():
    comparator = StructureComparator(organisations=["mozilla", "Patagonia"], features=["returns_capped", "colour"])
    assert "Not in the comparison table: Patagonia." in comparator.message.text
    assert "Unknown feature: colour." in comparator.message.text
    assert comparator.organisations.value == ("Mozilla",) and comparator.features.value == ("returns_capped",)


def test_structure_comparator_in_french_shows_french_features_and_values():
    lessons.set_language("fr")
    comparator, row = StructureComparator(), lessons.data.comparison().iloc[0]
    assert comparator.frame.columns[0] == "Critère"
    assert comparator.frame.iloc[0, 0] == "Qui nomme le conseil d’administration\u00a0?"
    assert html.escape(row["value_fr"]) in comparator.table.value
    assert comparator.features.description == "Critères"


def test_structure_comparator_escapes_values_and_labels(data_copy):
    row = lessons.data.comparison().iloc[0]
    data_copy.set("comparison", row["id"], "value_en", POISON)
    data_copy.set("comparison", row["id"], "status", "reported")
    comparator = StructureComparator()
    assert_escaped(comparator)
    # an organisation label is data text too
    for other in lessons.data.comparison().query("organisation_label_en == @row.organisation_label_en")["id"]:
        data_copy.set("comparison", other, "organisation_label_en", POISON)
    assert_escaped(StructureComparator())


@FAST
@given(st.lists(st.tuples(st.sets(st.sampled_from(["OpenAI 2015", "OpenAI 2019", "OpenAI 2025", "Anthropic",
                                                   "Mozilla", "xAI"])),
                          st.sets(st.sampled_from(list(debate.FEATURES)))), max_size=8))
def test_structure_comparator_survives_any_sequence_of_selections(moves):
    comparator = StructureComparator()
    for organisations, features in moves:
        comparator.organisations.value = tuple(organisations)
        comparator.features.value = tuple(features)
        if organisations and features:
            assert comparator.frame.shape == (len(features), len(organisations) + 1)
            assert comparator.message.text == ""
        else:
            assert comparator.message.text.startswith("Pick at least one")


# --------------------------------------------------------------------------------------------
# Quiz.
# --------------------------------------------------------------------------------------------

def test_quiz_shows_choice_questions_unselected_and_numeric_ones_with_a_check_button():
    quiz, rows = Quiz("04"), lesson_quiz()
    assert len(quiz.questions) == len(rows) >= 2
    for control, button, row in zip(quiz.questions, quiz.check_buttons, rows.to_dict("records")):
        if row["kind"] == "choice":
            assert isinstance(control, widgets.RadioButtons) and control.value is None and button is None
            assert [label for label, _i in control.options] == debate.split_options(row["options_en"])
        else:
            assert isinstance(control, widgets.FloatText) and button.description == "Check"
        assert control.description
    assert f"0 of {len(rows)} correct" in text_of(quiz.score.value)


def test_quiz_right_answers_score_full_marks_with_explanation_and_source():
    quiz, rows = Quiz("04"), lesson_quiz()
    for i, row in enumerate(rows.to_dict("records")):
        quiz.answer(i, right_answer(row))
        feedback = quiz.feedback[i].value
        assert "✓ Right." in feedback and html.escape(row["explanation_en"]) in feedback
        assert f'<a href="{html.escape(first_url(row["source_ids"]))}"' in feedback
    assert quiz.correct_count == quiz.answered_count == len(rows)
    assert f"Score: {len(rows)} of {len(rows)} correct" in text_of(quiz.score.value)


def test_quiz_wrong_answers_say_not_yet():
    quiz, rows = Quiz("04"), lesson_quiz()
    for i, row in enumerate(rows.to_dict("records")):
        quiz.answer(i, wrong_answer(row))
        assert "Not yet" in quiz.feedback[i].value
    assert quiz.correct_count == 0 and quiz.answered_count == len(rows)


def test_quiz_counter_offer_question_accepts_10_percent_written_several_ways():
    quiz, rows = Quiz(4), lesson_quiz()
    index = rows.index[rows["id"] == "04-counter-offer-share"][0]
    for answer in (10, "10", "10 %", "10,0", 10.05):
        quiz.answer(index, answer)
        assert "✓ Right." in quiz.feedback[index].value, answer
    quiz.answer(index, 9.74)
    assert "Not yet" in quiz.feedback[index].value


def test_quiz_numeric_check_button_and_typing_both_check():
    quiz, rows = Quiz("04"), lesson_quiz()
    index = rows.index[rows["kind"] == "numeric"][0]
    quiz.check_buttons[index].click()  # checks the box as it stands (0)
    assert "Not yet" in quiz.feedback[index].value
    quiz.questions[index].value = float(rows.loc[index, "answer"])
    assert "✓ Right." in quiz.feedback[index].value
    quiz.check_buttons[index].click()
    assert quiz.correct_count == 1


def test_quiz_choice_accepts_the_exact_option_text():
    quiz, rows = Quiz("04"), lesson_quiz()
    index = rows.index[rows["kind"] == "choice"][0]
    options = debate.split_options(rows.loc[index, "options_en"])
    quiz.answer(index, options[int(rows.loc[index, "answer"])].upper())
    assert "✓ Right." in quiz.feedback[index].value
    assert quiz.questions[index].value == int(rows.loc[index, "answer"])


@pytest.mark.parametrize("value, message", [
    (None, "Give an answer first."), ("", "Give an answer first."), ("  ", "Give an answer first."),
    ("ten", "“ten” is not a number"), ([10], "is not a number"), (True, "is not a number"),
    (float("nan"), "is not a number"), ("1e400", "is not a number"), ("10; import os", "is not a number"),
])
def test_quiz_numeric_wrong_type_or_empty_gives_a_message(value, message):
    quiz, rows = Quiz("04"), lesson_quiz()
    index = rows.index[rows["kind"] == "numeric"][0]
    quiz.answer(index, value)
    assert message in quiz.feedback[index].text
    assert "lessons-warning" in quiz.feedback[index].value and quiz.answered_count == 0


@pytest.mark.parametrize("value", [7, -1, "not an option", 1.5, True, {"a": 1}])
def test_quiz_choice_out_of_range_or_wrong_type_gives_a_message(value):
    quiz, rows = Quiz("04"), lesson_quiz()
    index = rows.index[rows["kind"] == "choice"][0]
    quiz.answer(index, value)
    assert "is not one of the options" in quiz.feedback[index].text
    assert quiz.questions[index].value is None and quiz.answered_count == 0


@pytest.mark.parametrize("index", [99, -1, "0", None, 1.0])
def test_quiz_unknown_question_number_gives_a_message(index):
    quiz = Quiz("04")
    quiz.answer(index, 1)
    assert "There is no question" in quiz.message.text and quiz.answered_count == 0


@pytest.mark.parametrize("lesson", ["99", 42, "four", None, "08"])
def test_quiz_unknown_lesson_shows_a_message_in_the_widget(lesson):
    quiz = Quiz(lesson)
    assert quiz.questions == [] and "There is no quiz for lesson" in quiz.message.text
    assert "04" in quiz.message.text  # names the lessons that have questions
    assert quiz.message in quiz.children


def test_quiz_in_french_shows_french_questions_options_and_feedback():
    lessons.set_language("fr")
    quiz, rows = Quiz("04"), lesson_quiz()
    assert html.escape(rows.loc[0, "question_fr"]) in all_html(quiz)
    index = rows.index[rows["kind"] == "choice"][0]
    assert [label for label, _i in quiz.questions[index].options] == debate.split_options(rows.loc[index, "options_fr"])
    quiz.answer(index, int(rows.loc[index, "answer"]))
    assert "✓ Juste." in quiz.feedback[index].value
    assert html.escape(rows.loc[index, "explanation_fr"]) in quiz.feedback[index].value
    assert quiz.check_buttons[rows.index[rows["kind"] == "numeric"][0]].description == "Vérifier"


def test_quiz_escapes_question_options_and_explanation(data_copy):
    rows = lesson_quiz()
    choice = rows[rows["kind"] == "choice"].iloc[0]
    data_copy.set("quiz", choice["id"], "question_en", POISON)
    data_copy.set("quiz", choice["id"], "explanation_en", POISON)
    data_copy.set("quiz", choice["id"], "options_en", f"A | {POISON} | C | D")
    quiz = Quiz("04")
    index = rows.index[rows["id"] == choice["id"]][0]
    quiz.answer(index, 1)
    assert_escaped(quiz)


answers = st.one_of(st.none(), st.booleans(), st.integers(-5, 120), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=12), st.sampled_from(["10", "10 %", "9,74", "1,000.5", "<b>", "__import__('os')"]),
                    st.lists(st.integers(), max_size=2))


@FAST
@given(st.lists(st.tuples(st.one_of(st.integers(-2, 4), st.text(max_size=2), st.none()), answers), max_size=12))
def test_quiz_survives_any_sequence_of_answers(moves):
    quiz = Quiz("04")
    for index, value in moves:
        quiz.answer(index, value)
    assert 0 <= quiz.correct_count <= quiz.answered_count <= len(quiz.questions)
    assert "Something went wrong" not in quiz.message.text
    assert all("Something went wrong" not in f.text for f in quiz.feedback)


# --------------------------------------------------------------------------------------------
# show_sources and glossary_table.
# --------------------------------------------------------------------------------------------

def test_show_sources_lists_publisher_outlet_title_kind_date_and_clickable_url():
    table = lessons.data.sources()
    row = table[table["outlet"].notna() & table["url"].notna() & (table["date_precision"] == "day")].iloc[0]
    month = table[table["date_precision"] == "month"].iloc[0]
    widget = show_sources([row["id"], month["id"]])
    assert isinstance(widget, widgets.HTML)
    value = widget.value
    assert value.count("<li>") == 2
    kind = debate.source_kind_label(row["kind"])
    assert (html.escape(f"{row['publisher']} (copy of {row['outlet']}), “{row['title']}”")
            + f" <span class='lessons-source-kind'>({html.escape(kind)})</span>, "
            + html.escape(f"{date_text(row['date'], 'day')}, ")) in value
    assert f'<a href="{html.escape(row["url"])}" target="_blank" rel="noopener noreferrer">' in value
    assert html.escape(date_text(month["date"], "month")) in value
    assert html.escape(date_text(month["date"], "day")) not in value


def test_show_sources_accepts_one_id_and_names_unknown_ids():
    one = lessons.data.sources()["id"].iloc[0]
    assert show_sources(one).value.count("<li>") == 1
    widget = show_sources([one, "no-such-source-2099"])
    assert "Not in data/sources.csv: no-such-source-2099." in text_of(widget.value)
    assert "No sources given." in show_sources([]).value


def test_show_sources_is_reachable_from_the_package():
    assert lessons.show_sources is show_sources
    assert lessons.widgets.show_sources is show_sources
    assert lessons.widgets.ClaimChecker is ClaimChecker and lessons.Quiz is Quiz
    assert lessons.widgets.glossary_table is glossary_table


def test_show_sources_in_french_uses_french_dates_and_guillemets():
    lessons.set_language("fr")
    row = lessons.data.sources().query("date_precision == 'day'").iloc[0]
    value = show_sources([row["id"]]).value
    assert f"«\u00a0{html.escape(row['title'])}\u00a0»" in value
    assert date_text(row["date"], "day") in value


def test_show_sources_names_the_kind_of_each_source_next_to_its_title():
    value = show_sources(["openai-lp-2019-03-11", "reuters-cna-2025-02-11", "techedt-nodate"]).value
    assert "“OpenAI LP” <span class='lessons-source-kind'>(primary document)</span>" in value
    assert "<span class='lessons-source-kind'>(wire report)</span>" in value
    assert "<span class='lessons-source-kind'>(aggregator)</span>" in value


def test_show_sources_says_an_aggregator_is_based_on_its_outlet_not_a_copy_of_it():
    value = show_sources(["nidal-mittechreview-nodate", "reuters-cna-2025-02-11"]).value
    assert "ai.nidal.cloud (based on MIT Technology Review)" in value
    assert "Channel NewsAsia (copy of Reuters)" in value


def test_show_sources_in_french_translates_the_kind():
    lessons.set_language("fr")
    value = show_sources(["reuters-cna-2025-02-11", "latimes-2023-01-23"]).value
    assert html.escape("(dépêche d’agence)") in value
    assert html.escape("(grand journal ou média audiovisuel)") in value
    assert "wire report" not in value


def test_every_kind_of_the_data_package_has_a_label_in_both_languages():
    kinds = next(field for field in lessons.data._resource("sources")["schema"]["fields"] if field["name"] == "kind")
    assert tuple(kinds["constraints"]["enum"]) == debate.SOURCE_KINDS
    for language in ("en", "fr"):
        lessons.set_language(language)
        labels = [debate.source_kind_label(kind) for kind in debate.SOURCE_KINDS]
        assert all(labels) and len(set(labels)) == len(labels), (language, labels)


def test_show_sources_escapes_title_and_publisher(data_copy):
    source_id = lessons.data.sources()["id"].iloc[0]
    data_copy.set("sources", source_id, "title", POISON)
    data_copy.set("sources", source_id, "publisher", POISON)
    assert_escaped(show_sources([source_id]))


def test_glossary_table_lists_every_term_with_its_definition():
    glossary = lessons.data.glossary()
    value = glossary_table().value
    assert value.count("<tr>") == len(glossary) + 1
    assert "<th scope='col'>Term</th>" in value
    first = glossary.iloc[0]
    assert f"<td>{html.escape(first['term_en'])}</td><td>{html.escape(first['definition_en'])}</td>" in value


def test_glossary_table_filters_by_lesson_and_speaks_french():
    glossary = lessons.data.glossary()
    lesson = glossary["lesson"].iloc[0]
    lessons.set_language("fr")
    value = glossary_table(int(lesson)).value
    assert value.count("<tr>") == int((glossary["lesson"] == lesson).sum()) + 1
    assert "<th scope='col'>Terme</th>" in value
    assert html.escape(glossary[glossary["lesson"] == lesson].iloc[0]["definition_fr"]) in value


def test_glossary_table_bad_lesson_or_missing_file_gives_a_message(data_copy):
    assert "expected a lesson number" in glossary_table("abc").value
    assert "No glossary terms for lesson 99." in glossary_table(99).value
    (data_copy.folder / "glossary.csv").unlink()
    lessons.data.reload()
    assert "The glossary could not be loaded" in glossary_table().value


def test_glossary_table_escapes_terms(data_copy):
    term = lessons.data.glossary().iloc[0]
    data_copy.set("glossary", term["id"], "term_en", POISON)
    assert_escaped(glossary_table())


# --------------------------------------------------------------------------------------------
# Helpers of lessons.charts.debate.
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [("10", 10.0), (" 10 % ", 10.0), ("9,74", 9.74), ("1,000.5", 1000.5),
                                          ("-3", -3.0), (".5", 0.5), (7, 7.0), (2.5, 2.5),
                                          ("10\u00a0%", 10.0)])
def test_parse_number_reads_what_learners_type(text, number):
    assert debate.parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["", "ten", "1+1", "__import__('os')", "1e999", "nan", "inf", "1,2,3", "--1"])
def test_parse_number_rejects_anything_else_without_evaluating_it(text):
    with pytest.raises(ValueError):
        debate.parse_number(text)


@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.none(),
                 st.booleans(), st.lists(st.integers(), max_size=2)))
@settings(max_examples=25, deadline=None)
def test_parse_number_returns_a_finite_float_or_raises_type_or_value_error(value):
    try:
        number = debate.parse_number(value)
    except (TypeError, ValueError):
        return
    assert isinstance(number, float) and number == number and abs(number) != float("inf")


def test_verdict_chart_passes_plotly_validation_and_keeps_the_template():
    verdicts = claims()["verdict"].tolist()
    picks = [None, *verdicts[1:]]
    figure = debate.verdict_chart(verdicts, picks)
    validated = go.Figure(figure.to_dict())  # raises on any invalid property
    assert validated.to_dict() == figure.to_dict()
    assert figure.to_dict()["layout"]["template"]["layout"]  # the named template is expanded, not a bare name
    assert [trace.type for trace in validated.data] == ["bar", "bar"]

"""lessons.check(): verdicts on learners' answers, and the exercise registry."""

from __future__ import annotations

import builtins
import datetime as dt
import decimal
import fractions
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lessons
import lessons.data as data
from lessons.checking import STATUSES, Verdict, check
from lessons.exercises import EXERCISES, KINDS, Exercise, _collect
from lessons.i18n import _

FAST = settings(max_examples=25, deadline=None)
INJECTION = "__import__('os').system('echo x')"


@pytest.fixture
def practice(monkeypatch):
    """One extra exercise of each kind, with known answers, added to the registry for a test."""
    extra = {
        "t.number": Exercise(id="t.number", kind="number", answer=lambda: 0.26, hint_key="check.4_1.hint"),
        "t.integer": Exercise(id="t.integer", kind="integer", answer=lambda: 6, hint_key="check.4_1.hint"),
        "t.text": Exercise(id="t.text", kind="text", answer=lambda: ("not for sale", "OpenAI is not for sale"),
                           hint_key="check.4_1.hint"),
        "t.names": Exercise(id="t.names", kind="names", answer=lambda: ["bret-taylor", "larry-summers"],
                            hint_key="check.4_1.hint"),
        "t.date": Exercise(id="t.date", kind="date", answer=lambda: pd.Timestamp("2025-02-12"),
                           hint_key="check.4_1.hint"),
        "t.choice": Exercise(id="t.choice", kind="choice", answer=lambda: "accurate",
                             options=("accurate", "inaccurate", "incomplete", "outdated"), hint_key="check.4_1.hint"),
    }
    for key, exercise in extra.items():
        monkeypatch.setitem(EXERCISES, key, exercise)
    return extra


# --------------------------------------------------------------------------------------------
# Lesson 04's exercises, against the real data.
# --------------------------------------------------------------------------------------------

def test_lowball_stake_of_the_bid_over_300_billion_is_correct_rounded_or_not():
    assert check("4.1", 97.4e9 / 300e9).status == "correct"
    verdict = check("4.1", 0.32)
    assert verdict.status == "correct"
    assert str(verdict) == "✅ Correct — exercise 4.1: 0.32 is the expected answer."


def test_lowball_stake_computed_the_pandas_way_is_correct():
    bid, funding = data.bid(), data.funding().set_index("id")
    answer = bid.loc[bid["step"] == "offer", "amount_usd"] / funding.loc["2025-03-31-primary-round", "valuation_usd"]
    assert check("4.1", answer).status == "correct"  # a one-value Series is accepted


def test_floor_raised_by_the_bid_above_26_percent_of_300_billion_is_correct():
    assert check("4.2", 19.4e9).status == "correct"
    assert check("4.2", 19_400_000_000).status == "correct"
    assert check("4.2", np.float64(97.4e9 - 300e9 * 0.26)).status == "correct"


def test_the_floor_is_not_the_stake_value_nor_the_bid():
    assert check("4.2", 78e9).status == "not yet"
    assert check("4.2", 97.4e9).status == "not yet"


def test_condition_day_is_correct_as_text_or_as_a_date():
    for answer in ("2025-02-12", " 2025-02-12 ", dt.date(2025, 2, 12), pd.Timestamp("2025-02-12")):
        assert check("4.3", answer).status == "correct", answer


def test_wrong_lowball_stake_is_not_yet_with_a_hint():
    verdict = check("4.1", 0.26)
    assert verdict.status == "not yet"
    assert verdict.hint == _("check.4_1.hint") != ""
    assert str(verdict).startswith("🔁 Not yet — exercise 4.1: 0.26 is not the expected answer yet.")
    assert "\nHint: Divide the bid" in str(verdict)


def test_percentage_for_a_fraction_is_not_yet_and_says_how_to_write_it():
    verdict = check("4.1", 32.5)
    assert verdict.status == "not yet"
    assert "It looks like a percentage: write it as a fraction (13% is 0.13)." in verdict.message


def test_billions_for_dollars_is_not_yet_and_says_how_to_write_it():
    verdict = check("4.2", 19.4)
    assert verdict.status == "not yet"
    assert "write it in dollars" in verdict.message


def test_text_for_a_number_is_a_wrong_type_that_says_how_to_write_it():
    verdict = check("4.1", "13%")
    assert verdict.status == "wrong type"
    assert verdict.message == ("exercise 4.1: expected a number such as 0.25; got text '13%'. "
                               "Write a percentage as a fraction without quotes: 13% is written 0.13.")
    assert str(verdict).startswith("⚠ Wrong type")


def test_quoted_number_is_a_wrong_type_asking_to_remove_the_quotes():
    verdict = check("4.1", "0.32")
    assert verdict.status == "wrong type"
    assert "Remove the quotes: write answer = 0.25, not answer = '0.25'." in verdict.message


def test_choice_outside_the_options_lists_the_options():
    verdict = check("4.3", "2025-02-13")
    assert verdict.status == "wrong type"
    assert "expected one of '2025-02-10', '2025-02-11', '2025-02-12', '2025-02-14'" in verdict.message


def test_wrong_day_among_the_options_is_not_yet():
    assert check("4.3", "2025-02-14").status == "not yet"


def test_expected_answers_follow_the_data(data_copy):
    data_copy.set("funding", "2025-03-31-primary-round", "valuation_usd", "194800000000")
    assert check("4.1", 0.5).status == "correct"
    assert check("4.1", 0.32).status == "not yet"


def test_the_speaker_with_the_most_arguments_is_correct_by_id_or_by_name():
    assert check("5.1", "openai-inc").status == "correct"
    assert check("5.1", "OpenAI, Inc.").status == "correct"
    assert check("5.1", "sam-altman").status == "not yet"


def test_the_speaker_with_the_most_arguments_follows_the_arguments_data(data_copy):
    for row_id in ("arg-2019-startup-equity", "arg-2024-capital-needs", "arg-2024-enduring-company",
                   "arg-2025-foundation-stake", "arg-pbc-plan"):
        data_copy.set("arguments", row_id, "made_by_id", "sam-altman")
    assert check("5.1", "sam-altman").status == "correct"
    assert check("5.1", "openai-inc").status == "not yet"


def test_director_who_joined_in_the_year_after_musk_left_is_adam_dangelo():
    assert check("1.4", ["Adam D'Angelo"]).status == "correct"


def test_the_board_of_the_day_musk_left_is_not_the_answer_to_1_4():
    board = data.board_on("2019-02-20").query("role == 'director'")["name"].tolist()
    assert check("1.4", board).status == "not yet"


def test_directors_who_joined_between_microsofts_first_investment_and_chatgpt_are_toner_and_hurd():
    assert check("2.4", ["Helen Toner", "Will Hurd"]).status == "correct"


def test_one_of_the_two_directors_who_joined_before_chatgpt_is_not_yet():
    assert check("2.4", ["Helen Toner"]).status == "not yet"


def test_board_exercises_follow_the_board_seats_data(data_copy):
    data_copy.set("board_seats", "helen-toner-openai-inc-director-2021", "start", "2018-06")
    data_copy.set("board_seats", "helen-toner-openai-inc-director-2021", "start_precision", "month")
    assert check("1.4", ["Adam D'Angelo", "Helen Toner"]).status == "correct"
    assert check("2.4", ["Will Hurd"]).status == "correct"


def test_broken_data_raises_the_data_error_a_teacher_can_act_on(data_copy):
    row = data_copy.set("bid", "bid-2025-02-10-offer", "amount_usd", "97.4 billion")
    with pytest.raises(data.DataError) as raised:
        check("4.1", 0.32)
    assert str(raised.value) == (
        f"data/bid.csv, row {row} (id 'bid-2025-02-10-offer'), column 'amount_usd': expected a whole number "
        "without separators or decimals (e.g. 97400000000); got '97.4 billion'.")


def test_stake_exercise_reads_the_foundation_share_from_ownership_csv(data_copy):
    data_copy.set("ownership", "2025-10-28-openai-foundation-stake", "share", "0.2")
    assert check("4.2", 37.4e9).status == "correct"   # $97.4 billion - 0.2 x $300 billion


# --------------------------------------------------------------------------------------------
# Each kind: correct, not yet, wrong type.
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("exercise_id", "answer"), [
    ("t.number", 0.26), ("t.number", 0.2601), ("t.number", pd.Series([0.26])), ("t.number", [0.26]),
    ("t.number", np.array([0.26])), ("t.number", decimal.Decimal("0.26")), ("t.number", fractions.Fraction(13, 50)),
    ("t.number", pd.DataFrame({"share": [0.26]})),
    ("t.integer", 6), ("t.integer", 6.0), ("t.integer", np.int64(6)), ("t.integer", pd.Series([6])),
    ("t.text", "Not for sale."), ("t.text", "  not   FOR sale "), ("t.text", "“OpenAI is not for sale”"),
    ("t.names", ["Bret Taylor", "Larry Summers"]), ("t.names", ("larry summers", "BRET TAYLOR")),
    ("t.names", {"bret-taylor", "larry-summers"}), ("t.names", pd.Series(["Bret Taylor", "Larry Summers"])),
    ("t.names", pd.Index(["Larry Summers", "Bret Taylor"])), ("t.names", ["Bret Taylor", "bret taylor", "Larry Summers"]),
    ("t.date", "2025-02-12"), ("t.date", dt.datetime(2025, 2, 12, 15, 30)), ("t.date", dt.date(2025, 2, 12)),
    ("t.date", pd.Timestamp("2025-02-12")), ("t.date", np.datetime64("2025-02-12")),
    ("t.choice", "accurate"), ("t.choice", " Accurate "),
])
def test_accepted_forms_of_a_right_answer_are_correct(practice, exercise_id, answer):
    verdict = check(exercise_id, answer)
    assert verdict.status == "correct", verdict.message


@pytest.mark.parametrize(("exercise_id", "answer"), [
    ("t.number", 0.3), ("t.integer", 7), ("t.text", "for sale"), ("t.names", ["Bret Taylor"]),
    ("t.names", []), ("t.date", "2025-02-11"), ("t.choice", "outdated"),
])
def test_right_form_but_wrong_value_is_not_yet_with_a_hint(practice, exercise_id, answer):
    verdict = check(exercise_id, answer)
    assert verdict.status == "not yet"
    assert verdict.hint == _("check.4_1.hint")


def test_names_not_yet_counts_right_missing_and_unexpected_names(practice):
    verdict = check("t.names", ["Bret Taylor", "Sam Altman"])
    assert "Right: 1; missing: 1; not expected: 1." in verdict.message


@pytest.mark.parametrize(("exercise_id", "answer", "words"), [
    ("t.number", "0.26", "expected a number such as 0.13; got text '0.26'. Remove the quotes"),
    ("t.number", None, "got None (no value). Your answer is None"),
    ("t.number", [0.1, 0.2], "got a list of 2 values. Your answer holds 2 values"),
    ("t.number", pd.DataFrame({"a": [1, 2], "b": [3, 4]}), "got a table (DataFrame) of 2 rows and 2 columns"),
    ("t.number", math.nan, "Your answer is a missing value (NaN)"),
    ("t.number", True, "got the truth value True"),
    ("t.number", len, "got a function (len). Your answer is a function"),
    ("t.integer", 6.5, "expected a whole number such as 6; got the number 6.5. Give a whole number"),
    ("t.integer", "6", "expected a whole number such as 6; got text '6'. Remove the quotes"),
    ("t.text", 42, "expected text in quotes such as 'not for sale'; got the number 42"),
    ("t.names", "Bret Taylor", "expected a list of names such as ['Bret Taylor', 'Larry Summers']; got text "
                               "'Bret Taylor'. Put the names in a list"),
    ("t.names", pd.DataFrame({"name": ["Bret Taylor"]}), "Your answer is a whole table: pick one column"),
    ("t.names", [1, 2], "Every item of the list should be a name in quotes."),
    ("t.date", "12/02/2025", "expected a date written 'YYYY-MM-DD' such as '2023-11-17'; got text '12/02/2025'"),
    ("t.date", "2025-02-30", "That day does not exist in the calendar."),
    ("t.date", 20250212, "got the number 20250212"),
    ("t.choice", "maybe", "expected one of 'accurate', 'inaccurate', 'incomplete', 'outdated'; got text 'maybe'"),
])
def test_wrong_type_for_each_kind_says_what_was_expected_and_what_was_given(practice, exercise_id, answer, words):
    verdict = check(exercise_id, answer)
    assert verdict.status == "wrong type"
    assert words in verdict.message
    assert verdict.hint == ""


@pytest.mark.parametrize("exercise_id", ["4.1", "4.3", "t.text", "t.names", "t.date"])
def test_the_answer_cell_placeholder_asks_for_an_answer(practice, exercise_id):
    verdict = check(exercise_id, ...)
    assert verdict.status == "wrong type"
    assert verdict.message.endswith("got ... (the placeholder of the answer cell). "
                                    "Replace ... with your answer, run that cell, then run this one again.")


def test_missing_answer_is_a_wrong_type_showing_how_to_call_check():
    verdict = check("4.1")
    assert verdict.status == "wrong type"
    assert "lessons.check('4.1', answer)" in verdict.message


# --------------------------------------------------------------------------------------------
# Unknown exercises, display, language.
# --------------------------------------------------------------------------------------------

def test_unknown_exercise_lists_the_known_ones():
    verdict = check("9.9", 1)
    assert verdict.status == "unknown exercise"
    assert str(verdict).startswith("❓ Unknown exercise — there is no exercise '9.9'.")
    assert "4.1, 4.2, 4.3" in verdict.message


@pytest.mark.parametrize("exercise_id", [None, 4.1, ["4.1"], 41, "  4.1 "])
def test_odd_exercise_ids_never_raise(exercise_id):
    verdict = check(exercise_id, 0.32)
    assert verdict.status in ("correct", "unknown exercise")
    assert (verdict.status == "correct") == (exercise_id in (4.1, "  4.1 "))


def test_verdict_is_true_only_when_correct():
    assert check("4.1", 0.32)
    assert not check("4.1", 0.2)
    assert not check("4.1", "x")


def test_verdict_html_escapes_the_learners_text():
    verdict = check("4.1", "<script>alert(1)</script>")
    shown = verdict._repr_html_()
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "role='status'" in shown


def test_verdict_html_shows_the_hint():
    assert "<em>Hint:</em> Divide the bid" in check("4.1", 0.3)._repr_html_()


def test_verdict_repr_is_the_plain_text():
    verdict = check("4.1", 0.32)
    assert repr(verdict) == str(verdict)


def test_verdict_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="status: expected one of"):
        Verdict("4.1", "maybe", "")


def test_lessons_check_can_be_called_again_and_again():
    assert lessons.check("4.1", 0.32).status == "correct"
    assert lessons.check("4.1", 0.32).status == "correct"
    assert callable(lessons.check)


def test_french_verdicts_for_every_status():
    lessons.set_language("fr")
    assert str(check("4.1", 0.32)) == "✅ Exact — exercice 4.1\u00a0: 0.32 est la réponse attendue."
    not_yet = str(check("4.1", 0.2))
    assert not_yet.startswith("🔁 Pas encore — exercice 4.1\u00a0: 0.2 n’est pas encore la réponse attendue.")
    assert "\nIndice\u00a0: Divisez l’offre" in not_yet
    assert str(check("4.1", "13%")).startswith(
        "⚠ Type inattendu — exercice 4.1\u00a0: on attendait un nombre comme 0.25\u00a0; vous avez donné le texte '13%'.")
    assert str(check("0.0", 1)).startswith("❓ Exercice inconnu — il n’existe pas d’exercice «\u00a00.0\u00a0».")


# --------------------------------------------------------------------------------------------
# Never raises, never evaluates.
# --------------------------------------------------------------------------------------------

class _Hostile:
    """An object whose every method fails."""

    def __repr__(self):
        raise RuntimeError("repr")

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    def __float__(self):
        raise RuntimeError("float")

    __hash__ = None


ODD_ANSWERS = [
    None, True, False, 0, -1, 10**400, 1.5, math.nan, math.inf, -math.inf, 1 + 2j, "", "   ", "13%",
    INJECTION, "<img src=x onerror=alert(1)>", b"0.1", bytearray(b"x"), [], [[0.1]], (None,), {"a": 1}, {0.1},
    pd.DataFrame(), pd.DataFrame({"a": [1, 2]}), pd.Series([], dtype=float), pd.Series([None]), pd.Index([]),
    np.array([[1, 2], [3, 4]]), np.array(0.1), pd.NA, pd.NaT, np.datetime64("NaT"), len, lambda: 0.1, print,
    object(), _Hostile(), type, Exception("boom"), (x for x in range(3)), range(5), decimal.Decimal("NaN"),
    dt.timedelta(days=1), pd.Timestamp("2025-02-12", tz="UTC"), pd.Period("2025-02"), ...,
]


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda value: type(value).__name__)
@pytest.mark.parametrize("exercise_id", ["4.1", "4.3", "t.integer", "t.text", "t.names", "t.date"])
def test_odd_answers_never_raise(practice, exercise_id, answer):
    verdict = check(exercise_id, answer)
    assert verdict.status in STATUSES
    assert str(verdict) and verdict._repr_html_()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=st.one_of(st.sampled_from(ODD_ANSWERS), st.text(max_size=30), st.floats(),
                        st.integers(), st.lists(st.one_of(st.text(max_size=5), st.floats(), st.none()), max_size=4),
                        st.dates(), st.binary(max_size=5)),
       kind=st.sampled_from(KINDS))
def test_any_answer_to_any_kind_gives_a_verdict(practice, answer, kind):
    verdict = check(f"t.{kind}", answer)
    assert verdict.status in STATUSES
    assert str(verdict).split(" — ")[0] in {"✅ Correct", "🔁 Not yet", "⚠ Wrong type"}


def test_code_in_a_string_is_only_text(practice, capfd, monkeypatch):
    check("t.text", "warm-up")  # data loaded before eval and exec are forbidden

    def forbidden(*args, **kwargs):
        raise AssertionError("learner input was evaluated")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    number = check("4.1", INJECTION)
    text = check("t.text", INJECTION)
    names = check("t.names", [INJECTION])
    assert number.status == "wrong type" and "got text '__import__('os').system('echo x')'" in number.message
    assert text.status == "not yet"
    assert names.status == "not yet"
    assert "x" not in capfd.readouterr().out


# --------------------------------------------------------------------------------------------
# The registry.
# --------------------------------------------------------------------------------------------

def test_registry_holds_the_lesson_04_exercises():
    assert {"4.1", "4.2", "4.3"} <= set(EXERCISES)
    assert [EXERCISES[key].kind for key in ("4.1", "4.2", "4.3")] == ["number", "number", "choice"]


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_registered_exercise_computes_its_answer_from_the_data(exercise_id):
    exercise = EXERCISES[exercise_id]
    expected = exercise.expected()
    assert expected is not None
    if exercise.kind == "choice":
        assert str(expected) in [str(option) for option in exercise.choices()]
    if exercise.kind == "text" and not isinstance(expected, str):
        expected = list(expected)[0]  # several accepted texts: a learner gives one
    assert check(exercise_id, expected).status == "correct"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_registered_exercise_has_a_hint_in_both_languages(exercise_id):
    key = EXERCISES[exercise_id].hint_key
    assert _(key)
    lessons.set_language("fr")
    assert _(key)


def test_lesson_04_answers_match_the_fact_sheet():
    assert EXERCISES["4.1"].expected() == pytest.approx(97.4e9 / 300e9)   # bid / March 2025 valuation
    assert EXERCISES["4.2"].expected() == pytest.approx(97.4e9 - 0.26 * 300e9)
    assert EXERCISES["4.3"].expected() == "2025-02-12"


def test_lesson_06_stake_matches_the_reported_value_and_the_what_if_uses_the_latest_valuation():
    assert EXERCISES["6.2"].expected() == pytest.approx(0.26 * 500e9)   # the October 2025 share sale
    assert EXERCISES["6.4"].expected() == pytest.approx(0.26 * 852e9)   # the March 2026 round, post-money


def test_lesson_06_counts_the_events_of_2025_that_are_only_reported(data_copy):
    counted = EXERCISES["6.3"].expected()
    data_copy.set("events", "2025-10-bylaws-ceo-removal", "status", "confirmed")   # a single Business Insider report
    assert EXERCISES["6.3"].expected() == counted - 1
    data_copy.set("events", "2025-05-05-nonprofit-keeps-control", "status", "reported")
    data_copy.set("events", "2024-11-29-injunction-motion", "status", "reported")   # 2024: not counted
    assert EXERCISES["6.3"].expected() == counted
    assert check("6.3", counted).status == "correct"


def test_lesson_07_counts_the_days_from_vances_speech_to_the_next_ai_act_step(data_copy):
    assert EXERCISES["7.1"].expected() == 172   # 11 February to 2 August 2025
    assert check("7.1", 172.0).status == "correct"
    data_copy.set("events", "2025-08-02-ai-act-gpai", "date", "2025-08-01")
    assert EXERCISES["7.1"].expected() == 171


def test_lesson_00_counts_the_bid_events_of_the_data(data_copy):
    assert EXERCISES["0.2"].expected() == 7
    data_copy.set("events", "2015-12-11-openai-founded", "category", "bid")
    assert EXERCISES["0.2"].expected() == 8
    assert check("0.2", 8).status == "correct"


def test_lesson_03_answers_follow_the_board_data():
    # 8 March 2024: Taylor, Summers, D'Angelo, Altman, Desmond-Hellmann, Seligman and Simo; observers have no vote.
    assert EXERCISES["3.1"].expected() == 7
    # 17 November 2022: the six of November 2023 plus Hoffman, Zilis and Hurd, who left in 2023.
    assert EXERCISES["3.2"].expected() == 9


def test_lesson_03_year_before_counts_a_departure_once_it_is_dated_before_that_day(data_copy):
    # Hurd's departure (end of June 2023) moved to October 2022: a year before the crisis he was gone.
    seat = "will-hurd-openai-inc-director-2021-05"
    data_copy.set("board_seats", seat, "end_earliest", "2022-09")
    data_copy.set("board_seats", seat, "end_earliest_precision", "month")
    data_copy.set("board_seats", seat, "end", "2022-10")
    data_copy.set("board_seats", seat, "end_precision", "month")
    assert EXERCISES["3.2"].expected() == 8
    assert check("3.2", 8).status == "correct"


def test_lesson_03_counts_only_the_seats_certain_on_the_day(data_copy):
    # Simo's start turned into a range ending in April 2024: on 8 March she is only possibly on the board.
    seat = "fidji-simo-openai-inc-director-2024-03-08"
    data_copy.set("board_seats", seat, "start_latest", "2024-04")
    data_copy.set("board_seats", seat, "start_latest_precision", "month")
    assert EXERCISES["3.1"].expected() == 6
    assert check("3.1", 6).status == "correct"


def test_an_id_defined_twice_raises_naming_both_modules(tmp_path, monkeypatch):
    package = tmp_path / "twice"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("lesson_01", "lesson_02"):
        (package / f"{name}.py").write_text(
            "from lessons.exercises import Exercise\n"
            "EXERCISES = [Exercise(id='1.1', kind='integer', answer=lambda: 1)]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError) as raised:
        _collect("twice")
    assert str(raised.value) == "Exercise id '1.1' is defined twice: in twice/lesson_01.py and in twice/lesson_02.py."


def test_missing_lesson_modules_are_skipped(tmp_path, monkeypatch):
    package = tmp_path / "sparse"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "lesson_05.py").write_text(
        "from lessons.exercises import Exercise\n"
        "EXERCISES = [Exercise(id='5.1', kind='text', answer=lambda: 'x')]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(_collect("sparse")) == ["5.1"]


@pytest.mark.parametrize(("arguments", "words"), [
    (dict(id="1.1", kind="essay", answer=lambda: 1), "kind: expected one of number, integer, text, names, date, choice"),
    (dict(id="1.1", kind="number", answer=0.1), "answer: expected a function without arguments"),
    (dict(id="", kind="number", answer=lambda: 1), "Exercise id: expected a non-empty string"),
    (dict(id="1.1", kind="number", answer=lambda: 1, tolerance=-1), "tolerance: expected a relative tolerance"),
    (dict(id="1.1", kind="choice", answer=lambda: "a"), "a 'choice' exercise needs its options"),
])
def test_a_malformed_exercise_raises_a_clear_error(arguments, words):
    with pytest.raises(ValueError, match=words):
        Exercise(**arguments)


@pytest.mark.parametrize("answer", ["0,25", (0, 25)])
def test_a_decimal_comma_gets_a_clear_hint_in_french(answer):
    lessons.set_language("fr")
    verdict = lessons.check("4.1", answer)
    assert verdict.status == "wrong type"
    assert verdict.message.endswith("En Python, un nombre décimal s’écrit avec un point et sans guillemets\u00a0: "
                                    "answer = 0.25, et non 0,25.")

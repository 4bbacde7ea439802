"""The French edition matches the English one: same exercises, widgets, checks and checked numbers."""

from __future__ import annotations

import re

import nbformat
import pytest

import lessons
import lessons.data as data
from lessons.__main__ import main
from test_lessons import EDITIONS, PATHS

PAIRS = list(zip(EDITIONS["en"]["names"], EDITIONS["fr"]["names"]))
ROLE_TAGS = {"setup", "answer", "check", "solution", "written", "nbval-check-output", "hide-cell"}


def _both(pair):
    english, french = pair
    return (nbformat.read(PATHS[("en", english)], as_version=4), nbformat.read(PATHS[("fr", french)], as_version=4))


def _roles(notebook):
    """The tagged cells in order: their roles and exercise ids (untagged narrative may differ)."""
    roles = []
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & ROLE_TAGS or any(tag.startswith("exercise-") for tag in tags):
            roles.append((cell.cell_type, tuple(sorted(tags))))
    return roles


def _calls(notebook, pattern):
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            found += re.findall(pattern, cell.source)
    return found


def _kept_text(notebook):
    texts = []
    for cell in notebook.cells:
        if "nbval-check-output" in cell.get("metadata", {}).get("tags", []):
            texts.append("".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs))
    return texts


def _numbers(text, language):
    if language == "en":
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    else:
        text = re.sub(r"(?<=\d)[\u00a0\u202f ](?=\d{3}\b)", "", text)
        text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    return sorted(float(number) for number in re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("pair", PAIRS, ids=[f for _, f in PAIRS])
def test_same_cells_in_the_same_roles(pair):
    english, french = _both(pair)
    assert _roles(french) == _roles(english)


@pytest.mark.parametrize("pair", PAIRS, ids=[f for _, f in PAIRS])
def test_same_widget_and_check_calls(pair):
    english, french = _both(pair)
    # A call may span lines and hold one level of nested parentheses.
    widget_call = r"lessons\.(?:[A-Z]\w+|widgets\.\w+|show_sources)\((?:[^()]|\([^()]*\))*\)"
    assert _calls(french, widget_call) == _calls(english, widget_call)
    check_call = r"lessons\.check\([^)]*\)"
    assert _calls(french, check_call) == _calls(english, check_call)


@pytest.mark.parametrize("pair", PAIRS, ids=[f for _, f in PAIRS])
def test_same_checked_numbers(pair):
    english, french = _both(pair)
    english_texts, french_texts = _kept_text(english), _kept_text(french)
    assert len(french_texts) == len(english_texts)
    for english_text, french_text in zip(english_texts, french_texts):
        assert _numbers(french_text, "fr") == _numbers(english_text, "en"), (english_text, french_text)


@pytest.mark.parametrize("pair", PAIRS, ids=[f for _, f in PAIRS])
def test_french_typography_in_the_narrative(pair):
    """A non-breaking space before : ; ? ! in the French prose (code, links and English quotes aside)."""
    _, french = _both(pair)
    for cell in french.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+|«[^»]*»|\"[^\"]*\"", "", cell.source)
        missing = re.findall(r"\S[;:!?](?=\s|$)", prose)
        assert missing == [], f"{missing} in: {cell.source[:120]}"


def test_every_learner_facing_data_row_has_french():
    for table, columns in {"events": ["title_fr", "summary_fr"], "claims": ["claim_fr", "explanation_fr"],
                           "arguments": ["argument_fr", "made_by_label_fr"], "glossary": ["term_fr", "definition_fr"],
                           "quiz": ["question_fr", "explanation_fr"], "comparison": ["value_fr", "organisation_label_fr"],
                           "people": ["role_fr", "description_fr"], "organisations": ["description_fr"],
                           "bid": ["description_fr"], "funding": ["deal_fr"], "structure": ["label_fr"]}.items():
        frame = getattr(data, table)()
        for column in columns:
            assert frame[column].notna().all(), f"{table}.{column} lacks French in {frame.loc[frame[column].isna(), 'id'].tolist()}"
    quotes = data.quotes()
    english = quotes[quotes["language"] == "en"]
    assert english["translation_fr"].notna().all()


def test_claim_checker_in_french_shows_french_explanations():
    lessons.set_language("fr")
    checker = lessons.ClaimChecker()
    claims = data.claims().sort_values("position").reset_index(drop=True)
    checker.evidence[0].value = claims.loc[0, "evidence_ids"][0]
    checker.choices[0].value = claims.loc[0, "verdict"]
    feedback = checker.feedback[0].value
    first_words = claims.loc[0, "explanation_fr"].split()[:4]
    assert " ".join(first_words).replace("’", "&#x27;") in feedback.replace("’", "&#x27;") or \
        " ".join(first_words) in feedback


def test_student_edition_in_french(tmp_path, capsys):
    assert main(["student", str(tmp_path / "classe"), "--lessons", "04", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "04_l_offre_a_97_milliards.ipynb" in out
    assert (tmp_path / "classe" / "04_l_offre_a_97_milliards.ipynb").exists()

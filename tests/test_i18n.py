"""Every label and message exists in English and French, and every key in strings.csv is used."""

from __future__ import annotations

import csv
import re

import pytest

import lessons
from conftest import REPO

STRINGS = REPO / "lessons" / "strings.csv"
SOURCE = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "lessons").rglob("*.py"))


def _rows():
    with STRINGS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_keys_are_unique_and_translated():
    rows = _rows()
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys))
    assert [row["key"] for row in rows if not row["en"].strip() or not row["fr"].strip()] == []


def test_every_key_used_in_the_code_exists():
    used = set(re.findall(r"""\b_\(\s*["']([a-z][\w.]*)["']""", SOURCE))
    assert used - {row["key"] for row in _rows()} == set()


def test_every_key_in_strings_is_used():
    # Keys may be built from a prefix in the code (e.g. f"check.status.{name}"): accept a used prefix.
    unused = [row["key"] for row in _rows()
              if row["key"] not in SOURCE and row["key"].rsplit(".", 1)[0] + "." not in SOURCE]
    assert unused == []


def test_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"^language: expected one of 'en', 'fr'; got 'de'.$"):
        lessons.set_language("de")

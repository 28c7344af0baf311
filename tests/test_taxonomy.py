"""The 14 SemEval-2020 techniques and their mappings to PTC-18 and SemEval-2023."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from propscope.taxonomy import LABELS, TECHNIQUES, Technique, UnknownTechniqueError, technique

PTC_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "ptc"
NAMES_FILE = PTC_DIR / "propaganda-techniques-names-semeval2020task11.txt"

PTC18 = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism",
    "Reductio_ad_hitlerum",
    "Red_Herring",
    "Bandwagon",
    "Obfuscation,Intentional_Vagueness,Confusion",
    "Straw_Men",
)

SEMEVAL2023 = (
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)


def test_taxonomy_has_14_techniques_keyed_by_label() -> None:
    assert len(LABELS) == 14
    assert tuple(TECHNIQUES) == LABELS
    assert all(TECHNIQUES[label].label == label for label in LABELS)


@pytest.mark.skipif(
    not NAMES_FILE.is_file(),
    reason="shared PTC data not found at ../shared/datasets/ptc (technique names file)",
)
def test_taxonomy_labels_equal_the_task_file_in_order() -> None:
    names = [line.strip() for line in NAMES_FILE.read_text(encoding="utf-8").splitlines()]
    assert tuple(name for name in names if name) == LABELS


def test_taxonomy_maps_every_ptc18_name_exactly_once() -> None:
    mapped = Counter(name for t in TECHNIQUES.values() for name in t.ptc18)
    assert set(mapped) == set(PTC18)
    assert all(count == 1 for count in mapped.values()), mapped


def test_taxonomy_covers_all_semeval2023_names() -> None:
    mapped = [name for t in TECHNIQUES.values() for name in t.semeval2023]
    assert set(mapped) == set(SEMEVAL2023)
    assert len(mapped) == len(set(mapped)), "a 2023 name is mapped to two 2020 labels"


def test_taxonomy_texts_are_filled_in() -> None:
    for t in TECHNIQUES.values():
        assert t.name.strip() and t.definition.strip(), t.label
        assert t.explanation.strip(), t.label
        assert "\n" not in t.explanation, f"{t.label}: explanation must be one line"
        assert t.ptc18 and t.semeval2023, t.label


def _contrast_with_black(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (luminance + 0.05) / 0.05


def test_taxonomy_colors_distinct_hex_and_readable_with_black_text() -> None:
    colors = [t.color for t in TECHNIQUES.values()]
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in colors), colors
    assert len({c.upper() for c in colors}) == len(colors)
    # WCAG AA for normal text needs 4.5:1; every tint clears that with black text
    assert all(_contrast_with_black(c) >= 4.5 for c in colors)


def test_technique_lookup_tolerates_spelling_variants() -> None:
    assert technique("Loaded_Language").name == "Loaded language"
    assert technique("loaded language") is TECHNIQUES["Loaded_Language"]
    assert technique("black and white fallacy").label == "Black-and-White_Fallacy"


def test_technique_lookup_unknown_label_has_clear_error() -> None:
    with pytest.raises(KeyError) as caught:
        technique("Propaganda_Of_The_Deed")
    assert isinstance(caught.value, UnknownTechniqueError)
    assert "unknown technique 'Propaganda_Of_The_Deed'" in str(caught.value)
    assert "Loaded_Language" in str(caught.value)


def test_technique_is_frozen() -> None:
    with pytest.raises(AttributeError):
        TECHNIQUES["Doubt"].label = "x"  # type: ignore[misc]
    assert isinstance(TECHNIQUES["Doubt"], Technique)

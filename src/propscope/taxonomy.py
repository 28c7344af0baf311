"""The 14 propaganda techniques of SemEval-2020 Task 11 (technique classification).

Each technique carries its label exactly as the shared task spells it, a readable name,
a definition and a one-line explanation written for this project, the fine-grained
techniques of the Propaganda Techniques Corpus (PTC, 18 techniques) it covers, the
SemEval-2023 Task 3 techniques (23) it corresponds to, and a highlight colour.

Mapping notes:

* The 2020 task merged rare PTC techniques into three superclasses (bandwagon with
  reductio ad Hitlerum; whataboutism with straw men and red herring) and dropped
  ``Obfuscation,Intentional_Vagueness,Confusion``. So that every PTC-18 name has a home,
  obfuscation is folded into ``Exaggeration,Minimisation``, its nearest neighbour among the
  "manipulative wording" techniques.
* SemEval-2023 split some techniques further; each 2023 name is mapped to the 2020 label
  closest in intent (for example ``Appeal_to_Hypocrisy`` to whataboutism,
  ``Appeal_to_Time`` to slogans, ``Questioning_the_Reputation`` to doubt).
* Colours are light tints, each with a contrast ratio of at least 9:1 against black text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    """One SemEval-2020 Task 11 technique label and what it means."""

    label: str
    name: str
    definition: str
    explanation: str
    ptc18: tuple[str, ...]
    semeval2023: tuple[str, ...]
    color: str


class UnknownTechniqueError(KeyError, ValueError):
    """Raised by :func:`technique` for a label outside the 14; prints as a plain sentence."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown technique"


_ALL: tuple[Technique, ...] = (
    Technique(
        label="Appeal_to_Authority",
        name="Appeal to authority",
        definition=(
            "Treats a claim as settled because an expert, official or famous figure endorses "
            "it, offering that endorsement in place of evidence; this includes citing someone "
            "whose standing has nothing to do with the question."
        ),
        explanation="Borrows someone's prestige so you accept the point without checking it.",
        ptc18=("Appeal_to_Authority",),
        semeval2023=("Appeal_to_Authority",),
        color="#D2B48C",
    ),
    Technique(
        label="Appeal_to_fear-prejudice",
        name="Appeal to fear or prejudice",
        definition=(
            "Builds support for a position by stoking alarm, anxiety or hostility, toward a "
            "feared outcome or toward a group the audience already distrusts, often by "
            "presenting the alternative as a threat."
        ),
        explanation="Makes you scared or resentful, so that you stop weighing the argument.",
        ptc18=("Appeal_to_fear-prejudice",),
        semeval2023=("Appeal_to_Fear-Prejudice",),
        color="#F48FB1",
    ),
    Technique(
        label="Bandwagon,Reductio_ad_hitlerum",
        name="Bandwagon or reductio ad Hitlerum",
        definition=(
            "Two techniques merged into one class: urging people to accept an idea because "
            "many others supposedly already do (bandwagon), or urging them to reject it "
            "because a hated person or group is said to favour it (reductio ad Hitlerum)."
        ),
        explanation="Judges an idea by who holds it, the crowd or the villain, not by its merits.",
        ptc18=("Bandwagon", "Reductio_ad_hitlerum"),
        semeval2023=("Appeal_to_Popularity", "Guilt_by_Association"),
        color="#E1A3F0",
    ),
    Technique(
        label="Black-and-White_Fallacy",
        name="Black-and-white fallacy",
        definition=(
            "Frames a question as having only two possible answers, one of them plainly "
            "unacceptable, when other options exist; also covers announcing one course of "
            "action as the only choice there is."
        ),
        explanation="Hides the middle ground, so you feel pushed onto the side on offer.",
        ptc18=("Black-and-White_Fallacy",),
        semeval2023=("False_Dilemma-No_Choice",),
        color="#C4CCD0",
    ),
    Technique(
        label="Causal_Oversimplification",
        name="Causal oversimplification",
        definition=(
            "Pins an outcome with many contributing causes on a single one, or takes the fact "
            "that one event came after another as proof that the first caused the second; "
            "includes claiming that one step will inevitably set off a chain of consequences."
        ),
        explanation="Hands you one tidy culprit for a messy problem.",
        ptc18=("Causal_Oversimplification",),
        semeval2023=("Causal_Oversimplification", "Consequential_Oversimplification"),
        color="#AED581",
    ),
    Technique(
        label="Doubt",
        name="Doubt",
        definition=(
            "Casts suspicion on the honesty, ability or reliability of a person, institution "
            "or claim without showing grounds for it, usually through insinuation or leading "
            "questions."
        ),
        explanation="Plants suspicion, so you distrust someone without being shown why.",
        ptc18=("Doubt",),
        semeval2023=("Doubt", "Questioning_the_Reputation"),
        color="#A7A4E0",
    ),
    Technique(
        label="Exaggeration,Minimisation",
        name="Exaggeration or minimisation",
        definition=(
            "Makes something look bigger, better or worse than the facts support, or shrinks "
            "something serious until it seems trivial. Here it also absorbs obfuscation: "
            "wording left vague on purpose so that readers supply the meaning themselves."
        ),
        explanation="Distorts the size of things, so your reaction is out of proportion.",
        ptc18=("Exaggeration,Minimisation", "Obfuscation,Intentional_Vagueness,Confusion"),
        semeval2023=("Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion"),
        color="#FFAB40",
    ),
    Technique(
        label="Flag-Waving",
        name="Flag-waving",
        definition=(
            "Argues for a position by invoking loyalty to a group the audience belongs to, "
            "such as a nation, party, faith or ethnicity, or to values it holds dear, rather "
            "than by giving reasons."
        ),
        explanation="Tugs at group pride, so that disagreeing feels like disloyalty.",
        ptc18=("Flag-Waving",),
        semeval2023=("Flag_Waving", "Appeal_to_Values"),
        color="#7FC8F8",
    ),
    Technique(
        label="Loaded_Language",
        name="Loaded language",
        definition=(
            "Chooses words and phrases with a strong emotional charge, favourable or hostile, "
            "to colour how the audience feels about the subject."
        ),
        explanation="Emotional word choice that sets your feelings before you have thought.",
        ptc18=("Loaded_Language",),
        semeval2023=("Loaded_Language",),
        color="#FFD54F",
    ),
    Technique(
        label="Name_Calling,Labeling",
        name="Name calling or labelling",
        definition=(
            "Sticks a label on a person, group or idea, an insult or a flattering tag, so "
            "that the audience responds to the label instead of to what the target has "
            "actually said or done."
        ),
        explanation="A label does the arguing: you react to the tag, not to the facts.",
        ptc18=("Name_Calling,Labeling",),
        semeval2023=("Name_Calling-Labeling",),
        color="#FF8A80",
    ),
    Technique(
        label="Repetition",
        name="Repetition",
        definition=(
            "Restates the same message, phrase or word several times so that familiarity "
            "makes it feel accepted and true."
        ),
        explanation="Hearing it again and again makes it feel true.",
        ptc18=("Repetition",),
        semeval2023=("Repetition",),
        color="#84E8F0",
    ),
    Technique(
        label="Slogans",
        name="Slogans",
        definition=(
            "Packs a position into a short, punchy phrase, often with labels or stereotypes, "
            "that works as a rallying cry; includes insisting that the moment to act is now."
        ),
        explanation="A catchy line stands in for reasoning and is easy to repeat.",
        ptc18=("Slogans",),
        semeval2023=("Slogans", "Appeal_to_Time"),
        color="#FFF59D",
    ),
    Technique(
        label="Thought-terminating_Cliches",
        name="Thought-terminating cliché",
        definition=(
            "Uses a stock phrase or platitude that sounds like it settles the matter, to shut "
            "down discussion and discourage further questions."
        ),
        explanation="A stock phrase that ends the conversation before questions get asked.",
        ptc18=("Thought-terminating_Cliches",),
        semeval2023=("Conversation_Killer",),
        color="#F8D0D8",
    ),
    Technique(
        label="Whataboutism,Straw_Men,Red_Herring",
        name="Whataboutism, straw man or red herring",
        definition=(
            "Three distraction techniques merged into one class: answering criticism by "
            "pointing at the critic's own faults or inconsistency (whataboutism), attacking a "
            "distorted version of the opposing view (straw man), or bringing in an unrelated "
            "topic to pull attention away from the issue (red herring)."
        ),
        explanation="Steers your attention away from the point actually being made.",
        ptc18=("Whataboutism", "Straw_Men", "Red_Herring"),
        semeval2023=("Whataboutism", "Appeal_to_Hypocrisy", "Straw_Man", "Red_Herring"),
        color="#5FC4A8",
    ),
)

TECHNIQUES: dict[str, Technique] = {t.label: t for t in _ALL}
LABELS: tuple[str, ...] = tuple(TECHNIQUES)


def _normalise(label: str) -> str:
    """Fold case, spaces, underscores and hyphens, so 'loaded language' finds the label."""
    return re.sub(r"[\s_\-]+", "_", label.strip()).casefold()


_BY_NORMAL_FORM: dict[str, str] = {_normalise(label): label for label in LABELS}


def technique(label: str) -> Technique:
    """The technique for ``label``; tolerates case, space, underscore and hyphen variants.

    Raises :class:`UnknownTechniqueError` (a ``KeyError`` and a ``ValueError``) with a
    message that lists the valid labels.
    """
    found = TECHNIQUES.get(label)
    if found is not None:
        return found
    canonical = _BY_NORMAL_FORM.get(_normalise(label))
    if canonical is not None:
        return TECHNIQUES[canonical]
    raise UnknownTechniqueError(f"unknown technique {label!r}; expected one of: {', '.join(LABELS)}")

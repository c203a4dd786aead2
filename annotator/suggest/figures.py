"""The built-in rule for the figure label: a number, an optional multiplier, and the noun it counts.

A number is digits (Western or Arabic-Indic, with , . ٫ ٬ between digit groups, optionally a %) or Arabic
number words (واحد … عشرة، أحد عشر … تسعة عشر، عشرون …، مئة/مائة، ألف، مليون, also joined with و as in
خمسة وعشرون); ألف/آلاف/مليون may follow; then the counted noun, the next word. A percentage needs no noun.
The number's word may carry a proclitic (بـ15، و900، وسبعة), which stays outside the suggestion.
Words are compared in the suggestions' normalised form (أ→ا, ة→ه, ى→ي, harakat and tatweel ignored).
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.text.tokenizer import Token, tokenize

from .matcher import CLITICS
from .normal import fold_word, snap
from .records import Suggestion

FIGURE = "figure"
SOURCE = "figures"

_UNITS = [
    "واحد",
    "واحده",
    "اثنان",
    "اثنين",
    "اثنتان",
    "اثنتين",
    "ثلاث",
    "ثلاثه",
    "اربع",
    "اربعه",
    "خمس",
    "خمسه",
    "ست",
    "سته",
    "سبع",
    "سبعه",
    "ثمان",
    "ثماني",
    "ثمانيه",
    "تسع",
    "تسعه",
    "عشر",
    "عشره",
    "بضع",
    "بضعه",
]
_TEEN_FIRST = ["احد", "احدي", "اثنا", "اثني", "اثنتا", "اثنتي"]  # only before عشر/عشرة
_TENS = [
    "عشرون",
    "عشرين",
    "ثلاثون",
    "ثلاثين",
    "اربعون",
    "اربعين",
    "خمسون",
    "خمسين",
    "ستون",
    "ستين",
    "سبعون",
    "سبعين",
    "ثمانون",
    "ثمانين",
    "تسعون",
    "تسعين",
]
_HUNDREDS = ["مئه", "مائه", "مئتان", "مئتين", "مائتان", "مائتين"] + [
    unit + hundred for unit in ("ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع") for hundred in ("مئه", "مائه")
]
MULTIPLIERS = frozenset(
    [
        "الف",
        "الفا",
        "الفان",
        "الفين",
        "الاف",
        "مليون",
        "مليونا",
        "مليونان",
        "مليونين",
        "ملايين",
        "مليار",
        "مليارا",
        "ملياران",
        "مليارين",
        "مليارات",
    ]
)
NUMBER_WORDS = frozenset(_UNITS + _TENS + _HUNDREDS) | MULTIPLIERS
_STARTS = NUMBER_WORDS | frozenset(_TEEN_FIRST)
_TEENS_TAIL = frozenset({"عشر", "عشره"})
# Words that follow a number without being what it counts: particles, prepositions, pronouns.
_NOT_COUNTED = frozenset(
    [
        "من",
        "في",
        "علي",
        "الي",
        "حتي",
        "عن",
        "مع",
        "او",
        "ام",
        "ثم",
        "منذ",
        "بين",
        "قبل",
        "بعد",
        "خلال",
        "عند",
        "لدي",
        "ضد",
        "نحو",
        "حوالي",
        "زهاء",
        "قرابه",
        "ان",
        "لا",
        "لم",
        "لن",
        "ما",
        "قد",
        "هذه",
        "هذا",
        "ذلك",
        "تلك",
        "هو",
        "هي",
        "هم",
        "التي",
        "الذي",
        "الذين",
        "كما",
        "بل",
        "لكن",
        "اذا",
        "اي",
        "كل",
        "بعض",
        "غير",
        "سوي",
        "حين",
        "حينما",
        "عندما",
        "بينما",
        "لما",
    ]
)
# A number after these is a year: منذ 2014، عام 2017.
_YEAR_BEFORE = frozenset(["عام", "العام", "لعام", "سنه", "السنه", "منذ"])
# A month or a weekday after a number makes a date, not a figure.
_DATES = frozenset(
    [
        "يناير",
        "فبراير",
        "مارس",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "اغسطس",
        "سبتمبر",
        "اكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "اذار",
        "نيسان",
        "ايار",
        "حزيران",
        "تموز",
        "اب",
        "ايلول",
        "تشرين",
    ]
)
_SEPARATORS = frozenset(",.٫٬")
_PERCENT = frozenset("%٪")
_GLUED_BEFORE = frozenset("-/:.,٫٬")  # a number glued after these belongs to a name, a date or a time


def _digits(word: str) -> bool:
    """True for a run of decimal digits (any script)."""
    return word.isdecimal()


def _strip_clitic(word: str) -> tuple[int, str]:
    """(clitic length, rest) when the word is a proclitic then digits or a number word, else (-1, word)."""
    if _digits(word) or word in _STARTS:
        return 0, word
    for clitic in CLITICS:
        rest = word[len(clitic) :]
        if word.startswith(clitic) and rest and (_digits(rest) or rest in _STARTS):
            return len(clitic), rest
    return -1, word


class _Figures:
    """The figures of one text, read token by token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.words = [fold_word(token.text) for token in self.tokens]

    def glued(self, i: int) -> bool:
        """True when token i follows token i-1 with nothing between them."""
        return i > 0 and self.tokens[i - 1].end == self.tokens[i].start

    def spaced(self, i: int) -> bool:
        """True when only spaces (no line break) separate token i-1 from token i."""
        gap = self.text[self.tokens[i - 1].end : self.tokens[i].start]
        return bool(gap) and gap.isspace() and "\n" not in gap

    def number_end(self, i: int, rest: str) -> int:
        """The index past the last token of the number that starts at token i (whose number part is rest)."""
        n = len(self.tokens)
        j = i + 1
        if _digits(rest):
            # Digit groups: 2,500 and 1.5 and ١٬٢٠٠ are one number.
            while (
                j + 1 < n
                and self.words[j] in _SEPARATORS
                and self.glued(j)
                and self.glued(j + 1)
                and _digits(self.words[j + 1])
            ):
                j += 2
            if j < n and self.words[j] in MULTIPLIERS and self.spaced(j):
                j += 1
            return j
        while j < n and self.spaced(j):
            word, previous = self.words[j], self.words[j - 1]
            if word in _TEENS_TAIL and previous in _TEEN_FIRST + _UNITS:
                j += 1
            elif word in NUMBER_WORDS and previous not in MULTIPLIERS or word in MULTIPLIERS:
                j += 1  # ثلاث مئة، خمسة آلاف، مئة ألف
            elif word.startswith("و") and word[1:] in NUMBER_WORDS:
                j += 1  # خمسة وعشرون
            else:
                break
        return j

    def figure_at(self, i: int) -> tuple[Suggestion | None, int]:
        """The figure starting at token i (None if there is none) and the token to look at next."""
        outside, rest = _strip_clitic(self.words[i])
        if outside < 0:
            return None, i + 1
        teen = i + 1 < len(self.tokens) and self.words[i + 1] in _TEENS_TAIL and self.spaced(i + 1)
        if rest in _TEEN_FIRST and not teen:
            return None, i + 1  # أحد alone is "one of", not a number
        if (
            self.glued(i)
            and self.tokens[i - 1].text[-1] in _GLUED_BEFORE
            or self.glued(i)
            and self.words[i - 1].isalnum()
        ):
            return None, i + 1
        if i > 0 and (self.words[i - 1] in _DATES or self.words[i - 1] in _YEAR_BEFORE):
            return None, i + 1
        j = self.number_end(i, rest)
        if j - 1 == i and rest in MULTIPLIERS:
            return None, j  # ألف alone is not a number here (ألف الكتاب)
        start = self.tokens[i].start + self._outside_chars(i, outside)
        n = len(self.tokens)
        if j < n and self.words[j] in _PERCENT and (self.glued(j) or self.spaced(j)):
            return self._suggestion(start, self.tokens[j].end), j + 1
        if j < n and self.spaced(j) and self._counted(self.words[j]):
            return self._suggestion(start, self.tokens[j].end), j + 1
        return None, j

    def _outside_chars(self, i: int, clitic: int) -> int:
        """Stored characters of token i that hold its first `clitic` normalised letters (and any tatweel after)."""
        if not clitic:
            return 0
        token = self.tokens[i].text
        seen = k = 0
        while k < len(token) and seen < clitic:
            if fold_word(token[k]):
                seen += 1
            k += 1
        while k < len(token) and not fold_word(token[k]):
            k += 1  # «بـ15»: the tatweel and harakat after the clitic stay with it
        return k

    @staticmethod
    def _counted(word: str) -> bool:
        """True when a word can be what a number counts."""
        return (
            bool(word)
            and word.isalpha()
            and word not in _NOT_COUNTED
            and word not in NUMBER_WORDS
            and word not in _DATES
            and not word.startswith("ال")
            and _strip_clitic(word)[0] < 0
        )

    def _suggestion(self, start: int, end: int) -> Suggestion:
        """A figure suggestion over text[start:end], its end on a grapheme boundary."""
        start, end = snap(self.text, start, end)
        return Suggestion(start, end, FIGURE, SOURCE)

    def all(self) -> list[Suggestion]:
        """Every figure of the text, in text order."""
        found: list[Suggestion] = []
        i = 0
        while i < len(self.tokens):
            suggestion, i = self.figure_at(i)
            if suggestion is not None:
                found.append(suggestion)
        return found


def figures(text: str) -> list[Suggestion]:
    """The figure suggestions of one text."""
    return _Figures(text).all()


def figures_many(texts: Sequence[str]) -> list[list[Suggestion]]:
    """The figure suggestions of each text."""
    return [figures(text) for text in texts]

"""Words of the synthetic corpus: function words, chrome lines and the pseudo-word vocabulary."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...stopwords import english_stopwords

__all__ = ["FUNCTION_WORDS", "BOILERPLATE_POOL", "stop_words", "reserved_words", "pseudo_words", "outlet_name"]

# Function words in rough order of English frequency, drawn into the bodies with Zipfian
# probabilities, p(rank r) ~ 1 / (r + 1): generative data, not a stop list (all are stop words).
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    the of and to a in that is was for on with as by it at from he his be are have has not but they this
    an which or were had been their will its who more she her we after about there than when into over out
    up can all some other so no only most between during before against them while these what also
    """.split()
)

# Chrome lines: (template, position).  {name} is the outlet name, {domain} its domain.
BOILERPLATE_POOL: tuple[tuple[str, str], ...] = (
    ("Skip to main content", "header"),
    ("Home | World | Politics | Business | Culture | Sport", "header"),
    ("{name} Live | Latest News | Opinion | Video", "header"),
    ("Advertisement", "header"),
    ("Subscribe to the {name} newsletter for daily updates", "footer"),
    ("Share this article: Facebook Twitter Email WhatsApp", "footer"),
    ("Copyright {name} Media Group. All rights reserved.", "footer"),
    ("Follow {name} on Twitter and Instagram for breaking news", "footer"),
    ("Read more stories like this at {domain}", "footer"),
    ("Click here to download the {name} app", "footer"),
    ("Sign up for our morning briefing", "footer"),
    ("Comments are closed for this article", "footer"),
)

# Syllable parts of the pseudo-words (repeats weight the common ones).
_ONSETS = (
    "b c d f g h k l m n p r s t v w b d g k l m n p r s t t z j br cr dr fr gr pr tr bl cl fl pl sl st sp "
    "ch sh th"
).split()
_VOWELS = "a e i o u a e i o u a e i o a e ai ea ou oo ie".split()
_CODAS = "n r l m s t n r l".split()  # inside a word
_FINAL_CODAS = "n r l m t x k nd nt rd rn st lt ck sh".split()  # at the end
_ENDINGS = "a o y er on ia el an en ar um in ix is".split()  # after a final consonant

# NLTK's English list (the generator's former source, with gensim's) also holds the stems that
# negative contractions leave (aren't -> aren); gensim's lacks them. Of all the words only in the
# former list, these three are the only ones the syllable grammar above can form, so they stay
# reserved and every seed keeps its vocabulary.
_NEGATION_STEMS = frozenset({"aren", "haven", "weren"})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words that no pseudo-word may be.

    Returns
    -------
    frozenset of str
        The package's list (gensim's, :func:`discourse.stopwords.english_stopwords`)
        and the contraction stems ``aren``, ``haven``, ``weren``.
    """
    return english_stopwords() | _NEGATION_STEMS


def outlet_name(i: int) -> str:
    """Letter name of outlet ``i`` (0-based): 'A'..'Z', then 'AA', 'AB', ..."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def reserved_words() -> set[str]:
    """Words the vocabulary must avoid: stop words and the words of outlet names, domains and chrome lines."""
    words = set(stop_words()) | {"outlet", "example", "media", "group", "live"}
    for tmpl, _ in BOILERPLATE_POOL:
        for w in tmpl.replace("{name}", " ").replace("{domain}", " ").split():
            w = "".join(c for c in w.lower() if c.isalpha())
            if w:
                words.add(w)
    return words


def pseudo_words(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` unique pronounceable pseudo-words (length 4-10, letters only), none of them reserved.

    Syllables ``[coda] onset vowel`` (2-4 of them, the first may lack its onset), then an
    optional final consonant and ending. Words ending in ``s``/``ed``/``ing`` are rejected,
    so stemmers and lemmatizers leave the vocabulary alone.
    """
    reserved = reserved_words()
    out: list[str] = []
    seen: set[str] = set()

    def pick(parts: list[str], m: int) -> np.ndarray:
        return np.array(parts, dtype=object)[rng.integers(len(parts), size=m)]

    while len(out) < n:
        m = 2 * (n - len(out)) + 1000
        n_syl = rng.choice([2, 3, 4], size=m, p=[0.5, 0.42, 0.08])
        # First syllable may start with a vowel.
        words = np.where(rng.random(m) < 0.12, "", pick(_ONSETS, m)) + pick(_VOWELS, m)
        for s in range(1, 4):
            syl = np.where(rng.random(m) < 0.25, pick(_CODAS, m), "") + pick(_ONSETS, m) + pick(_VOWELS, m)
            words = np.where(n_syl > s, words + syl, words)
        # Optional final consonant(s), optionally followed by an ending.
        has_coda = rng.random(m) < 0.5
        words = np.where(has_coda, words + pick(_FINAL_CODAS, m), words)
        words = np.where(has_coda & (rng.random(m) < 0.3), words + pick(_ENDINGS, m), words)
        for w in words.tolist():
            if (
                4 <= len(w) <= 10
                and w not in seen
                and w not in reserved
                and not w.endswith(("s", "ed", "ing"))
            ):
                seen.add(w)
                out.append(w)
                if len(out) == n:
                    break
    return out


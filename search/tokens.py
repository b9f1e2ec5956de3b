"""Chinese-aware tokens for the embedded engine, computed in Python.

Databases' own tokenizers keep a run of Chinese characters as one word, so "加分" would never
find "少数民族考生加分名单公示". Here a run of CJK characters is indexed as its unigrams and its
overlapping bigrams (少 数 … 少数 数民 民族 …); a query run of two or more characters asks for
all of its bigrams, a single character for its unigram. Latin letters and digits are words,
lower-cased after NFKC (full-width forms become ASCII). Tokens never contain spaces or quotes,
so they are safe to quote into FTS5 MATCH and tsquery text.
"""

import re
import unicodedata

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_RUN = re.compile(rf"([{_CJK}]+)|([0-9a-z]+)")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    """The CJK runs and Latin/digit words of `text`, in order."""
    return [m.group(0) for m in _RUN.finditer(_normalise(text))]


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def index_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in runs(text):
        if _is_cjk(run):
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def query_tokens(text: str) -> list[str]:
    """Every token a document must hold to match `text` (deduplicated, in order)."""
    tokens: list[str] = []
    for run in runs(text):
        if _is_cjk(run) and len(run) > 1:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return list(dict.fromkeys(tokens))


def index_text(text: str) -> str:
    return " ".join(index_tokens(text))

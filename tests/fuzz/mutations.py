"""The bad kinds of input, as hypothesis strategies over a real form's fields.

A mutation starts from what a browser would post for the untouched form and then replaces
values, omits or duplicates fields, injects unknown ones, or spoils the encoding of the whole
body (invalid UTF-8, encoded surrogates, a truncated multipart body, a content type that does
not match the body). Every strategy is named in BAD_VALUES or in `bodies`."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

BAD_VALUES = {
    "empty": "",
    "spaces": "   ",
    "nul": "名单\x00",
    "control": "\x1b[31m\x7f",
    "over-long": "测" * 20_000,
    "huge integer": "9" * 40,
    "negative": "-1",
    "integer past 64 bits": str(2**63),
    "float overflow": "1e999999",
    "not a number": "NaN",
    "date out of range": "9999-12-31 23:59",
    "year 10000": "10000-01-01",
    "no such day": "2026-02-30",
    "year zero": "0000-00-00 00:00",
    "malformed JSON": '{"blocks": [',
    "JSON of another shape": '[{"type": "x", "value": 1}]',
    "deep JSON": "[" * 50_000,
    "id of nothing": "999999999",
    "id 1": "1",
    "script": "<script>alert(1)</script>",
    "mixed scripts": "加分ﾃｽﾄ\u202eevil\u200b👨‍👩‍👧",
}
# Encoded in the body as raw bytes: no str can carry them.
BAD_BYTES = {
    "invalid UTF-8": b"%FF%FE%FD",
    "encoded surrogate": b"%ED%A0%80",
    "lone percent": b"%",
}


@dataclass
class Request:
    body: bytes
    content_type: str
    what: str


def encoded(pairs) -> bytes:
    return urlencode(pairs).encode("ascii")


def multipart(pairs, boundary="fuzzBoundary") -> bytes:
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode("utf-8", "surrogatepass")


@st.composite
def mutated_request(draw, fields: list[tuple[str, str]], submits: list[tuple[str, str]]):
    """One mutated post of a form whose untouched data is `fields`."""
    pairs = list(fields)
    if submits:
        pairs.append(draw(st.sampled_from(submits)))
    names = sorted({name for name, _ in pairs}) or ["q"]
    what = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "value", "omit", "duplicate", "inject"]))
        name = draw(st.sampled_from(names))
        if kind == "value":
            label = draw(st.sampled_from(sorted(BAD_VALUES)))
            pairs = [(n, BAD_VALUES[label] if n == name else v) for n, v in pairs]
            what.append(f"{name}={label}")
        elif kind == "omit":
            pairs = [(n, v) for n, v in pairs if n != name]
            what.append(f"omit {name}")
        elif kind == "duplicate":
            label = draw(st.sampled_from(sorted(BAD_VALUES)))
            pairs.append((name, BAD_VALUES[label]))
            what.append(f"duplicate {name}={label}")
        else:
            pairs.append((draw(st.sampled_from(["id", "pk", "owner", "live", "csrf"])), "1"))
            what.append("inject")
    body_kind = draw(st.sampled_from(["urlencoded"] * 4 + ["bytes", "multipart", "wrong type"]))
    if body_kind == "bytes":
        label = draw(st.sampled_from(sorted(BAD_BYTES)))
        name = quote(draw(st.sampled_from(names))).encode()
        body = encoded(pairs) + b"&" + name + b"=" + BAD_BYTES[label]
        return Request(body, "application/x-www-form-urlencoded", "; ".join([*what, label]))
    if body_kind == "multipart":
        body = multipart(pairs)
        if draw(st.booleans()):
            body = body[: draw(st.integers(0, max(len(body) - 1, 0)))]
            what.append("truncated multipart")
        return Request(body, "multipart/form-data; boundary=fuzzBoundary", "; ".join(what))
    if body_kind == "wrong type":
        content_type = draw(
            st.sampled_from(
                [
                    "application/json",
                    "text/plain",
                    "multipart/form-data",  # no boundary
                    "multipart/form-data; boundary=",
                    "application/x-www-form-urlencoded; charset=no-such-charset",
                ]
            )
        )
        return Request(encoded(pairs), content_type, "; ".join([*what, content_type]))
    return Request(encoded(pairs), "application/x-www-form-urlencoded", "; ".join(what))


@st.composite
def mutated_query(draw, fields: list[tuple[str, str]]):
    """A query string for a GET form: bad values, duplicates, raw bytes."""
    pairs = list(fields) or [("q", "")]
    names = sorted({name for name, _ in pairs})
    name = draw(st.sampled_from(names))
    if draw(st.integers(0, 4)) == 0:
        label = draw(st.sampled_from(sorted(BAD_BYTES)))
        return encoded(pairs).decode() + f"&{quote(name)}=" + BAD_BYTES[label].decode(), label
    label = draw(st.sampled_from(sorted(BAD_VALUES)))
    value = BAD_VALUES[label][:2000]
    if draw(st.booleans()):
        pairs.append((name, value))
    else:
        pairs = [(n, value if n == name else v) for n, v in pairs]
    return urlencode(pairs), f"{name}={label}"

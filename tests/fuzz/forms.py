"""The fields of the real forms, read from the HTML a GET answers (no hand-written lists).

`forms_in(html)` gives every <form> with its method, action, enctype and fields in document
order: (name, value, kind) for inputs, textareas and selects, as a browser would submit them
untouched (checked boxes and radios only, the selected or first option of a select)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUTS = {"button", "image", "reset"}


@dataclass
class FormField:
    name: str
    value: str
    kind: str  # text, hidden, textarea, select, checkbox, radio, file, number, date, submit …
    options: tuple[str, ...] = ()


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[FormField] = field(default_factory=list)

    def data(self) -> list[tuple[str, str]]:
        """What a browser posts for the untouched form (submit buttons left out)."""
        return [
            (f.name, f.value)
            for f in self.fields
            if f.kind not in ("submit", "file") and not f.kind.endswith("-off")
        ]

    def submits(self) -> list[tuple[str, str]]:
        return [(f.name, f.value) for f in self.fields if f.kind == "submit"]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None
        self._select_options: list[str] = []
        self._selected: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(),
                action=a.get("action", ""),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in a or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.append(FormField(name, a.get("value", "on"), kind + "-off"))
                return
            self._form.fields.append(FormField(name, a.get("value", ""), kind))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._form.fields.append(FormField(name, a.get("value", ""), "submit"))
        elif tag == "textarea":
            self._textarea = FormField(name, "", "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(name, "", "select")
            self._select_options, self._selected = [], None
            if "multiple" not in a:
                self._form.fields.append(self._select)

    def _option(self, a):
        value = a.get("value", "")
        self._select_options.append(value)
        if "selected" in a:
            self._selected = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = tuple(self._select_options)
            self._select.options = options
            if self._selected is not None:
                self._select.value = self._selected
            elif options:
                self._select.value = options[0]
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with_field(html: str, name: str) -> Form:
    for form in forms_in(html):
        if any(f.name == name for f in form.fields):
            return form
    raise AssertionError(f"no form with a field named {name!r}")

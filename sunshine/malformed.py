"""Malformed input that Wagtail or Django would answer with a 500, turned into a refusal.

Each fix sits at the layer where the 500 arises, so that every other error still surfaces
(ADR 0019); docs/security.md names the upstream behaviour each one covers.

Rich text (the admin's Draftail editor): the browser posts the editor's content as
Draft.js "contentstate" JSON. `DraftailRichTextArea.value_from_datadict` hands it to
`json.loads` and the contentstate exporter without a guard, so a body that is not JSON, or
JSON of another shape (a list, a block without text, a style range without offset), raises
inside the form's `full_clean` and the edit view answers 500. `SafeDraftailRichTextArea`
(the default editor through `WAGTAILADMIN_RICH_TEXT_EDITORS`) returns a `MalformedValue`
instead, and `RichTextFormField` (the admin form field of every `RichTextField`, through
Wagtail's `register_form_field_override`) refuses it as a validation error: the edit form
comes back with a Chinese message and nothing is saved or published.
"""

from django import forms
from django.core.exceptions import ValidationError
from draftjs_exporter.error import ConfigException, ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea

MALFORMED_RICH_TEXT = "正文格式无法识别（编辑器提交的数据已损坏），请刷新页面后重新编辑。"
# What a broken contentstate raises inside json.loads or the exporter: not JSON
# (ValueError), JSON of the wrong shape (TypeError, KeyError, AttributeError, IndexError),
# nesting deeper than Python's stack (RecursionError), an entity range pointing at no entity
# (the exporter's own ExporterEntityException). A ConfigException is our configuration's
# fault, not the input's, and still surfaces.
CONTENTSTATE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
    ExporterException,
)


class MalformedValue:
    """A posted value the widget could not read; the form field refuses it."""

    def __init__(self, raw, message: str):
        self.raw = raw
        self.message = message

    def __repr__(self):
        return f"MalformedValue({self.raw[:40]!r})"


class SafeDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except ConfigException:
            raise
        except CONTENTSTATE_ERRORS:
            return MalformedValue(data.get(name), MALFORMED_RICH_TEXT)

    def format_value(self, value):
        # The form shown again after the refusal: an empty editor, not the broken JSON.
        if isinstance(value, MalformedValue):
            value = ""
        return super().format_value(value)


class RichTextFormField(forms.CharField):
    """The admin form field of a RichTextField: a CharField that refuses a MalformedValue."""

    def to_python(self, value):
        if isinstance(value, MalformedValue):
            raise ValidationError(value.message, code="malformed")
        return super().to_python(value)


def register_overrides() -> None:
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.fields import RichTextField

    register_form_field_override(RichTextField, override={"form_class": RichTextFormField})

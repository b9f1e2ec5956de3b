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

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from draftjs_exporter.error import ConfigException, ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea

logger = logging.getLogger(__name__)
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


# -- form fields read without a guard ---------------------------------------------------------

MISSING_FIELD_MESSAGE = "提交的表单缺少必填项，请刷新页面后重新提交。"


class RefuseMissingFormFields:
    """Middleware: a view that reads a posted field as `request.POST["name"]` (Wagtail's page
    copy view reads `new_parent_page` so) raises `MultiValueDictKeyError` when a client
    leaves the field out, and Django answers 500. It becomes a 400 with a Chinese message;
    the view had not written anything yet (the read comes first), and the traceback is still
    logged as a warning so that a real bug in our own code stays visible."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.utils.datastructures import MultiValueDictKeyError

        from .security import refusal

        if not isinstance(exception, MultiValueDictKeyError):
            return None
        logger.warning(
            "Refused %s %s: field %s missing",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return refusal(request, MISSING_FIELD_MESSAGE)


# -- Wagtail's deliberate error page ----------------------------------------------------------


def no_error_test(request):
    """`/admin/failwhale/` is Wagtail's "test of the emergency broadcast system": it raises on
    purpose, so anyone with admin access can make the site answer 500 (and page the operator)
    at will. Here it does not exist. Operators test error reporting with `manage.py shell`."""
    raise Http404("未找到该页面")

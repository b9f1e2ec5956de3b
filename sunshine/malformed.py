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
import re
from datetime import UTC

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
    guard_chooser_instances()
    register_date_overrides()


# -- form fields read without a guard ---------------------------------------------------------

MISSING_FIELD_MESSAGE = "提交的表单缺少必填项，请刷新页面后重新提交。"


class RefuseMissingFormFields:
    """Middleware: a view that reads a posted field as `request.POST["name"]` (Wagtail's page
    copy view reads `new_parent_page` so) raises `MultiValueDictKeyError` when a client
    leaves the field out, and Django answers 500. It becomes a 400 with a Chinese message;
    the view had not written anything yet (the read comes first), and the traceback is still
    logged as a warning so that a real bug in our own code stays visible. The same view then
    looks the value up as a page id unchecked: a value that cannot be one (UNCHECKED_IDS) is
    refused before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and has_unreadable_id(request):
            return refusal_of(request, MISSING_FIELD_MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.utils.datastructures import MultiValueDictKeyError

        if not isinstance(exception, MultiValueDictKeyError):
            return None
        logger.warning(
            "Refused %s %s: field %s missing",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return refusal_of(request, MISSING_FIELD_MESSAGE)


def refusal_of(request, message):
    from .security import refusal

    return refusal(request, message)


# Posted ids that Wagtail views look up without a form: `Page.objects.get(id=...)` raises
# ValueError on a word and OverflowError past 64 bits. (path pattern, field)
UNCHECKED_IDS = ((re.compile(r"^/admin/pages/\d+/copy/$"), "new_parent_page"),)


def has_unreadable_id(request) -> bool:
    for pattern, name in UNCHECKED_IDS:
        if pattern.match(request.path) and name in request.POST:
            value = request.POST[name].strip()
            if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**31:
                return True
    return False


# -- Wagtail's deliberate error page ----------------------------------------------------------


def no_error_test(request):
    """`/admin/failwhale/` is Wagtail's "test of the emergency broadcast system": it raises on
    purpose, so anyone with admin access can make the site answer 500 (and page the operator)
    at will. Here it does not exist. Operators test error reporting with `manage.py shell`."""
    raise Http404("未找到该页面")


# -- choosers shown again with the posted value -----------------------------------------------

UNREADABLE_IDS = (ValueError, TypeError, OverflowError, ValidationError)


def guard_chooser_instances() -> None:
    """A form shown again after a refusal renders each chooser (page, snippet such as the
    issuer, document of an attachment) with the posted value. Wagtail's
    `BaseChooser.get_instance` looks that value up as a primary key, so "x" raises ValueError
    and a number past 64 bits OverflowError (SQLite) or DataError's kin while the template
    renders: a 500 although the form had already refused the value. Here an id that cannot be
    one shows the chooser empty, as an id of nothing already does upstream."""
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.get_instance
    if getattr(original, "guards_unreadable_ids", False):
        return

    def get_instance(self, value):
        if isinstance(value, str | int) and not isinstance(value, bool):
            try:
                pk = self.model_class._meta.pk.to_python(value)
            except UNREADABLE_IDS:
                return None
            if isinstance(pk, int) and not -(2**63) <= pk < 2**63:
                return None
        return original(self, value)

    get_instance.guards_unreadable_ids = True
    BaseChooser.get_instance = get_instance


# -- dates at the ends of the calendar --------------------------------------------------------

DATE_OUT_OF_RANGE = "日期超出可用范围，请输入公元1年至9999年之间的正确日期。"


class BoundedDateTimeField(forms.DateTimeField):
    """The admin form field of every DateTimeField. Python's datetime reaches from year 1 to
    9999; a local time near either end (0001-01-01 00:00 in Beijing time) has no UTC
    equivalent, and Django's aware-datetime handling raises OverflowError after the form
    accepted the value: a 500. Refused here as a validation error instead."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
            if result is not None and result.tzinfo is not None:
                result.astimezone(UTC)
        except OverflowError as error:
            raise ValidationError(DATE_OUT_OF_RANGE, code="out_of_range") from error
        return result


def register_date_overrides() -> None:
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.admin.widgets import AdminDateTimeInput

    register_form_field_override(
        models.DateTimeField,
        override={"form_class": BoundedDateTimeField, "widget": AdminDateTimeInput},
    )

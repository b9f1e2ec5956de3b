"""The disclosure editor offers, and accepts, only the issuers and datasets in the user's scope."""

from wagtail.admin.forms import WagtailAdminPageForm

from . import access

ISSUER_OUT_OF_SCOPE = "只能选择您所属的发布机构或其下级机构。"
DATASET_OUT_OF_SCOPE = "只能选择本机构或下级机构导入的数据集。"


class ScopedDisclosureForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        issuer = self.fields.get("issuer")
        if issuer is not None:
            issuer.queryset = access.visible_issuers(user)
            issuer.error_messages["invalid_choice"] = ISSUER_OUT_OF_SCOPE
        dataset = self.fields.get("dataset")
        if dataset is not None:
            from .datasets import visible_datasets

            current = getattr(self.instance, "dataset_id", None)
            dataset.queryset = visible_datasets(dataset.queryset, user, keep=current)
            dataset.error_messages["invalid_choice"] = DATASET_OUT_OF_SCOPE


def install() -> None:
    """Every disclosure page's admin form is scoped, including kinds with a form of their own
    (the candidate list's, which rules on its lower lists): those get the scope mixed in."""
    from django.apps import apps

    from disclosure.models import DisclosurePage

    DisclosurePage.base_form_class = ScopedDisclosureForm
    for model in apps.get_models():
        own = model.__dict__.get("base_form_class")
        if issubclass(model, DisclosurePage) and own and not issubclass(own, ScopedDisclosureForm):
            model.base_form_class = type(
                f"Scoped{own.__name__}", (ScopedDisclosureForm, own), {"__module__": __name__}
            )

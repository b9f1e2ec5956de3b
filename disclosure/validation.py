"""Validators other apps attach to disclosure pages, so `disclosure` imports none of them.

`publications` registers the publication-window rules here from its AppConfig.ready();
`DisclosurePage.clean()` runs every registered validator, so the admin form, code that
saves revisions and the publish action all apply the same rules.
"""

from collections.abc import Callable

PageValidator = Callable[[object], dict[str, str]]

_page_validators: list[PageValidator] = []


def register_page_validator(validator: PageValidator) -> None:
    if validator not in _page_validators:
        _page_validators.append(validator)


def page_errors(page) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for validator in _page_validators:
        for field, message in validator(page).items():
            errors.setdefault(field, []).append(message)
    return errors

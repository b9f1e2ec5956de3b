"""The issuer-scoped rights of one account, read from the database.

`issuers_for(user)` is the set of issuer ids the account may act on (its issuers and all
below them), or `ALL_ISSUERS` for a platform administrator; `can_act_on(user, issuer)` asks
about one. Both are cached on the user object for the request, as Django caches permissions.
Every admin path filters by these; none relies on hiding a link.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from disclosure.models import Issuer
from publications import roles

from . import scope

OUT_OF_SCOPE = "该内容属于其他发布机构，您无权查看或操作。"
_CACHE = "_sunshine_issuer_rights"


def is_platform_administrator(user) -> bool:
    """Superusers and the 平台管理员 group manage every issuer."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=roles.ADMINISTRATOR).exists()


def issuer_tree() -> dict[int, int | None]:
    return dict(Issuer.objects.values_list("pk", "parent_id"))


def _rights(user):
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if not (user and user.is_authenticated and user.is_active):
        rights = (frozenset(), frozenset())
    else:
        from .models import IssuerMembership

        member_of = frozenset(
            IssuerMembership.objects.filter(user=user).values_list("issuer_id", flat=True)
        )
        if is_platform_administrator(user):
            reach = scope.ALL_ISSUERS
        elif member_of:
            reach = scope.subtree(member_of, issuer_tree())
        else:
            reach = frozenset()
        rights = (member_of, reach)
    try:
        setattr(user, _CACHE, rights)
    except AttributeError:  # AnonymousUser and the like
        pass
    return rights


def forget(user) -> None:
    """Drop the cached rights (after memberships change during a request or test)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def member_of(user) -> frozenset[int]:
    """The issuers the account belongs to directly (not those below)."""
    return _rights(user)[0]


def issuers_for(user):
    """The issuer ids the account may act on, or `scope.ALL_ISSUERS`."""
    return _rights(user)[1]


def _issuer_id(issuer) -> int | None:
    if issuer is None or isinstance(issuer, int):
        return issuer
    return issuer.pk


def can_act_on(user, issuer) -> bool:
    return scope.may_act_on(issuers_for(user), _issuer_id(issuer))


def require(user, issuer, *, not_found: bool = False) -> None:
    """Refuse with the Chinese reason (403), or pretend it does not exist (404)."""
    if not can_act_on(user, issuer):
        if not_found:
            raise Http404(OUT_OF_SCOPE)
        raise PermissionDenied(OUT_OF_SCOPE)


def filter_by_issuer(queryset, user, field: str = "issuer"):
    """Keep only the rows whose `field` (an issuer key) the account may act on."""
    reach = issuers_for(user)
    if reach is scope.ALL_ISSUERS:
        return queryset
    return queryset.filter(**{f"{field}__in": list(reach)})


def visible_issuers(user):
    return filter_by_issuer(Issuer.objects.all(), user, field="pk")


def out_of_scope_page_ids(user):
    """Ids of disclosure pages of issuers the account may not act on (a subquery), or None."""
    from disclosure.models import DisclosurePage

    reach = issuers_for(user)
    if reach is scope.ALL_ISSUERS:
        return None
    return DisclosurePage.objects.exclude(issuer_id__in=list(reach)).values("pk")


def filter_pages(queryset, user, field: str = "pk", *, as_text: bool = False):
    """Drop disclosure pages of other issuers from a queryset of pages (or of rows that
    point to a page by `field`; `as_text` for a generic relation's text `object_id`);
    pages that are not disclosures stay."""
    hidden = out_of_scope_page_ids(user)
    if hidden is None:
        return queryset
    if as_text:
        hidden = [str(pk) for pk in hidden.values_list("pk", flat=True)]
    return queryset.exclude(**{f"{field}__in": hidden})


def page_issuer_id(page) -> int | bool | None:
    """The issuer of a page if it is a disclosure; False if it is not a disclosure."""
    from disclosure.models import DisclosurePage

    if isinstance(page, DisclosurePage):
        return page.issuer_id
    specific_class = getattr(page, "specific_class", None)
    if specific_class is not None and issubclass(specific_class, DisclosurePage):
        return DisclosurePage.objects.filter(pk=page.pk).values_list("issuer_id", flat=True).first()
    return False


def can_act_on_page(user, page) -> bool:
    issuer_id = page_issuer_id(page)
    if issuer_id is False:
        return True
    return can_act_on(user, issuer_id)


def handlers_for(users, issuer):
    """Of `users`, those whose rights reach `issuer`: members of it or of an issuer above it,
    and platform administrators."""
    from django.db.models import Q

    if issuer is None:
        return users
    reaching = [issuer.pk, *scope.ancestors(issuer.pk, issuer_tree())]
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__name=roles.ADMINISTRATOR)
        | Q(issuer_memberships__issuer_id__in=reaching)
    ).distinct()

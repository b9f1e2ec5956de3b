"""`{% objection_counts page as counts %}`, used by publications/objections/counts.html."""

from django import template

from publications.objections.counts import objection_counts as _objection_counts

register = template.Library()


@register.simple_tag
def objection_counts(page):
    return _objection_counts(page)

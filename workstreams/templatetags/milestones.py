"""``{{ action|percent_complete }}``: an action's % complete for a list
(`workstreams.page_selectors.milestones.listed_percent`: no query)."""

from django import template

from workstreams.page_selectors.milestones import listed_percent

register = template.Library()


@register.filter
def percent_complete(action) -> str:
    return listed_percent(action).short

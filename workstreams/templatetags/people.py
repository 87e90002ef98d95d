"""Template tags that name people as the visitor may know them (ADR 26): every
template that shows a user goes through `rules.person_label` /
`rules.chair_label` here, never ``get_full_name`` (no queries beyond the
visitor's roles, computed once per request)."""

from django import template

from workstreams import rules

register = template.Library()


def _reader(context):
    request = context.get("request")
    return request.user if request is not None else None


@register.simple_tag(takes_context=True)
def person(context, user, not_recorded=rules.PERSON_NOT_RECORDED) -> str:
    """``{% person update.author %}``: the name, or "a programme user"."""
    return rules.person_label(_reader(context), user, not_recorded=not_recorded)


@register.simple_tag(takes_context=True)
def chair(context, workstream) -> str:
    """``{% chair workstream %}``: the chair's name and role, or the role only."""
    return rules.chair_label(_reader(context), workstream)


@register.simple_tag(takes_context=True)
def shows_people(context) -> bool:
    """``{% shows_people as named %}``: whether this visitor sees names."""
    return rules.shows_people(_reader(context))

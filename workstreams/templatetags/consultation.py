"""Template tags for the consultation links other pages show (no queries)."""

from django import template

from workstreams import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def can_comment_on_workplan(context, workplan) -> bool:
    """`rules.can_comment_on_workplan` for the signed-in visitor."""
    request = context.get("request")
    if workplan is None or request is None:
        return False
    return rules.can_comment_on_workplan(request.user, workplan)

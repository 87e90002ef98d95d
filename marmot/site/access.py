"""How a page refuses: anonymous visitors are sent to sign in, signed-in users
without permission get the 403 page. The decision itself is always a rule from
`workstreams.rules`; this only turns "no" into the right response."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def refuse(request):
    """The response (or exception) for a request the rules refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def require(request, allowed: bool):
    """``None`` when allowed, else what `refuse` gives: use as
    ``if (denied := require(request, rules.can_x(user, obj))): return denied``."""
    return None if allowed else refuse(request)

"""The Content-Security-Policy middleware: django-csp's, plus per-path relaxations.

The site's own pages get the strict policy in settings.CONTENT_SECURITY_POLICY
(no 'unsafe-inline'; inline scripts need `{{ request.csp_nonce }}`). Two sets of
third-party pages we do not template ourselves need a little more, and only
they get it:

- /api/docs/ (Swagger UI from drf-spectacular): templates/drf_spectacular/
  swagger_ui.html gives its inline `<style>` block and start-up `<script>` the
  nonce, so only the style nonce is added here.
- /api/redoc/ (ReDoc): styled-components injects `<style>` elements at run
  time, and its search runs in a worker built from a blob: URL.

The Django admin needs nothing extra: Django 5.2's admin keeps its scripts and
styles in files and passes data in data- attributes (tests/browser/test_csp.py
opens its index, a change list and change forms, with autocomplete widgets).
Its one inline `<style>`, on a change list of a model with no actions, would be
blocked, which only affects a column width; none of our admins disable actions.
"""

from csp.constants import NONCE, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts

# Path prefix -> directives added to the policy for that prefix.
PATH_UPDATES = {
    "/api/docs/": {"style-src": [NONCE]},
    "/api/redoc/": {"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]},
}


def path_update(path: str) -> dict | None:
    """The extra directives for a request path, or None for the strict policy."""
    for prefix, update in PATH_UPDATES.items():
        if path.startswith(prefix):
            return update
    return None


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with PATH_UPDATES merged in for their paths."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        extra = None if report_only else path_update(request.path_info)
        if extra and parts.update is None:
            parts.update = extra
        return parts

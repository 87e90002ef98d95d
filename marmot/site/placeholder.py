"""A stand-in view for a page whose URL is fixed but which is still being built."""

from django.http import Http404


def not_built_yet(request, *args, **kwargs):
    raise Http404("This page is not built yet.")

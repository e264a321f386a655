"""The project's URLs with a view that fails, for the server error page's tests."""

from django.urls import path

from opora.urls import handler500, urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("fails/", fails), *urlpatterns]

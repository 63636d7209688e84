"""Bench only: the app's URLs plus the floor view."""

from django.urls import path

from bench import views
from clinic.urls import handler403, handler404
from clinic.urls import urlpatterns as clinic_urlpatterns

urlpatterns = [path("bench/floor/", views.floor, name="bench_floor"), *clinic_urlpatterns]
__all__ = ["handler403", "handler404", "urlpatterns"]

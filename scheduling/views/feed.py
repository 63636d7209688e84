"""A clinician's calendar feed: the page to get or rotate its secret URL, and the feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clinic.access import public, requires
from scheduling.feeds import calendar_feed_for_token, calendar_feed_ics, feed_appointments
from scheduling.models import CalendarFeed
from scheduling.services import calendar_feed_issue, calendar_feed_revoke

# The new URL is shown once, on the page the rotation redirects to.
NEW_TOKEN_KEY = "scheduling_new_feed_url_token"  # noqa: S105 (a session key)


@requires("scheduling.use_calendar_feed")
def feed(request: HttpRequest) -> HttpResponse:
    token = request.session.pop(NEW_TOKEN_KEY, None)
    context = {
        "feed": CalendarFeed.objects.filter(clinician=request.user).first(),
        "new_url": request.build_absolute_uri(reverse("scheduling:feed_ics", args=[token]))
        if token
        else None,
    }
    return render(request, "scheduling/feed.html", context)


@requires("scheduling.use_calendar_feed")
@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    request.session[NEW_TOKEN_KEY] = calendar_feed_issue(clinician=request.user)
    messages.success(
        request, "Your new feed address is below. Any earlier address has stopped working."
    )
    return redirect("scheduling:feed")


@requires("scheduling.use_calendar_feed")
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    calendar_feed_revoke(clinician=request.user)
    messages.success(request, "Your calendar feed is turned off; its address no longer works.")
    return redirect("scheduling:feed")


@public
@never_cache
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: public, but only for a current token."""
    found = calendar_feed_for_token(token)
    if found is None:
        raise Http404("No such calendar feed.")
    response = HttpResponse(
        calendar_feed_ics(feed_appointments(found)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

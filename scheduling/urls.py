from django.urls import path

from scheduling.views import appointments, booking, calendar, feed

app_name = "scheduling"

urlpatterns = [
    path("calendar/day/", calendar.day, name="day"),
    path("calendar/week/", calendar.week, name="week"),
    path("today/", calendar.today, name="today"),
    path("today/panel/", calendar.today_panel, name="today_panel"),
    path("book/", booking.book, name="book"),
    path("book/end/", booking.booking_end, name="booking_end"),
    path("book/patients/", booking.patient_options, name="patient_options"),
    path("book/patient/", booking.patient_picker, name="patient_picker"),
    path("slots/", booking.free_slots_list, name="free_slots"),
    path("appointments/<int:pk>/", appointments.appointment, name="appointment"),
    path("appointments/<int:pk>/move/", appointments.move, name="move"),
    path("appointments/<int:pk>/check-in/", appointments.check_in, name="check_in"),
    path("appointments/<int:pk>/no-show/", appointments.no_show, name="no_show"),
    path("appointments/<int:pk>/cancel/", appointments.cancel, name="cancel"),
    path(
        "patients/<int:patient_id>/appointments/",
        appointments.patient_appointment_list,
        name="patient_appointments",
    ),
    path("feed/", feed.feed, name="feed"),
    path("feed/rotate/", feed.feed_rotate, name="feed_rotate"),
    path("feed/revoke/", feed.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", feed.feed_ics, name="feed_ics"),
]

from django.urls import path

from procedures.views import api, sessions, stock

app_name = "procedures"

urlpatterns = [
    path("", sessions.worklist, name="worklist"),
    path("start/<int:appointment_id>/", sessions.session_start, name="session_start"),
    path("walk-in/<int:patient_id>/", sessions.session_walk_in, name="session_walk_in"),
    path("sessions/<int:pk>/", sessions.session_page, name="session"),
    path("sessions/<int:pk>/print/", sessions.session_print, name="session_print"),
    path("sessions/<int:pk>/sign/", sessions.session_sign_view, name="session_sign"),
    path("sessions/<int:pk>/amend/", sessions.amendment_add_view, name="amendment_add"),
    path("sessions/<int:pk>/state/", api.session_state_view, name="session_state"),
    path("sessions/<int:pk>/details/", api.details_save, name="details_save"),
    path("sessions/<int:pk>/points/", api.point_add, name="point_add"),
    path("sessions/<int:pk>/points/copy-last/", api.points_copy_last, name="points_copy_last"),
    path("sessions/<int:pk>/points/<int:point_id>/", api.point_update, name="point_update"),
    path("sessions/<int:pk>/points/<int:point_id>/move/", api.point_move, name="point_move"),
    path("sessions/<int:pk>/points/<int:point_id>/remove/", api.point_remove, name="point_remove"),
    path("sessions/<int:pk>/reactions/", api.reaction_add, name="reaction_add"),
    path(
        "sessions/<int:pk>/reactions/<int:event_id>/remove/",
        api.reaction_remove,
        name="reaction_remove",
    ),
    path("patients/<int:patient_id>/history/", sessions.patient_history, name="patient_history"),
    path("stock/", stock.stock, name="stock"),
    path("stock/lots/", stock.lot_add, name="lot_add"),
    path("stock/vials/open/", stock.vial_open_view, name="vial_open"),
    path("stock/vials/<int:pk>/close/", stock.vial_close_view, name="vial_close"),
    path("recall/", stock.recall, name="recall"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import views
from clinic.access import public, requires

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("licences/", views.licences, name="licences"),
    path(
        "login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        requires("clinic.access_app")(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        requires("clinic.access_app")(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("patients/", include("patients.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("procedures/", include("procedures.urls")),
    path("followups/", include("followups.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("fhir/", include("fhir_api.urls")),
    path("admin/", admin.site.urls),
]

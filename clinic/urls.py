from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import account_views, audit_views, two_factor_views, views
from clinic.access import public

handler403 = "clinic.views.permission_denied"
handler404 = "clinic.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("licences/", views.licences, name="licences"),
    path(
        "login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", account_views.sign_out, name="logout"),
    path("password/change/", account_views.password_change, name="password_change"),
    path("password/change/done/", account_views.password_change_done, name="password_change_done"),
    path("session/keep-alive/", account_views.session_keep_alive, name="session_keep_alive"),
    path("two-factor/set-up/", two_factor_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("patients/", include("patients.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("procedures/", include("procedures.urls")),
    path("followups/", include("followups.urls")),
    path("admin/", admin.site.urls),
]

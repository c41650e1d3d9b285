from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rms.favicon import favicon
from rms.health import health
from rms.metrics import metrics
from rms.ping import ping

handler400 = "rms.error_pages.bad_request"

urlpatterns = [
    path("health/", health, name="health"),
    path("ping/", ping, name="ping"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    # Only these of django.contrib.auth's pages: there is no public password reset (staff
    # sign in with Google; admins set passwords in the admin), so nobody can send reset
    # mails to others or probe which addresses have an account.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Sign-in with Google; social_django marks begin and complete login_not_required.
    path("auth/", include("social_django.urls", namespace="social")),
    path("admin/", admin.site.urls),
    path("api/", include("recruitment.api.urls")),
    path("", include("careers.urls")),
    path("", include("interviews.urls")),
    path("", include("privacy.urls")),
    path("", include("recruitment.urls")),
]

if settings.RMS_CONSOLE:
    urlpatterns.insert(0, path("console/", include("console.urls")))

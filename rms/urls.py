from django.contrib import admin
from django.urls import include, path

from rms.favicon import favicon
from rms.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Sign-in with Google; social_django marks begin and complete login_not_required.
    path("auth/", include("social_django.urls", namespace="social")),
    path("admin/", admin.site.urls),
    path("api/", include("recruitment.api.urls")),
    path("", include("recruitment.urls")),
]

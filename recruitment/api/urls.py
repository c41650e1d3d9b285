from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from recruitment.api import views
from recruitment.api.exceptions import api_not_found

router = SimpleRouter()
router.register("applicants", views.ApplicantViewSet, basename="applicant")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("vacancies", views.VacancyViewSet, basename="vacancy")
router.register("cities", views.CityViewSet, basename="city")
router.register("sources", views.SourceViewSet, basename="source")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = [
    path("v1/", include(router.urls)),
    # DRF exempts its views from LoginRequiredMiddleware: the endpoints and the schema
    # (JSON first, ?format=yaml for YAML) answer 401/403 in JSON themselves. The docs
    # page is for people, so it sends strangers to the sign-in page instead.
    path(
        "schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
        name="api-schema",
    ),
    # The docs page's script is a separate request (`?script`), not inline: the
    # Content-Security-Policy allows no inline script.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # [\s\S], not ".": a URL may carry an encoded newline, and it is no endpoint either.
    re_path(r"^(?P<path>[\s\S]*)$", api_not_found),
]

"""API views: parse with an input serializer, call a service, render an output serializer."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from recruitment import services
from recruitment.api import examples
from recruitment.api.pagination import (
    LargeListPagination,
    ListPagePagination,
    LookupPagination,
)
from recruitment.api.schema import ErrorSerializer
from recruitment.api.serializers import (
    ActivityOutputSerializer,
    ApplicantInputSerializer,
    ApplicantOutputSerializer,
    ApplicationCloseInputSerializer,
    ApplicationCreateInputSerializer,
    ApplicationMoveStageInputSerializer,
    ApplicationOutputSerializer,
    LookupInputSerializer,
    LookupOutputSerializer,
    NoteInputSerializer,
    VacancyInputSerializer,
    VacancyOutputSerializer,
)
from recruitment.filters import ApplicationFilterSet
from recruitment.models import Activity, Applicant, Application, City, Source, Tag, Vacancy
from recruitment.selectors import application_list_rows

CONFLICT = OpenApiResponse(ErrorSerializer, description="The application is closed or moved.")


class ApiViewSet(viewsets.GenericViewSet):
    """Lists and retrieves with `serializer_class`; writes parse `input_serializer_class`."""

    input_serializer_class: type[Serializer]
    # Ids only: anything else under a detail URL is the JSON 404 of api_not_found.
    lookup_value_regex = "[0-9]+"

    def filter_queryset(self, queryset):
        # Filters shape lists; a detail URL names one object whatever the list would
        # show (the applications list hides closed ones unless asked).
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def parse(self, serializer_class: type[Serializer] | None = None, **kwargs) -> dict:
        serializer = (serializer_class or self.input_serializer_class)(
            data=self.request.data, **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, instance, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=code)


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


@extend_schema_view(
    create=extend_schema(
        request=ApplicantInputSerializer,
        responses={201: ApplicantOutputSerializer},
        examples=examples.APPLICANT_CREATE,
    ),
    partial_update=extend_schema(
        request=ApplicantInputSerializer(partial=True),
        responses=ApplicantOutputSerializer,
    ),
)
class ApplicantViewSet(ReadViewSet):
    """Applicants (people). A duplicate e-mail, in any letter case, is a 400 on `email`."""

    queryset = Applicant.objects.select_related("city", "source").prefetch_related("tags")
    serializer_class = ApplicantOutputSerializer
    input_serializer_class = ApplicantInputSerializer
    pagination_class = LargeListPagination
    filter_backends = [*ApiViewSet.filter_backends, OrderingFilter]
    filterset_fields = ["city", "source", "tags"]
    ordering_fields = ["created_at", "latest_activity_at", "last_name"]

    def create(self, request: Request) -> Response:
        applicant = services.applicant_create(actor=request.user, **self.parse())
        return self.render(applicant, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        changes = self.parse(partial=True)
        applicant = services.applicant_update(
            applicant=self.get_object(), actor=request.user, **changes
        )
        return self.render(applicant)


@extend_schema_view(
    list=extend_schema(examples=examples.APPLICATION_LIST),
    create=extend_schema(
        request=ApplicationCreateInputSerializer,
        responses={201: ApplicationOutputSerializer},
        examples=examples.APPLICATION_CREATE,
    ),
    move_stage=extend_schema(
        request=ApplicationMoveStageInputSerializer,
        responses={200: ApplicationOutputSerializer, 409: CONFLICT},
        examples=examples.APPLICATION_MOVE,
    ),
    close=extend_schema(
        request=ApplicationCloseInputSerializer,
        responses={200: ApplicationOutputSerializer, 409: CONFLICT},
        examples=examples.APPLICATION_CLOSE,
    ),
)
class ApplicationViewSet(ReadViewSet):
    """Applications: an applicant for a vacancy, at a stage or closed.

    The list takes the applicant list page's filters, so the same query string gives
    the same rows; without `stage` it lists the open applications.
    """

    queryset = Application.objects.all()
    serializer_class = ApplicationOutputSerializer
    input_serializer_class = ApplicationCreateInputSerializer
    pagination_class = ListPagePagination
    filterset_class = ApplicationFilterSet

    def get_queryset(self):
        # A list filters and pages bare applications and joins only the page's rows
        # (paginate_queryset); one application is fetched with everything it shows.
        if self.detail:
            return application_list_rows(applications=Application.objects.all())
        return super().get_queryset()

    def paginate_queryset(self, queryset) -> list[Application]:
        # As the list page does: the page's ids first, so a deep page skips rows in the
        # sort's index alone instead of joining each skipped row to applicant and vacancy.
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        rows = application_list_rows(applications=Application.objects.filter(pk__in=ids))
        by_id = {row.pk: row for row in rows}
        # A row deleted between the two queries is left out, not a KeyError.
        return [by_id[pk] for pk in ids if pk in by_id]

    def create(self, request: Request) -> Response:
        application = services.application_create(actor=request.user, **self.parse())
        rows = application_list_rows(applications=Application.objects.filter(pk=application.pk))
        return self.render(rows.get(), status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="move-stage")
    def move_stage(self, request: Request, pk: str) -> Response:
        """Move an open application to another stage; 409 if it is closed or, with
        `expected_stage`, if someone moved it meanwhile."""
        data = self.parse(ApplicationMoveStageInputSerializer)
        services.application_move_to_stage(
            application=self.get_object(), actor=request.user, **data
        )
        return self.render(self.get_object())

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close an open application as rejected or withdrawn; 409 if already closed."""
        data = self.parse(ApplicationCloseInputSerializer)
        services.application_close(application=self.get_object(), actor=request.user, **data)
        return self.render(self.get_object())


@extend_schema_view(
    create=extend_schema(
        summary="Add a note",
        request=NoteInputSerializer,
        responses={201: ActivityOutputSerializer},
        examples=examples.NOTE_CREATE,
    ),
)
class ActivityViewSet(ReadViewSet):
    """The timeline, newest first; `?applicant=<id>` gives one applicant's. Only notes are
    added here: stage changes and closing have their own application actions."""

    queryset = Activity.objects.select_related("actor")
    serializer_class = ActivityOutputSerializer
    input_serializer_class = NoteInputSerializer
    pagination_class = LargeListPagination
    filterset_fields = ["applicant", "application", "kind"]

    def create(self, request: Request) -> Response:
        note = services.note_add(actor=request.user, **self.parse())
        return self.render(note, status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request=VacancyInputSerializer, responses={201: VacancyOutputSerializer}),
    partial_update=extend_schema(
        request=VacancyInputSerializer(partial=True), responses=VacancyOutputSerializer
    ),
)
class VacancyViewSet(ReadViewSet):
    """Vacancies (positions); the description is HTML, sanitized on the server."""

    queryset = Vacancy.objects.prefetch_related("cities")
    serializer_class = VacancyOutputSerializer
    input_serializer_class = VacancyInputSerializer
    pagination_class = LookupPagination
    filter_backends = [*ApiViewSet.filter_backends, OrderingFilter]
    filterset_fields = ["is_open", "cities"]
    ordering_fields = ["title", "created_at"]
    ordering = ["title", "id"]

    def create(self, request: Request) -> Response:
        vacancy = services.vacancy_create(**self.parse())
        return self.render(vacancy, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        changes = self.parse(partial=True)
        return self.render(services.vacancy_update(vacancy=self.get_object(), **changes))


@extend_schema_view(
    create=extend_schema(request=LookupInputSerializer, responses={201: LookupOutputSerializer})
)
class LookupViewSet(ReadViewSet):
    """Cities, sources and tags: list, retrieve, add. A taken name is a 400 on `name`."""

    serializer_class = LookupOutputSerializer
    input_serializer_class = LookupInputSerializer
    pagination_class = LookupPagination

    def create(self, request: Request) -> Response:
        lookup = services.lookup_create(model=self.queryset.model, **self.parse())
        return self.render(lookup, status.HTTP_201_CREATED)


class CityViewSet(LookupViewSet):
    queryset = City.objects.order_by("name", "id")


class SourceViewSet(LookupViewSet):
    queryset = Source.objects.order_by("name", "id")


class TagViewSet(LookupViewSet):
    queryset = Tag.objects.order_by("name", "id")

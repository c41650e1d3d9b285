from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_NUMBER = 10**9


class StrictPageSize:
    """`page_size` is an integer from 1 to max_page_size, or a 400: DRF's own parsing
    quietly took `page_size=true` as the default, a value the schema does not allow."""

    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


class LargeListPagination(StrictPageSize, CursorPagination):
    """Cursor pages for the big lists: a page costs the same at row 100,000 as at row 1,
    and rows added meanwhile neither repeat nor vanish between pages."""

    ordering = ("-created_at", "-id")
    page_size = 50
    max_page_size = 200


class LookupPagination(StrictPageSize, PageNumberPagination):
    """Cities, sources and tags are a few dozen rows: plain numbered pages."""

    page_size = 100
    max_page_size = 500


class ListPagePagination(BasePagination):
    """The applicant list page's paging (`page`, `per_page` of 25/50/100/200) for the
    applications endpoint, whose order is the shared FilterSet's `sort`: the same query
    string gives the same rows in the same order as the page.

    A cursor cannot follow that order (it sorts on nullable columns and on the pipeline
    order, an expression), so pages are numbered; one row past the page tells whether
    there is a next one, so a page costs no COUNT over the whole filtered list.
    """

    page_sizes = (25, 50, 100, 200)
    default_page_size = 50

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        self.number = self._page_number(request.query_params.get("page", "1"))
        self.per_page = self._page_size(request.query_params.get("per_page", ""))
        offset = (self.number - 1) * self.per_page
        rows = list(queryset[offset : offset + self.per_page + 1])
        self.has_next = len(rows) > self.per_page
        return rows[: self.per_page]

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "next": self._link(self.has_next, self.number + 1),
                "previous": self._link(self.number > 1, self.number - 1),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        url = "https://rms.example.com/api/v1/applications/?stage=interview&page="
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "example": f"{url}3"},
                "previous": {**link, "example": f"{url}1"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer"},
            },
            {
                "name": "per_page",
                "required": False,
                "in": "query",
                "description": "Rows per page: 25, 50 (the default), 100 or 200.",
                "schema": {"type": "integer", "enum": list(self.page_sizes)},
            },
        ]

    def _link(self, exists: bool, number: int) -> str | None:
        if not exists:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "page", number)

    @staticmethod
    def _page_number(raw: str) -> int:
        # The bound keeps the OFFSET inside PostgreSQL's bigint; no list is that long.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_NUMBER:
            raise NotFound(_("Invalid page."))
        return int(raw)

    def _page_size(self, raw: str) -> int:
        if raw == "":
            return self.default_page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) not in self.page_sizes:
            sizes = ", ".join(map(str, self.page_sizes))
            raise ValidationError({"per_page": [_("Choose one of %(sizes)s.") % {"sizes": sizes}]})
        return int(raw)

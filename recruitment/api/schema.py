"""The OpenAPI schema: drf-spectacular's, plus the error answers every endpoint can give."""

from drf_spectacular.drainage import set_override
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from recruitment.filters import ApplicationFilterSet

# drf-spectacular 0.30 looks a filter's type up along field_name plus to_field_name, so
# the tags filter ("applicant__tags__name" by "name") is not found; its values are names.
set_override(ApplicationFilterSet.base_filters["tags"], "field", OpenApiTypes.STR)

FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Messages per input field (a list of strings; nested inputs nest); "
        "`non_field_errors` for the input as a whole."
    ),
    "additionalProperties": {},
    "example": {"email": ["An applicant with this e-mail already exists."]},
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")


class RecruitmentAutoSchema(AutoSchema):
    """Documents 400/401/403/404/429 wherever they can happen, so clients and
    schemathesis know every status an endpoint answers with."""

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code, body in self._error_bodies().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses

    def _error_bodies(self) -> dict:
        errors = {
            "401": OpenApiResponse(ErrorSerializer, description="No valid token or session."),
            "403": OpenApiResponse(ErrorSerializer, description="No recruiter or admin role."),
            "429": OpenApiResponse(ErrorSerializer, description="Token client over its rate."),
        }
        # GETs page and filter (a bad cursor is a 404, a bad filter value a 400).
        if self.method != "GET" or self._is_list_view():
            errors["400"] = OpenApiResponse(FIELD_ERRORS, description="Invalid input.")
        if "{" in self.path or self.method == "GET":
            errors["404"] = OpenApiResponse(ErrorSerializer, description="No such object.")
        return errors

"""Explicit input and output serializers: inputs validate and feed the services, outputs
render. None of them saves anything; writes go through recruitment.services."""

from rest_framework import serializers

from recruitment.models import (
    BIRTH_YEAR_MAX,
    BIRTH_YEAR_MIN,
    EXPERIENCE_MAX,
    Activity,
    Applicant,
    Application,
    City,
    CloseReason,
    Source,
    Stage,
    Tag,
    Vacancy,
)

# Outputs


class LookupOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VacancyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Sanitized HTML.")
    is_open = serializers.BooleanField()
    cities = LookupOutputSerializer(many=True)
    created_at = serializers.DateTimeField()


class VacancySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ApplicantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    city = LookupOutputSerializer(allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    age = serializers.IntegerField(allow_null=True)
    experience_years = serializers.IntegerField()
    current_work = serializers.CharField(help_text="Empty when not working.")
    source = LookupOutputSerializer(allow_null=True)
    tags = LookupOutputSerializer(many=True)
    linkedin_url = serializers.CharField()
    created_at = serializers.DateTimeField()
    latest_activity_at = serializers.DateTimeField()
    notes_count = serializers.IntegerField()


class ApplicationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    applicant = ApplicantOutputSerializer()
    vacancy = VacancySummarySerializer()
    stage = serializers.ChoiceField(choices=Stage.choices)
    is_closed = serializers.BooleanField()
    status_label = serializers.CharField(help_text="The stage, or the close reason if closed.")
    created_at = serializers.DateTimeField()
    stage_changed_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.ChoiceField(
        choices=CloseReason.choices, allow_blank=True, help_text="Empty while open."
    )
    close_note = serializers.CharField()


class ActivityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    applicant = serializers.IntegerField(source="applicant_id")
    application = serializers.IntegerField(source="application_id", allow_null=True)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    actor = serializers.CharField(
        source="actor.username", allow_null=True, help_text="Who did it (a username)."
    )
    created_at = serializers.DateTimeField()
    body = serializers.SerializerMethodField(
        help_text="Sanitized HTML (notes), the close note or a rating's comment; "
        "empty for a deleted note."
    )
    from_stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True)
    to_stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True)
    rating = serializers.IntegerField(allow_null=True)
    criterion = serializers.ChoiceField(choices=Activity.Criterion.choices, allow_blank=True)
    target = serializers.IntegerField(
        source="target_id", allow_null=True, help_text="The note an edit or deletion is about."
    )
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted_at = serializers.DateTimeField(allow_null=True)

    def get_body(self, activity: Activity) -> str:
        # A deleted note keeps its row and text, but nobody reads it any more, as on the page.
        return "" if activity.deleted_at else activity.body


# Inputs

# Ids are bigint primary keys: anything else is refused before it reaches a query.
ID_MAX = 2**63 - 1


class StrictCharField(serializers.CharField):
    """Text only: DRF's CharField would turn 0 or false into "0" or "False", values the
    schema (type string) does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField):
    """An object's id: a JSON integer in the primary key's range (not true, "5" or 1e9)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class LookupInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)


class VacancyInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(
        required=False, allow_blank=True, help_text="HTML; sanitized on the server."
    )
    is_open = serializers.BooleanField(required=False)
    cities = IdField(queryset=City.objects.all(), many=True, required=False)


class ApplicantInputSerializer(serializers.Serializer):
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    city = IdField(queryset=City.objects.all(), allow_null=True, required=False)
    birth_year = serializers.IntegerField(
        min_value=BIRTH_YEAR_MIN, max_value=BIRTH_YEAR_MAX, allow_null=True, required=False
    )
    experience_years = serializers.IntegerField(
        min_value=0, max_value=EXPERIENCE_MAX, required=False
    )
    current_work = StrictCharField(max_length=200, required=False, allow_blank=True)
    source = IdField(queryset=Source.objects.all(), allow_null=True, required=False)
    tags = IdField(queryset=Tag.objects.all(), many=True, required=False)
    linkedin_url = serializers.URLField(max_length=200, required=False, allow_blank=True)


class ApplicationCreateInputSerializer(serializers.Serializer):
    applicant = IdField(queryset=Applicant.objects.all())
    vacancy = IdField(queryset=Vacancy.objects.all())
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)


class ApplicationMoveStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices,
        required=False,
        help_text="The stage you saw. If it moved meanwhile, the move is refused with 409.",
    )


class ApplicationCloseInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CloseReason.choices)
    note = StrictCharField(required=False, allow_blank=True)


class NoteInputSerializer(serializers.Serializer):
    applicant = IdField(queryset=Applicant.objects.all())
    application = IdField(queryset=Application.objects.all(), allow_null=True, required=False)
    body = StrictCharField(help_text="HTML; sanitized on the server.")

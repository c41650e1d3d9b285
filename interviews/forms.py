"""Forms of the interview pages. They check the shape of the input; the services check
the rules (end after start, not in the past, who may sit on the panel)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview, InterviewKind, Recommendation
from interviews.services import When
from recruitment.forms import IdChoices
from recruitment.models import RATING_MAX, RATING_MIN, Activity
from recruitment.roles import EVERYONE

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
# Far enough for any real interview; past it a time zone's offset is no longer defined.
YEAR_RANGE = (2000, 2999)
RATING_CHOICES = [(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


def panel_candidates():
    """Everyone who works in RMS: the services refuse those who cannot see the vacancy."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=EVERYONE) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def person_label(person) -> str:
    return person.get_full_name() or person.get_username()


class PersonChoices(IdChoices):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class LocalDateTimeField(forms.Field):
    """A wall-clock time as typed (datetime-local), read in the form's chosen zone later."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("Enter a date and time, like 2026-12-10 10:00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        for pattern in DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
            if not YEAR_RANGE[0] <= parsed.year <= YEAR_RANGE[1]:
                raise forms.ValidationError(
                    _("Enter a year from %(low)s to %(high)s.")
                    % {"low": YEAR_RANGE[0], "high": YEAR_RANGE[1]}
                )
            return parsed
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StyledForm(forms.Form):
    """Bootstrap's classes on every widget: selects, checkboxes and the rest differ."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _exists_in(moment: datetime, zone: ZoneInfo) -> bool:
    aware = moment.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment


class InterviewForm(StyledForm):
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=InterviewKind.objects.filter(is_active=True), empty_label=None
    )
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(
        label=_("Ends"), required=False, help_text=_("Empty: the kind's usual length.")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial=settings.TIME_ZONE)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"), max_length=200, required=False, assume_scheme="https"
    )
    interviewers = PersonChoices(
        label=_("Interviewers"), queryset=panel_candidates(), widget=forms.CheckboxSelectMultiple
    )
    send_invitations = forms.BooleanField(
        label=_("E-mail the invitations (with a calendar event)"), required=False, initial=True
    )

    def __init__(self, *args, rescheduling: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in sorted(available_timezones())]
        self.fields["interviewers"].queryset = panel_candidates()
        if rescheduling:
            del self.fields["kind"]

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        for name in ("starts_at", "ends_at"):
            moment = data.get(name)
            if moment is not None and zone_name and not _exists_in(moment, ZoneInfo(zone_name)):
                # The hour skipped when clocks go forward: no calendar could show it.
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s (the clocks skip it).")
                    % {"zone": zone_name},
                )
        return data

    def when(self, kind: InterviewKind | None = None) -> When:
        """The time and place, read in the chosen zone; with no end, the start plus the
        usual length of the kind (the form's, or `kind` when moving an interview)."""
        data = self.cleaned_data
        zone = ZoneInfo(data["time_zone"])
        kind = data.get("kind") or kind
        ends_at = data["ends_at"] or data["starts_at"] + timedelta(minutes=kind.duration_minutes)
        return When(
            starts_at=data["starts_at"].replace(tzinfo=zone),
            ends_at=ends_at.replace(tzinfo=zone),
            time_zone=data["time_zone"],
            location=data["location"],
            video_link=data["video_link"],
        )

    @classmethod
    def initial_for(cls, interview: Interview) -> dict:
        return {
            "starts_at": interview.local_start.replace(tzinfo=None),
            "ends_at": interview.local_end.replace(tzinfo=None),
            "time_zone": interview.time_zone,
            "location": interview.location,
            "video_link": interview.video_link,
            "interviewers": list(interview.interviewers.all()),
            "send_invitations": True,
        }


class ScorecardForm(StyledForm):
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], coerce=int
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Activity.Criterion:
            self.fields[f"rating_{criterion.value}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", "—"), *RATING_CHOICES],
                coerce=int,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def ratings(self) -> dict[str, int]:
        return {c.value: self.cleaned_data[f"rating_{c.value}"] for c in Activity.Criterion}

    def rating_fields(self):
        return [self[f"rating_{criterion.value}"] for criterion in Activity.Criterion]


class AmendmentForm(StyledForm):
    body = forms.CharField(
        label=_("Addition"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Interview.Status.DONE, Interview.Status.DONE.label),
            (Interview.Status.NO_SHOW, Interview.Status.NO_SHOW.label),
        ],
    )


class CalendarForm(StyledForm):
    week = forms.DateField(
        label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interviewer = PersonChoice(label=_("Interviewer"), queryset=panel_candidates(), required=False)
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=None, required=False)

    def __init__(self, *args, vacancies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = vacancies
        self.fields["interviewer"].queryset = panel_candidates()

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week is not None and not YEAR_RANGE[0] <= week.year <= YEAR_RANGE[1]:
            raise forms.ValidationError(
                _("Enter a year from %(low)s to %(high)s.")
                % {"low": YEAR_RANGE[0], "high": YEAR_RANGE[1]}
            )
        return week

    def monday(self) -> date:
        """The first day of the asked week, as the active language counts weeks (Monday in
        both RMS's languages, see rms/formats/); this week's when none (or a bad one) was
        asked."""
        week = (self.cleaned_data.get("week") if self.is_valid() else None) or timezone.localdate()
        # Django counts from Sunday = 0, Python's weekday() from Monday = 0.
        first = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
        return week - timedelta(days=(week.weekday() - first) % 7)

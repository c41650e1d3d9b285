"""factory_boy factories for every model: used by the tests and by `seed_demo`."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from recruitment.models import (
    Activity,
    Applicant,
    Application,
    City,
    Source,
    Stage,
    Tag,
    Vacancy,
)
from recruitment.services.report_summary import (
    report_summary_application_added,
    report_summary_stay_ended,
)

ENDS_STAY = (Activity.Kind.STAGE_CHANGED, Activity.Kind.APPLICATION_CLOSED)

CITIES = ["Poznań", "Łódź", "Wrocław", "Warszawa", "Kraków", "Gdańsk", "Szczecin", "Piła"]
SOURCES = ["Recommendation", "Direct search", "CV database", "Job fair", "Careers page"]
TAGS = [
    "python", "django", "php", "html", "css", "javascript", "angular", "react",
    "sql", "postgresql", "linux", "docker", "qa", "selenium", "java", "scrum",
]  # fmt: skip
POSITIONS = [
    "Senior Python Developer",
    "Python Developer",
    "Front End Developer",
    "QA",
    "PHP Developer",
    "Project Manager",
]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("secret-password")


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["name"]

    name = factory.Iterator(CITIES)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Iterator(SOURCES)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Iterator(TAGS)


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    title = factory.Iterator(POSITIONS)
    description = factory.LazyAttribute(lambda v: f"<p>We are looking for a {v.title}.</p>")
    is_open = True


class ApplicantFactory(DjangoModelFactory):
    class Meta:
        model = Applicant

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"applicant{n}@example.com")
    phone = factory.Sequence(lambda n: f"+48 600 {n // 1000 % 1000:03d} {n % 1000:03d}")
    city = factory.SubFactory(CityFactory)
    birth_year = factory.Faker("random_int", min=1965, max=2003)
    experience_years = factory.Faker("random_int", min=0, max=15)
    source = factory.SubFactory(SourceFactory)


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(ApplicantFactory)
    vacancy = factory.SubFactory(VacancyFactory)
    stage = Stage.APPLICATION

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Counted in the report's summary, as application_create would.
        application = super()._create(model_class, *args, **kwargs)
        report_summary_application_added(
            application=application, source_id=application.applicant.source_id
        )
        return application


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    applicant = factory.SubFactory(ApplicantFactory)
    kind = Activity.Kind.NOTE
    body = factory.Faker("paragraph")
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A move or a close ends a stay in the report's summary, as the services record.
        ends_stay = kwargs.get("kind") in ENDS_STAY and kwargs.get("from_stage")
        if ends_stay and kwargs.get("application") is not None:
            report_summary_stay_ended(
                application=kwargs["application"],
                stage=kwargs["from_stage"],
                ended_at=kwargs["created_at"],
            )
        return super()._create(model_class, *args, **kwargs)

"""factory_boy factories of the interviews app: used by the tests and the benchmark."""

from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from interviews.models import Interview, InterviewKind
from recruitment.factories import ApplicationFactory


class InterviewKindFactory(DjangoModelFactory):
    class Meta:
        model = InterviewKind
        django_get_or_create = ["name"]

    name = factory.Iterator(["Phone screen", "Technical", "Culture", "Final"])
    subject = "$kind interview: $vacancy"
    body = "Dear $first_name,\n\nwe invite you to a $kind interview on $when ($where)."


class InterviewFactory(DjangoModelFactory):
    """An interview written directly (past ones too): the services refuse past times."""

    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    kind = factory.SubFactory(InterviewKindFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda interview: interview.starts_at + timedelta(hours=1))
    time_zone = settings.TIME_ZONE
    location = "Poznań, Główna 1"

    @factory.post_generation
    def interviewers(self, create, people, **kwargs):
        if create and people:
            self.interviewers.set(people)

"""The demo data set behind `manage.py seed_demo`: realistic, repeatable and fast in bulk.

Demo applicant n has the e-mail demo{n}@example.com and is drawn from a generator seeded
with n, so a run creates only the numbers still missing and the same n always looks the
same. Rows are written in bulk (bulk_create, and COPY on PostgreSQL), bypassing the
services on purpose: they cost several queries per change, far too slow for 100,000
applicants. So this module keeps the services' invariants itself: an Activity per
change, stage_changed_at, latest_activity_at and notes_count.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from recruitment.factories import CITIES, POSITIONS, SOURCES, TAGS, VacancyFactory
from recruitment.models import (
    Activity,
    Applicant,
    Application,
    City,
    CloseReason,
    Source,
    Stage,
    Tag,
    Vacancy,
    phone_key,
)
from recruitment.report_tables import NO_SOURCE, PIPELINE_KINDS, StageStay, timeline_stays
from recruitment.services.applications import close_summary
from recruitment.services.report_summary import report_summary_tallies_add

DEFAULT_APPLICANTS = 500
DEMO_USERNAME = "demo"
# Printed on every run: a published demo credential, not a secret.
DEMO_PASSWORD = "demo-recruiter"  # noqa: S105
# Applicants per transaction: an interrupted run keeps the batches already written.
BATCH_SIZE = 1000
HISTORY = timedelta(days=730)
PIPELINE_SPAN = timedelta(days=120)
STAGES = list(Stage)
INTERVIEW_INDEX = STAGES.index(Stage.INTERVIEW)
Kind = Activity.Kind

# Where an application ends up: its stage, and how it was closed ("" while open). Every
# block of len(OUTCOMES) consecutive applicants draws each outcome once, so even a small
# data set has open applications at every stage and a quarter of them closed.
OUTCOMES: list[tuple[Stage, str]] = [
    *[(Stage.APPLICATION, "")] * 4,
    *[(Stage.CONFIRMATION, "")] * 3,
    *[(Stage.VERIFICATION, "")] * 3,
    *[(Stage.INTERVIEW, "")] * 2,
    *[(Stage.DECISION, "")] * 2,
    (Stage.EMPLOYMENT, ""),
    (Stage.CONFIRMATION, CloseReason.WITHDRAWN),
    (Stage.VERIFICATION, CloseReason.REJECTED),
    (Stage.VERIFICATION, CloseReason.REJECTED),
    (Stage.INTERVIEW, CloseReason.REJECTED),
    (Stage.DECISION, CloseReason.WITHDRAWN),
]
CLOSE_NOTES = {
    CloseReason.REJECTED: [
        "Not enough commercial experience yet.",
        "Salary expectations far above the budget.",
        "Weak results in the technical task.",
        "Another candidate was a better fit.",
    ],
    CloseReason.WITHDRAWN: [
        "Accepted a counter-offer from the current employer.",
        "Took another offer.",
        "Does not want to relocate after all.",
    ],
}
NOTES = [
    "<p>Phone screen went well, good communication.</p>",
    "<p>Strong <strong>Django</strong> background, a few open-source contributions.</p>",
    "<p>Available from next month; notice period of 30 days.</p>",
    "<p>Asked about remote work, two days a week in the office is fine.</p>",
    "<p>Technical task sent, deadline in a week.</p>",
    "<p>Technical task reviewed: clean code, good tests.</p>",
    "<p>Prefers back end work; <em>not interested</em> in front end.</p>",
    "<p>Salary expectations discussed, within the range.</p>",
    "<p>References checked:</p><ul><li>previous team lead</li><li>a client</li></ul>",
]
JOBS = [
    "Python Developer",
    "Junior PHP Developer",
    "Front End Developer",
    "Software Tester",
    "System Administrator",
    "Project Manager",
    "Java Developer",
    "IT Support Specialist",
]
# With cv_text: the share of demo applicants with a CV's text, and its length in words
# (a one- or two-page CV).
CV_SHARE = 0.8
CV_WORDS = (150, 800)
MORE_SKILLS = [
    "kubernetes", "terraform", "aws", "azure", "git", "jenkins", "celery", "redis",
    "typescript", "vue", "kotlin", "c#", ".net", "go", "rust", "mysql", "mongodb",
    "rabbitmq", "kafka", "graphql", "rest", "ansible", "jira", "confluence", "figma",
]  # fmt: skip
# Letters slugify cannot strip to ASCII by itself.
ASCII_LETTERS = str.maketrans({"ł": "l", "Ł": "L"})

TagLink = Applicant.tags.through


@dataclass(frozen=True)
class SeedResult:
    applicants: int
    applications: int
    activities: int
    demo_applicants: int


@dataclass(frozen=True)
class _World:
    """What every drawn row refers to: the lookups, and the moment the run started."""

    cities: list[City]
    sources: list[Source]
    tags: list[Tag]
    vacancies: list[Vacancy]
    now: datetime


class _Event(NamedTuple):
    """A timeline entry to be: plain data, as 600,000 Activity instances cost too much."""

    application: Application
    kind: str
    at: datetime
    from_stage: str = ""
    to_stage: str = ""
    body: str = ""
    rating: int | None = None
    criterion: str = ""

    def row(self, *, actor_id: int) -> dict:
        return {
            "applicant_id": self.application.applicant_id,
            "application_id": self.application.pk,
            "actor_id": actor_id,
            "kind": self.kind,
            "created_at": self.at,
            "from_stage": self.from_stage,
            "to_stage": self.to_stage,
            "body": self.body,
            "rating": self.rating,
            "criterion": self.criterion,
        }


@dataclass
class _Batch:
    """The rows of one transaction, built in memory without a query."""

    applicants: list[Applicant] = field(default_factory=list)
    tag_links: list[tuple[Applicant, Tag]] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)

    def write(self, *, actor: AbstractBaseUser) -> None:
        # Parents first: bulk_create gives them their pks, which the children then use.
        with transaction.atomic():
            Applicant.objects.bulk_create(self.applicants)
            Application.objects.bulk_create(self.applications)
            links = [{"applicant_id": a.pk, "tag_id": tag.pk} for a, tag in self.tag_links]
            _insert_rows(TagLink, links)
            _insert_rows(Activity, [event.row(actor_id=actor.pk) for event in self.events])
            self._summarise()

    def _summarise(self) -> None:
        """The report's summary of this batch, from the rows in memory, as the services
        would have kept it (a test compares it with a computation from the database)."""
        pipeline = sorted(
            (event.application.pk, event.at, index, event)
            for index, event in enumerate(self.events)
            if event.kind in PIPELINE_KINDS
        )
        entries = ((pk, e.kind, e.from_stage, at) for pk, at, _index, e in pipeline)
        stays = [stay._asdict() for stay in timeline_stays(entries)]
        _insert_rows(StageStay, stays)
        vacancies = {a.pk: a.vacancy_id for a in self.applications}
        report_summary_tallies_add(
            applications=Counter(
                (a.vacancy_id, a.applicant.source_id or NO_SOURCE, a.stage)
                for a in self.applications
            ),
            stays=Counter(
                (vacancies[stay["application_id"]], stay["stage"], stay["hours"]) for stay in stays
            ),
        )


def _insert_rows(model: type[Model], rows: list[dict]) -> None:
    """Insert rows nothing refers to yet, given as {attname: value}.

    On PostgreSQL through COPY: for the activities, about six times faster than
    bulk_create, whose per-object work dominated a 100,000-applicant run. The parents
    stay with bulk_create, which returns their pks; COPY gained nothing measurable there.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(model(**row) for row in rows)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in rows[0]
    )
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(tuple(row.values()))


@transaction.atomic
def demo_user_ensure() -> tuple[AbstractBaseUser, bool]:
    """The demo recruiter, created with DEMO_PASSWORD if missing; an existing one is kept."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Recruiter", "is_staff": True},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="recruiters"))
    return user, created


def demo_data_seed(
    *,
    applicants: int,
    actor: AbstractBaseUser,
    cv_text: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Make demo applicants 1..`applicants` exist; `on_progress(done, total)` per batch.

    `cv_text`: most of them also get the text a CV of theirs would have (demo_cv_text),
    without the file, for measuring the search on the size of text real CVs bring.
    """
    world = _world_ensure(now=timezone.now(), recruiter=actor)
    existing = _existing_demo_numbers()
    missing = [n for n in range(1, applicants + 1) if n not in existing]
    fake = Faker("pl_PL")
    applications = activities = 0
    for start in range(0, len(missing), BATCH_SIZE):
        batch = _Batch()
        for n in missing[start : start + BATCH_SIZE]:
            _add_applicant(batch, n=n, world=world, fake=fake, cv_text=cv_text)
        batch.write(actor=actor)
        applications += len(batch.applications)
        activities += len(batch.events)
        if on_progress is not None:
            on_progress(start + len(batch.applicants), len(missing))
    return SeedResult(
        applicants=len(missing),
        applications=applications,
        activities=activities,
        demo_applicants=len(existing) + len(missing),
    )


def demo_email(n: int) -> str:
    return f"demo{n}@example.com"


def _existing_demo_numbers() -> set[int]:
    emails = Applicant.objects.filter(
        email__istartswith="demo", email__iendswith="@example.com"
    ).values_list("email", flat=True)
    numbers = (email.lower().removeprefix("demo").removesuffix("@example.com") for email in emails)
    return {int(number) for number in numbers if number.isdecimal()}


def _world_ensure(*, now: datetime, recruiter: AbstractBaseUser) -> _World:
    cities = [City.objects.get_or_create(name=name)[0] for name in CITIES]
    vacancies = [
        _vacancy_ensure(title, cities=cities, now=now, recruiter=recruiter) for title in POSITIONS
    ]
    return _World(
        cities=cities,
        sources=[Source.objects.get_or_create(name=name)[0] for name in SOURCES],
        tags=[Tag.objects.get_or_create(name=name)[0] for name in TAGS],
        vacancies=vacancies,
        now=now,
    )


def _vacancy_ensure(
    title: str, *, cities: list[City], now: datetime, recruiter: AbstractBaseUser
) -> Vacancy:
    # Titles are not unique: a recruiter may have added a second "QA"; use the first.
    vacancy = Vacancy.objects.filter(title=title).order_by("pk").first()
    if vacancy is None:
        vacancy = VacancyFactory(title=title, created_at=now - HISTORY - timedelta(days=30))
        index = POSITIONS.index(title)
        vacancy.cities.set(cities[: 1 + index % 3])
        # The demo recruiter is in charge of every other one: their dashboard shows theirs.
        if index % 2 == 0:
            vacancy.recruiters.add(recruiter)
    return vacancy


@lru_cache(maxsize=1)
def _outcome_block(block: int) -> list[tuple[Stage, str]]:
    return random.Random(block).sample(OUTCOMES, k=len(OUTCOMES))  # noqa: S311 - demo data


def _add_applicant(
    batch: _Batch, *, n: int, world: _World, fake: Faker, cv_text: bool = False
) -> None:
    fake.seed_instance(n)
    rng = fake.random
    applicant = _draw_applicant(n, world=world, fake=fake, rng=rng)
    if cv_text and rng.random() < CV_SHARE:
        applicant.cv_text = demo_cv_text(applicant, fake=fake, rng=rng)
    batch.applicants.append(applicant)
    tags = rng.sample(world.tags, k=rng.choice((0, 1, 2, 2, 3, 3, 4)))
    batch.tag_links += [(applicant, tag) for tag in tags]
    first_outcome = _outcome_block((n - 1) // len(OUTCOMES))[(n - 1) % len(OUTCOMES)]
    plans = [(first_outcome, applicant.created_at)]
    if rng.random() < 0.25:
        later = applicant.created_at + (world.now - applicant.created_at) * rng.random() * 0.9
        plans.append((rng.choice(OUTCOMES), later))
    vacancies = rng.sample(world.vacancies, k=len(plans))
    timeline = []
    for vacancy, (outcome, start) in zip(vacancies, plans, strict=True):
        application = Application(applicant=applicant, vacancy=vacancy, created_at=start)
        timeline += _walk(application, outcome=outcome, now=world.now, rng=rng)
        batch.applications.append(application)
    applicant.latest_activity_at = max(event.at for event in timeline)
    applicant.notes_count = sum(event.kind == Kind.NOTE for event in timeline)
    batch.events += timeline


def _draw_applicant(n: int, *, world: _World, fake: Faker, rng: random.Random) -> Applicant:
    female = rng.random() < 0.4
    first_name = fake.first_name_female() if female else fake.first_name_male()
    last_name = fake.last_name_female() if female else fake.last_name_male()
    birth_year = rng.randint(1968, 2003)
    working = rng.random() < 0.75
    phone = _phone(rng) if rng.random() < 0.85 else ""
    return Applicant(
        first_name=first_name,
        last_name=last_name,
        email=demo_email(n),
        phone=phone,
        phone_key=phone_key(phone),
        city=rng.choice(world.cities) if rng.random() < 0.95 else None,
        birth_year=birth_year,
        experience_years=rng.randint(0, min(25, world.now.year - birth_year - 20)),
        current_work=f"{rng.choice(JOBS)}, {fake.company()}" if working else "",
        source=rng.choice(world.sources),
        linkedin_url=_linkedin(first_name, last_name, n=n) if rng.random() < 0.6 else "",
        created_at=world.now - HISTORY * rng.uniform(0.001, 1),
    )


def demo_cv_text(applicant: Applicant, *, fake: Faker, rng: random.Random) -> str:
    """A CV's text as recruitment.cv_text.cv_text leaves it: one line, CV_WORDS words.

    Headings, jobs at companies, skills and Polish prose drawn from Faker's word list;
    what matters to the search is its size and how many different words it has.
    """
    skills = rng.sample(TAGS + MORE_SKILLS, k=rng.randint(4, 12))
    jobs = []
    for _ in range(rng.randint(1, 4)):
        start = rng.randint(2005, 2025)
        end = rng.choice(["obecnie", str(rng.randint(start, 2026))])
        jobs.append(
            f"{start}-{end} {rng.choice(JOBS)}, {fake.company()}, {fake.city()}. "
            f"{' '.join(fake.words(nb=40))}."
        )
    words = max(0, rng.randint(*CV_WORDS) - 45 * len(jobs))
    return " ".join(
        [
            f"Curriculum vitae {applicant.first_name} {applicant.last_name}",
            applicant.email,
            applicant.phone,
            "Doświadczenie zawodowe",
            *jobs,
            "Umiejętności",
            ", ".join(skills),
            "O mnie",
            " ".join(fake.words(nb=words)),
            f"Wykształcenie {fake.city()} {rng.randint(2000, 2024)}",
        ]
    )


def _linkedin(first_name: str, last_name: str, *, n: int) -> str:
    profile = slugify(f"{first_name} {last_name}".translate(ASCII_LETTERS))
    return f"https://www.linkedin.com/in/{profile}-{n}"


def _phone(rng: random.Random) -> str:
    return f"+48 {rng.randint(500, 899)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"


def _walk(
    application: Application, *, outcome: tuple[Stage, str], now: datetime, rng: random.Random
) -> list[_Event]:
    """Walk `application` to `outcome`, setting its fields; return its timeline."""
    stage, reason = outcome
    path = STAGES[: STAGES.index(stage) + 1]
    start = application.created_at
    end = min(start + PIPELINE_SPAN, now)
    moments = sorted(start + (end - start) * rng.random() for _ in path[1:])
    application.stage = stage
    application.stage_changed_at = moments[-1] if moments else start
    timeline = [_Event(application, Kind.APPLICATION_CREATED, start, to_stage=Stage.APPLICATION)]
    timeline += [
        _Event(application, Kind.STAGE_CHANGED, at, from_stage=from_stage, to_stage=to_stage)
        for (from_stage, to_stage), at in zip(pairwise(path), moments, strict=True)
    ]
    if reason:
        # Closed after its last step; nothing is noted or rated after that.
        end = application.stage_changed_at + (end - application.stage_changed_at) * rng.random()
        timeline.append(_close(application, reason=reason, at=end, rng=rng))
    interview_at = moments[INTERVIEW_INDEX - 1] if len(moments) >= INTERVIEW_INDEX else None
    return timeline + _remarks(application, interview_at=interview_at, end=end, rng=rng)


def _close(application: Application, *, reason: str, at: datetime, rng: random.Random) -> _Event:
    application.closed_at = at
    application.close_reason = reason
    application.close_note = rng.choice(CLOSE_NOTES[reason])
    return _Event(
        application,
        Kind.APPLICATION_CLOSED,
        at,
        from_stage=application.stage,
        body=close_summary(application),
    )


def _remarks(
    application: Application, *, interview_at: datetime | None, end: datetime, rng: random.Random
) -> list[_Event]:
    """Notes over the whole application; ratings only once the interview has happened."""
    start = application.created_at
    remarks = [
        _Event(application, Kind.NOTE, start + (end - start) * rng.random(), body=rng.choice(NOTES))
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3)))
    ]
    if interview_at is not None:
        remarks += [
            _Event(
                application,
                Kind.RATING,
                interview_at + (end - interview_at) * rng.random(),
                rating=rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 5, 3))[0],
                criterion=criterion,
            )
            for criterion in rng.sample(list(Activity.Criterion), rng.choice((0, 1, 2, 3)))
        ]
    return remarks

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recruitment.demo_data import (
    DEFAULT_APPLICANTS,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    demo_data_seed,
    demo_user_ensure,
)


class Command(BaseCommand):
    help = (
        "Load a realistic demo data set and a demo recruiter account. Safe to repeat: "
        "only the demo applicants still missing are created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applicants",
            type=int,
            default=DEFAULT_APPLICANTS,
            help=f"How many demo applicants should exist (default {DEFAULT_APPLICANTS}).",
        )
        parser.add_argument(
            "--cv-text",
            action="store_true",
            help=(
                "Give most new applicants the text of a CV (without the file), as real CVs "
                "fill the search: for benchmarks."
            ),
        )

    def handle(self, *args, applicants: int, cv_text: bool, verbosity: int, **options) -> None:
        if applicants < 0:
            raise CommandError("--applicants cannot be negative.")
        started = time.monotonic()
        user, user_created = demo_user_ensure()
        result = demo_data_seed(
            applicants=applicants,
            actor=user,
            cv_text=cv_text,
            on_progress=self._show_progress if verbosity else None,
        )
        if not verbosity:
            return
        if result.applicants:
            self.stdout.write("")
        self.stdout.write(
            f"Created {result.applicants} applicants, {result.applications} applications and "
            f"{result.activities} activities in {time.monotonic() - started:.1f} s; "
            f"{result.demo_applicants} demo applicants in all."
        )
        if user_created:
            self.stdout.write(f"Created the demo recruiter account {DEMO_USERNAME!r}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Sign in at http://127.0.0.1:8000/ as {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )

    def _show_progress(self, done: int, total: int) -> None:
        self.stdout.write(f"\r  {done}/{total} applicants", ending="")
        self.stdout.flush()

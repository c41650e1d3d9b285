import time

from django.core.management.base import BaseCommand

from recruitment.services.report_summary import report_summary_rebuild


class Command(BaseCommand):
    help = (
        "Compute the report's summary again from the applications and their timeline: "
        "once after the release that brought it, or after data was written around the "
        "services (a restore, a bulk import)."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        started = time.monotonic()
        counts = report_summary_rebuild()
        if verbosity:
            self.stdout.write(
                f"Report summary rebuilt in {time.monotonic() - started:.1f} s: "
                f"{counts['stays']} stays, {counts['application_cells']} application cells, "
                f"{counts['stay_cells']} stay cells."
            )

from django.core.management.base import BaseCommand

from careers.demo_data import demo_postings_publish
from recruitment.demo_data import demo_user_ensure


class Command(BaseCommand):
    help = (
        "Publish the demo data's open vacancies on the careers site (after seed_demo). "
        "Safe to repeat: vacancies that have a posting already are left alone."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        user, _ = demo_user_ensure()
        published = demo_postings_publish(actor=user)
        if verbosity:
            self.stdout.write(f"Published {published} demo positions on /careers/.")

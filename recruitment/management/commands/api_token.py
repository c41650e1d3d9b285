from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from recruitment.api.tokens import api_token_issue
from recruitment.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make a user's API token and print it (only the hash is kept: this is the one time "
        "it is shown). With --rotate, replace an existing one: the old token stops working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the token with a new one."
        )

    def handle(self, *args, username: str, rotate: bool, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        existing = ApiToken.objects.filter(user=user).first()
        if existing is not None and not rotate:
            raise CommandError(
                f"{username} has a token (starting {existing.prefix}) that cannot be shown "
                "again; --rotate replaces it."
            )
        self.stdout.write(api_token_issue(user=user))

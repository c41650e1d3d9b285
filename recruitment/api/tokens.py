"""API tokens: issued once in clear, kept as a hash, checked by hashing what comes in."""

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from recruitment.models import ApiToken

KEY_BYTES = 20


@transaction.atomic
def api_token_issue(*, user: AbstractBaseUser) -> str:
    """Give `user` a new key, replacing any they had (which stops working at once), and
    return it: the only time it can be read."""
    key = secrets.token_hex(KEY_BYTES)
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_of(key), prefix=key[:8])
    return key


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, against the stored hashes."""

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_of(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token

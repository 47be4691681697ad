"""Who is calling: a bearer token (acting as its user), or the docs' signed-in session.

A participant's token sees what that participant sees, a staff member's what
staff see; a `read` token cannot write, whoever it belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from pathwise.api.actions import digest_of, token_used
from pathwise.api.models import ApiToken

if TYPE_CHECKING:
    from rest_framework.views import APIView


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; a revoked or unknown token is refused (401)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>', with one token.")
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("This token is not valid.") from None
        token = (ApiToken.objects.select_related("user")
                 .filter(digest=digest_of(plain)).first())
        if token is None or token.revoked or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid or was revoked.")
        token_used(token, timezone.now())
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ScopedAccess(permissions.BasePermission):
    """Signed in (by token or session); writing also needs a `write` token or a session."""

    message = "This token is read-only: writing needs a token with the 'write' scope."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated(
                "Send 'Authorization: Bearer <token>' (a token from staff), or sign in.")
        if request.method in permissions.SAFE_METHODS:
            return True
        token: Any = request.auth
        return not isinstance(token, ApiToken) or token.scope == ApiToken.WRITE

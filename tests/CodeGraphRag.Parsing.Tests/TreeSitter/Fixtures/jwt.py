"""Token validation for the auth package."""
import hashlib
import json as jsonlib, time
from typing import Optional
from .errors import TokenError, ExpiredError as Expired
from ..core.clock import *


class Validator:
    """Base class of all validators."""

    def validate(self, token: str) -> bool:
        raise NotImplementedError()


@register("jwt")
class JwtValidator(Validator, Generic[T], metaclass=Registry):
    leeway = 30

    def __init__(self, secret: str, clock: Optional[Clock] = None) -> None:
        self.secret = secret
        self.clock = clock or SystemClock()

    @staticmethod
    def decode(token: str) -> dict:
        header, payload, _ = token.split(".")
        return jsonlib.loads(payload)

    def validate(self, token: str) -> bool:
        def expired(claims):
            return claims["exp"] + self.leeway < time.time()

        claims = self.decode(token)
        if expired(claims):
            raise Expired(token)
        return hashlib.sha256(self.secret.encode()).hexdigest() == claims["sig"]


def make_validator(secret):
    return JwtValidator(secret)

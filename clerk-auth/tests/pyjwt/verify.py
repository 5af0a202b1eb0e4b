"""PyJWT's verdict on each token, for clerk-auth/tests/pyjwt.rs.

Reads {"jwks", "tokens": [[name, token], ...], "authorized_parties", "leeway",
"max_token_bytes", "session_categories", "now"} on stdin and prints [{"name", "verdict",
"claims"}]. PyJWT's clock is held at "now" (Unix seconds), the instant clerk-auth judges at.

PyJWT decides the algorithm, the signature and every registered claim against the clock.
What PyJWT has no notion of is Clerk's policy, given as data and applied here: the size limit,
a session token's header (typ, cat), the key chosen by kid, the claims a session must have, and
the authorized parties.
"""

import datetime
import json
import sys

import jwt
import jwt.api_jwt
from jwt.algorithms import RSAAlgorithm


def hold_clock_at(seconds):
    """PyJWT reads the time from `datetime.now` in jwt.api_jwt; it reads `seconds` instead."""

    class HeldDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(seconds, tz)

    jwt.api_jwt.datetime = HeldDatetime


def verdict(token, keys, policy):
    if len(token.encode()) > policy["max_token_bytes"]:
        return "too-large", None
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        # Not decodable, or critical extensions PyJWT does not implement.
        return "malformed", None
    if header.get("alg") == "RS256":
        if header.get("typ", "JWT") != "JWT":
            return "not-session", None
        if "cat" in header and header["cat"] not in policy["session_categories"]:
            return "not-session", None
    key = keys.get(header.get("kid"))
    if key is None:
        return "unknown-key", None
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            leeway=policy["leeway"],
            options={"require": ["exp", "sub", "sid"]},
        )
    except jwt.InvalidAlgorithmError:
        return "algorithm", None
    except jwt.InvalidSignatureError:
        return "signature", None
    except jwt.ExpiredSignatureError:
        return "expired", None
    except jwt.ImmatureSignatureError:
        return "not-yet-valid", None
    except jwt.MissingRequiredClaimError:
        return "claims", None
    except jwt.DecodeError as error:
        # PyJWT reports a registered claim of the wrong type as a decode error.
        return ("claims" if "claim" in str(error) else "malformed"), None
    parties = policy["authorized_parties"]
    if parties and claims.get("azp") not in parties:
        return "unauthorized-party", None
    return "valid", claims


def main():
    request = json.load(sys.stdin)
    hold_clock_at(request["now"])
    keys = {key["kid"]: RSAAlgorithm.from_jwk(json.dumps(key)) for key in request["jwks"]["keys"]}
    answers = []
    for name, token in request["tokens"]:
        result, claims = verdict(token, keys, request)
        answers.append({"name": name, "verdict": result, "claims": claims})
    json.dump(answers, sys.stdout)


main()

"""Checks recorded answers of the Clerk stand-in against Clerk's OpenAPI document.

Reads {"document": PATH, "exchanges": [...]} on stdin (each exchange as clerk_standin::Exchange
serializes it) and writes {"gaps": {...}, "checked": [...]} on stdout: for each exchange, the
operation it belongs to and its outcome: "valid", "invalid" (with the validator's errors),
"unrouted" (no route answered; checked as Clerk's error body) or the name of a known gap of
the document it was checked under.

The validation is openapi-core's, with OpenAPI 3.0 semantics (nullable, additionalProperties,
discriminators), against the response the document declares for the operation and status.
"""

import json
import sys
import urllib.parse

import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

# Where the document and Clerk disagree, each with the reason; these exchanges are checked as
# the reason says instead of against the document's declaration.
GAPS = {
    "paginated_list": (
        "With paginated=true Clerk answers the older list endpoints (sessions, invitations, "
        "allowlist identifiers, JWT templates, OAuth access tokens) with {data, total_count}, "
        "where the document declares only the bare array of the default answer. Checked as "
        "an object whose data items each validate against the array's item schema."
    ),
    "undeclared_status": (
        "Clerk answers statuses the document does not declare for the operation (401 for a "
        "missing or wrong key on most operations, 404 for an unknown id on ban, lock and "
        "their inverses, 422 for an invalid filter of GET /invitations, ...), always with its "
        "error body. Checked against the document's ClerkErrors schema."
    ),
}

METHODS = ("get", "put", "post", "delete", "patch")


def main():
    request = json.load(sys.stdin)
    with open(request["document"], encoding="utf-8") as file:
        document = yaml.load(file, Loader=yaml.CSafeLoader)
    openapi = OpenAPI.from_dict(document)
    operations = {
        (method.upper(), base_path(document) + path): (path, item[method])
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    }
    checked = [check(document, openapi, operations, exchange) for exchange in request["exchanges"]]
    json.dump({"gaps": GAPS, "checked": checked}, sys.stdout)


def base_path(document):
    """The path of the first server, `/v1`, which the stand-in's routes start with."""
    return urllib.parse.urlsplit(document["servers"][0]["url"]).path.rstrip("/")


def check(document, openapi, operations, exchange):
    result = {
        "method": exchange["method"],
        "route": exchange["route"],
        "path": exchange["path"],
        "query": exchange["query"],
        "status": exchange["status"],
        "operation": None,
        "outcome": "invalid",
        "errors": [],
    }
    if exchange["route"] is None:
        # No route answered (an unknown path or method): Clerk's not-found error, no operation.
        result["outcome"] = "unrouted"
        result["errors"] = schema_errors(document, {"$ref": "#/components/schemas/ClerkErrors"}, json.loads(exchange["response_body"]))
        if result["errors"]:
            result["outcome"] = "invalid"
        return result
    found = operations.get((exchange["method"], exchange["route"]))
    if found is None:
        result["errors"].append("no operation of the document has this method and route")
        return result
    path, operation = found
    result["operation"] = operation["operationId"]
    try:
        body = json.loads(exchange["response_body"])
    except ValueError as error:
        result["errors"].append(f"the body is not JSON: {error}")
        return result
    if not (exchange["content_type"] or "").startswith("application/json"):
        result["errors"].append(f"content-type {exchange['content_type']!r} is not application/json")
        return result

    responses = operation["responses"]
    status = str(exchange["status"])
    if status not in responses and "default" not in responses:
        result["outcome"] = "undeclared_status"
        result["errors"] = schema_errors(document, {"$ref": "#/components/schemas/ClerkErrors"}, body)
        if result["errors"]:
            result["outcome"] = "invalid"
        return result

    query = dict(urllib.parse.parse_qsl(exchange["query"] or ""))
    if query.get("paginated") == "true" and isinstance(body, dict):
        result["outcome"] = "paginated_list"
        result["errors"] = paginated_errors(document, responses[status], body)
        if result["errors"]:
            result["outcome"] = "invalid"
        return result

    server = urllib.parse.urlsplit(document["servers"][0]["url"])
    mock_request = MockRequest(
        f"{server.scheme}://{server.netloc}", exchange["method"].lower(), exchange["path"], args=query
    )
    mock_response = MockResponse(
        exchange["response_body"].encode(), status_code=exchange["status"], content_type="application/json"
    )
    try:
        openapi.validate_response(mock_request, mock_response)
        result["outcome"] = "valid"
    except Exception as error:  # openapi-core reports every kind of mismatch as an exception
        result["errors"] = explain(error)
    return result


def resolve(document, schema):
    while "$ref" in schema:
        node = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def schema_errors(document, schema, instance):
    """Errors of `instance` against `schema`, whose references point into the document."""
    root = dict(schema, components=document["components"])
    validator = OAS30Validator(root)
    return [f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}" for error in validator.iter_errors(instance)]


def paginated_errors(document, response, body):
    response = resolve(document, response)
    array = resolve(document, response["content"]["application/json"]["schema"])
    if array.get("type") != "array":
        return ["paginated=true answered an object where the document declares no array to page"]
    errors = []
    if set(body) != {"data", "total_count"}:
        errors.append(f"the page has the fields {sorted(body)}, not data and total_count")
    if not isinstance(body.get("total_count"), int):
        errors.append("total_count is not an integer")
    errors += schema_errors(document, array, body.get("data"))
    return errors


def explain(error):
    """The validator's messages, innermost first, one line each."""
    messages = []
    seen = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        for nested in getattr(current, "schema_errors", None) or []:
            where = "/".join(map(str, nested.absolute_path)) or "(body)"
            messages.append(f"{where}: {nested.message}")
        pending.append(current.__cause__)
        pending.append(current.__context__)
    if not messages:
        messages.append(f"{type(error).__name__}: {error}")
    return messages


if __name__ == "__main__":
    main()

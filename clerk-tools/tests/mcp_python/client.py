"""`clerk-tools mcp` as the official MCP Python SDK sees it.

Run by clerk-tools/tests/mcp_python.rs with the SDK installed from requirements.txt. Reads one
JSON request on stdin: {"transport": "stdio", "command": ..., "args": [...], "env": {...}} or
{"transport": "http", "url": ..., "token": ...}, plus "mode" ("legacy": the initialize
handshake; "auto": the SDK's own negotiation). Connects, lists the tools, makes a read call
and failing calls, checks what it can against the schemas with `jsonschema`, and prints a
JSON report on stdout for the Rust test to check the rest. Any failed check raises, so the
script exits non-zero with the reason.
"""

import asyncio
import json
import sys

import jsonschema
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def conforms(content, schema):
    """A success's structured content against the tool's output schema; without one (a
    generated operation tool), it is an object saying success."""
    if schema is None:
        check(isinstance(content, dict) and content.get("success") is True, f"not a success: {content}")
    else:
        jsonschema.validate(content, schema, cls=jsonschema.Draft202012Validator)


def text_json(result):
    check(result.content and result.content[0].type == "text", f"no text content: {result}")
    return json.loads(result.content[0].text)


async def session(request):
    if request["transport"] == "stdio":
        server = StdioServerParameters(command=request["command"], args=request["args"], env=request["env"])
        return Client(server, mode=request["mode"], read_timeout_seconds=30)
    headers = {"Authorization": f"Bearer {request['token']}"} if request.get("token") else {}
    http_client = create_mcp_http_client(headers=headers)
    transport = streamable_http_client(request["url"], http_client=http_client)
    return Client(transport, mode=request["mode"], read_timeout_seconds=30)


async def main():
    request = json.load(sys.stdin)
    report = {}
    async with await session(request) as client:
        report["protocolVersion"] = client.protocol_version
        info = client.server_info
        report["serverName"] = info.name if info else None

        listed = await client.list_tools()
        tools = {}
        for tool in listed.tools:
            # Both schemas are valid JSON Schema (2020-12, the protocol's default dialect). A
            # generated operation tool declares no output schema (the caller compares which do).
            jsonschema.Draft202012Validator.check_schema(tool.input_schema)
            if tool.output_schema is not None:
                jsonschema.Draft202012Validator.check_schema(tool.output_schema)
                check(tool.output_schema.get("type") == "object", f"{tool.name}: output schema is not an object")
            tools[tool.name] = {
                "properties": list(tool.input_schema.get("properties", {}).keys()),
                "title": tool.title,
                "hasOutputSchema": tool.output_schema is not None,
                "readOnly": tool.annotations.read_only_hint if tool.annotations else None,
            }
        report["tools"] = tools
        report["names"] = [tool.name for tool in listed.tools]

        # A read: the SDK validates structuredContent against the listed output schema and
        # raises if it does not conform; check it here as well, independently of the SDK.
        result = await client.call_tool(request["readTool"], request["readArguments"])
        check(not result.is_error, f"read failed: {result}")
        check(result.structured_content is not None, "a success carries structuredContent")
        schema = next(tool.output_schema for tool in listed.tools if tool.name == request["readTool"])
        conforms(result.structured_content, schema)
        check(text_json(result) == result.structured_content, "text and structured content differ")
        report["read"] = result.structured_content

        # A successful call of each tool this script knows how to call against the stand-in,
        # each output checked against its tool's output schema (by the SDK, and here).
        schemas = {tool.name: tool.output_schema for tool in listed.tools}
        validated = []

        async def success(name, arguments):
            if name not in schemas:
                return None
            result = await client.call_tool(name, arguments)
            check(not result.is_error, f"{name} {arguments} failed: {result}")
            conforms(result.structured_content, schemas[name])
            validated.append(name)
            return result.structured_content

        if request.get("everyTool"):
            users = (await success("clerk_list_users", {"orderBy": "+username"}))["users"]
            await success("clerk_get_user", {"userId": users[0]["id"]})
            await success("clerk_list_organizations", {"includeMembersCount": True})
            await success("clerk_get_organization", {"organizationId": "analytical-engine"})
            sessions = await success("clerk_list_sessions", {"userId": users[0]["id"]})
            if sessions and sessions["sessions"]:
                await success("clerk_get_session", {"sessionId": sessions["sessions"][0]["id"]})
                await success("clerk_revoke_session", {"sessionId": sessions["sessions"][0]["id"]})
            created = await success(
                "clerk_create_user",
                {"emailAddress": "mcp-python@example.com", "username": "mcp_python", "publicMetadata": {"from": "sdk"}},
            )
            if created:
                await success("clerk_update_user", {"userId": created["id"], "firstName": "Py", "privateMetadata": "{}"})
                organization = await success("clerk_create_organization", {"name": "Python SDK", "createdBy": created["id"]})
                org = organization["id"]
                await success("clerk_update_organization", {"organizationId": org, "maxAllowedMemberships": 10})
                await success("clerk_merge_organization_metadata", {"organizationId": org, "publicMetadata": {"tier": "pro"}})
                member = users[1]["id"]
                await success("clerk_add_organization_member", {"organizationId": org, "userId": member, "role": "org:member"})
                await success("clerk_list_organization_memberships", {"organizationId": org, "role": "org:member"})
                await success("clerk_update_organization_membership", {"organizationId": org, "userId": member, "role": "org:admin"})
                await success("clerk_remove_organization_member", {"organizationId": org, "userId": member})
                await success(
                    "clerk_create_organization_invitation",
                    {"organizationId": org, "emailAddress": "invitee@example.com", "role": "org:member", "notify": False},
                )
                await success("clerk_list_organization_invitations", {"organizationId": org, "status": "pending"})
                await success("clerk_delete_organization", {"organizationId": org})
                await success("clerk_merge_user_metadata", {"userId": created["id"], "publicMetadata": {"from": None}})
                for action in ["clerk_ban_user", "clerk_unban_user", "clerk_lock_user", "clerk_unlock_user"]:
                    await success(action, {"userId": created["id"]})
                actor = await success("clerk_create_actor_token", {"userId": created["id"], "actor": {"sub": users[0]["id"]}})
                await success("clerk_revoke_actor_token", {"actorTokenId": actor["id"]})
                await success("clerk_delete_user", {"userId": created["id"]})
            await success("clerk_get_user_oauth_token", {"userId": users[0]["id"], "provider": "google"})
            for kind in ["allowlist", "blocklist"]:
                entry = await success(f"clerk_create_{kind}_identifier", {"identifier": f"{kind}@example.com"})
                await success(f"clerk_list_{kind}_identifiers", {})
                await success(f"clerk_delete_{kind}_identifier", {"identifierId": entry["id"]})
            templates = await success("clerk_list_jwt_templates", {})
            if templates and templates["templates"]:
                await success("clerk_get_jwt_template", {"templateId": templates["templates"][0]["id"]})
            invitation = await success("clerk_create_invitation", {"emailAddress": "newcomer@example.com", "notify": False})
            await success("clerk_list_invitations", {"status": "pending"})
            await success("clerk_revoke_invitation", {"invitationId": invitation["id"]})
        report["validated"] = validated

        # Further calls that must succeed, their outputs reported as they are.
        report["extra"] = []
        for name, arguments in request.get("extraCalls", []):
            result = await client.call_tool(name, arguments)
            check(not result.is_error, f"{name} {arguments} failed: {result}")
            report["extra"].append(result.structured_content)

        # Failures: isError, the error JSON as text, and no structuredContent to contradict
        # the output schema.
        report["failures"] = []
        for name, arguments in request["failingCalls"]:
            result = await client.call_tool(name, arguments)
            check(result.is_error, f"{name} {arguments} did not fail: {result}")
            check(result.structured_content is None, f"an error carries structuredContent: {result}")
            report["failures"].append(text_json(result))

        # A tool the server does not offer is a protocol error.
        report["unknown"] = []
        for name in request.get("unknownTools", []):
            try:
                await client.call_tool(name, {})
                report["unknown"].append(None)
            except MCPError as error:
                report["unknown"].append({"code": error.error.code, "message": error.error.message})

        # The either/or rule of clerk_list_sessions, as the schema states it.
        sessions = next((tool for tool in listed.tools if tool.name == "clerk_list_sessions"), None)
        if sessions is not None:
            validator = jsonschema.Draft202012Validator(sessions.input_schema)
            report["listSessionsSchema"] = {
                "empty": validator.is_valid({}),
                "userId": validator.is_valid({"userId": "user_1"}),
                "clientId": validator.is_valid({"clientId": "client_1"}),
                "both": validator.is_valid({"userId": "user_1", "clientId": "client_1"}),
                "statusOnly": validator.is_valid({"status": "active"}),
            }
    json.dump(report, sys.stdout)


asyncio.run(main())

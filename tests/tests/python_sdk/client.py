"""Clerk's official Python SDK (clerk-backend-api) as a client of the Clerk stand-in.

Reads {"url": ..., "key": ...} on stdin, makes the calls below in order and writes a report on
stdout: for each call, its name, whether it succeeded, and what it answered (as JSON) or the
error it raised. A call that raises is reported, not fatal, so that one report shows every
failure at once.
"""

import json
import sys

from clerk_backend_api import Clerk


def main():
    request = json.load(sys.stdin)
    calls = []

    # Positional-only, so that a call's own `name=` argument reaches the SDK.
    def call(label, function, /, *args, **kwargs):
        try:
            answer = function(*args, **kwargs)
        except Exception as error:  # every failure of the SDK is what the report is for
            calls.append({"name": label, "success": False, "error": f"{type(error).__name__}: {error}"})
            return None
        calls.append({"name": label, "success": True, "answer": plain(answer)})
        return answer

    with Clerk(bearer_auth=request["key"], server_url=request["url"]) as clerk:
        users = call("users.list", clerk.users.list, request={"order_by": "+username", "limit": 10})
        call("users.count", clerk.users.count, request={})
        ada = users[0].id
        alan = users[1].id
        call("users.get", clerk.users.get, user_id=ada)
        created = call(
            "users.create",
            clerk.users.create,
            email_address=["sdk@example.com"],
            username="python_sdk",
            first_name="Py",
            password="correct horse battery",
            public_metadata={"source": "sdk"},
            create_organizations_limit=2,
        )
        user = created.id
        call(
            "users.update",
            clerk.users.update,
            user_id=user,
            last_name="Thon",
            notify_primary_email_address_changed=False,
            sign_out_of_other_sessions=False,
        )
        call("users.update_metadata", clerk.users.update_metadata, user_id=user, public_metadata={"plan": "pro"})
        call("users.replace_metadata", clerk.users.replace_metadata, user_id=user, private_metadata={"crm": 7})
        call("users.ban", clerk.users.ban, user_id=user)
        call("users.unban", clerk.users.unban, user_id=user)
        call("users.lock", clerk.users.lock, user_id=user)
        call("users.unlock", clerk.users.unlock, user_id=user)
        call("users.get_o_auth_access_token", clerk.users.get_o_auth_access_token, user_id=ada, provider="oauth_google")

        call("organizations.list", clerk.organizations.list, include_members_count=True, order_by="+name")
        call("organizations.get", clerk.organizations.get, organization_id="analytical-engine")
        organization = call("organizations.create", clerk.organizations.create, request={"name": "SDK Org", "created_by": user})
        org = organization.id
        call("organizations.update", clerk.organizations.update, organization_id=org, name="SDK Org Ltd", max_allowed_memberships=4)
        call("organizations.merge_metadata", clerk.organizations.merge_metadata, organization_id=org, public_metadata={"tier": 1})

        memberships = clerk.organization_memberships
        call("organization_memberships.create", memberships.create, organization_id=org, user_id=alan, role="org:member")
        call("organization_memberships.list", memberships.list, organization_id=org, order_by="-created_at")
        call("organization_memberships.update", memberships.update, organization_id=org, user_id=alan, role="org:admin")
        call("organization_memberships.delete", memberships.delete, organization_id=org, user_id=alan)

        invitations = clerk.organization_invitations
        invited = call(
            "organization_invitations.create",
            invitations.create,
            organization_id=org,
            email_address="org-invitee@example.com",
            role="org:member",
            inviter_user_id=user,
        )
        call("organization_invitations.list", invitations.list, organization_id=org, status="pending")
        call("organization_invitations.get", invitations.get, organization_id=org, invitation_id=invited.id)
        call("organization_invitations.revoke", invitations.revoke, organization_id=org, invitation_id=invited.id, requesting_user_id=user)
        call("organizations.delete", clerk.organizations.delete, organization_id=org)

        sessions = call("sessions.list", clerk.sessions.list, user_id=ada)
        active = next(session for session in sessions if session.status == "active")
        call("sessions.get", clerk.sessions.get, session_id=active.id)
        call("sessions.revoke", clerk.sessions.revoke, session_id=active.id)

        invitation = call("invitations.create", clerk.invitations.create, request={"email_address": "sdk-invitee@example.com", "notify": False})
        call("invitations.list", clerk.invitations.list, status="pending")
        call("invitations.revoke", clerk.invitations.revoke, invitation_id=invitation.id)

        allowed = call("allowlist_identifiers.create", clerk.allowlist_identifiers.create, request={"identifier": "allowed@example.com"})
        call("allowlist_identifiers.list", clerk.allowlist_identifiers.list)
        call("allowlist_identifiers.delete", clerk.allowlist_identifiers.delete, identifier_id=allowed.id)
        blocked = call("blocklist_identifiers.create", clerk.blocklist_identifiers.create, request={"identifier": "blocked@example.com"})
        call("blocklist_identifiers.list", clerk.blocklist_identifiers.list)
        call("blocklist_identifiers.delete", clerk.blocklist_identifiers.delete, identifier_id=blocked.id)

        templates = call("jwt_templates.list", clerk.jwt_templates.list)
        call("jwt_templates.get", clerk.jwt_templates.get, template_id=templates[0].id)

        actor = call("actor_tokens.create", clerk.actor_tokens.create, request={"user_id": user, "actor": {"sub": ada}})
        call("actor_tokens.revoke", clerk.actor_tokens.revoke, actor_token_id=actor.id)
        call("users.delete", clerk.users.delete, user_id=user)

    json.dump({"calls": calls}, sys.stdout)


def plain(answer):
    """The SDK's answer as JSON: its models dumped with their wire names."""
    if isinstance(answer, list):
        return [plain(item) for item in answer]
    if hasattr(answer, "model_dump"):
        return answer.model_dump(mode="json", by_alias=True)
    return answer


if __name__ == "__main__":
    main()

"""Who may reach each route: a small vocabulary of access policies, declared next to the
route they govern.

The policy is a declaration, not the enforcement. What a user may see and do is decided
where it always was: `login_required`, the selectors that filter every read by the user's
agencies (003 3.15) and the services that check a role before a write. The declaration
says what that enforcement is meant to add up to, so that tests/access/test_matrix.py can
walk every URL the service answers, fail for any route without a policy (a new page cannot
ship without someone saying who may open it), and check each persona's answer against it.

Our own views carry `@access(POLICY)`. Views we cannot decorate (allauth's pages, the
pages ninja adds for its API document) are declared by URL name in `POLICY_BY_URL_NAME`.
API operations carry the decorator too, above ninja's `@router.get(...)`: ninja returns
the very function it registered as the operation, so the attribute lands on the function
the test finds through the operation (`Operation.view_func`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])

# The attribute the decorator sets on a view or an API operation's function.
ACCESS_POLICY_ATTRIBUTE = "access_policy"


@dataclass(frozen=True)
class Policy:
    """One way of deciding who may reach a route, named so a reviewer can check it."""

    name: str
    who: str
    # Whether the route is one of the JSON API's, which authenticates by bearer token only.
    api: bool = False

    def __str__(self) -> str:
        return self.name


PUBLIC = Policy(
    "PUBLIC",
    "Anyone, signed in or not: the pages show guidance, never personal data.",
)
SIGN_IN_STEP = Policy(
    "SIGN_IN_STEP",
    "A step in the middle of signing in: anyone may ask for it, and without a sign-in under "
    "way it sends them back to the sign-in page. It shows nothing about anyone.",
)
SIGNED_IN = Policy(
    "SIGNED_IN",
    "Any signed-in user; anonymous visitors are sent to sign in. What the page lists is "
    "filtered to the user's own agencies.",
)
AGENCY_MEMBER = Policy(
    "AGENCY_MEMBER",
    "A member of an agency with a role that works with case records (anything but "
    "partnership administrator); other signed-in users are refused (403).",
)
AGENCY_READ = Policy(
    "AGENCY_READ",
    "Members of the record's agency in any role but partnership administrator. For anyone "
    "else the record does not exist (404), so that nobody learns another agency holds it.",
)
AGENCY_DECIDE = Policy(
    "AGENCY_DECIDE",
    "Practitioners, safeguarding leads and managers of the record's agency may make or "
    "change a decision; an auditor may read the page but any write is refused (403); other "
    "agencies, outsiders and administrators get 404.",
)
LEAD_OR_AUDITOR = Policy(
    "LEAD_OR_AUDITOR",
    "The safeguarding leads and auditors of the record's agency; its practitioners and "
    "managers are refused (403); anyone else gets 404.",
)
NOTHING_HERE = Policy(
    "NOTHING_HERE",
    "An address where there is nothing to find: everyone, token or not, is told so (404).",
)
API_PUBLIC = Policy(
    "API_PUBLIC",
    "The API's own description (the OpenAPI document and its viewer): open to anyone, "
    "since it describes the interface and holds no records.",
    api=True,
)
API_ANY_TOKEN = Policy(
    "API_ANY_TOKEN",
    "Any valid bearer token; no token is 401. What the answer lists is filtered to the "
    "token user's agencies.",
    api=True,
)
API_AGENCY_READ = Policy(
    "API_AGENCY_READ",
    "A token of a member of the record's agency (any role but partnership administrator); "
    "no token is 401, any other token 404, as AGENCY_READ on the web.",
    api=True,
)
API_AGENCY_DECIDE = Policy(
    "API_AGENCY_DECIDE",
    "A token of a practitioner, safeguarding lead or manager of the record's agency; an "
    "auditor's token is refused (403), no token is 401, any other token 404, as "
    "AGENCY_DECIDE on the web.",
    api=True,
)

POLICIES = (
    PUBLIC,
    SIGN_IN_STEP,
    SIGNED_IN,
    AGENCY_MEMBER,
    AGENCY_READ,
    AGENCY_DECIDE,
    LEAD_OR_AUDITOR,
    NOTHING_HERE,
    API_PUBLIC,
    API_ANY_TOKEN,
    API_AGENCY_READ,
    API_AGENCY_DECIDE,
)


def access(policy: Policy) -> Callable[[ViewFunction], ViewFunction]:
    """Declare who may reach a view. Records the policy on the function and returns it
    unchanged: the enforcement stays in `login_required`, the selectors and the services."""

    def declare(view: ViewFunction) -> ViewFunction:
        setattr(view, ACCESS_POLICY_ATTRIBUTE, policy)
        return view

    return declare


# Pages we cannot decorate, by their URL name (with namespace where they have one).
# allauth's pages: several are shadowed by Sharewise's own pages at the same address
# (accounts/urls.py comes first) and are declared all the same, so that the declaration
# stays right if the order ever changes.
POLICY_BY_URL_NAME: dict[str, Policy] = {
    "account_login": PUBLIC,
    "account_logout": SIGNED_IN,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_reauthenticate": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": SIGN_IN_STEP,
    "account_confirm_email": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "mfa_index": SIGNED_IN,
    "mfa_authenticate": SIGN_IN_STEP,
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_activate_totp": SIGNED_IN,
    "mfa_deactivate_totp": SIGNED_IN,
    "mfa_view_recovery_codes": SIGNED_IN,
    "mfa_generate_recovery_codes": SIGNED_IN,
    "mfa_download_recovery_codes": SIGNED_IN,
    # ninja's pages for the API document.
    "api:openapi-json": API_PUBLIC,
    "api:openapi-view": API_PUBLIC,
    # ninja's API root answers 404 unless DEBUG is on, when it sends the browser to the docs.
    "api:api-root": NOTHING_HERE,
}


def policy_of(view: Any, url_name: str | None = None) -> Policy | None:
    """The policy declared for a view: on the function, or else by its URL name."""
    declared = getattr(view, ACCESS_POLICY_ATTRIBUTE, None)
    if isinstance(declared, Policy):
        return declared
    if url_name is not None:
        return POLICY_BY_URL_NAME.get(url_name)
    return None

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
PARTNERSHIP_ADMIN = Policy(
    "PARTNERSHIP_ADMIN",
    "Partnership administrators manage the agencies' settings (the law their decisions "
    "follow); any other signed-in user is refused (403).",
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

# A disclosure is the one record of an agency that another agency sees (disclosures app).
DISCLOSURE_PARTIES = Policy(
    "DISCLOSURE_PARTIES",
    "Members of the agency that made the disclosure and, for one sent through Sharewise, of "
    "the agency it was sent to (any role but partnership administrator); for anyone else it "
    "does not exist (404).",
)
DISCLOSURE_RECIPIENT = Policy(
    "DISCLOSURE_RECIPIENT",
    "The named recipient of a disclosure (or a member of the named team); the sending "
    "agency's members are refused (403); anyone else gets 404.",
)
DISCLOSURE_SENDER = Policy(
    "DISCLOSURE_SENDER",
    "Practitioners, safeguarding leads and managers of the agency that made the disclosure; "
    "its auditors and the recipient's agency are refused (403); anyone else gets 404.",
)
API_DISCLOSURE_PARTIES = Policy(
    "API_DISCLOSURE_PARTIES",
    "As DISCLOSURE_PARTIES, by bearer token: no token is 401.",
    api=True,
)
API_DISCLOSURE_RECIPIENT = Policy(
    "API_DISCLOSURE_RECIPIENT",
    "As DISCLOSURE_RECIPIENT, by bearer token: no token is 401.",
    api=True,
)
API_DISCLOSURE_SENDER = Policy(
    "API_DISCLOSURE_SENDER",
    "As DISCLOSURE_SENDER, by bearer token: no token is 401.",
    api=True,
)

# The register of information sharing protocols (protocols app). Protocols hold no
# personal data, but are kept to the parties and the partnership administrators.
PROTOCOL_READ = Policy(
    "PROTOCOL_READ",
    "Partnership administrators, and members of an agency that is a party to the protocol "
    "(once it has left draft); for anyone else it does not exist (404).",
)
PROTOCOL_SIGN = Policy(
    "PROTOCOL_SIGN",
    "Managers and safeguarding leads of a party agency sign for it; the party's other "
    "members and the administrators may read the protocol but are refused (403); anyone "
    "else gets 404.",
)
PROTOCOL_ADMIN = Policy(
    "PROTOCOL_ADMIN",
    "Partnership administrators manage the register; any other signed-in user is refused (403).",
)
API_PROTOCOL_READ = Policy(
    "API_PROTOCOL_READ",
    "As PROTOCOL_READ, by bearer token: no token is 401.",
    api=True,
)
API_PROTOCOL_SIGN = Policy(
    "API_PROTOCOL_SIGN",
    "As PROTOCOL_SIGN, by bearer token: no token is 401.",
    api=True,
)
API_PROTOCOL_ADMIN = Policy(
    "API_PROTOCOL_ADMIN",
    "As PROTOCOL_ADMIN, by bearer token: no token is 401.",
    api=True,
)

# A request for information is seen by the agency asked and the agency asking (requests app).
REQUEST_PARTIES = Policy(
    "REQUEST_PARTIES",
    "Members of the agency asked and, for a request sent through Sharewise, of the agency "
    "that asked (any role but partnership administrator); an auditor may read but any write "
    "is refused (403); for anyone else it does not exist (404).",
)
REQUEST_RECEIVER = Policy(
    "REQUEST_RECEIVER",
    "The agency asked answers: its practitioners, safeguarding leads and managers (its "
    "auditors may read, any write is refused, 403); the requesting agency is refused (403), "
    "since the answer is worked out in the receiving agency's own records; anyone else 404.",
)
REQUEST_REQUESTER = Policy(
    "REQUEST_REQUESTER",
    "The agency that asked through Sharewise replies or withdraws: its practitioners, "
    "safeguarding leads and managers; the agency asked is refused (403); anyone else 404. "
    "For a request recorded from a phone call or letter, the agency asked records replies.",
)
API_REQUEST_PARTIES = Policy(
    "API_REQUEST_PARTIES",
    "As REQUEST_PARTIES, by bearer token: no token is 401.",
    api=True,
)
API_REQUEST_RECEIVER = Policy(
    "API_REQUEST_RECEIVER",
    "As REQUEST_RECEIVER, by bearer token: no token is 401.",
    api=True,
)
API_REQUEST_REQUESTER = Policy(
    "API_REQUEST_REQUESTER",
    "As REQUEST_REQUESTER, by bearer token: no token is 401.",
    api=True,
)

# Advice (advice app): the practitioner who asked, and the leads who answer, golden rule 3.
ADVICE_READ = Policy(
    "ADVICE_READ",
    "The practitioner who asked for the advice; once it is sent, the safeguarding leads and "
    "auditors of the agency it was asked in, who see only the redacted text. Anyone else, "
    "the agency's other members included, gets 404.",
)
ADVICE_ASKER = Policy(
    "ADVICE_ASKER",
    "Only the practitioner who asked for the advice may change, send it or record its "
    "outcome; the leads and auditors who may read it are refused (403); anyone else 404.",
)
ADVICE_LEAD = Policy(
    "ADVICE_LEAD",
    "Only a safeguarding lead of the agency may answer; the practitioner who asked and the "
    "auditors, who may read it, are refused (403); anyone else 404.",
)
API_ADVICE_READ = Policy(
    "API_ADVICE_READ",
    "As ADVICE_READ, with a bearer token; no token is 401.",
    api=True,
)
API_ADVICE_ASKER = Policy(
    "API_ADVICE_ASKER",
    "As ADVICE_ASKER, with a bearer token; no token is 401.",
    api=True,
)
API_ADVICE_LEAD = Policy(
    "API_ADVICE_LEAD",
    "As ADVICE_LEAD, with a bearer token; no token is 401.",
    api=True,
)

# Training (training app): a learner's own records, and the report for managers.
TRAINING_OWN = Policy(
    "TRAINING_OWN",
    "Only the signed-in user whose training record it is, in any role; for anyone else "
    "the record does not exist (404).",
)
TRAINING_MANAGER = Policy(
    "TRAINING_MANAGER",
    "Managers of an agency see its staff's training (and export it); any other signed-in "
    "user is refused (403).",
)

# Retention (retention app): managers and safeguarding leads review and dispose.
RETENTION_REVIEW = Policy(
    "RETENTION_REVIEW",
    "Managers and safeguarding leads see their agencies' records due for review and the dry "
    "run; any other signed-in user is refused (403).",
)
RETENTION_DECIDE = Policy(
    "RETENTION_DECIDE",
    "Managers and safeguarding leads of the person's agency keep, dispose of and hold "
    "records; its practitioners and auditors are refused (403); anyone else gets 404.",
)
API_RETENTION_REVIEW = Policy(
    "API_RETENTION_REVIEW",
    "As RETENTION_REVIEW, by bearer token: no token is 401.",
    api=True,
)
API_RETENTION_DECIDE = Policy(
    "API_RETENTION_DECIDE",
    "As RETENTION_DECIDE, by bearer token: no token is 401.",
    api=True,
)
API_PARTNERSHIP_ADMIN = Policy(
    "API_PARTNERSHIP_ADMIN",
    "As PARTNERSHIP_ADMIN, by bearer token: no token is 401.",
    api=True,
)

# Monitoring (reports app): aggregate dashboards, and the audit reports of a user's work.
REPORTS_MONITOR = Policy(
    "REPORTS_MONITOR",
    "Managers and auditors see their own agencies' dashboards (and export them); "
    "partnership administrators see the counts of every agency, never a record about a "
    "person; any other signed-in user is refused (403).",
)
USER_AUDIT = Policy(
    "USER_AUDIT",
    "Managers and auditors of an agency the user works in read the user's audit report; "
    "that agency's practitioners and safeguarding leads are refused (403); for anyone else "
    "the user does not exist (404).",
)

# People's rights (rights app): the subject access export, by bearer token.
API_LEAD_OR_AUDITOR = Policy(
    "API_LEAD_OR_AUDITOR",
    "As LEAD_OR_AUDITOR, by bearer token: the record's agency's safeguarding leads and "
    "auditors; its practitioners and managers are refused (403); no token is 401, any other "
    "token 404.",
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
    PARTNERSHIP_ADMIN,
    NOTHING_HERE,
    API_PUBLIC,
    API_ANY_TOKEN,
    API_AGENCY_READ,
    API_AGENCY_DECIDE,
    DISCLOSURE_PARTIES,
    DISCLOSURE_RECIPIENT,
    DISCLOSURE_SENDER,
    API_DISCLOSURE_PARTIES,
    API_DISCLOSURE_RECIPIENT,
    API_DISCLOSURE_SENDER,
    PROTOCOL_READ,
    PROTOCOL_SIGN,
    PROTOCOL_ADMIN,
    API_PROTOCOL_READ,
    API_PROTOCOL_SIGN,
    API_PROTOCOL_ADMIN,
    REQUEST_PARTIES,
    REQUEST_RECEIVER,
    REQUEST_REQUESTER,
    API_REQUEST_PARTIES,
    API_REQUEST_RECEIVER,
    API_REQUEST_REQUESTER,
    ADVICE_READ,
    ADVICE_ASKER,
    ADVICE_LEAD,
    API_ADVICE_READ,
    API_ADVICE_ASKER,
    API_ADVICE_LEAD,
    TRAINING_OWN,
    TRAINING_MANAGER,
    RETENTION_REVIEW,
    RETENTION_DECIDE,
    API_RETENTION_REVIEW,
    API_RETENTION_DECIDE,
    API_PARTNERSHIP_ADMIN,
    REPORTS_MONITOR,
    USER_AUDIT,
    API_LEAD_OR_AUDITOR,
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

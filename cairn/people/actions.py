"""Every change to organisations, people and profiles goes through these functions.

``check_*`` functions validate and raise :class:`ActionError`; ``do_*`` functions perform the
change and record its ledger event in the same transaction.
"""

import functools
import re
import secrets
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import organisation_id_of, organisation_of
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.people.emails import send_invitation
from cairn.people.mail_domains import PUBLIC_MAIL_DOMAINS
from cairn.people.models import (
    ApiToken,
    Department,
    Invitation,
    Organisation,
    Profile,
    Skill,
    User,
    validate_timezone,
)

#: How many email domains one organisation may open.
MAX_EMAIL_DOMAINS = 10

PROFILE_FIELDS = (
    "name",
    "title",
    "department",
    "manager",
    "location",
    "timezone",
    "languages",
    "bio",
    "offers",
    "wants",
    "open_to_mentor",
    "open_to_be_mentored",
    "open_to_peer",
    "mentoring_capacity",
)


#: Short names that would read as one of Cairn's own pages.
RESERVED_SLUGS = frozenset({"admin", "api", "accounts", "cairn", "demo", "new", "start", "www"})

_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def check_new_organisation(name: str, slug: str) -> tuple[str, str]:
    """Return a new organisation's name and short name, cleaned, or say what is wrong."""
    name = " ".join(name.split())
    if not name:
        raise ActionError("An organisation needs a name.", field="name")
    if len(name) > 120:
        raise ActionError("Keep the name under 120 characters.", field="name")
    slug = slugify(slug)
    if len(slug) < 2 or len(slug) > 50:
        raise ActionError(
            "The short name is 2 to 50 lowercase letters, digits or hyphens.", field="slug"
        )
    if slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        raise ActionError(f"The short name {slug!r} is taken; try another.", field="slug")
    return name, slug


def check_email_domain(domain: str, organisation: Organisation | None = None) -> str:
    """Return ``domain`` cleaned if its owners may join ``organisation`` without an invitation.

    Refused: what is not a domain, public mail services (anyone can have a gmail.com address;
    invite those colleagues instead) and a domain another organisation has opened already.
    """
    domain = domain.strip().lower().removeprefix("@")
    if not _DOMAIN.match(domain):
        raise ActionError(f"{domain!r} is not an email domain such as example.com.", "domains")
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ActionError(
            f"Anyone can have a {domain} address, so it cannot let people join on its own; "
            "invite those colleagues by email instead.",
            field="domains",
        )
    others = Organisation.objects.filter(email_domains__icontains=domain)
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    if any(org.accepts_domain(f"x@{domain}") for org in others):
        raise ActionError(f"Another organisation on Cairn has opened {domain}.", "domains")
    return domain


def do_create_organisation(
    name: str, slug: str, *, email_domains: Iterable[str] = (), admin: User | None = None
) -> Organisation:
    """Create an organisation; ``admin``, if given, becomes its first admin.

    ``email_domains`` are opened as they are (an operator's or the demo's choice), after
    `check_email_domain`; people open their own domain with `do_set_email_domains`.
    """
    with transaction.atomic():
        name, slug = check_new_organisation(name, slug)
        domains = list(dict.fromkeys(check_email_domain(d) for d in email_domains))
        try:
            with transaction.atomic():
                org = Organisation.objects.create(name=name, slug=slug, email_domains=domains)
        except IntegrityError:  # the same short name, created a moment ago
            raise ActionError(f"The short name {slug!r} is taken; try another.", "slug") from None
        if admin is not None:
            admin.organisation = org
            admin.role = User.Role.ADMIN
            admin.save(update_fields=["organisation", "role"])
            record(Verb.ORGANISATION_CREATED, actor=admin, organisation=org, obj=org)
    return org


def do_start_organisation(
    user: User, *, name: str, slug: str, person_name: str, open_domain: bool = False
) -> Organisation:
    """Start an organisation for someone who just signed up: they become its admin.

    ``open_domain`` asks to let colleagues with an address at the founder's email domain join
    without an invitation. That happens only once the founder has confirmed the address
    (`open_confirmed_domain`), so nobody can claim a domain whose mail they cannot read.
    """
    if user.organisation_id is not None:
        raise ActionError("You already belong to an organisation.", status=409)
    domain = user.email.rsplit("@", 1)[-1].lower()
    with transaction.atomic():
        if open_domain:
            check_email_domain(domain)
        org = do_create_organisation(name, slug)
        do_add_person(org, email=user.email, name=person_name, role=User.Role.ADMIN, user=user)
        context = {"open_domain": domain} if open_domain else {}
        record(Verb.ORGANISATION_CREATED, actor=user, organisation=org, obj=org, context=context)
        if open_domain and _has_confirmed(user, domain):
            do_set_email_domains(user, [domain])
    return org


def do_set_up_organisation(
    name: str, slug: str, *, admin_email: str, admin_name: str, email_domains: Iterable[str] = ()
) -> User:
    """Create an organisation with its first admin, for an operator; return the admin.

    The operator vouches for the admin's address (it is taken as confirmed) and for the
    domains; the admin chooses a password through "Forgot your password?".
    """
    admin_email = admin_email.strip().lower()
    try:
        validate_email(admin_email)
    except ValidationError:
        raise ActionError("Enter a valid email address for the admin.", "admin_email") from None
    with transaction.atomic():
        if User.objects.filter(email__iexact=admin_email).exists():
            raise ActionError("Someone already has an account with this email.", "admin_email")
        org = do_create_organisation(name, slug, email_domains=email_domains)
        admin = do_add_person(org, email=admin_email, name=admin_name, role=User.Role.ADMIN)
        context = {"email_domains": org.email_domains, "by": "operator"}
        record(Verb.ORGANISATION_CREATED, actor=admin, organisation=org, obj=org, context=context)
    return admin


def _has_confirmed(user: User, domain: str) -> bool:
    return EmailAddress.objects.filter(
        user=user, verified=True, email__iendswith=f"@{domain}"
    ).exists()


def open_confirmed_domain(user: User) -> bool:
    """Open the domain the founder asked for at creation, once they confirmed an address there.

    Return whether a domain was opened. Called when allauth confirms an email address.
    """
    if not user.is_org_admin:
        return False
    org = organisation_of(user)
    wish = (
        Event.objects.filter(verb=Verb.ORGANISATION_CREATED, actor=user, organisation_id=org.pk)
        .exclude(context__open_domain=None)
        .values_list("context__open_domain", flat=True)
        .first()
    )
    if not wish or wish in org.email_domains or not _has_confirmed(user, wish):
        return False
    try:
        do_set_email_domains(user, [*org.email_domains, wish])
    except ActionError:  # another organisation opened it meanwhile
        return False
    return True


def do_set_email_domains(admin: User, domains: Iterable[str]) -> Organisation:
    """Set the email domains whose owners may join the admin's organisation on their own.

    A domain may be added only by an admin with a confirmed address at it; domains already
    open (set by an operator) may stay. Organisation admins only.
    """
    if not admin.is_org_admin:
        raise ActionError("Only organisation admins can choose who may join.", status=403)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation_id_of(admin))
        before = [d.lower() for d in org.email_domains]
        wanted = list(dict.fromkeys(d.strip().lower() for d in domains if d.strip()))
        if len(wanted) > MAX_EMAIL_DOMAINS:
            raise ActionError(f"Open at most {MAX_EMAIL_DOMAINS} domains.", field="domains")
        for domain in wanted:
            if domain in before:
                continue
            check_email_domain(domain, org)
            if not _has_confirmed(admin, domain):
                raise ActionError(
                    f"Confirm an address at {domain} first: only someone who reads mail there "
                    "can open it. Invite those colleagues by email meanwhile.",
                    field="domains",
                )
        if wanted != before:
            org.email_domains = wanted
            org.save(update_fields=["email_domains"])
            record(Verb.JOINING_CHANGED, actor=admin, obj=org, context={"domains": wanted})
            audit.record(
                Action.JOINING_CHANGED, actor=admin, target=org.slug, details={"domains": wanted}
            )
    return org


def unique_handle(organisation: Organisation, name: str, email: str) -> str:
    """Return a handle for a new person that no one in the organisation has yet."""
    base = slugify(name).replace("-", ".")[:50] or slugify(email.split("@")[0])[:50] or "person"
    taken = set(
        Profile.objects.filter(organisation=organisation, handle__startswith=base).values_list(
            "handle", flat=True
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def do_add_person(
    organisation: Organisation,
    *,
    email: str,
    name: str,
    password: str | None = None,
    role: str = User.Role.MEMBER,
    user: User | None = None,
    **profile: Any,
) -> User:
    """Add a person to an organisation with a profile; record that they joined.

    ``user`` is an account allauth has just built (sign-up, single sign-on); otherwise one is
    created here (demo, admin tools, tests).
    """
    email = email.strip().lower()
    if not name.strip():
        raise ActionError("Please give a name.", field="name")
    with transaction.atomic():
        if user is None:
            if User.objects.filter(email__iexact=email).exists():
                raise ActionError("Someone already has an account with this email.", "email")
            user = User.objects.create_user(
                email=email, password=password, organisation=organisation, role=role
            )
            # Added by an admin or the demo, not signed up: the address is taken as known.
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        else:
            user.organisation = organisation
            user.role = role
            user.save(update_fields=["organisation", "role"])
        person = Profile(
            user=user,
            organisation=organisation,
            handle=unique_handle(organisation, name, email),
            name=name.strip(),
        )
        person.save()
        if profile:
            _apply_profile(person, profile, new_skill_limit=None)
        record(Verb.JOINED, actor=user, organisation=organisation, obj=person)
    return user


def check_invitation(token: str) -> Invitation:
    """Return the usable invitation with this token, or say why it cannot be used."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise ActionError("This invitation link is not valid.", field="token", status=404)
    if invitation.accepted_at is not None:
        raise ActionError("This invitation has already been used.", field="token", status=410)
    if not invitation.is_usable():
        raise ActionError("This invitation has expired; ask for a new one.", "token", status=410)
    return invitation


def do_invite(inviter: User, email: str, role: str = User.Role.MEMBER) -> Invitation:
    """Invite someone to the inviter's organisation (organisation admins only)."""
    if not inviter.is_org_admin:
        raise ActionError("Only organisation admins can invite people.", status=403)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ActionError("Enter a valid email address.", field="email") from None
    if role not in User.Role.values:
        raise ActionError(f"Role must be one of {', '.join(User.Role.values)}.", field="role")
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ActionError("Someone already has an account with this email.", field="email")
        invitation = Invitation.objects.create(
            organisation=organisation_of(inviter), email=email, role=role, invited_by=inviter
        )
        record(Verb.INVITED, actor=inviter, obj=invitation, context={"email": email})
        audit.record(Action.INVITED, actor=inviter, target=email, details={"role": role})
        transaction.on_commit(functools.partial(send_invitation.enqueue, invitation.pk))
    return invitation


def do_accept_invitation(invitation: Invitation, user: User, name: str) -> User:
    """Join the invitation's organisation with a freshly built account."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable():
            raise ActionError("This invitation has already been used or has expired.", "token")
        if user.email.lower() != locked.email.lower():
            raise ActionError("Sign up with the address the invitation was sent to.", "email")
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        return do_add_person(
            locked.organisation, email=user.email, name=name, role=locked.role, user=user
        )


#: How many skills one list (offers, wants, a goal's or a post's skills) may name.
MAX_SKILLS_PER_LIST = 20
#: How many of those may be new to the organisation: skills are seen organisation-wide, so
#: one request may add only a few (the rest must be skills colleagues already use).
MAX_NEW_SKILLS_PER_REQUEST = 5
MAX_LANGUAGES = 20


def _resolve_skills(
    organisation: Organisation,
    names: Iterable[str],
    field: str = "skills",
    new_limit: int | None = MAX_NEW_SKILLS_PER_REQUEST,
) -> list[Skill]:
    """Return the organisation's skills of these names, creating the few that are new
    (``new_limit`` None: as many as named, for an organisation's own set-up)."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:80]
        slug = slugify(name)[:90]
        if slug:
            wanted.setdefault(slug, name)
    if len(wanted) > MAX_SKILLS_PER_LIST:
        raise ActionError(f"Please name at most {MAX_SKILLS_PER_LIST} skills.", field=field)
    known = {
        skill.slug: skill
        for skill in Skill.objects.filter(organisation=organisation, slug__in=wanted)
    }
    if new_limit is not None and len(wanted) - len(known) > new_limit:
        raise ActionError(
            f"At most {MAX_NEW_SKILLS_PER_REQUEST} skills new to your organisation at a time; "
            "choose from the skills colleagues already use for the rest.",
            field=field,
        )
    skills = []
    for slug, name in wanted.items():
        skill = known.get(slug)
        if skill is None:
            skill, _ = Skill.objects.get_or_create(
                organisation=organisation, slug=slug, defaults={"name": name}
            )
        skills.append(skill)
    return skills


def _apply_profile(
    person: Profile,
    changes: dict[str, Any],
    new_skill_limit: int | None = MAX_NEW_SKILLS_PER_REQUEST,
) -> list[str]:
    """Validate and apply profile changes; return the names of the fields that changed."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ActionError(f"Unknown profile field {sorted(unknown)[0]!r}.", sorted(unknown)[0])
    org = person.organisation
    changed: list[str] = []
    simple: dict[str, Any] = {}
    for field, value in changes.items():
        if field in {"offers", "wants"}:
            continue
        if field == "name" and not str(value).strip():
            raise ActionError("Please give a name.", field="name")
        if field == "timezone":
            try:
                validate_timezone(value)
            except Exception:
                raise ActionError(
                    f"{value!r} is not a time zone name such as Europe/London.", "timezone"
                ) from None
        if field == "department" and value is not None and not isinstance(value, Department):
            value, _ = Department.objects.get_or_create(organisation=org, name=str(value).strip())
        if field == "department" and value is not None and value.organisation_id != org.pk:
            raise ActionError("No such department.", field="department")
        if field == "manager" and value is not None:
            if value.organisation_id != org.pk:
                raise ActionError("No such colleague.", field="manager")
            fresh = Profile.objects.select_related("manager").get(pk=value.pk)
            if value.pk == person.pk or person in fresh.manager_chain():
                raise ActionError("That would make a loop of managers.", field="manager")
        if field == "languages":
            value = [str(v).strip() for v in value if str(v).strip()]
            if len(value) > MAX_LANGUAGES or any(len(v) > 40 for v in value):
                raise ActionError(
                    f"Please list at most {MAX_LANGUAGES} languages of up to 40 characters.",
                    field="languages",
                )
        if field == "mentoring_capacity" and not (0 <= int(value) <= 20):
            raise ActionError("Mentoring capacity must be between 0 and 20.", field=field)
        simple[field] = value
    for field, value in simple.items():
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    for field in ("offers", "wants"):
        if field in changes:
            skills = _resolve_skills(org, changes[field], field, new_skill_limit)
            manager = getattr(person, field)
            if {s.pk for s in manager.all()} != {s.pk for s in skills}:
                manager.set(skills)
                changed.append(field)
    return changed


def do_update_profile(user: User, **changes: Any) -> Profile:
    """Change a person's own profile and record which fields changed."""
    with transaction.atomic():
        person = Profile.objects.select_for_update().get(user=user)
        changed = _apply_profile(person, changes)
        if changed:
            record(Verb.PROFILE_UPDATED, actor=user, obj=person, context={"fields": changed})
    return person


def do_set_role(admin: User, member: User, role: str) -> None:
    """Make a member an admin or back (organisation admins only, never oneself)."""
    if not admin.is_org_admin or admin.organisation_id != member.organisation_id:
        raise ActionError("Only organisation admins can change roles.", status=403)
    if role not in User.Role.values:
        raise ActionError(f"Role must be one of {', '.join(User.Role.values)}.", field="role")
    if admin.pk == member.pk:
        raise ActionError("Ask another admin to change your own role.", field="role")
    with transaction.atomic():
        member.role = role
        member.save(update_fields=["role"])
        record(Verb.ROLE_CHANGED, actor=admin, subject=member, context={"role": role})
        audit.record(Action.ROLE_CHANGED, actor=admin, target=member, details={"role": role})


def do_create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; return it and the secret, which is shown only once."""
    if user.organisation_id is None:
        raise ActionError("API tokens are for members of an organisation.", status=403)
    name = name.strip()
    if not name:
        raise ActionError("Give the token a name, such as 'reporting script'.", field="name")
    raw = "cairn_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        try:
            token = ApiToken.objects.create(user=user, name=name[:80], **ApiToken.key_fields(raw))
        except IntegrityError:  # pragma: no cover - a 256-bit collision
            raise ActionError("Please try again.") from None
        record(Verb.TOKEN_CREATED, actor=user, obj=token, context={"name": token.name})
        audit.record(Action.TOKEN_CREATED, actor=user, target=token.name, details={"id": token.pk})
    return token, raw


def do_revoke_api_token(token: ApiToken) -> None:
    """Delete a personal API token so it stops working at once."""
    with transaction.atomic():
        record(Verb.TOKEN_REVOKED, actor=token.user, obj=token, context={"name": token.name})
        audit.record(Action.TOKEN_REVOKED, actor=token.user, target=token.name)
        token.delete()


# Single sign-on (appended; kept together so the section reads on its own).
from allauth.socialaccount.models import SocialApp  # noqa: E402
from django.core.validators import URLValidator  # noqa: E402

from cairn.people.models import SsoConnection  # noqa: E402
from cairn.people.sso import check_certificate, provider_id_for  # noqa: E402

SSO_FIELDS = {
    "oidc": {"server_url": "server URL", "client_id": "client ID", "secret": "client secret"},
    "saml": {"entity_id": "entity ID", "sso_url": "sign-on URL", "x509cert": "certificate"},
}


def _check_https_url(value: str, field: str) -> str:
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        raise ActionError("Enter a full https:// address.", field=field) from None
    return value


def do_configure_sso(admin: User, kind: str, **config: str) -> SsoConnection:
    """Connect the admin's organisation to its OIDC or SAML identity provider, or update it.

    OIDC takes ``server_url``, ``client_id`` and ``secret`` (blank keeps the saved secret); SAML
    takes ``entity_id``, ``sso_url`` and ``x509cert``. Secrets never reach the ledger.
    """
    if not admin.is_org_admin:
        raise ActionError("Only organisation admins can set up single sign-on.", status=403)
    if kind not in SSO_FIELDS:
        raise ActionError("Single sign-on is either 'oidc' or 'saml'.", field="kind")
    unknown = set(config) - set(SSO_FIELDS[kind])
    if unknown:
        raise ActionError(f"Unknown setting {sorted(unknown)[0]!r}.", sorted(unknown)[0])
    values = {key: str(config.get(key) or "").strip() for key in SSO_FIELDS[kind]}
    org = admin.organisation
    assert org is not None
    with transaction.atomic():
        existing = (
            SsoConnection.objects.select_for_update()
            .select_related("social_app")
            .filter(organisation=org, kind=kind)
            .first()
        )
        for key, label in SSO_FIELDS[kind].items():
            if not values[key] and not (key == "secret" and existing is not None):
                raise ActionError(f"Please give the {label}.", field=key)
        app = existing.social_app if existing else SocialApp(name=f"{org.name} single sign-on")
        app.provider_id = provider_id_for(org, kind)
        if kind == SsoConnection.Kind.OIDC:
            app.provider = "openid_connect"
            app.client_id = values["client_id"][:191]
            if values["secret"]:
                app.secret = values["secret"][:191]
            app.settings = {
                "server_url": _check_https_url(values["server_url"], "server_url"),
                "hidden": True,
            }
            context = {"server_url": values["server_url"], "client_id": app.client_id}
        else:
            app.provider = "saml"
            app.client_id = org.slug  # the organisation slug in allauth's /saml/<slug>/ URLs
            try:
                certificate = check_certificate(values["x509cert"])
            except ValueError as error:
                raise ActionError(str(error), field="x509cert") from None
            app.settings = {
                "idp": {
                    "entity_id": values["entity_id"][:300],
                    "sso_url": _check_https_url(values["sso_url"], "sso_url"),
                    "x509cert": certificate,
                },
                # The identity provider is the organisation's own directory.
                "verified_email": True,
                "hidden": True,
            }
            context = {"entity_id": values["entity_id"], "sso_url": values["sso_url"]}
        app.save()
        connection = existing or SsoConnection.objects.create(
            organisation=org, kind=kind, social_app=app
        )
        record(
            Verb.SSO_CONFIGURED,
            actor=admin,
            obj=connection,
            context={"kind": kind, "created": existing is None, **context},
        )
        audit.record(
            Action.SSO_CHANGED, actor=admin, target=kind, details={"created": existing is None}
        )
    return connection

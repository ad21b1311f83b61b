"""Forms for the people pages; each maps onto one action's arguments."""

from django import forms

from cairn.fields import CommaSeparated
from cairn.people.models import Department, Profile, validate_timezone
from cairn.people.pickers import PersonField


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=120)
    title = forms.CharField(max_length=120, required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)
    location = forms.CharField(max_length=120, required=False)
    timezone = forms.CharField(
        max_length=64, validators=[validate_timezone], help_text="For example Europe/London."
    )
    languages = CommaSeparated(help_text="Separated by commas.")
    bio = forms.CharField(widget=forms.Textarea, required=False, max_length=2000)
    offers = CommaSeparated(
        label="Skills and topics I can help with",
        help_text="Separated by commas, e.g. SQL, public speaking.",
    )
    wants = CommaSeparated(label="Skills I want to grow", help_text="Separated by commas.")
    open_to_mentor = forms.BooleanField(required=False, label="I am open to mentoring others")
    open_to_be_mentored = forms.BooleanField(required=False, label="I would like a mentor")
    open_to_peer = forms.BooleanField(required=False, label="I am open to a peer partnership")
    mentoring_capacity = forms.IntegerField(
        min_value=0, max_value=20, label="How many people I can mentor at a time"
    )

    def __init__(self, *args: object, profile: Profile, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        org = profile.organisation
        self.fields["department"].queryset = Department.objects.filter(organisation=org)  # type: ignore[attr-defined]
        self.fields["manager"] = PersonField(chooser=profile.user, required=False)
        self.order_fields(["name", "title", "department", "manager"])

    @classmethod
    def initial_for(cls, profile: Profile) -> dict[str, object]:
        return {
            "name": profile.name,
            "title": profile.title,
            "department": profile.department,
            "manager": profile.manager,
            "location": profile.location,
            "timezone": profile.timezone,
            "languages": profile.languages,
            "bio": profile.bio,
            "offers": [s.name for s in profile.offers.all()],
            "wants": [s.name for s in profile.wants.all()],
            "open_to_mentor": profile.open_to_mentor,
            "open_to_be_mentored": profile.open_to_be_mentored,
            "open_to_peer": profile.open_to_peer,
            "mentoring_capacity": profile.mentoring_capacity,
        }


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[("member", "Member"), ("admin", "Organisation admin")])


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for.")


class SignupExtraForm(forms.Form):
    """The fields Cairn adds to allauth's sign-up form."""

    name = forms.CharField(max_length=120, label="Your name", help_text="As colleagues know you.")

    def signup(self, request: object, user: object) -> None:
        """Joining happens in the account adapter, inside the same transaction."""


class StartOrganisationForm(forms.Form):
    """What the start page asks before the founder signs up (``check_new_organisation``)."""

    name = forms.CharField(max_length=120, label="Your organisation's name")
    slug = forms.SlugField(
        max_length=50,
        label="Short name",
        help_text="Lowercase letters, digits and hyphens, such as acme-learning.",
    )
    open_domain = forms.BooleanField(
        required=False,
        initial=True,
        label="Let colleagues with an address at my email's domain join without an invitation",
        help_text="Once you have confirmed your address. Not for public mail such as gmail.com.",
    )


class EmailDomainsForm(forms.Form):
    domains = CommaSeparated(
        max_length=1000,
        label="Email domains that may join",
        help_text="Separated by commas, such as acme.com. Leave empty to join by invitation only.",
    )

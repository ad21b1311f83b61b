"""Django admin for platform staff: organisations, people and their accounts.

Day-to-day changes belong to organisation admins through Cairn's own pages and actions (which
record ledger events); this admin is for staff support work, so it is mostly for looking.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from cairn.people.models import (
    ApiToken,
    Department,
    Invitation,
    Organisation,
    Profile,
    Skill,
    SsoConnection,
    User,
)

# Staff sign in through allauth too, so throttling and two-step sign-in apply to the admin.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Cairn staff admin"
admin.site.site_title = "Cairn admin"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at", "show_trust_numbers")
    search_fields = ("name", "slug")
    readonly_fields = ("created_at",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "organisation", "role", "is_active", "is_staff", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("email", "profile__name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Organisation", {"fields": ("organisation", "role")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "handle", "organisation", "title", "department")
    list_filter = ("organisation",)
    list_select_related = ("organisation", "department")
    search_fields = ("name", "handle", "user__email")
    raw_id_fields = ("user", "manager", "department")
    filter_horizontal = ("offers", "wants")
    readonly_fields = ("updated_at",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name",)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name", "slug")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("organisation", "role")
    list_select_related = ("organisation",)
    search_fields = ("email",)
    # The token is the secret in the invitation link: never shown.
    exclude = ("token",)
    readonly_fields = ("invited_by", "created_at", "accepted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are made by organisation admins, through do_invite


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at")
    search_fields = ("name", "prefix", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by their owner, who alone sees the secret


@admin.register(SsoConnection)
class SsoConnectionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "social_app")
    list_filter = ("kind",)
    list_select_related = ("organisation", "social_app")
    readonly_fields = ("organisation", "kind", "social_app")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # organisation admins connect single sign-on at /organisation/sso/

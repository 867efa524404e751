from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from stpkit.web.accounts.models import User


@admin.register(User)
class StpkitUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Partnership", {"fields": ("role", "organisation")}))  # type: ignore[misc]

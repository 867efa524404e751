"""Login, logout, password change and the user list (administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role, roles_required


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.jinja"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.jinja"


def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; POST (with CSRF token) logs out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have logged out.")
        return redirect("accounts:login")
    return render(request, "accounts/logout.jinja")


@roles_required(Role.ADMINISTRATOR)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("role", "username")
    return render(request, "accounts/users.jinja", {"users": users})


@login_not_required
def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes after too many failed logins."""
    return render(request, "accounts/locked_out.jinja", status=429)

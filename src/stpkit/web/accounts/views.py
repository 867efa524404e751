"""Login, logout, password change and reset, and user administration (administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from stpkit.web.accounts import services
from stpkit.web.accounts.forms import NewUserForm, ResetForm, UserForm
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


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to set a new password, by e-mail address (the answer is the same
    whether or not an account has that address)."""

    form_class = ResetForm
    template_name = "accounts/password_reset_form.jinja"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.jinja"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"


def _send_link(request: HttpRequest, user: User, *, welcome: bool) -> None:
    services.send_password_link(
        user=user,
        protocol="https" if request.is_secure() else "http",
        domain=request.get_host(),
        welcome=welcome,
    )


@roles_required(Role.ADMINISTRATOR)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("-is_active", "role", "username")
    return render(request, "accounts/users.jinja", {"users": users})


@roles_required(Role.ADMINISTRATOR)
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(actor=request.user, user=form.save(commit=False))
        _send_link(request, user, welcome=True)
        messages.success(
            request,
            f"{user.display_name} can now log in as {user.username} once they set a password: "
            f"the link is on its way to {user.email}.",
        )
        return redirect("accounts:users")
    return render(request, "accounts/user_form.jinja", {"form": form, "new": True})


@roles_required(Role.ADMINISTRATOR)
def user_edit(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    form = UserForm(request.POST or None, instance=user)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                actor=request.user, user=form.save(commit=False), changed=form.changed_data
            )
        except services.UserAdminError as exc:
            problem = str(exc)
            user.refresh_from_db()
        else:
            messages.success(request, f"Saved {user.display_name} ({user.username}).")
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.jinja",
        {"form": form, "new": False, "person": user, "problem": problem},
    )


@roles_required(Role.ADMINISTRATOR)
def user_reset(request: HttpRequest, username: str) -> HttpResponse:
    """GET asks for confirmation; POST e-mails the person a link to set a new password."""
    user = get_object_or_404(User, username=username)
    problem = ""
    if request.method == "POST":
        try:
            _send_link(request, user, welcome=False)
        except services.UserAdminError as exc:
            problem = str(exc)
        else:
            messages.success(request, f"A password reset link is on its way to {user.email}.")
            return redirect("accounts:users")
    return render(request, "accounts/user_reset.jinja", {"person": user, "problem": problem})


@login_not_required
def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes after too many failed logins."""
    return render(request, "accounts/locked_out.jinja", status=429)

"""Django's password forms, saving through the accounts action so each change is audited."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User

from pathwise.accounts.actions import set_password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        set_password(self.user, self.cleaned_data["new_password1"], how="changed")
        return self.user


class SetPasswordForm(auth_forms.SetPasswordForm[AbstractBaseUser]):
    """The form behind the e-mailed reset link."""

    def save(self, commit: bool = True) -> AbstractBaseUser:
        set_password(self.user, self.cleaned_data["new_password1"], how="reset")
        return self.user

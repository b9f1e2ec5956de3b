"""Second factor (TOTP) for reviewers and committee members, and a throttled admin login."""

import hashlib

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.forms.auth import LoginForm

THROTTLED = "登录失败次数过多，请稍后再试。"


def _setting(name, default):
    return getattr(settings, name, default)


def throttle_key(username: str, client: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{client}".encode()).hexdigest()
    return f"login-failures:{digest}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class ThrottledLoginForm(LoginForm):
    """Counts failed logins per username and client; the same answer for known and unknown
    users, and past the limit the same refusal for both, without checking the password."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        key = throttle_key(username, client_address(self.request))
        limit = _setting("SUNSHINE_LOGIN_FAILURE_LIMIT", 5)
        if cache.get(key, 0) >= limit:
            make_password(self.cleaned_data.get("password") or "")  # same work either way
            raise forms.ValidationError(THROTTLED, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            window = _setting("SUNSHINE_LOGIN_FAILURE_WINDOW", 15 * 60)
            cache.add(key, 0, window)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, window)
            raise
        cache.delete(key)
        return cleaned


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="动态口令", regex=r"^\d{6}$", error_messages={"invalid": "请输入6位数字口令。"}
    )


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def second_factor_view(request):
    """Enrol a TOTP device (shows the secret and a QR code) or verify this session."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "二次验证已完成，本次登录期间可以审批。")
            return redirect("wagtailadmin_home")
        form.add_error("token", "口令不正确或已过期，请重试。")
    context = {
        "form": form,
        "enrolling": enrolling,
        "verified": bool(getattr(user, "is_verified", lambda: False)()),
    }
    if enrolling:
        context["secret"] = _base32(device)
        context["qr_svg"] = mark_safe(qr_svg(device.config_url))  # noqa: S308 - our own SVG
    return TemplateResponse(request, "publications/second_factor.html", context)


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()

"""The design system's template helpers (docs/design-system.md): one date format, one status badge.

    {% load ui %}
    {{ store.created_at|when }}        → <time datetime="2026-11-30T14:05:00+00:00" title="3 hours ago">
                                          30 Nov 2026, 14:05</time>
    {{ key.expires_at|when:"date" }}   → <time datetime="2026-11-30" title="in 2 days">30 Nov 2026</time>
    {% status_badge "active" %}        → <span class="badge ok">Active</span>
    {% status_badge run.status label=run.get_status_display %}
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil

register = template.Library()

DATETIME_FORMAT = "j M Y, H:i"   # 30 Nov 2026, 14:05
DATE_FORMAT = "j M Y"            # 30 Nov 2026

# Status word → badge variant. Anything else is neutral.
BADGE_VARIANTS = {
    "ok": {"active", "allowed", "visible", "enabled", "on", "yes", "ok", "success", "succeeded", "delivered",
           "done", "completed", "approved", "executed", "granted", "valid", "healthy"},
    "warn": {"pending", "masked", "ignored", "report_only", "report-only", "waiting", "awaiting_approval",
             "expiring", "partial", "skipped", "retrying", "stale", "held", "paused"},
    "info": {"queued", "running", "new", "scheduled", "in_progress", "builtin", "built-in", "default",
             "custom", "test"},
    "bad": {"failed", "failure", "error", "denied", "revoked", "rejected", "hidden", "expired", "blocked",
            "locked", "mismatch", "invalid", "deleted", "cancelled_with_errors"},
}
_VARIANT_OF = {word: variant for variant, words in BADGE_VARIANTS.items() for word in words}


def relative(value, now=None) -> str:
    """Returns `value` relative to now in words: "3 hours ago", "in 2 days", "just now"."""
    if isinstance(value, datetime.datetime):
        now = now or timezone.now()
        if timezone.is_naive(value) and timezone.is_aware(now):
            value = timezone.make_aware(value, timezone.get_current_timezone())
    else:
        now = now or timezone.localdate()
    if value <= now:
        words = timesince(value, now, depth=1)
        if words.startswith("0\xa0"):
            return "just now" if isinstance(value, datetime.datetime) else "today"
        return f"{words} ago".replace("\xa0", " ")
    return f"in {timeuntil(value, now, depth=1)}".replace("\xa0", " ")


@register.filter(is_safe=True)
def when(value, mode: str = "datetime"):
    """Renders a date or datetime as <time> in the one format of the site, relative time as its title.
    `mode` "date" shows the day only. None renders as an em dash."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        shown = dateformat.format(local, DATE_FORMAT if mode == "date" else DATETIME_FORMAT)
        machine = local.isoformat(timespec="seconds")
    elif isinstance(value, datetime.date):
        shown = dateformat.format(value, DATE_FORMAT)
        machine = value.isoformat()
    else:
        return str(value)
    return format_html('<time datetime="{}" title="{}">{}</time>', machine, relative(value), shown)


@register.filter(name="relative")
def relative_filter(value) -> str:
    """Only the relative words ("3 hours ago") of a date or datetime; empty for None."""
    if value in (None, ""):
        return ""
    return relative(value)


def badge_variant(status) -> str:
    """Returns the badge variant (ok, warn, info, bad or "") of a status word."""
    if status is True:
        return "ok"
    if status is False or status is None:
        return ""
    return _VARIANT_OF.get(str(status).strip().lower().replace(" ", "_"), "")


@register.simple_tag
def status_badge(status, label=None, variant=None):
    """Renders `status` as the one badge of the site; `label` overrides the words, `variant` the colour."""
    if label in (None, ""):
        if status is True:
            label = "Yes"
        elif status is False or status is None:
            label = "No"
        else:
            text = str(status).replace("_", " ")
            label = text[:1].upper() + text[1:]
    chosen = badge_variant(status) if variant is None else variant
    return format_html('<span class="badge{}">{}</span>', f" {chosen}" if chosen else "", label)

"""``{% letter_files letter as files %}``: the files of a letter as the current user may open them (the
redacted copies only, for someone not entitled to a protected letter's originals). Used by
``complaints/files/_list.html``."""

from __future__ import annotations

from django import template

from complaints import services

register = template.Library()


@register.simple_tag(takes_context=True)
def letter_files(context, letter):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or letter is None:
        return {"files": [], "entitled": False}
    return {
        "files": services.letter_files_visible(user, letter),
        "entitled": bool(letter.protected) and services.letter_entitled(user, letter),
    }

"""``{{ text|markdown }}``: the one way a person's writing is shown on a page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from cairn.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text: str | None) -> SafeString:
    """Return ``text`` rendered from Markdown and sanitised (see ``cairn.markdown``)."""
    return mark_safe(render_markdown(str(text or "")))  # noqa: S308  # nosec B308 B703 - sanitised by nh3 in render_markdown

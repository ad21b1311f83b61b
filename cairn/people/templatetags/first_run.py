"""``{% first_run_checklist %}``: the new admin's checklist, wherever a page shows it."""

from typing import Any

from django import template

from cairn.people.first_run import first_run_steps

register = template.Library()


@register.inclusion_tag("people/_first_run.html", takes_context=True)
def first_run_checklist(context: template.Context) -> dict[str, Any]:
    """Render the signed-in admin's first-run checklist (nothing for anyone else)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    steps = first_run_steps(user) if user is not None and user.is_authenticated else []
    return {"steps": steps, "done": sum(step.done for step in steps)}

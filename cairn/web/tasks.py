"""Background work of the web app: the worker's heartbeat."""

from django.tasks import task


@task()
def heartbeat() -> str:
    """Do nothing but finish, so that the health check can see a worker taking work."""
    return "ok"

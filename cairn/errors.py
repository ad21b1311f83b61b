"""The error every action raises when its input cannot be accepted."""


class ActionError(Exception):
    """Input an action refuses: ``field`` names what was wrong (or None), ``message`` says why.

    Views turn it into a form error, the API into a 422 with the field, the CLI into exit 2.
    ``retry_after`` (seconds) says when a refused limit frees up; a 429 sends it as Retry-After.
    """

    def __init__(
        self,
        message: str,
        field: str | None = None,
        status: int = 422,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after

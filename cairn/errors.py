"""The error every action raises when its input cannot be accepted."""


class ActionError(Exception):
    """Input an action refuses: ``field`` names what was wrong (or None), ``message`` says why.

    Views turn it into a form error, the API into a 422 with the field, the CLI into exit 2.
    """

    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status

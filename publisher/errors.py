"""The one exception type the CLI turns into a one-line message and a non-zero exit."""


class PublisherError(Exception):
    """A problem with the user's input or environment, reported without a traceback.

    ``code`` is the process exit status the CLI uses (1 by default, 2 for usage / I/O
    errors where a command documents that distinction).
    """

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message

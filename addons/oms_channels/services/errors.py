"""Errors raised by every channel connector (REST, SOAP, ...), so callers handle all channels the same way."""


class ConnectorError(Exception):
    """A channel call failed. ``transient`` tells whether trying again later may succeed (network trouble, server
    errors) or whether someone has to fix something first."""

    def __init__(self, message: str, *, transient: bool = True, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


class ConnectorConfigurationError(ConnectorError):
    """The channel refused the call because of how the connector is set up (API key, URL, unsupported operation):
    retrying cannot help."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message, transient=False, status=status)

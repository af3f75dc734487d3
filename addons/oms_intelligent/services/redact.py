"""Messages that users read never hold a secret: API keys, tokens and accounts, nor a service's URL, which only
managers may see (it may carry a token in its query or credentials before its host, and names a host that is
nobody else's business). The clients of outside services pass their messages, and whatever the service answered,
through :func:`redact` with :func:`url_secrets` of their URL.

Plain Python: the channel connectors, carrier clients and the returns provider's client share it.
"""

from urllib.parse import urlsplit

MASK = "***"
# Shorter values are not masked: they would garble every message and are guessed anyway.
MIN_SECRET_LENGTH = 3


def url_secrets(url: str | None) -> tuple[str, ...]:
    """The forms in which a service URL may show up in a message: whole, without its query, its host and port,
    its host, the credentials and query it may carry."""
    if not url:
        return ()
    forms = {url, url.rstrip("/")}
    try:
        parts = urlsplit(url)
        hostname, password = parts.hostname, parts.password
    except ValueError:  # a malformed URL (bad IPv6 host or port): the whole string is masked all the same
        return tuple(forms)
    forms.add(parts._replace(query="", fragment="").geturl())
    forms.update(filter(None, (parts.netloc, hostname, password, parts.query)))
    return tuple(forms)


def redact(text: str, secrets) -> str:
    """``text`` with every secret (API key, token, URL form...) replaced by ``***``; empty ones are ignored."""
    for secret in sorted({secret for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH}, key=len)[::-1]:
        text = text.replace(secret, MASK)
    return text

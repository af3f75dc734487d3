"""Messages never hold a secret nor a manager-only URL (plain pytest)."""

from odoo.addons.oms_intelligent.services.redact import redact, url_secrets

URL = "https://shop:p4ssw0rd@api.example.com:8443/v2/?token=t0k3n-abc"


def test_every_form_of_the_url_is_masked():
    for text in (
        f"cannot reach {URL}",
        "cannot reach https://shop:p4ssw0rd@api.example.com:8443/v2/",
        "HTTPSConnectionPool(host='api.example.com', port=8443)",
        "shop:p4ssw0rd@api.example.com:8443 refused",
        "the query was token=t0k3n-abc",
    ):
        masked = redact(text, url_secrets(URL))
        for secret in ("api.example.com", "p4ssw0rd", "t0k3n-abc"):
            assert secret not in masked, (text, masked)


def test_keys_are_masked_and_the_rest_of_the_message_kept():
    assert redact("key sk-live-123 refused for account ACC-9", ["sk-live-123", "ACC-9"]) == (
        "key *** refused for account ***"
    )


def test_empty_and_tiny_secrets_are_ignored():
    assert redact("a b", ["", None, "a"]) == "a b"
    assert url_secrets("") == ()
    assert url_secrets(None) == ()


def test_a_malformed_url_is_masked_whole():
    assert redact("see http://[::1 now", url_secrets("http://[::1")) == "see *** now"

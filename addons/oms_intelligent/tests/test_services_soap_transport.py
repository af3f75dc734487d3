"""zeep clients that read nothing but http(s) (plain pytest, no database): a WSDL that imports, includes or redirects
to a local file, or whose service lives at a file:// address, is refused before any local file is opened."""

import pytest
import zeep

from odoo.addons.oms_intelligent.services.soap_transport import ForbiddenLocation, http_only_client
from odoo.addons.oms_intelligent.stand_ins.hostile_soap import (
    HOSTILE_CASES,
    LocalHostileWsdl,
    recording_local_reads,
)

TRAPS_IN_THE_WSDL = sorted(set(HOSTILE_CASES) - {"harmless", "file_address"})


@pytest.fixture(scope="module")
def hostile():
    with LocalHostileWsdl() as server:
        yield server


def test_the_harmless_service_answers(hostile):
    assert http_only_client(hostile.url_of("harmless"), 5).service.Ping(apiKey="key").partner == "Hostile"


def test_zeep_alone_reads_the_local_file_a_wsdl_imports(hostile):
    """Why the guard is needed: zeep's own transport opens what the WSDL names."""
    with recording_local_reads() as reads, pytest.raises(zeep.exceptions.Error):
        zeep.Client(hostile.url_of("xsd_import"))
    assert reads == ["file:///etc/passwd"]


@pytest.mark.parametrize("case", TRAPS_IN_THE_WSDL)
def test_a_wsdl_referring_to_a_local_file_is_refused_unread(hostile, case):
    with recording_local_reads() as reads, pytest.raises(ForbiddenLocation, match="only http:// and https://"):
        http_only_client(hostile.url_of(case), 5)
    assert reads == []


def test_a_redirect_to_a_local_file_is_refused_unread(hostile):
    with recording_local_reads() as reads, pytest.raises(ForbiddenLocation, match="a file: URL"):
        http_only_client(hostile.redirect_url, 5)
    assert reads == []


def test_a_service_at_a_file_address_is_not_called(hostile):
    client = http_only_client(hostile.url_of("file_address"), 5)
    with recording_local_reads() as reads, pytest.raises(ForbiddenLocation):
        client.service.Ping(apiKey="key")
    assert reads == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "FILE:///etc/passwd", "/etc/passwd", "~/.ssh/id_rsa", "ftp://127.0.0.1/x", "", None]
)
def test_a_wsdl_url_that_is_not_http_is_refused_unread(url):
    with recording_local_reads() as reads, pytest.raises(ForbiddenLocation):
        http_only_client(url, 5)
    assert reads == []


def test_the_refusal_never_names_the_location(hostile):
    with pytest.raises(ForbiddenLocation) as caught:
        http_only_client(hostile.url_of("xsd_import"), 5)
    assert "passwd" not in str(caught.value)
    assert "127.0.0.1" not in str(caught.value)

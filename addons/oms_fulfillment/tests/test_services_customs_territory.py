"""Which shipments need customs data: outside the EU, and to or from Spain's territories outside the EU VAT area
(plain pytest, no database)."""

import pytest

from odoo.addons.oms_fulfillment.services.customs_territory import customs_territory, needs_customs


@pytest.mark.parametrize(
    ("country", "postcode", "territory"),
    [
        ("ES", "28001", "EU"),  # Madrid
        ("ES", "07001", "EU"),  # Palma: the Balearic Islands are in the VAT area
        ("ES", "35001", "IC"),  # Las Palmas de Gran Canaria
        ("ES", "38001", "IC"),  # Santa Cruz de Tenerife
        ("ES", "51001", "XC"),  # Ceuta
        ("ES", "52001", "XL"),  # Melilla
        ("es", " 35001 ", "IC"),
        ("PT", "1100-148", "EU"),
        ("FR", "35000", "EU"),  # Rennes: a French 35 is not the Canaries
        ("CH", "8001", "CH"),
        ("GB", "SW1A 1AA", "GB"),
        ("ES", "", "EU"),
        ("", "35001", ""),
    ],
)
def test_the_territory_of_an_address(country, postcode, territory):
    assert customs_territory(country, postcode) == territory


@pytest.mark.parametrize(
    ("origin", "destination", "customs"),
    [
        (("ES", "28021"), ("ES", "41004"), False),  # Madrid -> Sevilla
        (("ES", "28021"), ("PT", "1100-148"), False),  # Madrid -> Lisboa
        (("ES", "28021"), ("CH", "8001"), True),  # Madrid -> Zürich
        (("ES", "28021"), ("ES", "35001"), True),  # Madrid -> Las Palmas
        (("ES", "35001"), ("ES", "28021"), True),  # and back
        (("DE", "10115"), ("ES", "38001"), True),  # Berlin -> Tenerife
        (("ES", "28021"), ("ES", "51001"), True),  # Madrid -> Ceuta
        (("ES", "28021"), ("ES", "52001"), True),  # Madrid -> Melilla
        (("ES", "51001"), ("ES", "52001"), True),  # Ceuta -> Melilla: two territories
        (("ES", "35001"), ("ES", "38001"), False),  # Gran Canaria -> Tenerife: one territory
        (("ES", "35001"), ("CH", "8001"), True),
        (("CH", "8001"), ("CH", "3000"), False),
        (("ES", "28021"), ("", ""), False),  # no destination: nothing to declare for
    ],
)
def test_which_shipments_need_customs_data(origin, destination, customs):
    assert needs_customs(*origin, *destination) is customs

"""Whether goods moving between two addresses cross a customs or VAT border, and so need customs data (the lines of a
commercial invoice: HS code, origin, value). Plain Python, for every carrier.

The EU's VAT area is its member states less some territories that are in a member state but outside it (Council
Directive 2006/112/EC, article 6). The ones a Spanish warehouse ships to are Spain's: the Canary Islands (IGIC, not
VAT), Ceuta and Melilla (IPSI), recognised by their postcode's province (35 Las Palmas and 38 Santa Cruz de
Tenerife, 51 Ceuta, 52 Melilla). A parcel between the mainland and one of them, either way, or between one of them
and another EU country, is declared as an export: Correos wants its customs declaration (its official module's
``NeedCustoms`` applies this same rule) and DHL Express a dutiable shipment (``isCustomsDeclarable``). The two
Canary provinces are one territory (no customs between Las Palmas and Tenerife); Ceuta and Melilla are one each.
"""

# Member states of the EU (ISO 3166-1 alpha-2), with Monaco, which the VAT directive treats as France (article 7).
EU_VAT_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK MC".split()
)
# Spanish provinces (first two digits of the postcode) outside the EU VAT area, and the territory each belongs to.
SPANISH_TERRITORIES_OUTSIDE_VAT = {"35": "IC", "38": "IC", "51": "XC", "52": "XL"}


def customs_territory(country_code: str, postcode: str = "") -> str:
    """The customs and VAT territory of an address: ``EU`` inside the EU's VAT area, else a code of its own (the
    country, or ``IC``, ``XC``, ``XL`` for the Canary Islands, Ceuta and Melilla); empty without a country."""
    country = (country_code or "").strip().upper()
    if country == "ES":
        territory = SPANISH_TERRITORIES_OUTSIDE_VAT.get((postcode or "").strip()[:2])
        if territory:
            return territory
    if country in EU_VAT_COUNTRIES:
        return "EU"
    return country


def needs_customs(
    origin_country: str, origin_postcode: str, destination_country: str, destination_postcode: str
) -> bool:
    """Whether a parcel from the origin to the destination crosses a customs border (so its carrier needs the
    commercial invoice's lines). An unknown destination country needs none: nothing can be declared for it."""
    destination = customs_territory(destination_country, destination_postcode)
    if not destination:
        return False
    return customs_territory(origin_country, origin_postcode) != destination

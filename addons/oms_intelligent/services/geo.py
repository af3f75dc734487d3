"""Where warehouses and delivery addresses are, and how far apart, computed offline.

Distances are great-circle (haversine) distances on a sphere of the Earth's mean radius, 6,371.0088 km (IUGG).
They are at most about 0.5 % off the ellipsoidal distance, much less than the detours of real roads, which is
enough to rank warehouses and to price a per-km tariff; no routing service is called, so routing needs no network
and stays fast.
"""

import math
from dataclasses import dataclass

EARTH_MEAN_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Location:
    """A warehouse or a delivery address.

    ``latitude``/``longitude`` are decimal degrees (WGS 84), None when the address was never geolocated: Odoo stores
    0.0 in ``partner_latitude``/``partner_longitude`` then, so (0, 0) — a point in the Gulf of Guinea nobody ships
    to — also counts as "no coordinates". ``country_code`` is ISO 3166-1 alpha-2 ("ES"); ``region`` is the state
    code within that country ("SE" for Sevilla), compared together with the country.
    """

    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    region: str | None = None

    @property
    def has_coordinates(self) -> bool:
        if self.latitude is None or self.longitude is None:
            return False
        return (self.latitude, self.longitude) != (0.0, 0.0)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # min() guards asin against a rounding error pushing antipodal points a hair above 1.
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(origin: Location, destination: Location) -> float | None:
    """Haversine distance between two locations, None when either has no coordinates."""
    if not (origin.has_coordinates and destination.has_coordinates):
        return None
    return haversine_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude)


def same_region(first: Location, second: Location) -> bool:
    """Same country and same state (state codes are only unique within a country)."""
    return same_country(first, second) and first.region is not None and first.region == second.region


def same_country(first: Location, second: Location) -> bool:
    return first.country_code is not None and first.country_code == second.country_code

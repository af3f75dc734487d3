def migrate(cr, version):
    """Routing candidates decided before 18.0.1.3.0 stored an unknown distance as 0 km: the new distance_known
    field says which were known, so that their Routing tab keeps showing them."""
    cr.execute("UPDATE oms_routing_decision_candidate SET distance_known = distance_km <> 0")

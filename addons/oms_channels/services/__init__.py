"""Channel connectors, the channel-order schema and the import plan, in plain Python (no ORM) so they can be tested and
benchmarked without a database."""

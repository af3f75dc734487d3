"""Platform mappers: each turns one platform's own order format into the channel-order schema (plain Python)."""

"""Platform mappers: each platform's own order format to the channel-order schema, in plain Python."""

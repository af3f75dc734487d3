"""Plain-Python mappers from each shop platform's own order format to the channel-order schema."""

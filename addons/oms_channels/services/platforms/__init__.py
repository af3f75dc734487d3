"""Plain-Python mappers from each web-shop platform's own order format to the channel-order schema."""

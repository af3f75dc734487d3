"""The hostile values the webhook fuzzer (``webhook_fuzzer.py``) puts into order bodies and their headers."""

CONTENT_TYPES = [
    None,
    "",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=----fuzz",
    "application/xml",
    "application/octet-stream",
    "application/json; charset=utf-16",
    "application/json; charset=latin-1",
]
WEIRD_NUMBERS = [
    "Infinity",
    "-Infinity",
    "NaN",
    1e308,
    -1,
    0,
    -0.0,
    1e-9,
    12345678901234567890,
    "1e400",
    "12345678901234567890",
    "",
    " ",
    "2,5",
    "0x10",
    None,
    True,
    False,
    [],
    {},
    [1],
    {"value": 1},
]
# JSON tokens Python accepts but JSON does not (or that overflow a float), written as they are into the text.
RAW_NUMBER_TOKENS = ["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "-0", "1E+21", "1e21", "1.0e22"]
# U+202E (right-to-left override) is a format character, not a control one: the schema keeps it, as any letter.
CONTROL_TEXTS = ["\u0000", "\x07", "\x1b[31m", "\u202e", "\ud800", "\udfff", "\x7f", "\x85", "\r\n", "\t", "\ufffe"]
RAW_BYTES = [
    b"\x00",
    b"\xff",
    b"\xc3\x28",
    b"\x80",
    b"\xed\xa0\x80",
    b"\xf0\x28\x8c\x28",
    b"\x07",
    b"\x1b[31m",
    b"\xfe\xff",
    b"\xc0\xaf",
]
CUSTOMER_NAMES = ["Lucía Fernández", "Jörg Müller", "Zoë O'Brien", "王小明", "Ana Ruiz", "Élodie Durand"]

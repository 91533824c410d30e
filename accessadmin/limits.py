"""Input limits of the whole product, declared once.

Every surface enforces these before it touches the database: the API error
middleware (body size, query strings), the project's JSON parser (depth, NUL
characters) and the paginators (paging numbers). Other limits (string lengths,
numeric ranges that fit the database columns) belong here too.
"""

# Request bodies larger than this are refused with 413 before they are read
# (Django's default DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB; settings use this value).
BODY_MAX_BYTES = 2_621_440

# JSON documents nested deeper than this are refused with 400 `too_deep`. The
# deepest legitimate body (a group's permissions list of objects) is 3 levels.
JSON_MAX_DEPTH = 32

# Paging numbers (offset, limit, page, page_size) above this are refused with
# 400 `invalid_paging`; it fits a 32-bit signed integer on every backend.
PAGING_MAX_NUMBER = 2**31 - 1

# Numbers must fit the columns they are stored in on every backend; PostgreSQL's
# are the narrowest. Whole numbers beyond BIGINT_MAX are refused by every API
# input (no column holds them); fields stored in an `integer` column declare
# INTEGER_MAX as their maximum.
INTEGER_MAX = 2**31 - 1  # IntegerField, PositiveIntegerField: PostgreSQL `integer`
BIGINT_MAX = 2**63 - 1  # ids (BigAutoField) and BigIntegerField: `bigint`

# Free text stored without a column length (descriptions in TextFields) is
# refused beyond this many characters. Text with a column length is refused
# beyond the model field's max_length, read from the model, never copied.
DESCRIPTION_MAX_LENGTH = 5000

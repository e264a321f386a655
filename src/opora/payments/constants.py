"""Numbers payments uses that are not rules of the law (those are in the rules app: the share of
a payment offset against an overpayment is the rule ``overpayment_offset_share``)."""

# A bank's return file larger than this is refused before it is read.
RETURN_FILE_MAX_BYTES = 200 * 1024 * 1024

"""Numbers payments uses until the rules app holds them."""

# The share of each payment withheld against an open overpayment of its assignment, in percent
# (at most what remains of the overpayment). The rules app has no such rule yet: it belongs there
# as a SHARE rule read with ``value_in_force`` on the payroll's month, and will move there.
OVERPAYMENT_OFFSET_PERCENT = 20

# A bank's return file larger than this is refused before it is read.
RETURN_FILE_MAX_BYTES = 200 * 1024 * 1024

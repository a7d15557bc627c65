-- settings: one row, the parameters of the views, fixed when the database is built.
--
-- approximately_tolerance: the half-width of an 'approximately' claim's interval, as a share of
-- its value. The contract sets it at 10 % and makes it a setting: the default is 0.10, and
-- build(root, approximately_tolerance=...) writes another.
--
-- inputs_digest: a SHA-256 over every file the build read (validate/publishing/stamp.py), so
-- `claims sql` can tell a database built from the current inputs from any other.
CREATE TABLE settings (
    approximately_tolerance DOUBLE NOT NULL CHECK (approximately_tolerance >= 0),
    inputs_digest VARCHAR NOT NULL
)

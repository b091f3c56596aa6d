"""PostgreSQL only: no two active bookings of one coach may overlap, buffers included.

An exclusion constraint over (coach, tstzrange(blocked_start, blocked_end)) for rows whose
status is held or confirmed. It needs the btree_gist extension (for `=` on coach_id in a GiST
index). On SQLite this migration does nothing: there every write transaction is IMMEDIATE and
the booking services check for overlaps while holding the database write lock.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_booking
    ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (
        coach_id WITH =,
        tstzrange(blocked_start, blocked_end, '[)') WITH &&
    )
    WHERE (status IN ('held', 'confirmed'));
"""

DROP = "ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

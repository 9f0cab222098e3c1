"""The database itself refuses UPDATE and DELETE on the history table (append-only)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION workflow_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'workflow_historyentry is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflow_history_append_only
    BEFORE UPDATE OR DELETE ON workflow_historyentry
    FOR EACH ROW EXECUTE FUNCTION workflow_history_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS workflow_history_append_only ON workflow_historyentry;
DROP FUNCTION IF EXISTS workflow_history_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]

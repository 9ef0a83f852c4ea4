# The statistics snapshots belong to the clock now (sla 0005): the portal forgets the model,
# the table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_whatsappverification"),
        ("sla", "0005_statssnapshot"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatsSnapshot")],
            database_operations=[],
        ),
    ]

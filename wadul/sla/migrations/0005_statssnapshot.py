# The statistics snapshots move from the portal to the clock, which computes them: the table
# stays where it is (portal_statssnapshot); only the model's owner changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0004_case_type_from_kinds"),
        ("portal", "0003_whatsappverification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatsSnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("data", models.JSONField()),
                        ("computed_at", models.DateTimeField()),
                        ("refreshing_since", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "statistics snapshot",
                        "verbose_name_plural": "statistics snapshots",
                        "db_table": "portal_statssnapshot",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

# The usage log and the catalogue version token moved here from the stores app. Their tables keep their
# names, so this migration only tells Django's state that the models now live here (stores/0004 forgets
# them there): no table is created, dropped or copied, and every row stays where it is.

import django.db.models.deletion
from django.db import migrations, models

from accessadmin.migration_ops import move_content_types

MOVED = ["usagerecord", "enforcementstate"]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accessadmin', '0002_builtin_privileges'),
        ('stores', '0003_enforcement_state'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='UsageRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('caller_kind', models.CharField(choices=[('till', 'Till'), ('client', 'API client')], max_length=10)),
                        ('caller', models.CharField(help_text='Till code or API client id.', max_length=100)),
                        ('store_code', models.CharField(blank=True, max_length=50)),
                        ('resource', models.CharField(max_length=50)),
                        ('api', models.CharField(max_length=10)),
                        ('method', models.CharField(max_length=10)),
                        ('outcome', models.CharField(choices=[('allowed', 'Allowed'), ('denied', 'Denied'), ('would_deny', 'Would deny (report-only)')], max_length=12)),
                        ('access_group', models.CharField(blank=True, max_length=100)),
                        ('day', models.DateField()),
                        ('count', models.PositiveIntegerField(default=0)),
                        ('last_seen_at', models.DateTimeField()),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                    ],
                    options={
                        'db_table': 'stores_usagerecord',
                        'ordering': ['-day', 'caller', 'resource', 'api', 'method'],
                        'indexes': [
                            models.Index(fields=['org', 'day'], name='stores_usag_org_id_347f37_idx'),
                            models.Index(fields=['org', 'store_code', 'day'], name='stores_usag_org_id_182180_idx'),
                        ],
                        'constraints': [models.UniqueConstraint(fields=('org', 'caller_kind', 'caller', 'store_code', 'resource', 'api', 'method', 'outcome', 'access_group', 'day'), name='usage_record_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='EnforcementState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('catalogue_version', models.CharField(default='', max_length=32)),
                    ],
                    options={
                        'db_table': 'stores_enforcementstate',
                    },
                ),
            ],
        ),
        move_content_types(from_app="stores", to_app="enforcement", models=MOVED),
    ]

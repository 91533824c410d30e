# The loyalty models moved here from the stores app. Their tables keep their names, so this migration
# only tells Django's state that the models now live here (stores/0004 forgets them there): no table is
# created, dropped or copied, and every row stays where it is.

import django.db.models.deletion
from django.db import migrations, models

from accessadmin.migration_ops import move_content_types

MOVED = ["transaction", "pointsaccount", "pointsentry", "behavioraleventdefinition", "behavioralevent"]


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
                    name='BehavioralEventDefinition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('description', models.TextField(blank=True)),
                        ('attributes', models.JSONField(blank=True, default=list, help_text='Names of the attributes an event carries.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                    ],
                    options={
                        'db_table': 'stores_behavioraleventdefinition',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(fields=('org', 'name'), name='event_definition_unique_per_org')],
                    },
                ),
                migrations.CreateModel(
                    name='PointsAccount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_id', models.BigIntegerField()),
                        ('balance', models.PositiveIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                    ],
                    options={
                        'db_table': 'stores_pointsaccount',
                        'constraints': [
                            models.UniqueConstraint(fields=('org', 'customer_id'), name='points_account_unique'),
                            models.CheckConstraint(condition=models.Q(('balance__gte', 0)), name='points_balance_not_negative'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='BehavioralEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_id', models.BigIntegerField(blank=True, null=True)),
                        ('attributes', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('api_client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.apiclient')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                        ('definition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='loyalty.behavioraleventdefinition')),
                        ('till', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.till')),
                    ],
                    options={
                        'db_table': 'stores_behavioralevent',
                        'ordering': ['-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Transaction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_id', models.BigIntegerField()),
                        ('bill_number', models.CharField(max_length=100)),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('points', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('api_client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.apiclient')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                        ('store', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.store')),
                        ('till', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.till')),
                    ],
                    options={
                        'db_table': 'stores_transaction',
                        'ordering': ['-id'],
                        'indexes': [models.Index(fields=['org', 'customer_id'], name='stores_tran_org_id_65c21c_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='PointsEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_id', models.BigIntegerField()),
                        ('kind', models.CharField(choices=[('earn', 'Earned by a transaction'), ('issue', 'Issued'), ('redeem', 'Redeemed')], max_length=10)),
                        ('points', models.IntegerField(help_text='Signed: negative for redemptions.')),
                        ('balance_after', models.PositiveIntegerField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('api_client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.apiclient')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                        ('till', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.till')),
                        ('transaction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='loyalty.transaction')),
                    ],
                    options={
                        'db_table': 'stores_pointsentry',
                        'ordering': ['-id'],
                        'indexes': [models.Index(fields=['org', 'customer_id'], name='stores_poin_org_id_3d890a_idx')],
                    },
                ),
            ],
        ),
        move_content_types(from_app="stores", to_app="loyalty", models=MOVED),
    ]

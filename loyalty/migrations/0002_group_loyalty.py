# Group loyalty (DESIGN §10): the program, user groups, memberships, the group ledger and slab history.

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import loyalty.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accessadmin', '0006_audit_actor_kind_and_label'),
        ('loyalty', '0001_initial'),
        ('stores', '0004_models_moved_to_loyalty_and_enforcement'),
    ]

    operations = [
        # created_at takes a default instead of auto_now_add (services and the demo pass the time): the column
        # itself is unchanged, so only Django's state changes (SQLite would otherwise copy both tables).
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.AlterField(
                model_name='pointsentry',
                name='created_at',
                field=models.DateTimeField(default=django.utils.timezone.now),
            ),
            migrations.AlterField(
                model_name='transaction',
                name='created_at',
                field=models.DateTimeField(default=django.utils.timezone.now),
            ),
        ]),
        migrations.CreateModel(
            name='GroupProgram',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=False)),
                ('max_group_size', models.PositiveIntegerField(default=30, help_text="The org's cap on members per group.")),
                ('points_to', models.CharField(choices=[('both', 'Member and group'), ('group', 'Group only'), ('member', 'Member only')], default='both', max_length=10)),
                ('tracking_window_days', models.PositiveIntegerField(default=365)),
                ('slabs', models.JSONField(default=loyalty.models.default_slabs)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('org', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='group_program', to='accessadmin.org')),
            ],
        ),
        migrations.CreateModel(
            name='UserGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('external_id', models.CharField(max_length=50)),
                ('name', models.CharField(blank=True, default='', max_length=50)),
                ('group_type', models.CharField(choices=[('FAMILY', 'Family'), ('COMPANY', 'Company')], default='FAMILY', max_length=10)),
                ('status', models.CharField(choices=[('ACTIVE', 'Active'), ('INACTIVE', 'Inactive')], default='ACTIVE', max_length=10)),
                ('max_group_size', models.PositiveIntegerField()),
                ('extended_fields', models.JSONField(blank=True, default=dict)),
                ('primary_customer_id', models.BigIntegerField(blank=True, null=True)),
                ('balance', models.PositiveIntegerField(default=0)),
                ('lifetime_points', models.BigIntegerField(default=0)),
                ('lifetime_purchases', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                ('slab_index', models.PositiveSmallIntegerField(default=0)),
                ('slab_expires_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='loyalty.usergroup')),
            ],
            options={
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='GroupSlabEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('upgrade', 'Tracker reached the next threshold'), ('renewal', 'Tracker at expiry reached the renewal threshold'), ('downgrade', 'Tracker at expiry below the renewal threshold')], max_length=10)),
                ('from_slab', models.CharField(max_length=100)),
                ('to_slab', models.CharField(max_length=100)),
                ('tracker', models.BigIntegerField()),
                ('expires_at', models.DateTimeField(blank=True, help_text='When the new slab expires.', null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slab_events', to='loyalty.usergroup')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='GroupMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('customer_id', models.BigIntegerField()),
                ('primary', models.BooleanField(default=False)),
                ('default_group', models.BooleanField(default=False)),
                ('active', models.BooleanField(default=True)),
                ('role', models.CharField(blank=True, default='', max_length=50)),
                ('allow_points_redemption', models.BooleanField(default=False)),
                ('allow_points_transfer', models.BooleanField(default=False)),
                ('block_points_redemption', models.BooleanField(default=False)),
                ('block_points_transfer', models.BooleanField(default=False)),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('left_at', models.DateTimeField(blank=True, null=True)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='loyalty.usergroup')),
            ],
            options={
                'ordering': ['joined_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='GroupLedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('customer_id', models.BigIntegerField()),
                ('kind', models.CharField(choices=[('earn', "Earned by a member's transaction"), ('redeem', 'Redeemed by a member')], max_length=10)),
                ('points', models.IntegerField(help_text='Signed: negative for redemptions.')),
                ('balance_after', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('api_client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.apiclient')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accessadmin.org')),
                ('till', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stores.till')),
                ('transaction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='loyalty.transaction')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger', to='loyalty.usergroup')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='usergroup',
            index=models.Index(fields=['org', 'primary_customer_id'], name='user_group_org_primary'),
        ),
        migrations.AddIndex(
            model_name='usergroup',
            index=models.Index(fields=['status', 'slab_expires_at'], name='user_group_slab_expiry'),
        ),
        migrations.AddConstraint(
            model_name='usergroup',
            constraint=models.UniqueConstraint(fields=('org', 'external_id'), name='user_group_external_id_unique'),
        ),
        migrations.AddConstraint(
            model_name='usergroup',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('name'), models.F('org'), condition=models.Q(('name', ''), _negated=True), name='user_group_name_unique_ci'),
        ),
        migrations.AddConstraint(
            model_name='usergroup',
            constraint=models.CheckConstraint(condition=models.Q(('balance__gte', 0)), name='user_group_balance_not_negative'),
        ),
        migrations.AddIndex(
            model_name='groupslabevent',
            index=models.Index(fields=['group', '-created_at'], name='group_slab_event_newest'),
        ),
        migrations.AddIndex(
            model_name='groupmembership',
            index=models.Index(fields=['org', 'customer_id'], name='group_membership_customer'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.UniqueConstraint(fields=('group', 'customer_id'), name='group_membership_unique'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.UniqueConstraint(condition=models.Q(('primary', True)), fields=('group',), name='group_one_primary_member'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.UniqueConstraint(condition=models.Q(('left_at__isnull', True), ('primary', True)), fields=('org', 'customer_id'), name='customer_primary_in_one_group'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.UniqueConstraint(condition=models.Q(('default_group', True), ('left_at__isnull', True)), fields=('org', 'customer_id'), name='customer_one_default_group'),
        ),
        migrations.AddIndex(
            model_name='groupledgerentry',
            index=models.Index(fields=['group', '-created_at', '-id'], name='group_ledger_newest'),
        ),
        migrations.AddIndex(
            model_name='groupledgerentry',
            index=models.Index(fields=['group', 'customer_id', 'kind', 'points'], name='group_ledger_member'),
        ),
        migrations.AddIndex(
            model_name='groupledgerentry',
            index=models.Index(fields=['group', 'kind', 'created_at', 'points'], name='group_ledger_tracker'),
        ),
    ]

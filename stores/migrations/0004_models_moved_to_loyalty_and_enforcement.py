# Transactions, points, behavioral events (now loyalty) and the usage log and catalogue version token
# (now enforcement) left this app. Their tables stay: the state forgets the models here and the other
# apps' 0001 migrations know them there, with the same table names. Nothing is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('stores', '0003_enforcement_state'),
        ('loyalty', '0001_initial'),
        ('enforcement', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='PointsEntry'),
                migrations.DeleteModel(name='BehavioralEvent'),
                migrations.DeleteModel(name='Transaction'),
                migrations.DeleteModel(name='PointsAccount'),
                migrations.DeleteModel(name='BehavioralEventDefinition'),
                migrations.DeleteModel(name='UsageRecord'),
                migrations.DeleteModel(name='EnforcementState'),
            ],
        ),
    ]

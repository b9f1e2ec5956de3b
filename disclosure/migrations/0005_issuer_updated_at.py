import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0004_level_by_level_list_basis"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuer",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="更新时间"
            ),
            preserve_default=False,
        ),
    ]

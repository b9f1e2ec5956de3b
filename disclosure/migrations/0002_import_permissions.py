"""Editors import spreadsheets; inspectors and administrators may see every import."""

from django.db import migrations

GRANTS = {
    "编辑": ["add_importjob", "view_dataset"],
    "纪检监察": ["view_importjob", "view_dataset"],
    "平台管理员": ["add_importjob", "view_importjob", "view_dataset"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("disclosure")
    app_config.models_module = True  # historical app configs have none; permissions need it
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="disclosure", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial"), ("publications", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

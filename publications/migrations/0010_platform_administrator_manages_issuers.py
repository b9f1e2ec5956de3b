"""平台管理员 manages issuers, their members and review boards (issue 16)."""

from django.db import migrations

GRANTS = (
    ("disclosure", "issuer"),
    ("publications", "issuermembership"),
    ("publications", "reviewboard"),
)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    administrator, _ = Group.objects.get_or_create(name="平台管理员")
    for app_label, model in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in ("add", "change", "delete", "view"):
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            administrator.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0009_issuer_memberships_boards_and_uploads"),
        ("disclosure", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

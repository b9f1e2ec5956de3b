"""Who may see and handle objections (ADR 0008).

- 异议处理人员 (new group, objection handlers): view and handle objections, which includes the
  objector's personal data. Offices put the people who take complaints here.
- 编辑, 纪检监察, 平台管理员: view objections and their handling record, without personal data.
"""

from django.db import migrations

HANDLERS = "异议处理人员"
VIEWERS = ("编辑", "纪检监察", "平台管理员")


def _permission(apps, codename, name):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="publications", model="objection"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = _permission(apps, "view_objection", "Can view 异议")
    handle = _permission(apps, "handle_objection", "办理异议并查看异议人个人信息")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    handlers, _ = Group.objects.get_or_create(name=HANDLERS)
    handlers.permissions.add(access_admin, view, handle)
    for name in VIEWERS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(view)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=HANDLERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0007_objections_models"),
        ("publications", "0001_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]

"""The default review workflow on every page, and the roles' permissions.

- Workflow "公示审批": 初审 (初审人员) then 集体审定 (集体审定委员, 2 distinct approvals),
  assigned to the root page so every disclosure page, wherever it is created, goes through it.
- No group holds publish permission on any page: publishing happens only in the workflow's
  finish step (publications.actions.publish).
- 编辑: add and change pages under each site's home page. 平台管理员: the same plus lock and
  unlock, users, workflows and tasks. 纪检监察: read the review record.
"""

from django.db import migrations

EDITOR, REVIEWER, COMMITTEE, INSPECTOR, ADMINISTRATOR = (
    "编辑",
    "初审人员",
    "集体审定委员",
    "纪检监察",
    "平台管理员",
)
WORKFLOW_NAME = "公示审批"


def _permission(apps, app_label, model, codename, name):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _task(apps, model_name, name, group, **fields):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Model = apps.get_model("publications", model_name)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="publications", model=model_name.lower()
    )
    task = Model.objects.filter(name=name).first()
    if task is None:
        task = Model.objects.create(name=name, content_type=content_type, active=True, **fields)
    task.groups.set([group])
    return task


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in
              (EDITOR, REVIEWER, COMMITTEE, INSPECTOR, ADMINISTRATOR)}

    review = _task(apps, "ReviewTask", "初审", groups[REVIEWER])
    committee = _task(apps, "QuorumApprovalTask", "集体审定", groups[COMMITTEE], quorum=2)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.filter(workflow=workflow).delete()
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=committee, sort_order=1)
    Workflow.objects.exclude(pk=workflow.pk).update(active=False)
    WorkflowPage.objects.exclude(workflow=workflow).delete()
    for root in Page.objects.filter(depth=1):
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    page_perm = {
        action: _permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page")
        for action in ("add", "change", "publish", "lock", "unlock")
    }
    GroupPagePermission.objects.filter(permission=page_perm["publish"]).delete()
    for home in Page.objects.filter(depth=2):
        for group, actions in (
            (groups[EDITOR], ("add", "change")),
            (groups[ADMINISTRATOR], ("add", "change", "lock", "unlock")),
        ):
            for action in actions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=page_perm[action]
                )

    groups[INSPECTOR].permissions.add(
        _permission(apps, "publications", "approvedrevision", "view_workflow_record",
                    "查看审批记录（纪检监察）")
    )
    for app_label, model in (
        ("auth", "user"), ("wagtailcore", "workflow"), ("wagtailcore", "task"),
    ):
        for action in ("add", "change", "view"):
            groups[ADMINISTRATOR].permissions.add(
                _permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}")
            )


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_workflow"),
        ("sunshine", "0002_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]

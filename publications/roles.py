"""The people who take part in publishing, as Django groups.

Groups are created by a migration so every database has them; their page and
workflow permissions are granted where the workflow is defined.
"""

EDITOR = "编辑"
REVIEWER = "初审人员"
COMMITTEE = "集体审定委员"
INSPECTOR = "纪检监察"
ADMINISTRATOR = "平台管理员"

ALL_ROLES = (EDITOR, REVIEWER, COMMITTEE, INSPECTOR, ADMINISTRATOR)

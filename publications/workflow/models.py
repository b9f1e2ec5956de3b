"""The review tasks (初审, 集体审定), quorum votes, recusals and approved revisions."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from wagtail.log_actions import log
from wagtail.models import TaskState
from wagtail.models.workflows import AbstractGroupApprovalTask

from . import policies


class WorkflowActionRefused(PermissionDenied):
    """A person asked to act on a review task and a rule refused; the message says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


APPROVE = "approve"
REJECT = "reject"


class GuardedApprovalTask(AbstractGroupApprovalTask):
    """A group approval task that enforces separation of duties, recusal and a second factor.

    Unlike Wagtail's group task, superusers get no actions unless they are in the group, and the
    actions are offered only to someone the rules allow; `on_action` checks the rules again
    (with the task state row locked), so posting anyway, or calling from code, is refused.
    A resubmission after a rejection starts the workflow over from its first task.
    """

    requires_second_factor = True
    board_stage = "review"  # which list of the issuer's review board names the deciders

    class Meta:
        abstract = True

    # --- who may act -------------------------------------------------------------------
    def refusal_for(self, task_state, user, *, action: str = APPROVE) -> str | None:
        from .facts import act_facts

        return policies.refusal_reason(act_facts(self, task_state, user))

    def _in_groups(self, user) -> bool:
        return bool(user and user.is_authenticated and self._user_in_groups(user))

    def get_actions(self, obj, user):
        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.task_id != self.pk:
            return []
        if not self._in_groups(user) or self.refusal_for(task_state, user):
            return []
        return self.offered_actions()

    def offered_actions(self):
        return [
            (REJECT, "退回修改", True),
            (APPROVE, "通过", False),
            (APPROVE, "通过并附意见", True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self._in_groups(user):
            return TaskState.objects.none()
        from publications.rights.boards import pages_decided_by

        # Only disclosures of the issuers the person belongs to: nothing of another issuer
        # is listed (dashboard, "awaiting review", reports), let alone decided.
        pages = [str(pk) for pk in pages_decided_by(user)]
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=pages
        )

    def user_can_access_editor(self, obj, user):
        from publications.rights.access import can_act_on_page

        return self._in_groups(user) and can_act_on_page(user, obj)

    def locked_for_user(self, obj, user):
        # Editors may still edit during review (re-approval is then required); reviewers
        # use the workflow actions and comments, never the content.
        return False

    # --- acting ------------------------------------------------------------------------
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name not in (APPROVE, REJECT):
            raise WorkflowActionRefused("不支持的审批操作。")
        with transaction.atomic():
            # One decision at a time per task: concurrent approvals queue here.
            locked = TaskState.objects.select_for_update().get(pk=task_state.pk)
            reason = self.refusal_for(locked, user, action=action_name)
            if reason:
                raise WorkflowActionRefused(reason)
            return self.decide(locked.specific, user, action_name, kwargs.get("comment", ""))

    def decide(self, task_state, user, action_name, comment):
        if action_name == APPROVE:
            task_state.approve(user=user, comment=comment)
        else:
            task_state.reject(user=user, comment=comment)

    # --- resubmission starts over ------------------------------------------------------
    def start(self, workflow_state, user=None):
        first = workflow_state.workflow.tasks.filter(active=True).first()
        last = workflow_state.task_states.order_by("-started_at", "-id").first()
        resubmitted = last is not None and last.status == TaskState.STATUS_REJECTED
        if resubmitted and first is not None and first.pk != self.pk:
            return first.specific.start(workflow_state, user=user)
        return super().start(workflow_state, user=user)


class ReviewTask(GuardedApprovalTask):
    """初审: one member of the reviewers' group approves."""

    class Meta:
        verbose_name = "初审任务"
        verbose_name_plural = "初审任务"

    @classmethod
    def get_description(cls):
        return "所选用户组中任一成员可审批；不得审批本人编写、提交或拥有的内容，须二次验证。"


class QuorumApprovalTask(GuardedApprovalTask):
    """集体审定: N distinct committee members approve; any one rejection sends it back."""

    quorum = models.PositiveSmallIntegerField(
        "通过所需人数",
        default=2,
        help_text="须有多少名不同的委员表决同意，本环节才算通过。",
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "quorum"]
    board_stage = "committee"

    class Meta:
        verbose_name = "集体审定任务"
        verbose_name_plural = "集体审定任务"

    @classmethod
    def get_description(cls):
        return "须达到规定人数的不同委员表决同意；任一委员不同意即退回修改。"

    def quorum_for(self, issuer) -> int:
        """The publishing issuer's quorum (its board, else its level's), else the task's."""
        from publications.rights import boards

        return boards.board_for(issuer).quorum or self.quorum

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(quorum_votes__member=user)
        )

    def decide(self, task_state, user, action_name, comment):
        page = task_state.workflow_state.content_object
        seen = page.get_latest_revision()
        vote = QuorumVote.objects.create(
            task_state=task_state,
            member=user,
            decision=QuorumVote.Decision.APPROVE if action_name == APPROVE else REJECT,
            comment=comment,
            revision=seen,
        )
        log(
            instance=page.specific,
            action="publications.workflow.vote",
            user=user,
            revision=seen,
            data={
                "task_state_id": task_state.pk,
                "task": self.name,
                "decision": vote.decision,
                "comment": comment,
                "revision_id": seen.pk if seen else None,
            },
        )
        if action_name == REJECT:
            task_state.reject(user=user, comment=comment)
            return
        from publications.rights import boards

        issuer = boards.publishing_issuer(page)
        # Only votes of members of the publishing issuer count, whatever happened since.
        approving = set(
            task_state.quorum_votes.filter(decision=QuorumVote.Decision.APPROVE).values_list(
                "member_id", flat=True
            )
        ) & set(boards.members_of(issuer.pk if issuer else None))
        if policies.quorum_reached(approving, self.quorum_for(issuer)):
            task_state.approve(user=user, comment=comment)


class QuorumVote(models.Model):
    """One committee member's vote on one 集体审定 task state, and the revision they saw."""

    class Decision(models.TextChoices):
        APPROVE = APPROVE, "同意"
        REJECT = REJECT, "不同意（退回修改）"

    task_state = models.ForeignKey(
        TaskState, verbose_name="审批环节", on_delete=models.CASCADE, related_name="quorum_votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="委员", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("表决", max_length=16, choices=Decision.choices)
    comment = models.TextField("意见", blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name="所见版本",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField("表决时间", auto_now_add=True)

    class Meta:
        verbose_name = "集体审定表决"
        verbose_name_plural = "集体审定表决"
        ordering = ["task_state", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "member"], name="one_vote_per_member_per_task_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_decision_display()}"


class Recusal(models.Model):
    """回避: a person declares a conflict with a disclosure or with a named candidate."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报人",
        on_delete=models.CASCADE,
        related_name="recusals",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="所涉公示",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    candidate_name = models.CharField("考生姓名", max_length=64, blank=True)
    candidate_school = models.CharField("所在中学", max_length=128, blank=True)
    exam_number_hmac = models.CharField("考生号 HMAC", max_length=64, blank=True, db_index=True)
    exam_number_masked = models.CharField("考生号（遮蔽）", max_length=32, blank=True)
    relationship = models.CharField("关系说明", max_length=255)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.user}：{self.describe()}"

    def describe(self) -> str:
        if self.page_id:
            return f"公示“{self.page.title}”"
        if self.exam_number_hmac:
            return f"考生号 {self.exam_number_masked}"
        return f"考生 {self.candidate_name}（{self.candidate_school}）"

    def clean(self):
        named = bool(self.candidate_name.strip() and self.candidate_school.strip())
        partly_named = bool(self.candidate_name.strip() or self.candidate_school.strip())
        ways = sum([bool(self.page_id), named, bool(self.exam_number_hmac)])
        if partly_named and not named:
            raise ValidationError("按考生申报回避时，须同时填写考生姓名和所在中学。")
        if ways != 1:
            raise ValidationError("请只选择一种回避方式：所涉公示，或考生姓名与中学，或考生号。")


class ApprovedRevision(models.Model):
    """A revision that finished the review workflow; only such a revision may go live."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="+"
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision", verbose_name="版本", on_delete=models.CASCADE, related_name="+"
    )
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState",
        verbose_name="审批流程",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最终审批人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("通过时间", auto_now_add=True)

    class Meta:
        verbose_name = "已审定版本"
        verbose_name_plural = "已审定版本"
        ordering = ["-approved_at", "-pk"]
        permissions = [("view_workflow_record", "查看审批记录（纪检监察）")]

    def __str__(self) -> str:
        return f"{self.page} 版本 {self.revision_id}"

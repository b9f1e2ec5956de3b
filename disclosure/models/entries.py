"""The rows of datasets. Plain models, bulk-inserted, never edited.

Exam numbers and ID numbers are stored only as a masked display form and an HMAC.
"""

from django.db import models

from .datasets import Dataset, DatasetKind


class Entry(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField("行号")
    source_row = models.PositiveIntegerField("源文件行号")

    class Meta:
        abstract = True
        ordering = ["dataset", "position"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.position}"


class CandidateEntry(Entry):
    """A row of a candidate list on notice (加分照顾、保送、专项计划 …)."""

    serial = models.CharField("序号", max_length=16, blank=True)
    name = models.CharField("姓名", max_length=64)
    gender = models.CharField("性别", max_length=2, blank=True)
    exam_number_masked = models.CharField("考生号（遮蔽）", max_length=32, blank=True)
    exam_number_hmac = models.CharField("考生号 HMAC", max_length=64, blank=True)
    id_number_masked = models.CharField("身份证号（遮蔽）", max_length=32, blank=True)
    id_number_hmac = models.CharField("身份证号 HMAC", max_length=64, blank=True)
    school = models.CharField("所在中学", max_length=128)
    category = models.CharField("照顾类别", max_length=128)
    qualification = models.CharField("资格条件", max_length=255, blank=True)
    test_item = models.CharField("测试项目", max_length=128, blank=True)
    test_score = models.CharField("测试成绩", max_length=64, blank=True)
    pass_standard = models.CharField("合格标准", max_length=128, blank=True)
    institution = models.CharField("拟录高校", max_length=128, blank=True)
    major = models.CharField("拟录专业", max_length=128, blank=True)
    bonus_points = models.CharField("加分分值", max_length=16, blank=True)
    remarks = models.CharField("备注", max_length=500, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "考生名单行"
        verbose_name_plural = "考生名单行"
        indexes = [
            models.Index(fields=["dataset", "position"]),
            models.Index(fields=["dataset", "name"]),
            models.Index(fields=["exam_number_hmac"]),
            models.Index(fields=["id_number_hmac"]),
        ]


class QuotaEntry(Entry):
    """A row of a quota plan (招生计划)."""

    institution_code = models.CharField("院校代码", max_length=16)
    institution = models.CharField("院校名称", max_length=128)
    major_code = models.CharField("专业代码", max_length=16, blank=True)
    major = models.CharField("专业名称", max_length=128)
    track = models.CharField("科类", max_length=32)
    batch = models.CharField("批次", max_length=32)
    places = models.PositiveIntegerField("计划数")
    years = models.CharField("学制", max_length=8, blank=True)
    tuition = models.CharField("学费（元/年）", max_length=16, blank=True)
    remarks = models.CharField("备注", max_length=500, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "招生计划行"
        verbose_name_plural = "招生计划行"
        indexes = [models.Index(fields=["dataset", "position"])]


class AdmissionResult(Entry):
    """One candidate's admission: found only by exact exam number and name, never listed."""

    exam_number_masked = models.CharField("考生号（遮蔽）", max_length=32)
    exam_number_hmac = models.CharField("考生号 HMAC", max_length=64)
    name = models.CharField("姓名", max_length=64)
    id_number_masked = models.CharField("身份证号（遮蔽）", max_length=32, blank=True)
    id_number_hmac = models.CharField("身份证号 HMAC", max_length=64, blank=True)
    batch = models.CharField("批次", max_length=32)
    track = models.CharField("科类", max_length=32)
    institution_code = models.CharField("院校代码", max_length=16)
    institution = models.CharField("院校名称", max_length=128)
    major = models.CharField("专业名称", max_length=128)

    class Meta(Entry.Meta):
        verbose_name = "录取结果"
        verbose_name_plural = "录取结果"
        indexes = [models.Index(fields=["exam_number_hmac"])]


ENTRY_MODELS: dict[str, type[Entry]] = {
    DatasetKind.CANDIDATE_LIST: CandidateEntry,
    DatasetKind.QUOTA_PLAN: QuotaEntry,
    DatasetKind.ADMISSION_RESULTS: AdmissionResult,
}

"""Tables of the search service.

- `PublicDisclosure`: the register of disclosures that may be found, with their public
  interval and dataset. The personal lookups join dataset rows to it in one indexed query,
  whatever the full-text engine is.
- `IndexedDocument`: the embedded engine's documents. On SQLite an FTS5 table, and on
  PostgreSQL a generated, GIN-indexed tsvector column, are built over its token columns by
  migration 0002 (they are not in the model: Django's ORM knows neither).
"""

from django.db import models


class PublicDisclosure(models.Model):
    page_id = models.IntegerField("页面", primary_key=True)
    kind = models.CharField("类型", max_length=32)
    dataset_id = models.IntegerField("数据集", null=True, db_index=True)
    title = models.CharField("标题", max_length=255)
    url = models.CharField("地址", max_length=255, blank=True)
    visible_from = models.DateTimeField("公开自")
    closes_at = models.DateTimeField("公示结束")
    visible_until = models.DateTimeField("公开至")
    lookup_until = models.DateTimeField("查询截止", null=True)

    class Meta:
        verbose_name = "可检索公示"
        verbose_name_plural = "可检索公示"
        indexes = [models.Index(fields=["kind", "visible_until"])]

    def __str__(self) -> str:
        return self.title


class IndexedDocument(models.Model):
    doc_id = models.CharField(max_length=64, unique=True)
    doc_type = models.CharField(max_length=16)
    page_id = models.IntegerField(db_index=True)
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    text = models.TextField()
    url = models.CharField(max_length=255, blank=True)
    issuer_id = models.IntegerField()
    issuer_name = models.CharField(max_length=100)
    level = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    visible_from = models.DateTimeField()
    visible_until = models.DateTimeField(db_index=True)
    name = models.CharField(max_length=64, blank=True)
    school = models.CharField(max_length=128, blank=True)
    category = models.CharField(max_length=128, blank=True)
    title_tokens = models.TextField()
    text_tokens = models.TextField()

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        indexes = [models.Index(fields=["doc_type", "opens_at"])]

    def __str__(self) -> str:
        return self.doc_id

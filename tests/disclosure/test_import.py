"""Importing the real-world-shaped sample files: each gets the outcome it must."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from disclosure.imports import ImportRejected, import_file
from disclosure.models import AdmissionResult, CandidateEntry, Dataset, QuotaEntry
from disclosure.models.datasets import ImmutableError
from tests.factories import SAMPLES, import_sample

pytestmark = pytest.mark.django_db

SAME_LIST = [
    "candidate_list_utf8.csv",
    "candidate_list_utf8_bom.csv",
    "candidate_list_gbk_excel.csv",
    "candidate_list_title_row.xlsx",
]


def test_the_same_list_in_utf8_bom_gbk_and_xlsx_gives_one_hash_and_sixty_rows():
    datasets = [import_sample(name, "candidate_list") for name in SAME_LIST]
    assert {d.row_count for d in datasets} == {60}
    assert len({d.public_sha256 for d in datasets}) == 1
    assert len({d.content_sha256 for d in datasets}) == 1
    assert len({d.source_sha256 for d in datasets}) == 4  # four different files
    assert CandidateEntry.objects.count() == 240


def test_gbk_names_are_decoded_not_garbled():
    dataset = import_sample("candidate_list_gbk_excel.csv", "candidate_list")
    first = dataset.entries.first()
    assert first.name == "廖鑫"
    assert first.school == "洛阳市第四高级中学"
    assert dataset.source_encoding == "gb18030"


def test_the_xlsx_title_row_and_note_row_are_skipped_and_the_note_reported():
    dataset = import_sample("candidate_list_title_row.xlsx", "candidate_list")
    assert dataset.row_count == 60
    assert any("监督电话" in note for note in dataset.report["notes"])
    assert not CandidateEntry.objects.filter(name__contains="公示").exists()


def test_bad_rows_reject_the_whole_file_naming_every_bad_row_and_store_nothing():
    with pytest.raises(ImportRejected) as caught:
        import_sample("candidate_list_bad_rows.csv", "candidate_list")
    report = caught.value.report
    bad = set(report.bad_rows)
    # 2 name missing, 4 五分, 5 gender M, 6+7 same exam number, 8 malformed exam number,
    # 9 formula in 备注, 10 negative bonus (source rows count the header as row 1)
    for data_row in (2, 4, 5, 6, 7, 8, 9, 10):
        assert data_row + 1 in bad, (data_row, report.as_text())
    assert 1 + 1 not in bad  # the first row is good
    assert Dataset.objects.count() == 0
    assert CandidateEntry.objects.count() == 0


def test_an_unknown_column_is_an_error_naming_it_and_stores_nothing():
    with pytest.raises(ImportRejected) as caught:
        import_sample("candidate_list_unknown_column.csv", "candidate_list")
    assert "手机号" in caught.value.report.as_text()
    assert Dataset.objects.count() == 0


def test_a_file_that_is_not_a_csv_is_refused_clearly():
    with pytest.raises(ImportRejected) as caught:
        import_sample("candidate_list_not_a_csv.csv", "candidate_list")
    assert "CSV" in caught.value.report.as_text()
    assert Dataset.objects.count() == 0


def test_the_quota_plan_imports_fifty_rows():
    dataset = import_sample("quota_plan.csv", "quota_plan")
    assert dataset.row_count == 50
    assert QuotaEntry.objects.filter(dataset=dataset).count() == 50


def test_the_admission_results_import_a_thousand_rows():
    dataset = import_sample("admission_results_1000.csv", "admission_results")
    assert dataset.row_count == 1000
    assert AdmissionResult.objects.filter(dataset=dataset).count() == 1000


def test_a_file_of_the_wrong_kind_is_rejected():
    with pytest.raises(ImportRejected):
        import_sample("quota_plan.csv", "candidate_list")
    assert Dataset.objects.count() == 0


def _all_database_text() -> str:
    """Every text value in every table: what an attacker with a dump would read."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_exam_numbers_and_id_numbers_are_never_stored_in_clear():
    import_sample("candidate_list_utf8.csv", "candidate_list")
    import_sample("admission_results_1000.csv", "admission_results")
    text = _all_database_text()
    clear = set()
    for name in ("candidate_list_utf8.csv", "admission_results_1000.csv"):
        clear |= set(re.findall(r"\b\d{14}\b|\b\d{17}[\dX]\b", (SAMPLES / name).read_text()))
    assert len(clear) > 1000
    leaked = [value for value in clear if value in text]
    assert leaked == []


def test_identifiers_are_kept_as_a_mask_and_an_hmac_under_the_identifier_key():
    from disclosure.importing import hmac_identifier

    dataset = import_sample("candidate_list_utf8.csv", "candidate_list")
    first = dataset.entries.first()
    key = settings.IDENTIFIER_HMAC_KEY.encode()
    assert first.exam_number_hmac == hmac_identifier(key, "exam_number", "25410021000001")
    assert first.id_number_hmac == hmac_identifier(key, "id_number", "410302200706135831")
    assert "*" in first.exam_number_masked and first.exam_number_masked != "25410021000001"
    assert "*" in first.id_number_masked


def test_a_stored_dataset_cannot_be_changed():
    dataset = import_sample("quota_plan.csv", "quota_plan")
    dataset.source_filename = "changed.csv"
    with pytest.raises(ImmutableError):
        dataset.save()


def test_the_command_prints_the_dataset_id_and_row_count():
    out = io.StringIO()
    call_command(
        "import_dataset", "--kind", "quota_plan", str(SAMPLES / "quota_plan.csv"), stdout=out
    )
    dataset = Dataset.objects.get()
    assert f"dataset {dataset.pk} rows 50" in out.getvalue()


def test_the_command_prints_the_report_and_fails_on_a_bad_file():
    err = io.StringIO()
    with pytest.raises(CommandError, match="未保存任何数据"):
        call_command(
            "import_dataset",
            "--kind",
            "candidate_list",
            str(SAMPLES / "candidate_list_bad_rows.csv"),
            stderr=err,
        )
    assert "第 3 行" in err.getvalue()
    assert Dataset.objects.count() == 0


def test_the_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_dataset", "--kind", "quota_plan", "/nonexistent/plan.csv")


def test_a_rejected_import_leaves_no_rows_even_after_inserting_earlier_good_rows():
    good = (SAMPLES / "admission_results_1000.csv").read_bytes()
    bad = good + "25410099999999,某某,,本科批,历史类,10003,清华大学,法学,多余\n".encode()
    with pytest.raises(ImportRejected):
        import_file(io.BytesIO(bad), "results.csv", "admission_results")
    assert AdmissionResult.objects.count() == 0


@pytest.fixture
def parallel(monkeypatch):
    """Validate in a second process even for small files (large files do so by default)."""
    import disclosure.imports

    monkeypatch.setattr(disclosure.imports, "PARALLEL_MIN_BYTES", 0)


def _import_path(name, kind):
    with open(SAMPLES / name, "rb") as handle:
        return import_file(handle, name, kind, path=str(SAMPLES / name))


def test_validating_in_a_second_process_stores_the_same_rows_and_hashes(parallel):
    here = import_sample("candidate_list_gbk_excel.csv", "candidate_list")
    there = _import_path("candidate_list_gbk_excel.csv", "candidate_list")
    assert (there.row_count, there.public_sha256, there.content_sha256) == (
        here.row_count,
        here.public_sha256,
        here.content_sha256,
    )
    fields = ("name", "school", "exam_number_masked", "exam_number_hmac", "id_number_hmac")
    assert list(there.entries.values_list(*fields)) == list(here.entries.values_list(*fields))


def test_validating_in_a_second_process_rejects_bad_rows_and_stores_nothing(parallel):
    with pytest.raises(ImportRejected) as caught:
        _import_path("candidate_list_bad_rows.csv", "candidate_list")
    assert 3 in caught.value.report.bad_rows
    assert Dataset.objects.count() == 0 and CandidateEntry.objects.count() == 0


def test_validating_in_a_second_process_in_many_small_batches_keeps_every_row_in_order(
    parallel, monkeypatch
):
    import disclosure.imports

    monkeypatch.setattr(disclosure.imports, "BATCH_ROWS", 7)  # 1,000 rows: 143 batches
    dataset = _import_path("admission_results_1000.csv", "admission_results")
    positions = list(dataset.entries.order_by("position").values_list("position", "source_row"))
    assert positions == [(n, n + 1) for n in range(1, 1001)]
    here = import_sample("admission_results_1000.csv", "admission_results")
    assert dataset.content_sha256 == here.content_sha256


def test_a_crash_in_the_validating_process_is_an_error_and_stores_nothing(parallel, monkeypatch):
    import disclosure.imports

    def broken(*args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr(disclosure.imports, "validate_file", broken)
    with pytest.raises(RuntimeError, match="MemoryError: simulated"):
        _import_path("admission_results_1000.csv", "admission_results")
    assert Dataset.objects.count() == 0 and AdmissionResult.objects.count() == 0


def test_a_failed_insert_stops_the_validating_process_and_stores_nothing(parallel, monkeypatch):
    import multiprocessing

    import disclosure.imports

    def failing_insert(model, columns, batches):
        next(iter(batches))  # the child is running and has sent a first batch
        raise OSError("disk full")

    monkeypatch.setattr(disclosure.imports, "insert_batches", failing_insert)
    monkeypatch.setattr(disclosure.imports, "BATCH_ROWS", 10)
    monkeypatch.setattr(disclosure.imports, "PIPE_BYTES", 4096)  # the child blocks on send
    with pytest.raises(OSError, match="disk full"):
        _import_path("admission_results_1000.csv", "admission_results")
    assert multiprocessing.active_children() == []
    assert Dataset.objects.count() == 0 and AdmissionResult.objects.count() == 0

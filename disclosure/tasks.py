"""Background tasks of the disclosure app (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    from .imports import execute_job

    return execute_job(job_id).status

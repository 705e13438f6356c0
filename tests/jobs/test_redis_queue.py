"""The queue on Redis (``REDIS_URL``), as several servers and worker machines share it.

Needs a Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379/15); skipped when none
answers. Each test uses a queue name of its own and removes only that queue's keys, so runs
in parallel, and anything else in that Redis database, are left alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from io import BytesIO

import pytest
import redis
from bs4 import BeautifulSoup
from huey import Huey, RedisHuey

from maturity.data import report_jobs
from maturity.jobs import queue, tasks
from maturity.models import JobKind, JobStatus
from tests.conftest import page, sign_in
from tests.jobs import workers
from tests.jobs.conftest import department_with, prepare_form

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis() -> redis.Redis:
    connection = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis answered a PING at REDIS_TEST_URL={REDIS_TEST_URL} ({error})")
    return connection


def _status(job_page: BeautifulSoup) -> str:
    return job_page.find(attrs={"data-job-status": True}).get_text(strip=True)


def _queue(name: str) -> Huey:
    """The queue as a server with REDIS_URL and REPORT_QUEUE_NAME set makes it, with the
    report task on it (the tests' own app runs tasks inline)."""
    made = queue.make_huey({"REDIS_URL": REDIS_TEST_URL, "REPORT_QUEUE_NAME": name})
    made._registry.register(tasks.build_report.task_class)
    return made


@pytest.fixture
def names() -> Iterator[tuple[str, str]]:
    """Two queue names no one else uses; their keys are deleted afterwards."""
    connection = _redis()
    ours, theirs = (f"maturitytest{uuid.uuid4().hex}" for _ in range(2))
    yield ours, theirs
    for name in (ours, theirs):
        # huey keeps a queue's keys at huey.<what>.<name> (and huey.notify.<name>.*).
        for key in [
            *connection.scan_iter(f"huey.*.{name}"),
            *connection.scan_iter(f"huey.*.{name}.*"),
        ]:
            connection.delete(key)


def test_a_queue_name_from_the_environment_names_its_redis_keys(names):
    ours, _ = names
    made = _queue(ours)
    assert isinstance(made, RedisHuey)
    assert made.storage.queue_key == f"huey.redis.{ours}"


@workers.no_flask_command
def test_a_job_asked_for_on_the_web_is_built_by_a_worker_on_redis(
    app, client, tmp_path, names, monkeypatch
):
    ours, theirs = names
    tree = department_with(2, periods=("2018",))
    web_queue = _queue(ours)
    # The web app hands its job to the Redis queue, as a server with REDIS_URL set does.
    monkeypatch.setattr(tasks.build_report, "huey", web_queue)
    # Another service's job on the same Redis, under its own queue name.
    # (Of other parameters: one of the same would answer the person's request too.)
    other = report_jobs.create(
        kind=JobKind.REPORTS_ZIP,
        organisation=tree.department,
        requested_by=None,
        parameters={"framework": "theirs"},
    )
    other_id = other.id
    other_queue = _queue(theirs)
    other_queue.enqueue(tasks.build_report.s(other_id))

    sign_in(client, tree.overseer.email)
    oversight = page(client.get(f"/organisations/{tree.department.slug}/oversight"))
    action, data = prepare_form(oversight, "Prepare a ZIP of each body's report")
    response = client.post(action, data=data)
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert _status(page(client.get(job_url))) == "Waiting to start"
    assert web_queue.pending_count() == 1, "the job must be waiting on Redis, not run inline"

    log = tmp_path / "worker.log"
    env = workers.environment(
        app,
        tmp_path,
        # Long enough that the worker's start-up sweep leaves the other service's job alone.
        stale_seconds=600,
        queue={"REDIS_URL": REDIS_TEST_URL, "REPORT_QUEUE_NAME": ours},
    )
    worker = workers.start(env, log)
    try:
        job_id = report_jobs.find(
            organisation=tree.department, token=job_url.rstrip("/").rsplit("/", 1)[-1]
        ).id
        workers.until(
            lambda: workers.job_now(job_id).status in (JobStatus.DONE, JobStatus.FAILED),
            seconds=90,
            what="the worker has built the job",
            log=log,
        )
    finally:
        workers.stop(worker, signal.SIGINT)

    done = workers.job_now(job_id)
    assert (done.status, done.error, done.done, done.total) == (JobStatus.DONE, "", 2, 2)
    job_page = page(client.get(job_url))
    assert _status(job_page) == "Ready"
    download = job_page.find("a", attrs={"download": True})
    assert download.get_text(strip=True) == "Download maturity-reports-department.zip"
    archive = zipfile.ZipFile(BytesIO(client.get(download["href"]).data))
    assert len(archive.namelist()) == 2
    # The other service's job was not taken: it is still waiting on its own queue.
    assert web_queue.pending_count() == 0
    assert other_queue.pending_count() == 1
    assert workers.job_now(other_id).status == JobStatus.QUEUED


@workers.no_flask_command
def test_build_reports_with_queue_on_redis(app, tmp_path, names):
    """The command line enqueues on Redis (REDIS_URL set in its environment), and waits."""
    ours, _ = names
    department_with(2, periods=("2018",))
    env = workers.environment(
        app,
        tmp_path,
        stale_seconds=600,
        queue={"REDIS_URL": REDIS_TEST_URL, "REPORT_QUEUE_NAME": ours},
    )
    out = tmp_path / "reports.zip"
    command = ["build-reports", "department", "--zip", "--queue", "--out", str(out)]
    worker = workers.start(env, tmp_path / "worker.log")
    try:
        result = subprocess.run(
            [str(workers.FLASK), "--app", "maturity", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    finally:
        workers.stop(worker, signal.SIGINT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("Queued; waiting for a worker")
    assert result.stderr.splitlines()[-1] == "2 of 2 bodies"
    assert len(zipfile.ZipFile(out).namelist()) == 2

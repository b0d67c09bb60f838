"""Real database outages for tests: a PostgreSQL cluster of the test's own stopped and started
again (the session's shared cluster must never be stopped)."""

from __future__ import annotations

import os
import subprocess

from tests.support.pg_cluster import SERVER_SETTINGS, PostgresCluster


def pg_ctl(cluster: PostgresCluster, *args: str) -> None:
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*as_postgres, str(cluster.binaries / "pg_ctl"), "--pgdata", str(cluster.data), *args],
        check=True,
        capture_output=True,
    )


def stop_cluster(cluster: PostgresCluster) -> None:
    pg_ctl(cluster, "--mode", "fast", "--wait", "stop")


def start_cluster(cluster: PostgresCluster) -> None:
    options = " ".join(
        [f"-p {cluster.port}", f"-k {cluster.folder}", *(f"-c {s}" for s in SERVER_SETTINGS)]
    )
    pg_ctl(
        cluster,
        "--log",
        str(cluster.folder / "server.log"),
        "--options",
        options,
        "--wait",
        "start",
    )

"""Shared fixtures.

Neo4j: tests marked ``@pytest.mark.neo4j`` run against a real Neo4j server
(Neo4j 5.26 LTS Community from Maven Central, started in-process with Bolt by
``scripts/test-server``).  Use the ``neo4j_server``
fixture for connection details, or ``neo4j_clean`` for a database emptied
before the test.

* If ``NEO4J_URI`` **and** ``KGRAPH_TEST_NEO4J=1`` are set (``.ci/run`` evals the
  output of ``scripts/test-server start``), that server is used.  The second
  variable is a guard: tests wipe the database, so a ``NEO4J_URI`` left pointing
  at a real graph is never used on its own.
* Otherwise the fixture starts a private server for the session and stops it.
* If no server can be had the tests are skipped with a loud reason — unless
  ``CI`` or ``KGRAPH_REQUIRE_NEO4J=1`` is set, where that is a failure, and any
  skip of a neo4j-marked test is turned into a failure too.

Development set: ``devset`` is the folder of the 31 annotated real texts
(``../shared/devset``, read in place, never copied); ``devset_predictions`` and
``seed_predictions`` are the extractor's contract records for them, made once
per session.  Without the folder those tests skip with the reason — on CI they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_SERVER = REPO / "scripts" / "test-server"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def neo4j_required() -> bool:
    return on_ci() or os.environ.get("KGRAPH_REQUIRE_NEO4J") == "1"


# ---------------------------------------------------------------- development set

SPEECHES = REPO / "data" / "speeches"


def devset_candidates() -> list[Path]:
    """``$KGRAPH_DEVSET``, else ``shared/devset`` beside the repository (``../shared/devset``)
    or one level further up (a git worktree in ``wt/NAME`` next to ``shared/``)."""
    if os.environ.get("KGRAPH_DEVSET"):
        return [Path(os.environ["KGRAPH_DEVSET"])]
    return [REPO.parent / "shared" / "devset", REPO.parent.parent / "shared" / "devset"]


def find_devset() -> Path | None:
    for path in devset_candidates():
        if (
            (path / "score.py").is_file()
            and (path / "gold").is_dir()
            and (path / "corpus").is_dir()
        ):
            return path.resolve()
    return None


@pytest.fixture(scope="session")
def devset() -> Path:
    """The development set folder; skip (fail on CI) when it is not there."""
    path = find_devset()
    if path is None:
        looked = ", ".join(str(p) for p in devset_candidates())
        reason = (
            f"DEVELOPMENT SET NOT FOUND (score.py, gold/, corpus/) at {looked} — set KGRAPH_DEVSET; "
            "the dev-set scoring and quality floors did not run"
        )
        if on_ci():
            pytest.fail(reason + " (CI: this is a failure)", pytrace=False)
        pytest.skip(reason)
    return path


def extract_records(paths) -> dict[str, dict]:
    """``kgraph extract --format jsonl`` records of ``paths``, by document id."""
    from kgraph.lexicon import load_lexicon
    from kgraph.pipeline import process_file, to_contract

    lexicon = load_lexicon()
    records = {}
    for path in paths:
        record = to_contract(process_file(path, lexicon=lexicon), lexicon)
        records[record["doc"]] = record
    return records


@pytest.fixture(scope="session")
def devset_predictions(devset) -> dict[str, dict]:
    return extract_records(sorted((devset / "corpus").glob("*.txt")))


@pytest.fixture(scope="session")
def seed_predictions() -> dict[str, dict]:
    return extract_records(sorted(SPEECHES.glob("*.txt")))


@pytest.fixture(scope="session")
def probe_predictions() -> dict[str, dict]:
    return extract_records(sorted((REPO / "tests" / "probe" / "corpus").glob("*.txt")))


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    database: str

    def driver(self):
        import neo4j

        return neo4j.GraphDatabase.driver(self.uri, auth=(self.user, self.password))

    def env(self) -> dict[str, str]:
        """Variables for a subprocess / CliRunner that should use this server."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USERNAME": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }


def _unavailable(reason: str):
    banner = f"NEO4J TESTS NOT RUN — no Bolt test server: {reason}"
    if neo4j_required():
        pytest.fail(
            banner + " (CI / KGRAPH_REQUIRE_NEO4J=1: this is a failure)", pytrace=False
        )
    pytest.skip(banner + " — run `scripts/test-server start` to see why")


def _parse_exports(text: str) -> dict[str, str]:
    env = {}
    for line in text.splitlines():
        if line.startswith("export ") and "=" in line:
            key, _, value = line[len("export ") :].partition("=")
            env[key.strip()] = value.strip()
    return env


def _wait_bolt(server: Neo4jServer) -> str | None:
    try:
        with server.driver() as drv:
            drv.execute_query("RETURN 1 AS ok", database_=server.database)
    except Exception as exc:  # noqa: BLE001 - reported as the skip/fail reason
        return f"{server.uri}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def neo4j_server():
    """Connection details of a live Bolt server whose database the tests may wipe."""
    uri = os.environ.get("NEO4J_URI")
    if uri and os.environ.get("KGRAPH_TEST_NEO4J") == "1":
        server = Neo4jServer(
            uri=uri,
            user=os.environ.get("NEO4J_USERNAME")
            or os.environ.get("NEO4J_USER")
            or "neo4j",
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or "neo4j",
        )
        if (err := _wait_bolt(server)) is not None:
            _unavailable(f"NEO4J_URI is set but the server does not answer: {err}")
        yield server
        return

    state = REPO / ".test-server" / f"pytest-{os.getpid()}"

    def cleanup() -> None:
        subprocess.run(
            [sys.executable, str(TEST_SERVER), "stop", "--dir", str(state)],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(state, ignore_errors=True)

    try:
        proc = subprocess.run(
            [sys.executable, str(TEST_SERVER), "start", "--dir", str(state)],
            capture_output=True,
            text=True,
            timeout=1200,  # the first start resolves Neo4j from Maven Central
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        cleanup()
        _unavailable(f"scripts/test-server start: {exc}")
    if proc.returncode != 0:
        cleanup()
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        _unavailable(f"scripts/test-server start exited {proc.returncode}: {last}")
    env = _parse_exports(proc.stdout)
    server = Neo4jServer(
        env["NEO4J_URI"],
        env["NEO4J_USERNAME"],
        env["NEO4J_PASSWORD"],
        env["NEO4J_DATABASE"],
    )
    try:
        yield server
    finally:
        cleanup()


def wipe_database(server: Neo4jServer) -> None:
    """Delete every node (and so every relationship), label by label — an unlabelled
    ``MATCH (n)`` is a full scan on real Neo4j."""
    with server.driver() as drv:
        records, _, _ = drv.execute_query(
            "CALL db.labels() YIELD label RETURN label", database_=server.database
        )
        labels = {r["label"] for r in records}
        from kgraph import schema

        labels.update(schema.NODE_LABELS)
        for label in sorted(labels):
            quoted = "`" + label.replace("`", "``") + "`"
            drv.execute_query(
                f"MATCH (n:{quoted}) DETACH DELETE n", database_=server.database
            )


@pytest.fixture
def neo4j_clean(neo4j_server):
    """``neo4j_server`` with an empty database at the start of the test."""
    wipe_database(neo4j_server)
    return neo4j_server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Where the Neo4j tests are required, a skipped neo4j test is a failed one."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("neo4j") is not None
        and neo4j_required()
    ):
        reason = (
            report.longrepr[-1]
            if isinstance(report.longrepr, tuple)
            else str(report.longrepr)
        )
        report.outcome = "failed"
        report.longrepr = f"neo4j test skipped where it is required (CI / KGRAPH_REQUIRE_NEO4J=1): {reason}"

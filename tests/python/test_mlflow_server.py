"""A real `mlflow server` (SQLite backend, artifacts served from a local folder, 127.0.0.1 on a
free port; started once for this module and stopped after it) receives AlphaLoom runs over REST:
the real client then reads exactly what was logged. The server's own refusals (a param changed,
an invalid key, an oversize batch) come back as one clear error line; a server that is down, or
that goes away in the middle of a run (a proxy that stops after 4 requests), makes `track log`
retry and then fail clearly while the run stays complete locally, and `track sync` delivers or
completes it later, a second sync creating nothing."""
import http.server
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from mlflow_support import MLFLOW_CLI, check_with_mlflow, expectation, workflow_text, write_outputs


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, root, port):
        self.root, self.port, self.process = root, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self):
        if not MLFLOW_CLI.exists():
            pytest.fail(f"{MLFLOW_CLI} missing; scripts/setup.sh creates it from requirements-mlflow.txt")
        log = open(self.root / "server.log", "ab")
        self.process = subprocess.Popen(
            [str(MLFLOW_CLI), "server", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
             "--backend-store-uri", f"sqlite:///{self.root / 'mlflow.db'}",
             "--artifacts-destination", str(self.root / "mlartifacts")],
            stdout=log, stderr=log, cwd=self.root, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"mlflow server exited: {(self.root / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.read().strip() == b"OK":
                        return self
            except OSError:
                time.sleep(0.5)
        raise AssertionError("mlflow server did not answer /health within 120 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("mlflow_server")
    started = Server(root, free_port()).start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("mlflow_outputs")
    return root, *write_outputs(root)


def log_run(alphaloom, root, outputs, tracking, check=True):
    _, train, backtest, report = outputs
    config = root / "workflow.yaml"
    config.write_text(workflow_text(tracking))
    result = alphaloom("track", "log", "--config", config, "--train", train, "--backtest", backtest, "--report",
                       report, check=check)
    return config, result


def test_run_over_rest_reads_back_exactly(server, outputs, alphaloom, tmp_path):
    _, train, backtest, report = outputs
    tracking = {"uri": server.url, "experiment": "compat-rest", "run_name": "rest-run",
                "register_as": "compat-rest-model", "alias": "staging", "local_store": str(tmp_path / "local")}
    config, result = log_run(alphaloom, tmp_path, outputs, tracking)
    local_run_id = result.stdout.strip()
    expect = expectation(server.url, "compat-rest", "rest-run", config, train, backtest, report, tracking,
                         model={"name": "compat-rest-model", "version": 1, "alias": "staging"},
                         source_run_id=local_run_id)
    check_with_mlflow(dict(expect), tmp_path)
    folder = alphaloom("models", "resolve", "models:/compat-rest-model@staging", "--uri", server.url, "--cache",
                       tmp_path / "cache").stdout.strip()
    assert (tmp_path / "cache").exists() and folder.startswith(str(tmp_path / "cache"))
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()) == sorted(
        ["MLmodel", "ensemble.json", "model.txt", "model.txt", "metadata.json", "metadata.json"])


def test_server_errors_are_reported(server, alphaloom):
    run = alphaloom("track", "run", "--uri", server.url, "--experiment", "errors", "--param", "lr=0.1")
    run_id = run.stdout.strip()
    changed = alphaloom("track", "run", "--uri", server.url, "--run-id", run_id, "--param", "lr=0.2", check=False)
    assert changed.returncode == 7
    assert "HTTP 400 INVALID_PARAMETER_VALUE" in changed.stderr and "Changing param values is not allowed" in changed.stderr
    assert len(changed.stderr.strip().splitlines()) == 1
    bad_key = alphaloom("track", "run", "--uri", server.url, "--run-id", run_id, "--param", "a@b=1",
                        "--server-checks-only", check=False)
    assert bad_key.returncode == 7 and "INVALID_PARAMETER_VALUE" in bad_key.stderr and "a@b" in bad_key.stderr
    many = [arg for index in range(150) for arg in ("--param", f"p{index}={index}")]
    oversize = alphaloom("track", "run", "--uri", server.url, "--run-id", run_id, *many, "--server-checks-only",
                         check=False)
    assert oversize.returncode == 7 and "at most 100 params" in oversize.stderr
    # The same 150 params through the normal path are split into batches the server accepts,
    # and the invalid key is refused locally before anything is sent.
    alphaloom("track", "run", "--uri", server.url, "--run-id", run_id, *many)
    local = alphaloom("track", "run", "--uri", server.url, "--run-id", run_id, "--param", "a@b=1", check=False)
    assert local.returncode == 4 and "invalid param key 'a@b'" in local.stderr


def test_server_down_then_sync_delivers_once(outputs, alphaloom, tmp_path):
    _, train, backtest, report = outputs
    down = Server(tmp_path, free_port())
    tracking = {"uri": down.url, "experiment": "compat-sync", "run_name": "sync-run", "register_as": "compat-sync-model",
                "alias": "production", "local_store": str(tmp_path / "local"), "max_attempts": 3}
    started = time.time()
    config, failed = log_run(alphaloom, tmp_path, outputs, tracking, check=False)
    assert failed.returncode == 7
    assert "failed 3 times" in failed.stderr and "track sync" in failed.stderr
    assert time.time() - started < 30
    local = tmp_path / "local"
    run_dirs = [p for p in local.glob("*/*") if (p / "meta.yaml").exists() and len(p.name) == 32]
    assert len(run_dirs) == 1 and "status: 3\n" in (run_dirs[0] / "meta.yaml").read_text()
    local_run_id = run_dirs[0].name
    down.start()
    try:
        first = alphaloom("track", "sync", "--from", local, "--to", down.url)
        assert "runs: 1 created" in first.stdout and "model versions: 1 created" in first.stdout
        again = alphaloom("track", "sync", "--from", local, "--to", down.url)
        assert "runs: 0 created, 0 completed, 1 already there" in again.stdout
        assert "model versions: 0 created, 1 already there" in again.stdout
        expect = expectation(down.url, "compat-sync", "sync-run", config, train, backtest, report, tracking,
                             model={"name": "compat-sync-model", "version": 1, "alias": "production"},
                             source_run_id=local_run_id)
        check_with_mlflow(dict(expect), tmp_path)
    finally:
        down.stop()


def test_sync_completes_a_half_sent_run(server, outputs, alphaloom, tmp_path):
    """A server run that holds only part of a local run (as when the server stopped mid-run) is
    found by its source tag and completed, with no duplicate run, param conflict or extra point."""
    _, train, backtest, report = outputs
    local = tmp_path / "local"
    tracking = {"uri": str(local), "experiment": "compat-resume", "run_name": "resume-run"}
    config, result = log_run(alphaloom, tmp_path, outputs, tracking)
    local_run_id = result.stdout.strip()
    meta = next(local.glob(f"*/{local_run_id}/meta.yaml")).read_text()
    start_ms = next(line.split()[1] for line in meta.splitlines() if line.startswith("start_time:"))
    alphaloom("track", "run", "--uri", server.url, "--experiment", "compat-resume", "--name", "resume-run",
              "--start-ms", start_ms,
              "--tag", f"alphaloom.source_run_id={local_run_id}", "--param", "model.kind=lightgbm",
              "--param", "name=mlflow-compat")
    synced = alphaloom("track", "sync", "--from", local, "--to", server.url)
    assert "runs: 0 created, 1 completed, 0 already there" in synced.stdout
    again = alphaloom("track", "sync", "--from", local, "--to", server.url)
    assert "runs: 0 created, 0 completed, 1 already there" in again.stdout
    expect = expectation(server.url, "compat-resume", "resume-run", config, train, backtest, report, tracking,
                         source_run_id=local_run_id)
    check_with_mlflow(expect, tmp_path)


class StoppingProxy:
    """Forwards HTTP requests to a server and stops listening after `limit` of them: the server,
    as the client sees it, goes away in the middle of a run."""

    def __init__(self, upstream, limit):
        self.upstream, self.limit, self.count = upstream, limit, 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def forward(self):
                proxy.count += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None, method=self.command,
                                                 headers={k: v for k, v in self.headers.items()
                                                          if k.lower() in ("content-type", "authorization")})
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, payload = answer.status, answer.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                if proxy.count >= proxy.limit:
                    threading.Thread(target=proxy.close).start()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_server_stops_mid_run_then_sync_completes_it(server, outputs, alphaloom, tmp_path):
    _, train, backtest, report = outputs
    # get-by-name, create experiment, create run, one log-batch, then the server is gone.
    proxy = StoppingProxy(server.url, limit=4)
    tracking = {"uri": proxy.url, "experiment": "compat-midrun", "run_name": "midrun", "local_store": str(tmp_path / "local"),
                "max_attempts": 2}
    config, failed = log_run(alphaloom, tmp_path, outputs, tracking, check=False)
    if proxy.count < proxy.limit:
        proxy.close()
    assert proxy.count == 4
    assert failed.returncode == 7, failed.stderr
    assert "failed 2 times" in failed.stderr and "is complete in" in failed.stderr and "track sync" in failed.stderr
    local_run_id = next(p.name for p in (tmp_path / "local").glob("*/*") if len(p.name) == 32)
    synced = alphaloom("track", "sync", "--from", tmp_path / "local", "--to", server.url)
    assert "runs: 0 created, 1 completed, 0 already there" in synced.stdout
    expect = expectation(server.url, "compat-midrun", "midrun", config, train, backtest, report, tracking,
                         source_run_id=local_run_id)
    check_with_mlflow(expect, tmp_path)

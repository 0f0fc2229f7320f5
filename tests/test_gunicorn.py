"""gunicorn.conf.py as gunicorn itself reads it: a kept-alive connection outlives a client's
pause, so a request sent on it after one is answered (with gunicorn's default of 2 s, a request
arriving as gunicorn closed the idle connection failed without an answer)."""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAUSE = 3  # seconds: longer than gunicorn's default keep-alive, as a user reading a page


def hello(environ, start_response):  # the smallest WSGI app: the test is about the server
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["-b", f"127.0.0.1:{port}", "tests.test_gunicorn:hello"]
    env = {"PATH": "/usr/bin:/bin", "WEB_CONCURRENCY": "1", "WEB_THREADS": "2"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def test_a_kept_alive_connection_answers_after_a_pause(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    for pause in (0, PAUSE):
        time.sleep(pause)
        connection.request("GET", "/")  # on the same connection: no reconnect in http.client
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"ok")
    connection.close()

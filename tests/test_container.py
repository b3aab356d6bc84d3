"""The container (deploy/Dockerfile) and the Kubernetes recipe (deploy/k8s/explorer.yaml), run.

podman builds the image on a base made from Debian's packages (deploy/local-base.sh: no image
registry answers here), runs it with its port published on 127.0.0.1, and the tests read it from
outside: the front page, read views and a live page whose lever moves its numbers (Debian's
Chromium). Then ``podman kube play`` runs the manifest's Deployment twice (two replicas: podman
plays one pod a Deployment): the read views answer alike on either, and behind the project's nginx
template (standing in for the Ingress, which podman does not play) a live page's lever works and
all its requests reach one replica. ``make test-container`` runs this file alone, ``make test``
with the rest (both install podman, debootstrap, runc and catatonit as root); missing tools are a
failure, not a skip. The live page's kernels' memory goes to test-artifacts/container-kernels.txt
(docs/deploy.md, "Capacity").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
import yaml
from servers import ARTIFACTS, ROOT, free_port, wait_for
from test_deploy import PREFIX, Nginx

from explorer.ui.live.page import PAGES

#: Minutes, not seconds (2.5-3 on a quiet machine): make test runs it, the quick loop does not.
pytestmark = pytest.mark.slow

CACHE = ROOT / ".cache" / "container"
BASE = "localhost/explorer-base:bookworm"
IMAGE = "localhost/social-investment-explorer:test"
MANIFEST = ROOT / "deploy" / "k8s" / "explorer.yaml"
#: What these machines need of podman (crun cannot set the ulimits, the systemd cgroup manager is
#: absent): runc, cgroupfs and explicit ulimits, for every podman command the tests run.
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
"""
#: Building on a cold cache installs the whole lock file: minutes, not seconds.
BUILD_TIMEOUT = 1800
APP_TIMEOUT = 180_000


def podman_env() -> dict[str, str]:
    """The environment for anything that runs podman (this file's calls and
    deploy/local-base.sh): the machine's settings written to the cache first, as a clean clone
    has no cache yet."""
    CACHE.mkdir(parents=True, exist_ok=True)
    conf = CACHE / "containers.conf"
    conf.write_text(CONTAINERS_CONF, encoding="utf-8")
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(*args: str, timeout: float = 300, check: bool = True, merged: bool = False) -> str:
    """Run podman with the machine's settings; its output (with its errors if ``merged``: a
    container's log is both), or a failure naming the command."""
    done = subprocess.run(
        ["podman", *args],
        cwd=ROOT,
        env=podman_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        errors = done.stdout if merged else done.stderr
        pytest.fail(f"podman {' '.join(args[:3])} failed:\n{errors[-3000:]}", pytrace=False)
    return done.stdout


def wait_warm(*logs: str, timeout: float = 300) -> None:
    """Wait until every page's kernel pool is filled, read in podman's logs (``logs`` are its
    arguments); before that, a busy machine can keep the launcher from answering for seconds."""
    deadline = time.monotonic() + timeout
    while True:
        filled = set(
            re.findall(r"Kernel pool of (\w+)\.ipynb is filled", podman(*logs, merged=True))
        )
        if filled >= set(PAGES):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel pools did not fill: {sorted(set(PAGES) - filled)}")
        time.sleep(1)


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def image() -> str:
    for tool in ("podman", "debootstrap", "runc"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            pytest.fail(f"{tool} is missing: run `make test-container` as root", pytrace=False)
    ARTIFACTS.mkdir(exist_ok=True)
    base = subprocess.run(
        ["deploy/local-base.sh", BASE, str(CACHE)],
        cwd=ROOT,
        env=podman_env(),
        capture_output=True,
        text=True,
    )
    if base.returncode != 0:
        pytest.fail(f"the local base image was not built:\n{base.stderr[-3000:]}", pytrace=False)
    log = podman(
        "build",
        "--format",  # OCI images have no HEALTHCHECK
        "docker",
        "--build-arg",
        f"BASE={BASE}",
        "--ignorefile",
        "deploy/Dockerfile.dockerignore",
        "-f",
        "deploy/Dockerfile",
        "-t",
        IMAGE,
        ".",
        timeout=BUILD_TIMEOUT,
    )
    (ARTIFACTS / "container-build.log").write_text(log, encoding="utf-8")
    podman("image", "prune", "--force", check=False)  # the images earlier builds left untagged
    return IMAGE


class Container:
    """The image run as its Dockerfile says, its port published on 127.0.0.1, until ``stop()``."""

    def __init__(self, image: str, name: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.name = f"{name}-{self.port}"
        self.url = f"http://127.0.0.1:{self.port}/"
        settings = {"EXPLORER_PUBLIC_URL": self.url.rstrip("/"), **(env or {})}
        podman(
            "run",
            "--detach",
            "--name",
            self.name,
            "--publish",
            f"127.0.0.1:{self.port}:8866",
            *(f"--env={k}={v}" for k, v in settings.items()),
            image,
        )
        try:
            wait_for(f"{self.url}voila/static/voila.js", timeout=180)
            wait_warm("logs", self.name)
        except RuntimeError:
            self.stop()
            pytest.fail(f"the container did not answer; see test-artifacts/{name}.log")

    def page(self, name: str, query: str = "") -> str:
        return f"{self.url}voila/render/{name}.ipynb" + (f"?{query}" if query else "")

    def kernels(self) -> list[psutil.Process]:
        """The container's kernel processes (seen from the host: one process tree)."""
        pid = int(podman("inspect", "--format", "{{.State.Pid}}", self.name).strip())
        return [
            p
            for p in psutil.Process(pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())
        ]

    def stop(self) -> None:
        logs = podman("logs", self.name, check=False, merged=True)
        (ARTIFACTS / f"{self.name.rsplit('-', 1)[0]}.log").write_text(logs, encoding="utf-8")
        podman("rm", "--force", "--time", "20", self.name, check=False)


@pytest.fixture(scope="class")
def container(image):
    """The container, stopped before the manifest's replicas start (both warm kernel pools)."""
    running = Container(image, "container")
    yield running
    running.stop()


class TestTheContainer:
    """The image run as deploy/Dockerfile says, read from outside."""

    def test_the_front_page_and_read_views_answer_from_the_container(self, container):
        status, body = get(container.page("index"))
        assert status == 200 and "An exception occurred" not in body
        status, body = get(f"{container.url}view/index")
        assert status == 200 and "explorer?" in body  # its menu links to the explorer's view
        status, body = get(f"{container.url}view/explorer?case=herning&caseload_after=25&lang=en")
        assert status == 200 and "<svg" in body
        assert f"{container.url}view/explorer?" in body  # the public address it was given

    def test_the_container_reports_itself_healthy(self, container):
        # The Dockerfile's HEALTHCHECK command, run now rather than after its start period.
        podman("healthcheck", "run", container.name)

    @pytest.mark.browser
    def test_a_live_page_in_the_container_moves_its_numbers(self, page, container):
        from playwright.sync_api import expect

        page.goto(container.page("explorer", "case=herning&lang=en"), timeout=APP_TIMEOUT)
        expect(page.locator(".app").first).to_be_visible(timeout=APP_TIMEOUT)
        expect(page.locator("#loading")).to_have_count(0, timeout=60_000)
        kpi = page.locator(".kpi-extra-workers .kpi-value")
        expect(kpi).to_have_text(re.compile(r"\d"), timeout=60_000)  # a number, not a placeholder
        before = kpi.inner_text()
        field = page.locator(".lever-caseload-after input.lever-value")
        field.fill("16" if field.input_value().strip() != "16" else "20")
        field.press("Enter")
        expect(kpi).not_to_have_text(before, timeout=30_000)
        expect(page.locator("body")).not_to_contain_text("An exception occurred")
        kernels = container.kernels()
        assert kernels, "the page's kernel runs in the container"
        (ARTIFACTS / "container-kernels.txt").write_text(
            "".join(
                f"pid {k.pid} rss {m.rss >> 20} MB uss {m.uss >> 20} MB {' '.join(k.cmdline())}\n"
                for k in kernels
                for m in [k.memory_full_info()]
            ),
            encoding="utf-8",
        )


# --- The Kubernetes manifest, played by podman ------------------------------------------------


def replica(doc: dict, name: str, port: int, image: str, public_url: str) -> dict:
    """The manifest's Deployment as one replica named ``name`` with the local image, published
    on 127.0.0.1:port, naming ``public_url`` (the Ingress's address) as its public address."""
    doc = yaml.safe_load(yaml.safe_dump(doc))
    doc["metadata"]["name"] = name
    doc["spec"]["replicas"] = 1
    spec = doc["spec"]["template"]["spec"]
    (voila,) = spec["containers"]
    voila["image"] = image
    voila["imagePullPolicy"] = "Never"
    voila["ports"] = [{**voila["ports"][0], "hostPort": port, "hostIP": "127.0.0.1"}]
    for item in voila["env"]:
        if item["name"] == "EXPLORER_PUBLIC_URL":
            item["value"] = public_url
    return doc


@pytest.fixture(scope="module")
def proxy_port() -> int:
    """The port of the nginx standing in for the Ingress (known before the replicas start)."""
    return free_port()


@pytest.fixture(scope="module")
def replicas(image, proxy_port, tmp_path_factory):
    """The manifest's Deployment played as two pods (podman plays one pod a Deployment): their
    addresses, under the manifest's prefix."""
    docs = list(yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")))
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] >= 2
    (voila,) = deployment["spec"]["template"]["spec"]["containers"]
    assert {"name": "EXPLORER_BASE_URL", "value": PREFIX} in voila["env"]
    ports = [free_port(), free_port()]
    played = tmp_path_factory.mktemp("kube") / "explorer.yaml"
    public = f"http://127.0.0.1:{proxy_port}"
    played.write_text(
        yaml.safe_dump_all(
            [replica(deployment, f"explorer-{i}", p, image, public) for i, p in enumerate(ports)]
        ),
        encoding="utf-8",
    )
    podman("kube", "play", str(played), timeout=300)
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}{PREFIX}voila/static/voila.js", timeout=180)
        for i in range(len(ports)):
            wait_warm("pod", "logs", f"explorer-{i}-pod-0")
    except RuntimeError:
        podman("kube", "down", str(played), check=False)
        pytest.fail("a replica did not answer (podman pod logs)", pytrace=False)
    yield ports
    for pod in podman("pod", "ps", "--format", "{{.Name}}").split():
        if pod.startswith("explorer-"):
            (ARTIFACTS / f"kube-{pod}.log").write_text(
                podman("pod", "logs", pod, check=False, merged=True), encoding="utf-8"
            )
    podman("kube", "down", str(played), check=False)


@pytest.fixture(scope="module")
def ingress(replicas, proxy_port):
    """The project's nginx template in front of both replicas, as the Ingress is: one upstream,
    hashed on the client address."""
    proxy = Nginx(replicas, proxy_port)
    yield proxy
    proxy.stop()


def test_the_manifests_replicas_answer_read_views_alike(replicas, proxy_port):
    answers = []
    for port in replicas:
        status, body = get(f"http://127.0.0.1:{port}{PREFIX}view/who_pays?case=aabenraa&lang=da")
        assert status == 200 and "<svg" in body
        assert f"http://127.0.0.1:{proxy_port}{PREFIX}view/who_pays?" in body  # the public one
        answers.append(body)
    assert answers[0] == answers[1]  # any replica may answer a read view
    status, body = get(f"http://127.0.0.1:{replicas[1]}{PREFIX}voila/render/index.ipynb")
    assert status == 200 and "An exception occurred" not in body


@pytest.mark.browser
def test_a_live_page_through_the_ingress_stays_on_one_replica(page, ingress):
    """The page, its kernel's websocket and the lever's messages all reach the replica that
    started the kernel."""
    from playwright.sync_api import expect

    page.goto(ingress.page("explorer", "case=herning&lang=en"), timeout=APP_TIMEOUT)
    expect(page.locator(".app").first).to_be_visible(timeout=APP_TIMEOUT)
    kpi = page.locator(".kpi-extra-workers .kpi-value")
    expect(kpi).to_have_text(re.compile(r"\d"), timeout=60_000)
    before = kpi.inner_text()
    field = page.locator(".lever-caseload-after input.lever-value")
    field.fill("16" if field.input_value().strip() != "16" else "20")
    field.press("Enter")
    expect(kpi).not_to_have_text(before, timeout=30_000)
    page.close()  # nginx logs a websocket when it closes
    deadline = time.monotonic() + 20
    while True:
        mine = [e for e in ingress.access_log() if e["upstream"] != "-"]
        sockets = [e for e in mine if e["status"] == "101" and "/api/kernels/" in e["path"]]
        if sockets or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert sockets, mine
    assert len({e["upstream"] for e in mine}) == 1, mine

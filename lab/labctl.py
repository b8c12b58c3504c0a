#!/usr/bin/env python3
"""fluxtools lab: a real local Kubernetes API server + real Flux controllers.

    python3 lab/labctl.py build    # compile pinned binaries (cached, skips existing)
    python3 lab/labctl.py built    # exit 0 when everything is built already
    python3 lab/labctl.py start    # fresh cluster + scenario, waits for convergence
    python3 lab/labctl.py status   # processes and ports
    python3 lab/labctl.py env      # export lines for KUBECONFIG and PATH
    python3 lab/labctl.py stop     # kill every recorded process group, verify

Everything listens on 127.0.0.1 only. Binaries live in
~/.cache/fluxtools-lab/<versions-key>/bin, runtime state in
~/.cache/fluxtools-lab/state (override: FLUXTOOLS_LAB_STATE).
See lab/README.md for the scenario and the intended state of every object.
"""

import base64
import contextlib
import datetime
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIO = "v1"

K8S, FLUX, ETCD, KWOK = "v1.36.3", "v2.9.4", "v3.6.16", "v0.8.0"
CONTROLLERS = {  # name -> version (image tag read by `flux version`)
    "source-controller": "v1.9.4",
    "kustomize-controller": "v1.9.4",
    "helm-controller": "v1.6.3",
    "notification-controller": "v1.9.3",
}
KEY = f"k8s-{K8S}_flux-{FLUX}_etcd-{ETCD}_kwok-{KWOK}"
CACHE = Path(os.environ.get("FLUXTOOLS_LAB_CACHE", Path.home() / ".cache" / "fluxtools-lab"))
BUILD = CACHE / KEY
BIN = BUILD / "bin"
STATE = Path(os.environ.get("FLUXTOOLS_LAB_STATE", CACHE / "state")).expanduser().resolve()
LOCK = STATE.parent / (STATE.name + ".lock")

HOST = "127.0.0.1"
PORTS = {
    "etcd-client": 26379,
    "etcd-peer": 26380,
    "apiserver": 26443,
    "apiserver-noflux": 26444,
    "unreachable": 26499,  # nothing listens here (lab-unreachable context)
    "kube-controller-manager": 26257,
    "kwok-kubelet": 26250,
    "git": 26418,
    "helm-repo": 26879,
    "source-storage": 26090,
    "notification-events": 26690,
    "notification-receiver": 26292,
    "source-controller-metrics": 26180,
    "kustomize-controller-metrics": 26181,
    "helm-controller-metrics": 26182,
    "notification-controller-metrics": 26183,
    "source-controller-health": 26190,
    "kustomize-controller-health": 26191,
    "helm-controller-health": 26192,
    "notification-controller-health": 26193,
}
PLANTED_USER = "lab-user"
PLANTED_SECRET = "planted-secret-123"
FIXED_DATE = "2026-01-01T00:00:00Z"
CONVERGE_TIMEOUT = int(os.environ.get("FLUXTOOLS_LAB_CONVERGE_TIMEOUT", "300"))

BASE_ENV = dict(os.environ)
BASE_ENV.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "GOTOOLCHAIN": "local"})
for _k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    BASE_ENV.pop(_k, None)


def log(msg: str) -> None:
    print(f"[lab {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def die(msg: str, code: int = 1):
    log("ERROR: " + msg)
    sys.exit(code)


# --------------------------------------------------------------------------- paths
def p(*parts) -> Path:
    return STATE.joinpath(*parts)


PKI = lambda *a: p("pki", *a)  # noqa: E731
ADMIN_KC = lambda: PKI("admin.kubeconfig")  # noqa: E731
KUBECONFIG = lambda: p("kubeconfig")  # noqa: E731


def binp(name: str) -> str:
    return str(BIN / name)


# --------------------------------------------------------------------------- processes
def proc_start_time(pid: int):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
        fields = data[data.rindex(")") + 2 :].split()
        if fields[0] in ("Z", "X"):
            return None
        return fields[19]
    except (OSError, ValueError, IndexError):
        return None


def alive(rec) -> bool:
    st = proc_start_time(rec["pid"])
    return st is not None and st == rec.get("start")


def ours(pid: int) -> bool:
    """Guard against PID reuse: only processes started from the lab's binaries,
    scripts or state dir are ever signalled."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().decode("utf-8", "replace")
    except OSError:
        return False
    return any(str(x) in cmd for x in (BIN, HERE, STATE))


def group_members(pgid: int):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                data = f.read()
            fields = data[data.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X") and ours(int(d)):
                out.append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return out


def load_pids():
    try:
        return json.loads(p("pids.json").read_text())
    except (OSError, ValueError):
        return {}


def save_pids(pids):
    tmp = p("pids.json.tmp")
    tmp.write_text(json.dumps(pids, indent=2))
    tmp.replace(p("pids.json"))


PIDS = {}


def spawn(name, cmd, env=None, cri_log=None):
    """Start a process in its own session/process group, record it."""
    out = open(p("logs", f"{name}.out"), "ab")  # noqa: SIM115 (the child keeps it)
    if cri_log:
        cmd = [sys.executable, str(HERE / "crilog.py"), str(cri_log), "--"] + cmd
    e = dict(BASE_ENV)
    if env:
        e.update(env)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=e,
        cwd=str(STATE),
        start_new_session=True,
    )
    time.sleep(0.05)
    PIDS[name] = {"pid": proc.pid, "start": proc_start_time(proc.pid), "cmd": cmd[:1] + cmd[1:4]}
    save_pids(PIDS)
    return proc


def pid_exists(pid: int) -> bool:
    """True while /proc/<pid> exists at all (zombies included, as pgrep sees them)."""
    return os.path.exists(f"/proc/{pid}")


def _term_tier(pids, names, grace):
    groups = [pids[n]["pid"] for n in names]
    for n in names:
        if alive(pids[n]):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pids[n]["pid"], signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and any(group_members(g) for g in groups):
        time.sleep(0.1)
    for n, g in zip(names, groups, strict=False):
        if group_members(g):
            log(f"{n} still up {grace:.0f}s after SIGTERM; sending SIGKILL")
        for m in group_members(g):
            with contextlib.suppress(ProcessLookupError):
                os.kill(m, signal.SIGKILL)


def stop_all(pids, verbose=True, grace=5.0) -> bool:
    """Stop every recorded process group in tiers (clients, then API servers, then
    etcd): SIGTERM, SIGKILL after `grace` seconds; then verify nothing is left."""
    names = list(pids.keys())[::-1]
    groups = [pids[n]["pid"] for n in names]
    core = ("kube-apiserver", "kube-apiserver-noflux", "etcd")
    tiers = [
        [n for n in names if n not in core],
        [n for n in names if n in core[:2]],
        [n for n in names if n == "etcd"],
    ]
    for tier in tiers:
        if tier:
            _term_tier(pids, tier, grace)
    deadline = time.time() + 10  # let the parent/init reap them, so pgrep sees nothing
    while time.time() < deadline and (any(group_members(g) for g in groups) or any(pid_exists(g) for g in groups)):
        time.sleep(0.2)
    ok = True
    for n in names:
        pid = pids[n]["pid"]
        rest = group_members(pid)
        if rest:
            ok = False
            log(f"still running: {n} pgid={pid} members={rest}")
    if verbose:
        print("checked PIDs (process groups): " + " ".join(str(x) for x in sorted(groups)))
        lingering = [g for g in groups if pid_exists(g)]
        if lingering:
            print("note: not yet reaped (zombie) PIDs: " + " ".join(map(str, lingering)))
    return ok


# --------------------------------------------------------------------------- http helpers
def ssl_ctx():
    ctx = ssl.create_default_context(cafile=str(PKI("ca.crt")))
    ctx.load_cert_chain(str(PKI("admin.crt")), str(PKI("admin.key")))
    return ctx


def http_ok(url, ctx=None, timeout=3) -> bool:
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=ctx))
        with opener.open(url, timeout=timeout) as r:
            return 200 <= r.status < 300
    except (urllib.error.URLError, OSError, ssl.SSLError):
        return False


def wait_for(what, fn, timeout=120, interval=0.5, proc_names=()):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if fn():
            log(f"{what} ready ({time.time() - t0:.1f}s)")
            return
        for n in proc_names:
            if n in PIDS and not alive(PIDS[n]):
                die(f"{n} exited while waiting for {what}; see {p('logs', n + '.out')}")
        time.sleep(interval)
    die(f"timed out after {timeout}s waiting for {what}")


def port_free(port) -> bool:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


# --------------------------------------------------------------------------- kubectl
def kubectl(*args, check=True, input=None, kubeconfig=None, capture=True):
    cmd = [binp("kubectl"), "--kubeconfig", str(kubeconfig or ADMIN_KC())] + list(args)
    r = subprocess.run(
        cmd, input=input, text=True, env=BASE_ENV, stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE
    )
    if check and r.returncode != 0:
        die(f"kubectl {' '.join(args)} failed: {r.stderr.strip()}")
    return r


def apply_objs(objs, what):
    doc = json.dumps({"apiVersion": "v1", "kind": "List", "items": objs}, indent=1)
    fname = p("manifests", f"{what}.json")
    fname.write_text(doc)
    kubectl("apply", "--server-side", "--field-manager=fluxtools-lab", "-f", str(fname))


def get_json(*args):
    r = kubectl("get", *args, "-o", "json", check=False)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


# --------------------------------------------------------------------------- PKI
def openssl(*args):
    subprocess.run(
        ["openssl"] + list(args), check=True, cwd=str(PKI()), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def make_pki():
    PKI().mkdir(parents=True)
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "3650",
        "-subj",
        "/CN=fluxtools-lab-ca",
    )

    def leaf(name, subj, ext):
        PKI(f"{name}.ext").write_text(ext)
        openssl(
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            subj,
        )
        openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "3650",
            "-out",
            f"{name}.crt",
            "-extfile",
            f"{name}.ext",
        )

    leaf(
        "apiserver",
        "/CN=kube-apiserver",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,"
        "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,"
        "DNS:kubernetes.default.svc.cluster.local\n",
    )
    leaf(
        "admin",
        "/O=system:masters/CN=admin",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
    )
    openssl("genrsa", "-out", "sa.key", "2048")
    openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")
    token = base64.b32encode(os.urandom(20)).decode().lower().rstrip("=")
    PKI("tokens.csv").write_text(f'{token},jane,1001,"team-a-readers"\n')
    return token


def b64file(path) -> str:
    return base64.b64encode(Path(path).read_bytes()).decode()


def write_kubeconfigs(jane_token):
    ca = b64file(PKI("ca.crt"))
    crt, key = b64file(PKI("admin.crt")), b64file(PKI("admin.key"))
    q = json.dumps

    def cluster(name, port):
        return (
            f"- name: {name}\n  cluster:\n    server: {q(f'https://{HOST}:{port}')}\n"
            f"    certificate-authority-data: {ca}\n"
        )

    admin_user = f"- name: lab-admin\n  user:\n    client-certificate-data: {crt}\n    client-key-data: {key}\n"
    ADMIN_KC().write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n"
        + cluster("lab", PORTS["apiserver"])
        + "users:\n"
        + admin_user
        + "contexts:\n- name: lab\n  context: {cluster: lab, user: lab-admin}\n"
        "current-context: lab\npreferences: {}\n"
    )
    KUBECONFIG().write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n"
        + cluster("lab", PORTS["apiserver"])
        + cluster("lab-noflux", PORTS["apiserver-noflux"])
        + cluster("lab-unreachable", PORTS["unreachable"])
        + "users:\n"
        + admin_user
        + f"- name: jane\n  user:\n    token: {q(jane_token)}\n"
        + "contexts:\n"
        "- name: lab\n  context: {cluster: lab, user: lab-admin}\n"
        "- name: lab-restricted\n  context: {cluster: lab, user: jane, namespace: team-a}\n"
        "- name: lab-noflux\n  context: {cluster: lab-noflux, user: lab-admin}\n"
        "- name: lab-unreachable\n  context: {cluster: lab-unreachable, user: lab-admin}\n"
        "current-context: lab\npreferences: {}\n"
    )
    os.chmod(KUBECONFIG(), 0o600)
    os.chmod(ADMIN_KC(), 0o600)
    p("garbled.kubeconfig").write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster: {server: [unclosed\n"
        "  users: : : -\n\t- broken: 'yaml\n"
    )


# --------------------------------------------------------------------------- control plane
def start_etcd():
    ep = f"http://{HOST}:{PORTS['etcd-client']}"
    spawn(
        "etcd",
        [
            binp("etcd"),
            "--name",
            "lab",
            "--data-dir",
            str(p("etcd")),
            "--listen-client-urls",
            ep,
            "--advertise-client-urls",
            ep,
            "--listen-peer-urls",
            f"http://{HOST}:{PORTS['etcd-peer']}",
            "--initial-advertise-peer-urls",
            f"http://{HOST}:{PORTS['etcd-peer']}",
            "--initial-cluster",
            f"lab=http://{HOST}:{PORTS['etcd-peer']}",
            "--listen-metrics-urls",
            "",
            "--log-level",
            "warn",
            "--quota-backend-bytes",
            str(2 * 1024**3),
        ],
    )
    wait_for("etcd", lambda: http_ok(ep + "/health"), 60, proc_names=["etcd"])


def start_apiserver(name, port, prefix):
    spawn(
        name,
        [
            binp("kube-apiserver"),
            f"--etcd-servers=http://{HOST}:{PORTS['etcd-client']}",
            f"--etcd-prefix={prefix}",
            f"--bind-address={HOST}",
            f"--advertise-address={HOST}",
            f"--secure-port={port}",
            f"--tls-cert-file={PKI('apiserver.crt')}",
            f"--tls-private-key-file={PKI('apiserver.key')}",
            f"--client-ca-file={PKI('ca.crt')}",
            f"--token-auth-file={PKI('tokens.csv')}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={PKI('sa.pub')}",
            f"--service-account-signing-key-file={PKI('sa.key')}",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--authorization-mode=RBAC",
            "--allow-privileged=true",
            "--kubelet-preferred-address-types=InternalIP,Hostname",
            "--disable-admission-plugins=ServiceAccount",
            "--profiling=false",
            "--endpoint-reconciler-type=none",
            "--v=1",
        ],
    )


def apiserver_ready(port):
    return lambda: http_ok(f"https://{HOST}:{port}/readyz", ssl_ctx())


def start_kcm():
    kc = str(ADMIN_KC())
    spawn(
        "kube-controller-manager",
        [
            binp("kube-controller-manager"),
            f"--kubeconfig={kc}",
            f"--authentication-kubeconfig={kc}",
            f"--authorization-kubeconfig={kc}",
            "--leader-elect=false",
            f"--bind-address={HOST}",
            f"--secure-port={PORTS['kube-controller-manager']}",
            f"--service-account-private-key-file={PKI('sa.key')}",
            f"--root-ca-file={PKI('ca.crt')}",
            f"--cluster-signing-cert-file={PKI('ca.crt')}",
            f"--cluster-signing-key-file={PKI('ca.key')}",
            "--use-service-account-credentials=false",
            # only what the lab needs: Deployment -> ReplicaSet -> Pod, garbage collection
            "--controllers=deployment-controller,replicaset-controller,garbage-collector-controller,"
            "namespace-controller,serviceaccount-controller,pod-garbage-collector-controller",
            "--v=1",
        ],
    )


# --------------------------------------------------------------------------- kwok
def kwok_config():
    stages_dir = BUILD / "kwok-stages"
    docs = []
    for rel in (
        "node/fast/node-initialize.yaml",
        "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
        "pod/fast/pod-ready.yaml",
        "pod/fast/pod-complete.yaml",
        "pod/fast/pod-delete.yaml",
    ):
        f = stages_dir / rel
        if not f.exists():
            die(f"kwok stage file missing: {f} (run build)")
        docs.append(f.read_text().strip().lstrip("-").strip())
    logs = "\n".join(
        f"  - containers: [{c}]\n    logsFile: {p('logs', c + '.log')}\n    follow: true" for c in CONTROLLERS
    )
    docs.append(
        "kind: ClusterLogs\napiVersion: kwok.x-k8s.io/v1alpha1\nmetadata:\n"
        "  name: flux-controller-logs\nspec:\n  selector:\n    matchNamespaces: [flux-system]\n"
        f"  logs:\n{logs}"
    )
    p("kwok.yaml").write_text("\n---\n".join(docs) + "\n")


def start_kwok():
    kwok_config()
    apply_objs(
        [
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "name": "kwok-node-0",
                    "annotations": {"kwok.x-k8s.io/node": "fake"},
                    "labels": {
                        "kubernetes.io/hostname": "kwok-node-0",
                        "kubernetes.io/os": "linux",
                        "kubernetes.io/arch": "amd64",
                        "type": "kwok",
                    },
                },
                "spec": {},
            }
        ],
        "node",
    )
    spawn(
        "kwok",
        [
            binp("kwok"),
            f"--kubeconfig={ADMIN_KC()}",
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            f"--node-ip={HOST}",
            f"--node-port={PORTS['kwok-kubelet']}",
            f"--server-address={HOST}:{PORTS['kwok-kubelet']}",
            "--cidr=10.244.0.0/16",
            f"--config={p('kwok.yaml')}",
            "--v=INFO",
        ],
    )

    def node_ready():
        n = get_json("node", "kwok-node-0")
        conds = (n or {}).get("status", {}).get("conditions", [])
        return any(c["type"] == "Ready" and c["status"] == "True" for c in conds)

    wait_for("kwok node kwok-node-0", node_ready, 60, 1, proc_names=["kwok"])


# --------------------------------------------------------------------------- cluster objects
def ns_obj(name):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def install_crds():
    files = []
    for c in CONTROLLERS:
        d = BUILD / "crds" / c
        fs = sorted(d.glob("*.yaml"))
        if not fs:
            die(f"no CRDs in {d} (run build)")
        files += fs
    args = ["apply", "--server-side", "--field-manager=fluxtools-lab", "-o", "name"]
    for f in files:
        args += ["-f", str(f)]
    names = [line.split("/", 1)[1] for line in kubectl(*args).stdout.split() if "/" in line]
    kubectl(
        "label",
        "--overwrite",
        "crd",
        *names,
        "app.kubernetes.io/part-of=flux",
        "app.kubernetes.io/instance=flux-system",
        f"app.kubernetes.io/version={FLUX}",
    )
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", *names)
    log(f"{len(names)} Flux CRDs applied and labelled")


def controller_deployments(with_kcm):
    objs = []
    for c, ver in CONTROLLERS.items():
        common = {
            "app.kubernetes.io/part-of": "flux",
            "app.kubernetes.io/instance": "flux-system",
            "app.kubernetes.io/component": c,
        }
        pod_labels = dict(common, app=c)
        pod_spec = {
            "nodeName": "kwok-node-0",
            "containers": [
                {
                    "name": c,
                    "image": f"ghcr.io/fluxcd/{c}:{ver}",
                    "args": ["--log-encoding=json"],
                    "ports": [{"name": "http-prom", "containerPort": 8080}],
                }
            ],
        }
        objs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {
                    "name": c,
                    "namespace": "flux-system",
                    "labels": dict(common, **{"control-plane": "controller", "app.kubernetes.io/version": FLUX}),
                },
                "spec": {
                    "replicas": 1,
                    "selector": {"matchLabels": {"app": c}},
                    "template": {"metadata": {"labels": pod_labels}, "spec": pod_spec},
                },
            }
        )
        if not with_kcm:  # bare pod; Deployment status patched below
            objs.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": f"{c}-0", "namespace": "flux-system", "labels": pod_labels},
                    "spec": pod_spec,
                }
            )
    apply_objs(objs, "flux-deployments")
    if not with_kcm:
        for c in CONTROLLERS:
            d = get_json("deployment", c, "-n", "flux-system")
            status = {
                "status": {
                    "observedGeneration": d["metadata"]["generation"],
                    "replicas": 1,
                    "updatedReplicas": 1,
                    "readyReplicas": 1,
                    "availableReplicas": 1,
                    "conditions": [
                        {
                            "type": "Available",
                            "status": "True",
                            "reason": "MinimumReplicasAvailable",
                            "message": "lab (no kube-controller-manager)",
                        }
                    ],
                }
            }
            kubectl(
                "patch",
                "deployment",
                c,
                "-n",
                "flux-system",
                "--subresource=status",
                "--type=merge",
                "-p",
                json.dumps(status),
            )

    def ready():
        for c in CONTROLLERS:
            d = get_json("deployment", c, "-n", "flux-system") or {}
            st = d.get("status", {})
            if st.get("availableReplicas") != 1 or st.get("observedGeneration") != d["metadata"]["generation"]:
                return False
        pods = get_json("pods", "-n", "flux-system") or {"items": []}
        running = [x for x in pods["items"] if x.get("status", {}).get("phase") == "Running"]
        return len(running) >= len(CONTROLLERS)

    wait_for("controller Deployments + kwok pods", ready, 120, 1)


def rbac_objs():
    return [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "flux-readonly", "namespace": "team-a"},
            "rules": [
                {
                    "apiGroups": [
                        "source.toolkit.fluxcd.io",
                        "kustomize.toolkit.fluxcd.io",
                        "helm.toolkit.fluxcd.io",
                        "notification.toolkit.fluxcd.io",
                    ],
                    "resources": ["*"],
                    "verbs": ["get", "list", "watch"],
                }
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "jane-flux-readonly", "namespace": "team-a"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "flux-readonly"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}],
        },
    ]


# --------------------------------------------------------------------------- flux controllers
def start_controllers():
    env = {
        "KUBECONFIG": str(ADMIN_KC()),
        "RUNTIME_NAMESPACE": "flux-system",
        "HOME": str(p("home")),
        "TMPDIR": str(p("tmp")),
    }
    ev = f"--events-addr=http://{HOST}:{PORTS['notification-events']}/"
    extra = {
        "source-controller": [
            ev,
            f"--storage-path={p('artifacts')}",
            f"--storage-addr={HOST}:{PORTS['source-storage']}",
            f"--storage-adv-addr={HOST}:{PORTS['source-storage']}",
        ],
        "kustomize-controller": [ev],
        "helm-controller": [ev],
        "notification-controller": [
            f"--events-addr={HOST}:{PORTS['notification-events']}",
            f"--receiverAddr={HOST}:{PORTS['notification-receiver']}",
        ],
    }
    for c in CONTROLLERS:
        cmd = [
            binp(c),
            "--log-encoding=json",
            "--log-level=info",
            f"--metrics-addr={HOST}:{PORTS[c + '-metrics']}",
            f"--health-addr={HOST}:{PORTS[c + '-health']}",
        ] + extra[c]
        spawn(c, cmd, env=env, cri_log=p("logs", f"{c}.log"))
    for c in CONTROLLERS:
        wait_for(c, lambda c=c: http_ok(f"http://{HOST}:{PORTS[c + '-health']}/readyz"), 120, proc_names=[c])


# --------------------------------------------------------------------------- git + helm content
CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {ns}
data:
  owner: {owner}
"""

KUSTOMIZATION_HEAD = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"

GIT_TREE = {
    "README.md": "fluxtools lab fleet repository (generated by lab/labctl.py, scenario v1)\n",
    "infrastructure/kustomization.yaml": KUSTOMIZATION_HEAD + "- settings.yaml\n",
    "infrastructure/settings.yaml": CM.format(name="infra-settings", ns="apps", owner="infrastructure"),
    "apps/kustomization.yaml": KUSTOMIZATION_HEAD + "- app-config.yaml\n",
    "apps/app-config.yaml": CM.format(name="app-config", ns="apps", owner="apps"),
    "broken-build/kustomization.yaml": KUSTOMIZATION_HEAD + "- present.yaml\n- missing-file.yaml\n",
    "broken-build/present.yaml": CM.format(name="broken-build-present", ns="apps", owner="broken-build"),
    "suspended/config.yaml": CM.format(name="suspended-config", ns="apps", owner="suspended-app"),
    "dependent/config.yaml": CM.format(name="dependent-config", ns="apps", owner="dependent-app"),
    "team-a/config.yaml": CM.format(name="team-a-config", ns="team-a", owner="team-a"),
    "slow-health/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: never-ready
  namespace: team-b
spec:
  replicas: 1
  progressDeadlineSeconds: 36000
  selector:
    matchLabels: {app: never-ready}
  template:
    metadata:
      labels: {app: never-ready}
    spec:
      # no scheduler runs in the lab: this pod stays Pending forever
      containers:
      - name: app
        image: registry.invalid/never-ready:1.0
""",
}


def make_git_repo():
    work, repos = p("git", "fleet-work"), p("git", "repos")
    work.mkdir(parents=True)
    repos.mkdir(parents=True)
    for rel, content in GIT_TREE.items():
        f = work / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(content)
    env = dict(
        BASE_ENV,
        GIT_AUTHOR_NAME="fluxtools lab",
        GIT_AUTHOR_EMAIL="lab@example.invalid",
        GIT_COMMITTER_NAME="fluxtools lab",
        GIT_COMMITTER_EMAIL="lab@example.invalid",
        GIT_AUTHOR_DATE=FIXED_DATE,
        GIT_COMMITTER_DATE=FIXED_DATE,
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(p("home")),
    )

    def git(*a, cwd=work):
        subprocess.run(
            ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + list(a),
            cwd=str(cwd),
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "lab scenario v1")
    git("clone", "-q", "--bare", str(work), str(repos / "fleet.git"), cwd=p("git"))
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=str(work), env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()
    return rev


def chart_tgz(version):
    files = {
        "Chart.yaml": f"apiVersion: v2\nname: lab-chart\ndescription: fluxtools lab chart (ConfigMaps only)\n"
        f'type: application\nversion: {version}\nappVersion: "{version}"\n',
        "values.yaml": "message: hello from the lab\nfailInstall: false\n",
        "templates/configmap.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n"
            "  namespace: {{ .Release.Namespace }}\n  labels:\n    app.kubernetes.io/name: lab-chart\n"
            "data:\n  message: {{ .Values.message | quote }}\n  chartVersion: {{ .Chart.Version | quote }}\n"
        ),
        "templates/fail.yaml": (
            "{{- if .Values.failInstall }}\n"
            '{{- fail "failInstall is true: this lab release is designed to fail" }}\n{{- end }}\n'
        ),
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for rel, content in files.items():
            data = content.encode()
            ti = tarfile.TarInfo(f"lab-chart/{rel}")
            ti.size, ti.mtime, ti.mode = len(data), 1767225600, 0o644
            tf.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def make_chart_repo():
    d = p("charts")
    d.mkdir()
    entries = []
    for v in ("0.2.0", "0.1.0"):
        data = chart_tgz(v)
        (d / f"lab-chart-{v}.tgz").write_bytes(data)
        entries.append(
            f'  - apiVersion: v2\n    appVersion: "{v}"\n    created: "{FIXED_DATE}"\n'
            f"    description: fluxtools lab chart (ConfigMaps only)\n"
            f"    digest: {hashlib.sha256(data).hexdigest()}\n    name: lab-chart\n    type: application\n"
            f"    urls:\n    - http://{HOST}:{PORTS['helm-repo']}/lab-chart-{v}.tgz\n    version: {v}\n"
        )
    (d / "index.yaml").write_text(
        "apiVersion: v1\nentries:\n  lab-chart:\n" + "".join(entries) + f'generated: "{FIXED_DATE}"\n'
    )


def start_servers():
    spawn(
        "git-server",
        [
            sys.executable,
            str(HERE / "gitserver.py"),
            "--root",
            str(p("git", "repos")),
            "--port",
            str(PORTS["git"]),
            "--private",
            "private.git",
        ],
    )
    spawn(
        "helm-repo",
        [sys.executable, "-m", "http.server", str(PORTS["helm-repo"]), "--bind", HOST, "--directory", str(p("charts"))],
    )
    wait_for(
        "git server",
        lambda: http_ok(f"http://{HOST}:{PORTS['git']}/fleet.git/info/refs?service=git-upload-pack"),
        30,
        proc_names=["git-server"],
    )
    wait_for(
        "helm repo", lambda: http_ok(f"http://{HOST}:{PORTS['helm-repo']}/index.yaml"), 30, proc_names=["helm-repo"]
    )


# --------------------------------------------------------------------------- scenario
GIT_URL = f"http://{HOST}:{PORTS['git']}/fleet.git"


def ks(name, ns, path, **spec):
    s = {
        "interval": "10m",
        "path": path,
        "prune": True,
        "timeout": "1m",
        "sourceRef": {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"},
    }
    s.update(spec)
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": ns},
        "spec": s,
    }


def hr(name, ns, version, values=None):
    spec = {
        "interval": "10m",
        "timeout": "1m",
        "chart": {
            "spec": {
                "chart": "lab-chart",
                "version": version,
                "interval": "10m",
                "sourceRef": {"kind": "HelmRepository", "name": "lab-charts", "namespace": "flux-system"},
            }
        },
        "install": {"disableWait": True, "disableWaitForJobs": True},
        "upgrade": {"disableWait": True, "disableWaitForJobs": True},
    }
    if values:
        spec["values"] = values
    return {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }


def gitrepo(name, ns, url, **spec):
    s = {"interval": "10m", "url": url, "ref": {"branch": "main"}, "timeout": "30s"}
    s.update(spec)
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": {"name": name, "namespace": ns},
        "spec": s,
    }


def scenario_objs():
    private_url = f"http://{PLANTED_USER}:{PLANTED_SECRET}@{HOST}:{PORTS['git']}/private.git"
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "git-credentials", "namespace": "flux-system"},
            "type": "Opaque",
            "stringData": {"username": PLANTED_USER, "password": PLANTED_SECRET},
        },
        gitrepo("flux-system", "flux-system", GIT_URL),
        gitrepo("private-repo", "flux-system", private_url, secretRef={"name": "git-credentials"}),
        gitrepo("team-a-repo", "team-a", GIT_URL),
        {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "HelmRepository",
            "metadata": {"name": "lab-charts", "namespace": "flux-system"},
            "spec": {"interval": "10m", "url": f"http://{HOST}:{PORTS['helm-repo']}", "timeout": "30s"},
        },
        ks("infrastructure", "flux-system", "./infrastructure"),
        ks("apps", "flux-system", "./apps", dependsOn=[{"name": "infrastructure"}]),
        ks("broken-path", "flux-system", "./does-not-exist"),
        ks("broken-build", "flux-system", "./broken-build"),
        ks("suspended-app", "flux-system", "./suspended"),
        ks("dependent-app", "flux-system", "./dependent", dependsOn=[{"name": "broken-build"}]),
        ks("team-a-app", "team-a", "./team-a", sourceRef={"kind": "GitRepository", "name": "team-a-repo"}),
        ks("slow-health", "team-b", "./slow-health", wait=True, timeout="5m", retryInterval="1h", interval="1h"),
        hr("podinfo", "apps", "0.2.0"),
        hr("broken-install", "apps", "0.1.0", {"failInstall": True}),
        hr("missing-version", "apps", "9.9.9"),
        hr("team-a-release", "team-a", "0.1.0", {"message": "hello team-a"}),
    ]


# (kind, namespace, name, expected Ready, accepted reasons, note) -- lab/README.md mirrors this table
EXPECT = [
    ("GitRepository", "flux-system", "flux-system", "True", {"Succeeded"}, ""),
    (
        "GitRepository",
        "flux-system",
        "private-repo",
        "False",
        {"GitOperationFailed"},
        "401 from git server; message carries the planted URL credentials",
    ),
    ("GitRepository", "team-a", "team-a-repo", "True", {"Succeeded"}, ""),
    ("HelmRepository", "flux-system", "lab-charts", "True", {"Succeeded"}, ""),
    ("HelmChart", "flux-system", "apps-podinfo", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("HelmChart", "flux-system", "apps-broken-install", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("HelmChart", "flux-system", "apps-missing-version", "False", {"InvalidChartReference"}, "Stalled=True"),
    ("HelmChart", "flux-system", "team-a-team-a-release", "True", {"ChartPullSucceeded"}, "created by helm-controller"),
    ("Kustomization", "flux-system", "infrastructure", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "flux-system", "apps", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "flux-system", "broken-path", "False", {"ArtifactFailed"}, ""),
    ("Kustomization", "flux-system", "broken-build", "False", {"BuildFailed"}, ""),
    ("Kustomization", "flux-system", "suspended-app", "True", {"ReconciliationSucceeded"}, "suspended"),
    ("Kustomization", "flux-system", "dependent-app", "False", {"DependencyNotReady"}, ""),
    ("Kustomization", "team-a", "team-a-app", "True", {"ReconciliationSucceeded"}, ""),
    ("Kustomization", "team-b", "slow-health", "Unknown|False", {"Progressing", "HealthCheckFailed"}, "slow"),
    ("HelmRelease", "apps", "podinfo", "True", {"InstallSucceeded"}, ""),
    ("HelmRelease", "apps", "broken-install", "False", {"InstallFailed", "RetriesExceeded"}, ""),
    ("HelmRelease", "apps", "missing-version", "False", {"SourceNotReady"}, ""),
    ("HelmRelease", "team-a", "team-a-release", "True", {"InstallSucceeded"}, ""),
]
RESOURCE = {
    "GitRepository": "gitrepositories.source.toolkit.fluxcd.io",
    "HelmRepository": "helmrepositories.source.toolkit.fluxcd.io",
    "HelmChart": "helmcharts.source.toolkit.fluxcd.io",
    "Kustomization": "kustomizations.kustomize.toolkit.fluxcd.io",
    "HelmRelease": "helmreleases.helm.toolkit.fluxcd.io",
}


def ready_cond(obj):
    for c in obj.get("status", {}).get("conditions", []) or []:
        if c["type"] == "Ready":
            return c
    return None


def check_expect():
    """Return list of (obj-id, problem) for objects not yet in their intended state."""
    items = {}
    for kind, res in RESOURCE.items():
        data = get_json(res, "-A") or {"items": []}
        for o in data["items"]:
            items[(kind, o["metadata"]["namespace"], o["metadata"]["name"])] = o
    bad = []
    for kind, ns, name, want, reasons, _ in EXPECT:
        o = items.get((kind, ns, name))
        oid = f"{kind}/{ns}/{name}"
        if o is None:
            bad.append((oid, "missing"))
            continue
        c = ready_cond(o)
        if c is None:
            bad.append((oid, "no Ready condition"))
            continue
        if c["status"] not in want.split("|") or c.get("reason") not in reasons:
            bad.append((oid, f"Ready={c['status']} reason={c.get('reason')} msg={c.get('message', '')[:120]}"))
            continue
        if want == "True" and o["status"].get("observedGeneration") != o["metadata"]["generation"]:
            bad.append((oid, "observedGeneration behind"))
    return bad


def wait_converged(timeout):
    t0 = time.time()
    bad = check_expect()
    while bad and time.time() - t0 < timeout:
        for n in CONTROLLERS:
            if not alive(PIDS[n]):
                die(f"{n} died; see {p('logs', n + '.out')}")
        time.sleep(2)
        bad = check_expect()
    return bad, time.time() - t0


def apply_scenario():
    apply_objs(rbac_objs(), "rbac")
    objs = scenario_objs()
    sources = [o for o in objs if o["kind"] in ("Secret", "GitRepository", "HelmRepository")]
    apply_objs(sources, "scenario-sources")

    def sources_ready():  # consumers created before their artifact exist retry only after 30s
        for res, ns, name in (
            ("gitrepositories", "flux-system", "flux-system"),
            ("gitrepositories", "team-a", "team-a-repo"),
            ("helmrepositories", "flux-system", "lab-charts"),
        ):
            c = ready_cond(get_json(f"{res}.source.toolkit.fluxcd.io", name, "-n", ns) or {})
            if c is None or c["status"] != "True":
                return False
        return True

    wait_for("sources (fleet.git, team-a-repo, lab-charts)", sources_ready, 90, 0.5)
    # `apps` dependsOn `infrastructure`; created before it is Ready it would wait for
    # kustomize-controller's --requeue-dependency (30s), so create it afterwards.
    rest = [o for o in objs if o not in sources]
    late = [o for o in rest if o["metadata"]["name"] == "apps"]
    apply_objs([o for o in rest if o not in late], "scenario")

    def infra_ready():
        c = ready_cond(
            get_json("kustomizations.kustomize.toolkit.fluxcd.io", "infrastructure", "-n", "flux-system") or {}
        )
        return c is not None and c["status"] == "True"

    wait_for("Kustomization infrastructure", infra_ready, 90, 0.5)
    apply_objs(late, "scenario-late")

    def suspended_ready():
        o = get_json("kustomizations.kustomize.toolkit.fluxcd.io", "suspended-app", "-n", "flux-system")
        c = ready_cond(o or {})
        return c is not None and c["status"] == "True"

    wait_for("suspended-app first reconcile", suspended_ready, 120, 1)
    kubectl(
        "patch",
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "suspended-app",
        "-n",
        "flux-system",
        "--type=merge",
        "-p",
        '{"spec":{"suspend":true}}',
    )


# --------------------------------------------------------------------------- commands
def lab_info(extra=None):
    info = {
        "scenario": SCENARIO,
        "kubeconfig": str(KUBECONFIG()),
        "garbled_kubeconfig": str(p("garbled.kubeconfig")),
        "admin_kubeconfig": str(ADMIN_KC()),
        "bin_dir": str(BIN),
        "flux": binp("flux"),
        "kubectl": binp("kubectl"),
        "state_dir": str(STATE),
        "logs_dir": str(p("logs")),
        "versions": {"kubernetes": K8S, "flux": FLUX, "etcd": ETCD, "kwok": KWOK, **CONTROLLERS},
        "contexts": {
            "lab": {"server": f"https://{HOST}:{PORTS['apiserver']}", "user": "admin (client cert, system:masters)"},
            "lab-restricted": {
                "server": f"https://{HOST}:{PORTS['apiserver']}",
                "user": "jane (static token)",
                "allowed": "get/list/watch Flux objects in namespace team-a only",
            },
            "lab-noflux": {
                "server": f"https://{HOST}:{PORTS['apiserver-noflux']}",
                "user": "admin",
                "note": "second kube-apiserver, etcd prefix /registry-noflux, no Flux CRDs",
            },
            "lab-unreachable": {"server": f"https://{HOST}:{PORTS['unreachable']}", "note": "closed port"},
        },
        "default_context": "lab",
        "ports": PORTS,
        "git": {"fleet": GIT_URL, "private": f"http://{HOST}:{PORTS['git']}/private.git"},
        "helm_repo": f"http://{HOST}:{PORTS['helm-repo']}",
        "planted_secrets": [PLANTED_SECRET],
        "expected": [
            {"kind": k, "namespace": ns, "name": n, "ready": w, "reasons": sorted(r), "note": note}
            for k, ns, n, w, r, note in EXPECT
        ],
    }
    if extra:
        info.update(extra)
    return info


def running_state():
    """(all_alive, pids) for the recorded lab, or (False, {}) if none."""
    pids = load_pids()
    if not pids or not p("lab.json").exists():
        return False, pids
    return all(alive(r) for r in pids.values()), pids


def print_info(info):
    print(f"scenario: {info['scenario']}")
    print(f"lab.json: {p('lab.json')}")
    print(f"bin: {info['bin_dir']}")
    print("contexts: " + ", ".join(info["contexts"]))
    print("ports: " + " ".join(f"{k}={v}" for k, v in info["ports"].items()))
    print(f"env: export KUBECONFIG={info['kubeconfig']} PATH={info['bin_dir']}:$PATH")
    print(info["kubeconfig"])


def cmd_build(_args):
    r = subprocess.run(["bash", str(HERE / "build.sh")] + _args, env=BASE_ENV)
    return r.returncode


LAB_BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "flux", "kwok", *CONTROLLERS)


def cmd_built(_args):
    """Exit 0 when every lab binary is already built here (nothing to compile)."""
    missing = [name for name in LAB_BINARIES if not (BIN / name).exists()]
    if not (BUILD / "assets.done").exists():
        missing.append("assets (CRDs, kwok stages)")
    print("built" if not missing else "missing: " + ", ".join(missing))
    return 1 if missing else 0


def cmd_start(_args):
    STATE.parent.mkdir(parents=True, exist_ok=True)
    lockf = open(LOCK, "w")  # noqa: SIM115 (held until the command ends)
    fcntl.flock(lockf, fcntl.LOCK_EX)
    ok, pids = running_state()
    if ok:
        log("lab already running; not starting a second copy")
        print("already running")
        print_info(json.loads(p("lab.json").read_text()))
        return 0
    if pids:
        log("found a partially running/stale lab; stopping it first")
        stop_all(pids, verbose=False)
    missing = [
        b
        for b in ["etcd", "kube-apiserver", "kubectl", "kwok", "flux", *CONTROLLERS]
        if not os.access(binp(b), os.X_OK)
    ]
    if missing:
        die(f"missing binaries in {BIN}: {missing}; run `python3 lab/labctl.py build`")
    busy = [f"{k}={v}" for k, v in PORTS.items() if not port_free(v)]
    if busy:
        die(f"ports in use: {busy}")
    t0 = time.time()
    marker = p(".fluxtools-lab-state")
    if STATE.exists() and any(STATE.iterdir()) and not marker.exists():
        die(f"{STATE} exists, is not empty and is not a lab state dir; refusing to wipe it")
    if STATE.exists():
        shutil.rmtree(STATE)
    STATE.mkdir(parents=True)
    marker.write_text("fluxtools lab state; wiped and recreated by `labctl.py start`\n")
    for d in ("logs", "manifests", "artifacts", "home", "tmp", "etcd"):
        p(d).mkdir(parents=True, exist_ok=True)
    os.chmod(p("etcd"), 0o700)
    for c in CONTROLLERS:
        p("logs", f"{c}.log").touch()
    PIDS.clear()
    try:
        jane = make_pki()
        write_kubeconfigs(jane)
        rev = make_git_repo()
        make_chart_repo()
        start_etcd()
        start_apiserver("kube-apiserver", PORTS["apiserver"], "/registry")
        start_apiserver("kube-apiserver-noflux", PORTS["apiserver-noflux"], "/registry-noflux")
        wait_for("kube-apiserver", apiserver_ready(PORTS["apiserver"]), 120, proc_names=["kube-apiserver"])
        wait_for(
            "kube-apiserver-noflux",
            apiserver_ready(PORTS["apiserver-noflux"]),
            120,
            proc_names=["kube-apiserver-noflux"],
        )
        with_kcm = os.access(binp("kube-controller-manager"), os.X_OK)
        if with_kcm:
            start_kcm()
        apply_objs([ns_obj(n) for n in ("flux-system", "apps", "team-a", "team-b")], "namespaces")
        install_crds()
        start_kwok()
        controller_deployments(with_kcm)
        start_servers()
        start_controllers()
        apply_scenario()
        bad, waited = wait_converged(CONVERGE_TIMEOUT)
    except SystemExit:
        log("start failed; stopping what was started (logs kept in " + str(p("logs")) + ")")
        stop_all(PIDS, verbose=False)
        raise
    info = lab_info(
        {
            "git_revision": f"main@sha1:{rev}",
            "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "kube_controller_manager": with_kcm,
            "converged": not bad,
            "start_seconds": round(time.time() - t0, 1),
        }
    )
    p("lab.json").write_text(json.dumps(info, indent=2) + "\n")
    if bad:
        log(f"scenario NOT fully converged after {waited:.0f}s:")
        for oid, why in bad:
            log(f"  {oid}: {why}")
    else:
        log(f"scenario {SCENARIO} converged in {waited:.1f}s; lab up in {time.time() - t0:.1f}s")
    print_info(info)
    return 0 if not bad else 3


def cmd_stop(_args):
    STATE.parent.mkdir(parents=True, exist_ok=True)
    lockf = open(LOCK, "w")  # noqa: SIM115 (held until the command ends)
    fcntl.flock(lockf, fcntl.LOCK_EX)
    pids = load_pids()
    if not pids:
        print("lab not running (no recorded PIDs)")
        return 0
    ok = stop_all(pids)
    if ok:
        p("pids.json").unlink(missing_ok=True)
        p("lab.json").unlink(missing_ok=True)
        print("stopped; no recorded process remains")
        return 0
    print("some processes remain (see above)")
    return 1


def cmd_status(_args):
    pids = load_pids()
    if not pids:
        print("lab not running")
        return 1
    allok = True
    for n, r in pids.items():
        a = alive(r)
        allok &= a
        print(f"{n:28s} pid={r['pid']:<8d} {'running' if a else 'DEAD'}")
    if p("lab.json").exists():
        info = json.loads(p("lab.json").read_text())
        print(f"scenario={info['scenario']} converged={info.get('converged')} kubeconfig={info['kubeconfig']}")
        checks = {
            "apiserver": apiserver_ready(PORTS["apiserver"])(),
            "apiserver-noflux": apiserver_ready(PORTS["apiserver-noflux"])(),
        }
        print("readyz: " + " ".join(f"{k}={'ok' if v else 'FAIL'}" for k, v in checks.items()))
    print("status: " + ("running" if allok else "DEGRADED"))
    return 0 if allok else 2


def cmd_env(_args):
    print(f"export KUBECONFIG={KUBECONFIG()}")
    print(f"export PATH={BIN}:$PATH")
    print("export NO_PROXY=127.0.0.1,localhost")
    print(f"export FLUXTOOLS_LAB_JSON={p('lab.json')}")
    return 0


def main(argv):
    cmds = {
        "build": cmd_build,
        "built": cmd_built,
        "start": cmd_start,
        "stop": cmd_stop,
        "status": cmd_status,
        "env": cmd_env,
    }
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__)
        return 2
    return cmds[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# Build the lab's pinned binaries outside the repo. Idempotent: each binary is
# skipped when it already exists. Called by `labctl.py build`.
set -euo pipefail
# Pins and the cache key come from lab/versions.json (through versions.py).
PINS="$(python3 "$(dirname "$0")/versions.py" shell)"
eval "$PINS"
ROOT="${FLUXTOOLS_LAB_CACHE:-$HOME/.cache/fluxtools-lab}"
BIN="$ROOT/$KEY/bin" W="$ROOT/$KEY/work" LOG="$ROOT/build.log"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 NO_PROXY=127.0.0.1,localhost
mkdir -p "$BIN" "$W"
exec 3>&1
# log once to the build log and once to the console (fd 3 survives step redirections)
log() { local l; l="[$(date -u +%FT%TZ)] $*"; echo "$l" >>"$LOG"; echo "$l" >&3; }
modir() { go mod download -json "$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["Dir"])'; }
ONLY="${1:-all}"
step() { # step <name> <binaries...> -- command
  local name=$1; shift; local bins=(); while [ "$1" != "--" ]; do bins+=("$1"); shift; done; shift
  if [ "$ONLY" != all ] && [ "$ONLY" != "$name" ]; then return 0; fi
  local missing=0; for b in "${bins[@]}"; do [ -x "$BIN/$b" ] || missing=1; done
  if [ $missing = 0 ]; then log "skip $name: ${bins[*]} present"; return 0; fi
  log "build $name ..."; local t0=$SECONDS
  # background subshell so `set -e` stays in force inside the build function
  ( set -e; "$@" ) >>"$LOG" 2>&1 &
  wait $! || { log "FAILED $name after $((SECONDS-t0))s (see $LOG)"; exit 1; }
  log "built $name in $((SECONDS-t0))s"
}

kube() {
  local d="$W/kube"; mkdir -p "$d/cmd/kube-apiserver" "$d/cmd/kube-controller-manager" "$d/cmd/kubectl"; cd "$d"
  rm -f go.mod go.sum; go mod init local/kubebins
  local KMOD; KMOD=$(go mod download -json k8s.io/kubernetes@$K8S | python3 -c 'import json,sys;print(json.load(sys.stdin)["GoMod"])')
  for m in $(grep -E '^\s+k8s\.io/[a-z0-9.-]+ v0\.0\.0\s*$' "$KMOD" | awk '{print $1}' | sort -u); do
    go mod edit -replace="$m=$m@$STG"; done
  go mod edit -require=k8s.io/kubernetes@$K8S
  grep -q '^godebug' go.mod || { grep '^godebug' "$KMOD" >> go.mod || true; }
  cat > cmd/kube-apiserver/main.go <<'GO'
package main

import (
	"os"

	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
  cat > cmd/kube-controller-manager/main.go <<'GO'
package main

import (
	"os"

	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() { os.Exit(cli.Run(app.NewControllerManagerCommand())) }
GO
  cat > cmd/kubectl/main.go <<'GO'
package main

import (
	"os"

	_ "k8s.io/client-go/plugin/pkg/client/auth"
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	if err := cli.RunNoErrOutput(cmd.NewDefaultKubectlCommand()); err != nil {
		util.CheckErr(err)
	}
	os.Exit(0)
}
GO
  go mod tidy
  local D8 LDF="-s -w"; D8=$(date -u +%FT%TZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    LDF="$LDF -X $p.gitVersion=$K8S -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR -X $p.gitTreeState=clean -X $p.buildDate=$D8"; done
  for c in kube-apiserver kubectl kube-controller-manager; do
    [ -x "$BIN/$c" ] && continue
    local t0=$SECONDS
    go build -p 2 -trimpath -ldflags "$LDF" -o "$BIN/$c" ./cmd/$c
    log "  $c compiled in $((SECONDS-t0))s"
  done
  "$BIN/kube-apiserver" --version
}

etcd() {
  local d="$W/etcd"; mkdir -p "$d"; cd "$d"
  [ -f go.mod ] || go mod init local/etcdbin
  cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get go.etcd.io/etcd/server/v3@$ETCD
  go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" .
  "$BIN/etcd" --version
}

# The module proxy reachable here lacks a few pinned versions (403 "This module
# version is not available"). Substitute the nearest available one, only when needed.
fixup() { # fixup <pinned module@version> <module path to replace> <replacement module@version>
  if go mod download -json "$1" >/dev/null 2>&1; then return 0; fi
  echo "fixup: $1 unavailable from the proxy -> replace $2 with $3"
  go mod edit -replace="$2=$3"
}

# A Flux controller's module and its api/ module, copied into <dir> (replace ./api as upstream builds it).
ctrl_module() { case $1 in source-watcher) echo github.com/fluxcd/source-watcher/v2 ;; *) echo github.com/fluxcd/$1 ;; esac; }
ctrl_api() { case $1 in source-watcher) echo github.com/fluxcd/source-watcher/api/v2 ;; *) echo github.com/fluxcd/$1/api ;; esac; }
ctrl_copy() { local n=$1 v=$2 d=$3; rm -rf "$d"
  cp -r "$(modir "$(ctrl_module "$n")@$v")" "$d" && cp -r "$(modir "$(ctrl_api "$n")@$v")" "$d/api"
  chmod -R u+w "$d"; cd "$d"
  case $n in
    source-controller|image-reflector-controller) fixup github.com/fluxcd/pkg/artifact@v0.18.2 github.com/fluxcd/pkg/artifact github.com/fluxcd/pkg/artifact@v0.18.1 ;;
    # upstream did the same on its v1.6 branch ("Move v1.6 back to upstream helm", Helm 4.2.4)
    helm-controller) fixup github.com/fluxcd/helm/v4@v4.2.4-flux.1 helm.sh/helm/v4 helm.sh/helm/v4@v4.2.4 ;;
  esac; }

ctrl() { local n=$1 pkg=.; ctrl_copy "$1" "$2" "$W/$1"
  [ "$n" = source-watcher ] && pkg=./cmd
  go build -p 2 -trimpath -ldflags "-s -w" -o "$BIN/$n" "$pkg"; }

# The Flux Operator's manager. Its web UI is built by npm into web/dist (not in the module): an empty page stands in.
operator_copy() { local d=$1; rm -rf "$d"
  cp -r "$(modir github.com/controlplaneio-fluxcd/flux-operator@$FOP)" "$d" && chmod -R u+w "$d" && cd "$d"
  mkdir -p web/dist && echo '<!doctype html><title>flux-operator</title>' > web/dist/index.html
  local K=github.com/google/go-containerregistry/pkg/authn/kubernetes
  fixup $K@v0.0.0-20260604213829-6849394e8a65 $K $K@v0.0.0-20260205022027-93aa2732266a; }
operator() { operator_copy "$W/flux-operator"
  # built in FIPS 140-3 mode as upstream does (the manager refuses to run otherwise)
  GOFIPS140=latest go build -p 2 -trimpath -ldflags "-s -w -X main.VERSION=${FOP#v}" -o "$BIN/flux-operator" ./cmd/operator; }

# The OCI registry (distribution), served on loopback over plain HTTP.
registry_copy() { local d=$1; rm -rf "$d"
  cp -r "$(modir github.com/distribution/distribution/v3@$REG)" "$d" && chmod -R u+w "$d" && cd "$d"
  rm -rf vendor; }
registry() { registry_copy "$W/registry"
  go build -p 2 -trimpath -ldflags "-s -w -X github.com/distribution/distribution/v3/version.version=$REG" -o "$BIN/registry" ./cmd/registry
  "$BIN/registry" --version; }

# Download the modules of every missing newer part while the compiles run (one go build at a time, the
# downloads in parallel with it; the module cache's own locks make the overlap safe).
prefetch() { local P="$W/prefetch"; mkdir -p "$P"
  for n in registry image-reflector-controller image-automation-controller source-watcher flux-operator; do
    [ -x "$BIN/$n" ] && continue
    if [ "$ONLY" != all ] && [ "$ONLY" != "$n" ]; then continue; fi
    local t0=$SECONDS
    case $n in
      registry) registry_copy "$P/$n" ;;
      flux-operator) operator_copy "$P/$n" ;;
      *) local var; var=$(pin_var "$n"); ctrl_copy "$n" "${!var}" "$P/$n" ;;
    esac
    go mod download && log "  prefetched $n modules in $((SECONDS-t0))s" || log "  prefetch $n failed (its build step will say why)"
  done; }
pin_var() { case $1 in image-reflector-controller) echo IRC ;; image-automation-controller) echo IAC ;; source-watcher) echo SW ;; esac; }

flux() { local d="$W/flux2"; rm -rf "$d"
  cp -r "$(modir github.com/fluxcd/flux2/v2@$FLUX)" "$d" && chmod -R u+w "$d" && cd "$d"
  mkdir -p cmd/flux/manifests && echo '# placeholder' > cmd/flux/manifests/placeholder.yaml
  go build -trimpath -ldflags "-s -w -X main.VERSION=${FLUX#v}" -o "$BIN/flux" ./cmd/flux
  "$BIN/flux" version --client; }

kwok() { GOBIN="$BIN" go install -trimpath -ldflags "-s -w" sigs.k8s.io/kwok/cmd/kwok@$KWOK; }

# Runtime assets (not binaries): Flux CRDs and kwok stage files, copied out of the module cache.
assets() {
  local A="$ROOT/$KEY"
  local parts="source-controller@$SRC kustomize-controller@$KUST helm-controller@$HELM notification-controller@$NOTIF"
  parts="$parts image-reflector-controller@$IRC image-automation-controller@$IAC source-watcher@$SW flux-operator@$FOP"
  local all=1 nv; for nv in $parts; do [ -d "$A/crds/${nv%@*}" ] || all=0; done
  if [ -f "$A/assets.done" ] && [ $all = 1 ] && [ "$ONLY" = all ]; then log "skip assets: present"; return 0; fi
  log "copy assets (CRDs, kwok stages) ..."
  for nv in $parts; do
    local n=${nv%@*} v=${nv#*@} d
    case $n in flux-operator) d=$(modir github.com/controlplaneio-fluxcd/flux-operator@$v) ;; *) d=$(modir "$(ctrl_module "$n")@$v") ;; esac
    rm -rf "$A/crds/$n"; mkdir -p "$A/crds/$n"; cp "$d"/config/crd/bases/*.yaml "$A/crds/$n/"
  done
  local sd; sd="$(modir sigs.k8s.io/kwok@$KWOK)/kustomize/stage"
  rm -rf "$A/kwok-stages"; mkdir -p "$A/kwok-stages"; cp -r "$sd"/. "$A/kwok-stages/"
  chmod -R u+w "$A/crds" "$A/kwok-stages"; touch "$A/assets.done"
}

T0=$SECONDS
log "=== build start key=$KEY bin=$BIN (only=$ONLY)"
( prefetch ) >>"$LOG" 2>&1 &
PREFETCH=$!
step kube kube-apiserver kubectl kube-controller-manager -- kube
step etcd etcd -- etcd
step source-controller source-controller -- ctrl source-controller $SRC
step kustomize-controller kustomize-controller -- ctrl kustomize-controller $KUST
step helm-controller helm-controller -- ctrl helm-controller $HELM
step notification-controller notification-controller -- ctrl notification-controller $NOTIF
step flux flux -- flux
step kwok kwok -- kwok
step registry registry -- registry
step image-reflector-controller image-reflector-controller -- ctrl image-reflector-controller $IRC
step image-automation-controller image-automation-controller -- ctrl image-automation-controller $IAC
step source-watcher source-watcher -- ctrl source-watcher $SW
step flux-operator flux-operator -- operator
wait "$PREFETCH" 2>/dev/null || true
if [ "$ONLY" = all ] || [ "$ONLY" = assets ]; then assets >>"$LOG" 2>&1 || { log "FAILED assets"; exit 1; }; fi
log "=== build done in $((SECONDS-T0))s; bin=$BIN"

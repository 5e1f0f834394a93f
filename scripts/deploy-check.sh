#!/usr/bin/env bash
# make deploy-check: the Kubernetes manifests, the collector configuration and the dashboards.
#
#  1. The generated manifests match deploy/services.toml (deploy/generate.py --check).
#  2. Every overlay renders with `kubectl kustomize`.
#  3. Built-in kinds validate strictly against the Kubernetes schemas (kubernetes-validate,
#     offline); the third-party kinds (CloudNativePG Cluster) against deploy/schemas/.
#  4. checkov scans the rendered manifests; every skipped check states why
#     (deploy/checkov.yaml and inline annotations).
#  5. The dashboards and the alerting rules query only metrics the services emit (or, for the
#     rules, kube-state-metrics) (deploy/observability/check_metrics.py against
#     deploy/observability/metrics.txt).
#  6. The alerting rules load and pass their unit tests (`promtool check rules`, `promtool test
#     rules deploy/observability/alerts.test.yaml`).
#
# kubernetes-validate and checkov are installed from PyPI into target/tools/deploy-check;
# promtool, when not on the PATH, is unpacked from Debian's prometheus package into
# target/tools/promtool (unpacked, not installed: no Prometheus server starts).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

K8S_VERSION=1.33.0
venv=target/tools/deploy-check
if [ ! -x "$venv/bin/kubernetes-validate" ] || [ ! -x "$venv/bin/checkov" ]; then
  echo "installing kubernetes-validate and checkov into $venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian ships venv separately.
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q 'kubernetes-validate==1.37.0' 'checkov==3.3.30'
fi
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
  tools=target/tools/promtool
  promtool=$tools/usr/bin/promtool
  if [ ! -x "$promtool" ]; then
    echo "unpacking promtool from Debian's prometheus package into $tools"
    mkdir -p "$tools"
    if ! (cd "$tools" && apt-get download prometheus >/dev/null 2>&1); then
      as_root apt-get update -qq
      (cd "$tools" && apt-get download prometheus >/dev/null)
    fi
    dpkg -x "$tools"/prometheus_*.deb "$tools"
  fi
fi
command -v kubectl >/dev/null || { echo "kubectl (with kustomize) is needed on the PATH" >&2; exit 1; }

echo "== generated manifests"
python3 deploy/generate.py --check

out=target/deploy-check
rm -rf "$out" && mkdir -p "$out/rendered" "$out/split"
for overlay in deploy/kubernetes/overlays/*/; do
  name=$(basename "$overlay")
  echo "== render and validate $name"
  kubectl kustomize "$overlay" > "$out/rendered/$name.yaml"
  "$venv/bin/python" scripts/deploy_validate.py "$K8S_VERSION" "$out/rendered/$name.yaml" \
    "$out/split/$name"
done

echo "== checkov"
"$venv/bin/checkov" --quiet --compact --config-file deploy/checkov.yaml \
  --directory "$out/split" --output cli

echo "== dashboards, alerts and metrics"
python3 deploy/observability/check_metrics.py

echo "== alerting rules"
"$promtool" check rules deploy/observability/alerts.rules.yaml
"$promtool" test rules deploy/observability/alerts.test.yaml
echo "deploy-check: ok"

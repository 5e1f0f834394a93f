#!/usr/bin/env python3
"""Keeps the dashboards honest about the metrics the services emit.

1. Reads every OpenTelemetry instrument built in the Rust sources (libs/*/src, services/*/src):
   `.u64_counter(NAME)`, `.f64_histogram(NAME)`, `.i64_observable_gauge(NAME)`, ... with NAME a
   string literal or a `const` of the same file, and the `.with_unit("…")` of the same builder.
2. Renders each as the collector's Prometheus exporter names it (dots and other characters to
   `_`; unit appended: `ms` -> `_milliseconds`, `s` -> `_seconds`, `By` -> `_bytes`, `{…}`
   annotations dropped; `_total` for counters; histograms as `_bucket`, `_sum`, `_count`).
3. Compares that list with deploy/observability/metrics.txt (`--write` rewrites the file).
4. Reads every PromQL expression of deploy/observability/dashboards/*.json (panel targets and
   templating queries) and of the alerting rules (deploy/observability/alerts.py) and fails on
   any metric name that is not in the list, a recording rule's, or (for the rules only) one of
   the kube-state-metrics series they read; and fails on an alert without its runbook section
   in docs/operations.md.

Only the Python standard library is used.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import alerts  # noqa: E402

# What the availability alerts read from kube-state-metrics, beside the services' own metrics.
KUBE_STATE_METRICS = {
    "kube_deployment_status_replicas_available",
    "kube_deployment_spec_replicas",
    "kube_statefulset_status_replicas_ready",
    "kube_statefulset_replicas",
}
LIST = ROOT / "deploy/observability/metrics.txt"
DASHBOARDS = ROOT / "deploy/observability/dashboards"

BUILDER = re.compile(
    r"\.(?P<kind>(?:u64|i64|f64)_(?:observable_)?(?:counter|up_down_counter|histogram|gauge))"
    r"\(\s*(?P<name>\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_:]*)\s*\)"
)
CONST = re.compile(r"const\s+([A-Z0-9_]+)\s*:\s*&(?:'static\s+)?str\s*=\s*\"([^\"]+)\"\s*;")
UNIT = re.compile(r"\.with_unit\(\s*\"([^\"]*)\"\s*\)")
UNITS = {"ms": "milliseconds", "s": "seconds", "us": "microseconds", "By": "bytes", "%": "percent"}


def prometheus_type(kind):
    if kind.endswith("histogram"):
        return "histogram"
    if kind.endswith("up_down_counter") or kind.endswith("gauge"):
        return "gauge"
    return "counter"


def prometheus_name(name, unit, ptype):
    base = re.sub(r"[^A-Za-z0-9_:]", "_", name)
    unit = re.sub(r"\{[^}]*\}", "", unit or "")
    if unit == "1":
        suffix = "ratio" if ptype == "gauge" else ""
    else:
        suffix = UNITS.get(unit, re.sub(r"[^A-Za-z0-9_]", "_", unit))
    if suffix and not base.endswith("_" + suffix):
        base += "_" + suffix
    if ptype == "counter" and not base.endswith("_total"):
        base += "_total"
    return base


def instruments():
    found = {}
    sources = sorted(ROOT.glob("libs/*/src/**/*.rs")) + sorted(ROOT.glob("services/*/src/**/*.rs"))
    for path in sources:
        text = path.read_text()
        consts = dict(CONST.findall(text))
        for match in BUILDER.finditer(text):
            raw = match.group("name")
            if raw.startswith('"'):
                name = raw.strip('"')
            elif raw in consts:
                name = consts[raw]
            else:
                raise SystemExit(
                    f"{path.relative_to(ROOT)}: instrument name {raw} is neither a literal nor a "
                    "const of the same file"
                )
            end = text.find(".build()", match.end())
            unit_match = UNIT.search(text, match.end(), end if end >= 0 else len(text))
            unit = unit_match.group(1) if unit_match else ""
            ptype = prometheus_type(match.group("kind"))
            prom = prometheus_name(name, unit, ptype)
            where = str(path.relative_to(ROOT))
            found.setdefault(prom, (ptype, name, unit or "-", where))
    return found


def render(found):
    lines = [
        "# Metrics the services emit, as the collector's Prometheus exporter names them.",
        "# Generated from the Rust sources by deploy/observability/check_metrics.py --write;",
        "# `make deploy-check` fails when this list or a dashboard disagrees with the code.",
        "# prometheus name | type | OpenTelemetry instrument | unit | defined in",
    ]
    for prom, (ptype, name, unit, where) in sorted(found.items()):
        lines.append(f"{prom} {ptype} {name} {unit} {where}")
    return "\n".join(lines) + "\n"


def expressions(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            elif key == "query" and isinstance(value, str):
                yield value
            elif key == "definition" and isinstance(value, str):
                yield value
            else:
                yield from expressions(value)
    elif isinstance(node, list):
        for item in node:
            yield from expressions(item)


GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
FUNCTIONS = {"label_values", "query_result", "label_names", "metrics"}


def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"'(?:[^'\\]|\\.)*'", "''", expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = GROUPING.sub("", expr)
    # label_values(metric, label): the second argument is a label.
    expr = re.sub(r"(label_values\(\s*[A-Za-z_:][A-Za-z0-9_:]*)\s*,\s*[A-Za-z_][A-Za-z0-9_]*", r"\1", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    for token in re.findall(r"(?<![A-Za-z0-9_:$])[A-Za-z_:][A-Za-z0-9_:]*(?=\s*(?:\{|\)|\[|,|$|\s))", expr):
        if token.startswith(("tachawor_", "tachawor:", "rpc_", "kube_")) or token == "target_info":
            yield token


def main():
    found = instruments()
    text = render(found)
    if "--write" in sys.argv[1:]:
        LIST.write_text(text)
        print(f"wrote {LIST.relative_to(ROOT)} ({len(found)} metrics)")
        return
    failures = []
    if not LIST.exists() or LIST.read_text() != text:
        failures.append(
            f"{LIST.relative_to(ROOT)} does not match the instruments in the code; "
            "run deploy/observability/check_metrics.py --write"
        )
    emitted = set()
    for prom, (ptype, *_rest) in found.items():
        emitted.add(prom)
        if ptype == "histogram":
            emitted.update({prom + "_bucket", prom + "_sum", prom + "_count"})
    dashboards = sorted(DASHBOARDS.glob("*.json"))
    if not dashboards:
        failures.append("no dashboards found")
    checked = 0
    for path in dashboards:
        try:
            dashboard = json.loads(path.read_text())
        except json.JSONDecodeError as e:
            failures.append(f"{path.relative_to(ROOT)}: not JSON: {e}")
            continue
        for expr in expressions(dashboard):
            for name in metric_names(expr):
                checked += 1
                if name not in emitted:
                    failures.append(f"{path.relative_to(ROOT)}: {name} is emitted by no service ({expr})")
    rule_groups = alerts.groups(["identity"])
    recorded = {r["record"] for g in rule_groups for r in g["rules"] if "record" in r}
    rule_checked = 0
    for group in rule_groups:
        for rule in group["rules"]:
            for name in metric_names(rule["expr"].replace("\n", " ")):
                rule_checked += 1
                if name not in emitted | recorded | KUBE_STATE_METRICS:
                    what = rule.get("alert") or rule.get("record")
                    failures.append(f"alerting rule {what}: {name} is emitted by no service")
    # Every alert links to its runbook: a section of docs/operations.md headed by its name.
    runbooks = set(re.findall(r"^#### (\w+)$", (ROOT / "docs/operations.md").read_text(), re.M))
    for name in alerts.names(["identity"]):
        if name not in runbooks:
            failures.append(f"alert {name} has no runbook section (#### {name}) in docs/operations.md")
    if failures:
        print("metrics check failed:", *failures, sep="\n  ")
        sys.exit(1)
    print(
        f"metrics: {len(found)} instruments in the code, {len(dashboards)} dashboards, "
        f"{checked} metric references, {rule_checked} in the alerting rules, all emitted"
    )


if __name__ == "__main__":
    main()

"""The platform's alerting rules, in one place.

deploy/generate.py writes them twice from here: as a plain Prometheus rules file
(deploy/observability/alerts.rules.yaml, for a Prometheus configured by hand) and as a
PrometheusRule in the production overlay (for the Prometheus Operator). Their unit tests are
deploy/observability/alerts.test.yaml, run by `make deploy-check` with `promtool test rules`:
each alert fires on series shaped like the fault it is for and stays quiet on healthy ones.

Each alert has a runbook section in docs/operations.md ("Alerts"), linked from its
`runbook_url`; RUNBOOKS is where a region's copy of that page is published.

Severities: `page` (people cannot take part now: someone acts at once) and `ticket` (degraded
or at risk: act within working hours).

Only the Python 3.11 standard library is used.
"""

RUNBOOKS = "https://github.com/tachawor/tachawor/blob/main/docs/operations.md"

# Every series the services export carries the region, so one Prometheus can watch several.
BY = "tachawor_region, service_name"

# Availability: 99.5 % of RPCs end without a server fault (UNKNOWN, DEADLINE_EXCEEDED,
# INTERNAL, UNAVAILABLE; a caller's mistake such as INVALID_ARGUMENT is not one).
# Latency: 99 % of RPCs end within 250 ms (a bucket bound of the RPC histograms).
AVAILABILITY_BUDGET = 0.005
LATENCY_BUDGET = 0.01
SLOW_MS = "250"
FAULTS = '"2|4|13|14"'

# Multiwindow burn rates (Google's SRE workbook, "Alerting on SLOs"): a fast burn spends 2 % of
# a 30-day budget in an hour, a slow one 5 % in six hours; the short window makes the alert end
# soon after the burn stops.
FAST = {"factor": 14.4, "long": "1h", "short": "5m", "for": "2m", "severity": "page"}
SLOW = {"factor": 6, "long": "6h", "short": "30m", "for": "15m", "severity": "ticket"}
WINDOWS = ["5m", "30m", "1h", "6h"]


def anchor(alert):
    """The runbook section's anchor: its heading is the alert's name."""
    return f"{RUNBOOKS}#{alert.lower()}"


def alert(name, expr, summary, severity, for_=None):
    rule = {"alert": name, "expr": expr}
    if for_:
        rule["for"] = for_
    rule["labels"] = {"severity": severity}
    rule["annotations"] = {"summary": summary, "runbook_url": anchor(name)}
    return rule


def recording_rules():
    rules = []
    for w in WINDOWS:
        total = f"sum by ({BY}) (rate(rpc_server_duration_milliseconds_count[{w}]))"
        faults = (
            f"sum by ({BY}) (rate(rpc_server_duration_milliseconds_count"
            f"{{rpc_grpc_status_code=~{FAULTS}}}[{w}]))"
        )
        fast = (
            f"sum by ({BY}) (rate(rpc_server_duration_milliseconds_bucket"
            f'{{le="{SLOW_MS}"}}[{w}]))'
        )
        rules.append({"record": f"tachawor:rpc_server_faults:ratio_rate{w}", "expr": f"{faults}\n/\n{total}"})
        rules.append({"record": f"tachawor:rpc_server_slow:ratio_rate{w}", "expr": f"1 - (\n{fast}\n/\n{total}\n)"})
    return rules


def burn(name, series, budget, burn_rate, what):
    threshold = f"({burn_rate['factor']} * {budget})"
    expr = (
        f"tachawor:{series}:ratio_rate{burn_rate['long']} > {threshold}\n"
        f"and\n"
        f"tachawor:{series}:ratio_rate{burn_rate['short']} > {threshold}"
    )
    speed = "fast" if burn_rate is FAST else "steadily"
    return alert(
        name,
        expr,
        f"{{{{ $labels.service_name }}}} is spending its {what} budget {speed}",
        burn_rate["severity"],
        burn_rate["for"],
    )


def slo_alerts():
    return [
        burn("TachaworErrorBudgetBurnFast", "rpc_server_faults", AVAILABILITY_BUDGET, FAST, "error"),
        burn("TachaworErrorBudgetBurnSlow", "rpc_server_faults", AVAILABILITY_BUDGET, SLOW, "error"),
        burn("TachaworLatencyBudgetBurnFast", "rpc_server_slow", LATENCY_BUDGET, FAST, "latency"),
        burn("TachaworLatencyBudgetBurnSlow", "rpc_server_slow", LATENCY_BUDGET, SLOW, "latency"),
        alert(
            "TachaworDependencyFailing",
            # What a caller sees when the service it calls is down or hung: its own RPCs may
            # still succeed (a cached key set, a degraded answer), so the SLO alerts stay quiet.
            f"sum by ({BY}, rpc_service) (rate(rpc_client_duration_milliseconds_count"
            f'{{rpc_grpc_status_code=~"4|14"}}[5m]))\n'
            f"/\n"
            f"sum by ({BY}, rpc_service) (rate(rpc_client_duration_milliseconds_count[5m]))\n"
            f"> 0.1",
            "{{ $labels.service_name }} cannot reach {{ $labels.rpc_service }}",
            "page",
            "2m",
        ),
    ]


def event_alerts():
    per_producer = f"{BY}, producer"
    per_consumer = f"{BY}, consumer, stream"
    return [
        alert(
            "TachaworRelayNotPublishing",
            # No replica's relay publishes: the bus is unreachable from this service (NATS down,
            # its credentials or certificate refused). Writes go on into the outbox.
            f"max by ({BY}) (tachawor_relay_publishing_ratio) == 0",
            "{{ $labels.service_name }} cannot publish its events (they wait in its outbox)",
            "page",
            "5m",
        ),
        alert(
            "TachaworOutboxBacklogOld",
            f"max by ({per_producer}) (tachawor_outbox_oldest_age_milliseconds) > 120000",
            "events of {{ $labels.producer }} have waited in its outbox for over two minutes",
            "ticket",
            "10m",
        ),
        alert(
            "TachaworRelayLagHigh",
            f"histogram_quantile(0.99, sum by ({per_producer}, le) "
            f"(rate(tachawor_relay_lag_milliseconds_bucket[10m]))) > 10000",
            "events of {{ $labels.producer }} take over 10 s from commit to the bus",
            "ticket",
            "10m",
        ),
        alert(
            "TachaworConsumerLagHigh",
            f"max by ({per_consumer}) (tachawor_consumer_lag) > 1000",
            "{{ $labels.consumer }} is over 1,000 events behind on {{ $labels.stream }}",
            "ticket",
            "15m",
        ),
        alert(
            "TachaworConsumerStalled",
            f"max by ({per_consumer}) (tachawor_consumer_lag) > 0\n"
            f"unless\n"
            f"sum by ({per_consumer}) (rate(tachawor_events_processed_total[10m])) > 0",
            "{{ $labels.consumer }} has events waiting on {{ $labels.stream }} and applies none",
            "page",
            "10m",
        ),
        alert(
            "TachaworEventsDeadLettered",
            # The counter appears with the first dead letter, which `increase` cannot see, so a
            # series that did not exist an hour ago counts too.
            f"sum by ({per_consumer}) (increase(tachawor_events_dead_lettered_total[1h])) > 0\n"
            f"or\n"
            f"sum by ({per_consumer}) (tachawor_events_dead_lettered_total "
            f"unless tachawor_events_dead_lettered_total offset 1h)",
            "{{ $labels.consumer }} set events of {{ $labels.stream }} aside as dead letters",
            "ticket",
        ),
    ]


def capacity_alerts():
    per_pool = f"{BY}, k8s_pod_name, pool"
    return [
        alert(
            "TachaworDatabasePoolSaturated",
            f'max by ({per_pool}) (tachawor_db_pool_connections{{state="in_use"}})\n'
            f"/\n"
            f'max by ({per_pool}) (tachawor_db_pool_connections{{state="max"}})\n'
            f"> 0.9",
            "{{ $labels.k8s_pod_name }} uses over 90 % of its database connections",
            "ticket",
            "10m",
        ),
    ]


def availability_alerts(deployments):
    """From kube-state-metrics (which the Prometheus Operator's usual stack runs): a service
    with no ready pod exports nothing of its own, so its absence is seen from Kubernetes."""
    names = "|".join(deployments)
    ready = f'kube_deployment_status_replicas_available{{deployment=~"{names}"}}'
    wanted = f'kube_deployment_spec_replicas{{deployment=~"{names}"}}'
    nats_ready = 'kube_statefulset_status_replicas_ready{statefulset="nats"}'
    nats_wanted = 'kube_statefulset_replicas{statefulset="nats"}'
    return [
        alert(
            "TachaworServiceDown",
            f"{ready} == 0",
            "no pod of {{ $labels.deployment }} is ready",
            "page",
            "2m",
        ),
        alert(
            "TachaworServiceDegraded",
            f"{ready} < {wanted}",
            "{{ $labels.deployment }} runs with fewer ready pods than it should",
            "ticket",
            "15m",
        ),
        alert(
            "TachaworNatsServerDown",
            f"{nats_ready} < {nats_wanted}",
            "a NATS server of {{ $labels.namespace }} is not ready",
            "ticket",
            "5m",
        ),
        alert(
            "TachaworNatsQuorumLost",
            # Streams replicated three times accept writes while a majority of servers is up.
            f"{nats_ready} * 2 <= {nats_wanted}",
            "NATS of {{ $labels.namespace }} has lost its majority: no event is published",
            "page",
            "1m",
        ),
    ]


def groups(deployments):
    """The rule groups, `deployments` being the platform's Deployments (services.toml)."""
    return [
        {"name": "tachawor-slo-ratios", "rules": recording_rules()},
        {"name": "tachawor-slo", "rules": slo_alerts()},
        {"name": "tachawor-events", "rules": event_alerts()},
        {"name": "tachawor-capacity", "rules": capacity_alerts()},
        {"name": "tachawor-availability", "rules": availability_alerts(deployments)},
    ]


def names(deployments):
    return [r["alert"] for g in groups(deployments) for r in g["rules"] if "alert" in r]

//! The gRPC layers' duration histograms, read from an in-memory exporter installed as the
//! global meter provider (its own test binary: the global provider is process-wide).

mod support;

use opentelemetry::{KeyValue, Value, global};
use opentelemetry_sdk::metrics::{
    InMemoryMetricExporter, PeriodicReader, SdkMeterProvider,
    data::{AggregatedMetrics, HistogramDataPoint, MetricData},
};
use support::{ECHO_SERVICE, TestServer, echo, eventually};
use tachawor_telemetry::GrpcClientLayer;
use tower::ServiceBuilder;

/// Data points of the histogram `name` in the latest export.
fn histogram_points(exporter: &InMemoryMetricExporter, name: &str) -> Vec<HistogramDataPoint<f64>> {
    let exported = exporter.get_finished_metrics().unwrap();
    let Some(latest) = exported.last() else {
        return Vec::new();
    };
    latest
        .scope_metrics()
        .flat_map(|scope| scope.metrics())
        .filter(|metric| metric.name() == name)
        .flat_map(|metric| match metric.data() {
            AggregatedMetrics::F64(MetricData::Histogram(histogram)) => {
                histogram.data_points().cloned().collect::<Vec<_>>()
            }
            other => panic!("{name} is not an f64 histogram: {other:?}"),
        })
        .collect()
}

fn attribute(point: &HistogramDataPoint<f64>, key: &str) -> Option<Value> {
    point
        .attributes()
        .find(|KeyValue { key: k, .. }| k.as_str() == key)
        .map(|kv| kv.value.clone())
}

#[tokio::test]
async fn call_durations_are_recorded_per_method_and_status() {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    // Before the layers are built: they take their histograms from the global meter.
    global::set_meter_provider(provider.clone());

    let server = TestServer::start().await;
    let plain = server.channel().await;
    let traced = ServiceBuilder::new()
        .layer(GrpcClientLayer::new())
        .service(plain.clone());
    echo(traced.clone(), "one", None).await.unwrap();
    echo(traced, "two", None).await.unwrap();
    echo(plain.clone(), "fail", None).await.unwrap_err();
    let mut health = tonic_health::pb::health_client::HealthClient::new(plain);
    health
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .unwrap();

    // Each call is measured when its response ends, just after the client sees it.
    let server_points = eventually("three measured server calls", || {
        provider.force_flush().unwrap();
        let points = histogram_points(&exporter, "rpc.server.duration");
        let calls: u64 = points.iter().map(HistogramDataPoint::count).sum();
        (calls == 3).then_some(points)
    })
    .await;
    for point in &server_points {
        assert_eq!(attribute(point, "rpc.service"), Some(ECHO_SERVICE.into()));
        assert_eq!(attribute(point, "rpc.method"), Some("Echo".into()));
    }
    let by_status = |code: i64| {
        server_points
            .iter()
            .find(|point| attribute(point, "rpc.grpc.status_code") == Some(code.into()))
            .map(HistogramDataPoint::count)
    };
    assert_eq!(by_status(0), Some(2));
    assert_eq!(by_status(3), Some(1));

    let client_points = histogram_points(&exporter, "rpc.client.duration");
    assert_eq!(client_points.len(), 1, "{client_points:?}");
    assert_eq!(client_points[0].count(), 2);
    assert_eq!(
        attribute(&client_points[0], "rpc.grpc.status_code"),
        Some(0_i64.into())
    );
    server.stop().await;
    provider.shutdown().unwrap();
}

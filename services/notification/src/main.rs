//! The notification service binary: `serve` (the default) and `migrate`.

tachawor_runtime::service_main!(tachawor_notification, "notification");

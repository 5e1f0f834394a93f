//! The faults, one at a time while the load runs, each followed by a pause. A killed replica
//! comes back as Kubernetes would bring it back: started again on the same port.

use std::time::Duration;

use tokio::time::{Instant, sleep};

use crate::{
    infra::{Nats, Postgres},
    services::Service,
};

/// One fault as it happened.
pub struct Window {
    pub name: String,
    pub start: Instant,
    /// When the harness stopped causing it (the process back, the signal undone).
    pub healed: Instant,
    /// Whether the manifests' readiness must have stayed ready throughout (NATS away).
    pub ready_throughout: bool,
}

pub struct Platform {
    pub pg: Postgres,
    pub nats: Nats,
    pub services: Vec<Service>,
}

impl Platform {
    fn service(&mut self, name: &str) -> &mut Service {
        self.services
            .iter_mut()
            .find(|s| s.name == name)
            .expect("a service")
    }
}

/// The faults in order, by name.
pub const FAULTS: [&str; 10] = [
    "SIGKILL consultation-0",
    "SIGKILL training-1",
    "SIGKILL reporting-0",
    "SIGKILL identity-0",
    "SIGSTOP training-0 20 s",
    "NATS node killed, restarted",
    "NATS cluster stopped 30 s",
    "PostgreSQL restarted (fast)",
    "PostgreSQL crashed (immediate)",
    "identity down 20 s",
];

/// Seconds the faults themselves take (outages held), beside the pauses.
pub const HELD_SECONDS: u64 = 20 + 5 + 30 + 20 + 10;

async fn kill_and_restart(p: &mut Platform, service: &str, replica: usize) -> anyhow::Result<()> {
    let r = &mut p.service(service).replicas[replica];
    r.proc.stop(libc::SIGKILL, Duration::from_secs(5)).await;
    // The kubelet notices and starts the container again.
    sleep(Duration::from_secs(2)).await;
    r.restart().await
}

async fn inject(p: &mut Platform, index: usize) -> anyhow::Result<()> {
    match index {
        0 => kill_and_restart(p, "consultation", 0).await?,
        1 => kill_and_restart(p, "training", 1).await?,
        2 => kill_and_restart(p, "reporting", 0).await?,
        3 => kill_and_restart(p, "identity", 0).await?,
        4 => {
            let r = &p.service("training").replicas[0];
            r.proc.signal(libc::SIGSTOP);
            sleep(Duration::from_secs(20)).await;
            r.proc.signal(libc::SIGCONT);
        }
        5 => {
            p.nats.stop_node(1, libc::SIGKILL).await;
            sleep(Duration::from_secs(5)).await;
            p.nats.start_node(1).await?;
        }
        6 => {
            for i in 0..3 {
                p.nats.stop_node(i, libc::SIGKILL).await;
            }
            sleep(Duration::from_secs(30)).await;
            for i in 0..3 {
                p.nats.start_node(i).await?;
            }
        }
        7 => {
            p.pg.stop(libc::SIGINT).await;
            p.pg.restart().await?;
        }
        8 => {
            p.pg.stop(libc::SIGQUIT).await;
            p.pg.restart().await?;
        }
        9 => {
            let r = &mut p.service("identity").replicas[0];
            r.proc.stop(libc::SIGTERM, Duration::from_secs(15)).await;
            sleep(Duration::from_secs(20)).await;
            r.restart().await?;
        }
        _ => unreachable!("ten faults"),
    }
    Ok(())
}

/// Every fault in turn, `pause` apart (and `pause` before the first).
pub async fn run(p: &mut Platform, pause: Duration) -> anyhow::Result<Vec<Window>> {
    let mut windows = Vec::new();
    for (index, name) in FAULTS.iter().enumerate() {
        sleep(pause).await;
        println!("fault: {name}");
        let start = Instant::now();
        inject(p, index).await?;
        windows.push(Window {
            name: name.to_string(),
            start,
            healed: Instant::now(),
            ready_throughout: matches!(index, 5 | 6),
        });
    }
    sleep(pause).await;
    Ok(windows)
}

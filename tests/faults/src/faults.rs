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

/// One fault, with how long it holds the platform down.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// SIGKILL of a replica, started again 2 s later on the same port (the kubelet).
    Kill(&'static str, usize),
    /// SIGSTOP of a replica for this many seconds (a hung node), then SIGCONT.
    Hang(&'static str, usize, u64),
    /// One NATS node killed and started again 5 s later.
    NatsNode,
    /// The whole NATS cluster killed for this many seconds.
    NatsCluster(u64),
    /// PostgreSQL stopped fast (SIGINT) and started.
    PostgresRestart,
    /// PostgreSQL crashed (SIGQUIT: recovery from the WAL) and started.
    PostgresCrash,
    /// Identity stopped (SIGTERM) for this many seconds.
    IdentityDown(u64),
    /// A rolling upgrade: each replica of the service in turn stopped gracefully (SIGTERM), its
    /// binary started again and waited for until ready before the next, as a Deployment's
    /// rollout does with the old and new image of one commit.
    Rolling(&'static str),
}

impl Fault {
    pub fn name(&self) -> String {
        match *self {
            Fault::Kill(service, replica) => format!("SIGKILL {service}-{replica}"),
            Fault::Hang(service, replica, secs) => format!("SIGSTOP {service}-{replica} {secs} s"),
            Fault::NatsNode => "NATS node killed, restarted".into(),
            Fault::NatsCluster(secs) => format!("NATS cluster stopped {secs} s"),
            Fault::PostgresRestart => "PostgreSQL restarted (fast)".into(),
            Fault::PostgresCrash => "PostgreSQL crashed (immediate)".into(),
            Fault::IdentityDown(secs) => format!("identity down {secs} s"),
            Fault::Rolling(service) => format!("rolling upgrade of {service}"),
        }
    }

    /// Seconds it holds something down, beside the pauses.
    pub fn held(&self) -> u64 {
        match *self {
            Fault::Hang(_, _, secs) | Fault::NatsCluster(secs) | Fault::IdentityDown(secs) => secs,
            Fault::NatsNode => 5,
            Fault::Kill(..) | Fault::PostgresRestart | Fault::PostgresCrash => 2,
            Fault::Rolling(_) => 5,
        }
    }

    /// Whether the manifests' readiness must stay ready throughout (only the bus is away).
    fn ready_throughout(&self) -> bool {
        matches!(self, Fault::NatsNode | Fault::NatsCluster(_))
    }
}

/// Every fault of the issue: a SIGKILL of one replica of each service, a hung replica, a NATS
/// node, the whole NATS cluster, PostgreSQL restarted and crashed, identity away.
pub const FULL: [Fault; 11] = [
    Fault::Kill("consultation", 0),
    Fault::Kill("training", 1),
    Fault::Kill("reporting", 0),
    Fault::Kill("identity", 0),
    Fault::Hang("training", 0, 20),
    Fault::NatsNode,
    Fault::NatsCluster(30),
    Fault::PostgresRestart,
    Fault::PostgresCrash,
    Fault::IdentityDown(20),
    Fault::Rolling("training"),
];

/// One fault of each kind, held for less time: the form CI runs in a few minutes.
pub const SHORT: [Fault; 8] = [
    Fault::Kill("training", 1),
    Fault::Hang("consultation", 0, 10),
    Fault::NatsNode,
    Fault::NatsCluster(15),
    Fault::PostgresRestart,
    Fault::PostgresCrash,
    Fault::IdentityDown(10),
    Fault::Rolling("training"),
];

async fn kill_and_restart(p: &mut Platform, service: &str, replica: usize) -> anyhow::Result<()> {
    let r = &mut p.service(service).replicas[replica];
    r.proc.stop(libc::SIGKILL, Duration::from_secs(5)).await;
    // The kubelet notices and starts the container again.
    sleep(Duration::from_secs(2)).await;
    r.restart().await
}

async fn inject(p: &mut Platform, fault: Fault) -> anyhow::Result<()> {
    match fault {
        Fault::Kill(service, replica) => kill_and_restart(p, service, replica).await?,
        Fault::Hang(service, replica, secs) => {
            let r = &p.service(service).replicas[replica];
            r.proc.signal(libc::SIGSTOP);
            sleep(Duration::from_secs(secs)).await;
            r.proc.signal(libc::SIGCONT);
        }
        Fault::NatsNode => {
            p.nats.stop_node(1, libc::SIGKILL).await;
            sleep(Duration::from_secs(5)).await;
            p.nats.start_node(1).await?;
        }
        Fault::NatsCluster(secs) => {
            for i in 0..3 {
                p.nats.stop_node(i, libc::SIGKILL).await;
            }
            sleep(Duration::from_secs(secs)).await;
            for i in 0..3 {
                p.nats.start_node(i).await?;
            }
        }
        Fault::PostgresRestart => {
            p.pg.stop(libc::SIGINT).await;
            p.pg.restart().await?;
        }
        Fault::PostgresCrash => {
            p.pg.stop(libc::SIGQUIT).await;
            p.pg.restart().await?;
        }
        Fault::IdentityDown(secs) => {
            let r = &mut p.service("identity").replicas[0];
            r.proc.stop(libc::SIGTERM, Duration::from_secs(15)).await;
            sleep(Duration::from_secs(secs)).await;
            r.restart().await?;
        }
        Fault::Rolling(service) => {
            for r in &mut p.service(service).replicas {
                r.proc.stop(libc::SIGTERM, Duration::from_secs(15)).await;
                r.restart().await?;
                let endpoint = r.endpoint();
                let ready = Instant::now();
                while !crate::health::serving(&endpoint, "").await {
                    anyhow::ensure!(
                        ready.elapsed() < Duration::from_secs(60),
                        "{} not ready 60 s into the rollout",
                        r.name
                    );
                    sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
    Ok(())
}

/// Every fault of `plan` in turn, `pause` apart (and `pause` before the first).
pub async fn run(p: &mut Platform, plan: &[Fault], pause: Duration) -> anyhow::Result<Vec<Window>> {
    let mut windows = Vec::new();
    for &fault in plan {
        sleep(pause).await;
        let name = fault.name();
        println!("fault: {name}");
        let start = Instant::now();
        inject(p, fault).await?;
        windows.push(Window {
            name,
            start,
            healed: Instant::now(),
            ready_throughout: fault.ready_throughout(),
        });
    }
    sleep(pause).await;
    Ok(windows)
}

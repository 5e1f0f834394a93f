//! Reporting's figures as staff see them (exact), waited for until they match what the
//! scenario expects: reporting applies events as they arrive.

use std::{collections::BTreeMap, time::Duration};

use tachawor_proto::reporting::{
    Dimension, GetCommitmentRequest, GetIndicatorsRequest, MilestoneEvidence, RebuildRequest,
};

use crate::{
    Expected, Person, Platform,
    scenario::{COMMITMENT, Key, MILESTONE},
};

/// How long reporting may take to catch up.
const CATCH_UP: Duration = Duration::from_secs(90);

/// What reporting shows now for the indicators and splits `expected` names (zero cells left
/// out, as the scenario never expects a zero), and the milestone's evidence.
pub async fn reported(
    p: &Platform,
    staff: &Person,
    expected: &Expected,
) -> (BTreeMap<Key, f64>, MilestoneEvidence) {
    let mut client = p.reporting_as(&staff.token);
    let mut cells = BTreeMap::new();
    for split in [Dimension::Unspecified, Dimension::Province] {
        let response = client
            .get_indicators(GetIndicatorsRequest {
                indicators: expected.indicators(split),
                split_by: split as i32,
                ..Default::default()
            })
            .await
            .expect("indicators")
            .into_inner();
        assert!(response.exact, "staff get exact figures");
        for cell in response.cells.into_iter().filter(|c| c.value != 0.0) {
            cells.insert(
                (cell.indicator, split as i32, cell.month, cell.group),
                cell.value,
            );
        }
    }
    let milestone = client
        .get_commitment(GetCommitmentRequest {
            commitment_id: COMMITMENT.into(),
        })
        .await
        .expect("commitment")
        .into_inner()
        .commitment
        .expect("commitment")
        .milestones
        .into_iter()
        .find(|m| m.milestone_id == MILESTONE)
        .expect("the milestone")
        .evidence
        .expect("evidence");
    (cells, milestone)
}

/// Waits until reporting shows exactly `expected`, and fails showing the difference if it does
/// not within [`CATCH_UP`].
pub async fn wait_for(p: &Platform, staff: &Person, expected: &Expected) {
    let deadline = tokio::time::Instant::now() + CATCH_UP;
    loop {
        let (cells, milestone) = reported(p, staff, expected).await;
        if cells == expected.cells && milestone == expected.milestone {
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            assert_eq!(cells, expected.cells, "reporting's indicators");
            assert_eq!(milestone, expected.milestone, "the milestone's evidence");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The administrator rebuilds reporting's read models; the same figures must come back.
pub async fn rebuild_and_wait(p: &Platform, staff: &Person, expected: &Expected) {
    let admin = p.admin().await;
    let consumers = p
        .reporting_as(&admin.token)
        .rebuild(RebuildRequest {})
        .await
        .expect("rebuild")
        .into_inner()
        .consumers;
    assert!(!consumers.is_empty(), "the consumers are named");
    wait_for(p, staff, expected).await;
}

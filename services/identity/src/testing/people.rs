//! People for tests, made through identity's API as a client would: citizens, verified
//! residents, council staff, the administrator and instance members. Every service's test
//! helpers make their people here and keep only their own shape of a person.

use std::sync::{
    OnceLock,
    atomic::{AtomicU64, Ordering},
};

use futures::{StreamExt, stream};
use tachawor_proto::{
    common::Date,
    identity::{
        AddInstanceMemberRequest, ListInstancesRequest, LoginRequest, MemberRole, RegisterRequest,
        Role, SetRolesRequest, VerifyAccountRequest,
    },
};
use tonic::Status;

use super::{ADMIN_EMAIL, PASSWORD, TestIdentity};

/// How many people the concurrent helpers make at once.
const IN_FLIGHT: usize = 16;

/// A signed-in person, with the personal data identity holds of them.
#[derive(Debug, Clone, Default)]
pub struct TestPerson {
    /// Empty for the administrator (no test needs it).
    pub id: String,
    pub email: String,
    /// Empty for the administrator.
    pub phone: String,
    /// Empty for the administrator.
    pub display_name: String,
    pub token: String,
    /// Empty unless verified.
    pub cin: String,
}

/// Makes people on a [`TestIdentity`]: see [`TestIdentity::people`].
#[derive(Clone, Copy)]
pub struct People<'a> {
    identity: &'a TestIdentity,
}

impl TestIdentity {
    /// The people fixture of this identity server.
    pub fn people(&self) -> People<'_> {
        People { identity: self }
    }
}

impl People<'_> {
    /// A new citizen, signed in, registered with an email (at `people.test`), a phone and a
    /// display name of its own, so that a leak of any of them can be told apart.
    pub async fn citizen(&self) -> TestPerson {
        self.registered("people.test").await
    }

    /// `n` citizens, made 16 at a time.
    pub async fn citizens(&self, n: usize) -> Vec<TestPerson> {
        stream::iter(0..n)
            .map(|_| self.citizen())
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await
    }

    /// A new account at `domain`, signed in.
    async fn registered(&self, domain: &str) -> TestPerson {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        let email = format!("{unique}@{domain}");
        let phone = format!("+2126{}", unique_digits());
        let display_name = format!("Test Person {}", &unique[..12]);
        let request = RegisterRequest {
            email: email.clone(),
            phone: phone.clone(),
            password: PASSWORD.into(),
            display_name: display_name.clone(),
            ..Default::default()
        };
        retry_aborted(|| {
            let (mut client, request) = (self.identity.anonymous(), request.clone());
            async move { client.register(request).await }
        })
        .await
        .expect("register");
        // Register says nothing of the account: the fixture looks its id up.
        let id = self.identity.account_id_of(&email).await;
        self.sign_in(TestPerson {
            id,
            email,
            phone,
            display_name,
            ..Default::default()
        })
        .await
    }

    /// Signs `person` in again (after their roles changed or the clock moved past the
    /// token's life).
    pub async fn sign_in(&self, person: TestPerson) -> TestPerson {
        let token = self.token(&person.email).await;
        TestPerson { token, ..person }
    }

    /// A fresh access token for the account registered with `email`.
    pub async fn token(&self, email: &str) -> String {
        let request = LoginRequest {
            identifier: email.into(),
            password: PASSWORD.into(),
        };
        retry_aborted(|| {
            let (mut client, request) = (self.identity.anonymous(), request.clone());
            async move { client.login(request).await }
        })
        .await
        .expect("login")
        .into_inner()
        .tokens
        .expect("tokens")
        .access_token
    }

    /// The administrator made at bootstrap, signed in.
    pub async fn admin(&self) -> TestPerson {
        self.sign_in(TestPerson {
            email: ADMIN_EMAIL.into(),
            ..Default::default()
        })
        .await
    }

    /// A new member of council staff (at `council.test`), granted the role by the
    /// administrator and signed in with it.
    pub async fn staff(&self) -> TestPerson {
        self.granted("council.test", Role::CouncilStaff).await
    }

    /// A new observer (at `oversight.test`): reads what staff read, acts on nothing.
    pub async fn observer(&self) -> TestPerson {
        self.granted("oversight.test", Role::Observer).await
    }

    /// A new person granted `role` (beside citizen) by the administrator, signed in with it.
    async fn granted(&self, domain: &str, role: Role) -> TestPerson {
        let person = self.registered(domain).await;
        self.identity
            .with_token(&self.admin().await.token)
            .set_roles(SetRolesRequest {
                account_id: person.id.clone(),
                roles: vec![Role::Citizen as i32, role as i32],
            })
            .await
            .expect("grant the role");
        self.sign_in(person).await
    }

    /// A citizen that a new member of staff verified with a CIN as living in `province`
    /// (empty: outside the region), with the name on the identity card when `legal_name` is
    /// not empty.
    pub async fn resident(&self, province: &str, legal_name: &str) -> TestPerson {
        let staff = self.staff().await;
        self.resident_verified_by(&staff, province, legal_name)
            .await
    }

    /// As [`People::resident`], verified by `staff`.
    pub async fn resident_verified_by(
        &self,
        staff: &TestPerson,
        province: &str,
        legal_name: &str,
    ) -> TestPerson {
        let person = self.citizen().await;
        let cin = format!("ZT{}", unique_digits());
        let request = VerifyAccountRequest {
            account_id: person.id.clone(),
            cin: cin.clone(),
            residence_province_code: province.into(),
            legal_name: legal_name.into(),
            ..Default::default()
        };
        retry_aborted(|| {
            let (mut client, request) = (self.identity.with_token(&staff.token), request.clone());
            async move { client.verify_account(request).await }
        })
        .await
        .expect("verify");
        TestPerson { cin, ..person }
    }

    /// `n` residents of `province` verified by `staff`, made 16 at a time.
    pub async fn residents(&self, staff: &TestPerson, province: &str, n: usize) -> Vec<TestPerson> {
        stream::iter(0..n)
            .map(|_| self.resident_verified_by(staff, province, ""))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await
    }

    /// The id of the region's first consultative instance, as `by` lists them.
    pub async fn first_instance(&self, by: &TestPerson) -> String {
        self.identity
            .with_token(&by.token)
            .list_instances(ListInstancesRequest::default())
            .await
            .expect("instances")
            .into_inner()
            .instances
            .into_iter()
            .next()
            .expect("a reference instance")
            .instance_id
    }

    /// A new account (at `members.test`) that `by` made a member of `instance_id` (since
    /// `started_on`, when given), signed in afresh so that the token carries the
    /// `instance:<id>` scope.
    pub async fn member(
        &self,
        by: &TestPerson,
        instance_id: &str,
        started_on: Option<Date>,
    ) -> TestPerson {
        let person = self.registered("members.test").await;
        self.identity
            .with_token(&by.token)
            .add_instance_member(AddInstanceMemberRequest {
                instance_id: instance_id.into(),
                account_id: person.id.clone(),
                role: MemberRole::Member as i32,
                started_on,
                ..Default::default()
            })
            .await
            .expect("add instance member");
        self.sign_in(person).await
    }
}

/// Calls again while the answer is `ABORTED` (identity's "concurrent update, retry" when many
/// accounts are written at once on SQLite), as a client is told to; at most 20 attempts.
async fn retry_aborted<T, F, Fut>(mut call: F) -> Result<T, Status>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Status>>,
{
    let mut attempts = 1;
    loop {
        match call().await {
            Err(status) if status.code() == tonic::Code::Aborted && attempts < 20 => {
                attempts += 1;
            }
            other => return other,
        }
    }
}

/// Eight digits no other person of this test process has (phones and CINs are unique in
/// identity): a random start, then one more each call.
fn unique_digits() -> String {
    static START: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let start = *START.get_or_init(|| rand::random::<u64>() % 100_000_000);
    let n = (start + NEXT.fetch_add(1, Ordering::Relaxed)) % 100_000_000;
    format!("{n:08}")
}

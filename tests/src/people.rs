//! Accounts made through identity's API: citizens verified in a province, staff.

use futures::{StreamExt, stream};
use tachawor_identity::testing::PASSWORD;
use tachawor_proto::identity::{
    LoginRequest, RegisterRequest, Role, SearchAccountsRequest, SetRolesRequest,
    VerifyAccountRequest,
};

use crate::Platform;

/// A signed-in account.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
    /// Residence province once verified; empty otherwise.
    pub province: String,
}

/// How many accounts are made at once.
const IN_FLIGHT: usize = 16;

impl Platform {
    /// A token for `email`.
    pub async fn login(&self, email: &str, password: &str) -> String {
        self.identity_as("")
            .login(LoginRequest {
                identifier: email.into(),
                password: password.into(),
            })
            .await
            .expect("login")
            .into_inner()
            .tokens
            .expect("tokens")
            .access_token
    }

    /// The administrator, signed in.
    pub async fn admin(&self) -> Person {
        Person {
            token: self.login(&self.admin_email, &self.admin_password).await,
            email: self.admin_email.clone(),
            ..Person::default()
        }
    }

    /// Signs `person` in again (roles changed, or the clock moved past the token's life).
    pub async fn relogin(&self, person: &Person) -> Person {
        Person {
            token: self.login(&person.email, PASSWORD).await,
            ..person.clone()
        }
    }

    /// A new citizen, signed in.
    pub async fn citizen(&self) -> Person {
        let email = format!("{}@people.test", uuid::Uuid::new_v4().simple());
        self.identity_as("")
            .register(RegisterRequest {
                email: email.clone(),
                password: PASSWORD.into(),
                display_name: "Test Person".into(),
                ..Default::default()
            })
            .await
            .expect("register");
        // Register says nothing of the account; signing in tells its id.
        let signed_in = self
            .identity_as("")
            .login(LoginRequest {
                identifier: email.clone(),
                password: PASSWORD.into(),
            })
            .await
            .expect("login")
            .into_inner();
        let id = signed_in.account_id;
        let token = signed_in.tokens.expect("tokens").access_token;
        Person {
            id,
            email,
            token,
            province: String::new(),
        }
    }

    /// A new member of council staff, signed in with that role.
    pub async fn staff(&self, admin: &Person) -> Person {
        self.granted(admin, Role::CouncilStaff).await
    }

    /// A new observer, granted by `admin`: reads what staff read, acts on nothing.
    pub async fn observer(&self, admin: &Person) -> Person {
        self.granted(admin, Role::Observer).await
    }

    async fn granted(&self, admin: &Person, role: Role) -> Person {
        let person = self.citizen().await;
        self.identity_as(&admin.token)
            .set_roles(SetRolesRequest {
                account_id: person.id.clone(),
                roles: vec![Role::Citizen as i32, role as i32],
            })
            .await
            .expect("grant the role");
        self.relogin(&person).await
    }

    /// `staff` verify the account `account_id` with a new CIN as living in `province`, with
    /// the name on the identity card when `legal_name` is not empty.
    pub async fn verify_resident(
        &self,
        staff: &Person,
        account_id: &str,
        province: &str,
        legal_name: &str,
    ) {
        let cin = format!("ZT{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000);
        self.identity_as(&staff.token)
            .verify_account(VerifyAccountRequest {
                account_id: account_id.into(),
                cin,
                residence_province_code: province.into(),
                legal_name: legal_name.into(),
                ..Default::default()
            })
            .await
            .expect("verify");
    }

    /// The id of the one account with `email`, as `staff` find it.
    pub async fn account_of(&self, staff: &Person, email: &str) -> String {
        let found = self
            .identity_as(&staff.token)
            .search_accounts(SearchAccountsRequest {
                query: email.into(),
                ..Default::default()
            })
            .await
            .expect("find the account")
            .into_inner()
            .accounts;
        assert_eq!(found.len(), 1, "one account has {email}");
        found[0].account_id.clone()
    }

    /// A citizen that `staff` verified with a CIN as living in `province`.
    pub async fn resident(&self, staff: &Person, province: &str) -> Person {
        self.resident_named(staff, province, "").await
    }

    /// As [`Platform::resident`], with the name on the identity card (printed on certificates)
    /// recorded at verification when `legal_name` is not empty.
    pub async fn resident_named(&self, staff: &Person, province: &str, legal_name: &str) -> Person {
        let person = self.citizen().await;
        self.verify_resident(staff, &person.id, province, legal_name)
            .await;
        Person {
            province: province.into(),
            ..person
        }
    }

    /// `counts[i].1` residents of each province `counts[i].0`, made concurrently.
    pub async fn residents(&self, staff: &Person, counts: &[(&str, usize)]) -> Vec<Person> {
        let wanted: Vec<&str> = counts
            .iter()
            .flat_map(|(province, n)| std::iter::repeat_n(*province, *n))
            .collect();
        stream::iter(wanted)
            .map(|province| self.resident(staff, province))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await
    }
}

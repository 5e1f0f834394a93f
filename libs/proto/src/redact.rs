//! `Debug` for the messages that carry secrets: passwords, refresh and access tokens, national
//! ID numbers (CIN), client secrets, contact links and codes (and the contacts they go to). prost's derived `Debug` would print them in clear;
//! these print every other field and only whether the secret was given.

use std::fmt;

use crate::identity::{
    ChangeContactRequest, ChangePasswordRequest, ConfirmContactRequest, DeleteMyAccountRequest,
    GetDeliveryContactResponse, IssueServiceTokenRequest, IssueServiceTokenResponse, LoginRequest,
    LogoutRequest, RefreshRequest, RegisterRequest, RequestPasswordResetRequest,
    ResetPasswordRequest, TokenPair, VerifyAccountRequest,
};

/// Stands for a secret in `Debug` output: empty or `[REDACTED]`, never the value.
struct Redacted<'a>(&'a str);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("[REDACTED]")
        }
    }
}

macro_rules! redacted_debug {
    ($($ty:ident { shown: [$($shown:ident),*], hidden: [$($hidden:ident),*] })*) => {
        $(
            impl fmt::Debug for $ty {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.debug_struct(stringify!($ty))
                        $(.field(stringify!($shown), &self.$shown))*
                        $(.field(stringify!($hidden), &Redacted(&self.$hidden)))*
                        .finish()
                }
            }
        )*
    };
}

redacted_debug! {
    RegisterRequest { shown: [email, phone, display_name, locale], hidden: [password] }
    LoginRequest { shown: [identifier], hidden: [password] }
    RefreshRequest { shown: [], hidden: [refresh_token] }
    LogoutRequest { shown: [], hidden: [refresh_token] }
    DeleteMyAccountRequest { shown: [], hidden: [password] }
    VerifyAccountRequest {
        shown: [account_id, method, residence_province_code],
        hidden: [cin, legal_name]
    }
    IssueServiceTokenRequest { shown: [client_id], hidden: [client_secret] }
    IssueServiceTokenResponse { shown: [expires_at], hidden: [access_token] }
    TokenPair {
        shown: [access_token_expires_at, refresh_token_expires_at],
        hidden: [access_token, refresh_token]
    }
    ConfirmContactRequest { shown: [channel], hidden: [secret] }
    ChangeContactRequest { shown: [channel], hidden: [value, password] }
    ChangePasswordRequest { shown: [], hidden: [current_password, new_password] }
    RequestPasswordResetRequest { shown: [locale], hidden: [identifier] }
    ResetPasswordRequest { shown: [], hidden: [secret, identifier, new_password] }
    GetDeliveryContactResponse { shown: [locale], hidden: [address, secret, display_name] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{LoginResponse, RefreshResponse};

    const SECRET: &str = "s3cret-value-that-must-not-print";

    fn shown<T: fmt::Debug>(value: &T) -> String {
        let text = format!("{value:?} {value:#?}");
        assert!(!text.contains(SECRET), "a secret printed: {text}");
        text
    }

    #[test]
    fn secrets_never_print_and_other_fields_do() {
        let text = shown(&RegisterRequest {
            email: "amina@example.ma".into(),
            password: SECRET.into(),
            display_name: "Amina".into(),
            ..Default::default()
        });
        assert!(text.contains("amina@example.ma") && text.contains("[REDACTED]"));
        let text = shown(&LoginRequest {
            identifier: "0661234567".into(),
            password: SECRET.into(),
        });
        assert!(text.contains("0661234567"));
        shown(&RefreshRequest {
            refresh_token: SECRET.into(),
        });
        shown(&LogoutRequest {
            refresh_token: SECRET.into(),
        });
        shown(&DeleteMyAccountRequest {
            password: SECRET.into(),
        });
        let text = shown(&VerifyAccountRequest {
            account_id: "a1".into(),
            cin: SECRET.into(),
            method: "cin_in_person".into(),
            residence_province_code: "LAA".into(),
            legal_name: SECRET.into(),
        });
        assert!(text.contains("a1") && text.contains("LAA"));
        let text = shown(&IssueServiceTokenRequest {
            client_id: "portal".into(),
            client_secret: SECRET.into(),
        });
        assert!(text.contains("portal"));
        shown(&IssueServiceTokenResponse {
            access_token: SECRET.into(),
            expires_at: None,
        });
        let pair = TokenPair {
            access_token: SECRET.into(),
            refresh_token: SECRET.into(),
            ..Default::default()
        };
        shown(&LoginResponse {
            account_id: "a1".into(),
            tokens: Some(pair.clone()),
        });
        shown(&RefreshResponse { tokens: Some(pair) });
        shown(&ConfirmContactRequest {
            channel: 1,
            secret: SECRET.into(),
        });
        shown(&ChangeContactRequest {
            channel: 1,
            value: SECRET.into(),
            password: SECRET.into(),
        });
        shown(&ChangePasswordRequest {
            current_password: SECRET.into(),
            new_password: SECRET.into(),
        });
        shown(&RequestPasswordResetRequest {
            identifier: SECRET.into(),
            locale: 1,
        });
        shown(&ResetPasswordRequest {
            secret: SECRET.into(),
            identifier: SECRET.into(),
            new_password: SECRET.into(),
        });
        shown(&GetDeliveryContactResponse {
            address: SECRET.into(),
            secret: SECRET.into(),
            locale: 1,
            display_name: SECRET.into(),
        });
    }

    #[test]
    fn an_absent_secret_shows_as_empty() {
        let text = format!("{:?}", LoginRequest::default());
        assert!(text.contains("password: \"\""), "{text}");
    }
}

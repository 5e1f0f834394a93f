//! The gRPC surface: one module per area, each function an RPC.
//!
//! The generated `IdentityService` trait is implemented once, here, by forwarding each call to
//! its module function with the caller and the request message; the function's `Error` becomes
//! the gRPC status in one place (`tachawor_errors`).

mod accounts;
mod associations;
mod contacts;
mod imports;
mod instances;
mod internal;
mod sessions;
mod staff;

pub(crate) use instances::instance_created;

use tachawor_proto::identity::{identity_service_server::IdentityService, *};

use crate::context::Context;

tachawor_runtime::rpcs! {
    /// The identity service's RPC handlers.
    Identity(Context) implements IdentityService {
        register(RegisterRequest) -> RegisterResponse => sessions;
        login(LoginRequest) -> LoginResponse => sessions;
        refresh(RefreshRequest) -> RefreshResponse => sessions;
        logout(LogoutRequest) -> LogoutResponse => sessions;
        get_key_set(GetKeySetRequest) -> GetKeySetResponse => sessions;
        issue_service_token(IssueServiceTokenRequest) -> IssueServiceTokenResponse => sessions;
        get_my_account(GetMyAccountRequest) -> GetMyAccountResponse => accounts;
        update_my_profile(UpdateMyProfileRequest) -> UpdateMyProfileResponse => accounts;
        record_consent(RecordConsentRequest) -> RecordConsentResponse => accounts;
        export_my_data(ExportMyDataRequest) -> ExportMyDataResponse => accounts;
        delete_my_account(DeleteMyAccountRequest) -> DeleteMyAccountResponse => accounts;
        request_contact_verification(RequestContactVerificationRequest) -> RequestContactVerificationResponse => contacts;
        confirm_contact(ConfirmContactRequest) -> ConfirmContactResponse => contacts;
        change_contact(ChangeContactRequest) -> ChangeContactResponse => contacts;
        change_password(ChangePasswordRequest) -> ChangePasswordResponse => contacts;
        request_password_reset(RequestPasswordResetRequest) -> RequestPasswordResetResponse => contacts;
        reset_password(ResetPasswordRequest) -> ResetPasswordResponse => contacts;
        verify_account(VerifyAccountRequest) -> VerifyAccountResponse => staff;
        correct_residence(CorrectResidenceRequest) -> CorrectResidenceResponse => staff;
        set_roles(SetRolesRequest) -> SetRolesResponse => staff;
        search_accounts(SearchAccountsRequest) -> SearchAccountsResponse => staff;
        list_audit_log(ListAuditLogRequest) -> ListAuditLogResponse => staff;
        rotate_signing_key(RotateSigningKeyRequest) -> RotateSigningKeyResponse => staff;
        create_association(CreateAssociationRequest) -> CreateAssociationResponse => associations;
        verify_association(VerifyAssociationRequest) -> VerifyAssociationResponse => associations;
        suspend_association(SuspendAssociationRequest) -> SuspendAssociationResponse => associations;
        add_representative(AddRepresentativeRequest) -> AddRepresentativeResponse => associations;
        remove_representative(RemoveRepresentativeRequest) -> RemoveRepresentativeResponse => associations;
        get_association(GetAssociationRequest) -> GetAssociationResponse => associations;
        list_associations(ListAssociationsRequest) -> ListAssociationsResponse => associations;
        create_instance(CreateInstanceRequest) -> CreateInstanceResponse => instances;
        add_instance_member(AddInstanceMemberRequest) -> AddInstanceMemberResponse => instances;
        end_instance_membership(EndInstanceMembershipRequest) -> EndInstanceMembershipResponse => instances;
        get_instance(GetInstanceRequest) -> GetInstanceResponse => instances;
        list_instances(ListInstancesRequest) -> ListInstancesResponse => instances;
        update_instance(UpdateInstanceRequest) -> UpdateInstanceResponse => instances;
        import_associations(ImportAssociationsRequest) -> ImportAssociationsResponse => imports;
        import_instance_members(ImportInstanceMembersRequest) -> ImportInstanceMembersResponse => imports;
        list_provinces(ListProvincesRequest) -> ListProvincesResponse => internal;
        get_eligibility(GetEligibilityRequest) -> GetEligibilityResponse => internal;
        batch_get_eligibility(BatchGetEligibilityRequest) -> BatchGetEligibilityResponse => internal;
        get_verified_name(GetVerifiedNameRequest) -> GetVerifiedNameResponse => internal;
        get_delivery_contact(GetDeliveryContactRequest) -> GetDeliveryContactResponse => contacts;
    }
}

/// Maps a paging error to a field violation.
pub(crate) fn page(
    request: Option<&tachawor_proto::common::PageRequest>,
) -> Result<tachawor_proto::paging::Page, tachawor_errors::Error> {
    tachawor_proto::paging::Page::from_request(request, 50, 200)
        .map_err(|e| tachawor_errors::Error::field(e.field, e.description))
}

/// The page asked for, its violations added to `v` beside the request's other fields.
pub(crate) fn page_checked(
    v: &mut tachawor_errors::Violations,
    request: Option<&tachawor_proto::common::PageRequest>,
) -> Result<Option<tachawor_proto::paging::Page>, tachawor_errors::Error> {
    match page(request) {
        Ok(p) => Ok(Some(p)),
        Err(tachawor_errors::Error::InvalidArgument(fields)) => {
            for f in fields {
                v.add(&f.field, f.description);
            }
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

//! The staff page: who works here, inviting people, changing roles, removing.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use identity::{Invitation, InvitationId, InvitationStatus, MembershipId, StaffMember};
use kernel::Role;
use kernel::page::PageRequest;
use serde::Deserialize;

use super::{Shell, error_response, render};
use crate::error::{ApiError, ErrorCode};
use crate::extract::IdPath;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage<'a> {
    shell: &'a Shell,
    company_name: String,
    staff: Vec<StaffMember>,
    invitations: Vec<Invitation>,
    manages: bool,
    roles: Vec<&'static str>,
    error: Option<String>,
    notice: Option<String>,
}

impl StaffPage<'_> {
    fn invitation_status(&self, invitation: &Invitation) -> String {
        let key = match invitation.status {
            InvitationStatus::Open => "invitation-open",
            InvitationStatus::Accepted => "invitation-accepted",
            InvitationStatus::Revoked => "invitation-revoked",
            InvitationStatus::Expired => "invitation-expired",
        };
        self.shell.t(key)
    }

    fn invitation_open(&self, invitation: &Invitation) -> bool {
        invitation.status == InvitationStatus::Open
    }
}

async fn staff_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let result = async {
        let member = shell.member().await?;
        let identity = &shell.state().identity;
        let company = identity.company(&member.scope).await?;
        let staff = identity
            .staff(&member.scope, PageRequest::new(None, Some(200)))
            .await?;
        let invitations = identity
            .invitations(&member.scope, PageRequest::new(None, Some(200)))
            .await?;
        Ok::<_, ApiError>((member, company, staff.items, invitations.items))
    }
    .await;
    let (member, company, staff, invitations) = match result {
        Ok(parts) => parts,
        Err(error) => return error_response(shell, error),
    };
    let mut response = render(&StaffPage {
        shell,
        company_name: company.legal_name,
        staff,
        invitations,
        manages: member.scope.role().manages_company(),
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        error: error.as_ref().map(|e| shell.error_message(e)),
        notice,
    });
    if let Some(error) = error {
        *response.status_mut() = error.status();
    }
    response
}

pub async fn show(shell: Shell) -> Response {
    staff_page(&shell, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

fn parse_role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text)
        .ok_or_else(|| ApiError::field(ErrorCode::InvalidField, "role", "choose a role"))
}

pub async fn invite(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<InviteForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let (invitation, _) = state
            .identity
            .invite(&member.scope, &form.email, parse_role(&form.role)?)
            .await?;
        Ok::<_, ApiError>(invitation)
    }
    .await;
    match result {
        Ok(invitation) => {
            staff_page(
                &shell,
                Some(format!("{} {}", shell.t("staff-invited"), invitation.email)),
                None,
            )
            .await
        }
        Err(error) => staff_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<MembershipId>,
    Form(form): Form<RoleForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state
            .identity
            .change_role(&member.scope, id, parse_role(&form.role)?)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/staff").into_response(),
        Err(error) => staff_page(&shell, None, Some(error)).await,
    }
}

pub async fn remove(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<MembershipId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.identity.remove_staff(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/staff").into_response(),
        Err(error) => staff_page(&shell, None, Some(error)).await,
    }
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<InvitationId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.identity.revoke_invitation(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/staff").into_response(),
        Err(error) => staff_page(&shell, None, Some(error)).await,
    }
}

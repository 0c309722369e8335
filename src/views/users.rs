//! The users page: the list, the new-user form and each user's role.

use askama::Template;
use serde::Deserialize;

use super::forms::{Choice, FormErrors};
use super::page::PageCtx;
use crate::db::models::{User, UserId};
use crate::domain::Role;

/// What the new-user form sends, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default = "default_role")]
    pub role: String,
}

fn default_role() -> String {
    Role::Manager.as_str().to_owned()
}

impl Default for NewUserForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            password: String::new(),
            role: default_role(),
        }
    }
}

#[derive(Template)]
#[template(path = "users/index.html")]
pub struct UsersPage {
    pub ctx: PageCtx,
    pub users: Vec<UserLine>,
    pub roles: Vec<Choice>,
    /// The new-user form as typed (the password is never sent back).
    pub form: NewUserForm,
    pub errors: FormErrors,
}

pub struct UserLine {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub created: String,
    pub is_me: bool,
}

impl UsersPage {
    pub fn new(ctx: PageCtx, users: Vec<User>) -> Self {
        let me = ctx.user.as_ref().map(|u| u.user_id);
        Self {
            users: users
                .into_iter()
                .map(|u| UserLine {
                    is_me: Some(u.id) == me,
                    id: u.id,
                    name: u.name,
                    role: u.role,
                    created: u.created_at.format("%Y-%m-%d").to_string(),
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| Choice::new(r.as_str(), r.label()))
                .collect(),
            ctx,
            form: NewUserForm::default(),
            errors: FormErrors::default(),
        }
    }
}

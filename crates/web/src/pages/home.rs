//! The front page: what Hanse is, and for a signed-in person their companies.

use askama::Template;
use axum::response::Response;

use super::{Shell, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    shell: &'a Shell,
}

pub async fn show(shell: Shell) -> Response {
    render(&HomePage { shell: &shell })
}

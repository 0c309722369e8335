//! Who is acting: the signed-in user's name travels with the request as a
//! tokio task-local, and `AppState::db` hands it to PostgreSQL
//! (`kvartplata.actor`) on the pooled connection before running the work, so
//! the audit triggers and `billing_runs.started_by` record who did it.
//!
//! No actor (`None`) means the system or the command line: the log shows it
//! as such rather than guessing a user.

use std::future::Future;

tokio::task_local! {
    static ACTOR: Option<String>;
}

/// Runs `fut` with `name` as the acting user: every `AppState::db` call made
/// while it runs is attributed to that user.
pub fn scope<F: Future>(name: Option<String>, fut: F) -> impl Future<Output = F::Output> {
    ACTOR.scope(name, fut)
}

/// The acting user of the current task, if one was set with [`scope`].
pub fn current() -> Option<String> {
    ACTOR.try_with(Clone::clone).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn actor_is_visible_inside_the_scope_only() {
        assert_eq!(current(), None);
        let inside = scope(Some("anna".to_owned()), async { current() }).await;
        assert_eq!(inside.as_deref(), Some("anna"));
        let nested = scope(Some("anna".to_owned()), async {
            scope(None, async { current() }).await
        })
        .await;
        assert_eq!(nested, None);
        assert_eq!(current(), None);
    }
}

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::{self, DatabaseHealth};
use crate::state::AppState;

/// Short, so a load balancer learns quickly that the database is gone.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The whole probe's bound: a database that accepts connections but never
/// answers counts as down too.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Where the probe opens its own connection when the pool has none idle.
pub struct HealthProbe {
    database_url: String,
}

impl HealthProbe {
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
        }
    }
}

/// 200 while the database answers: `ok`, or `busy` when every pooled
/// connection is in use (requests wait, but nothing is wrong); 503 only
/// when the database does not answer.
pub async fn healthz(state: web::Data<AppState>, probe: web::Data<HealthProbe>) -> HttpResponse {
    let pool = state.pool.clone();
    let work = web::block(move || db::probe(&pool, &probe.database_url, CONNECT_TIMEOUT));
    match actix_web::rt::time::timeout(PROBE_TIMEOUT, work).await {
        Ok(Ok(DatabaseHealth::Up)) => {
            HttpResponse::Ok().json(json!({"status": "ok", "database": "up"}))
        }
        Ok(Ok(DatabaseHealth::Busy)) => HttpResponse::Ok().json(json!({
            "status": "busy",
            "database": "busy",
            "note": "The database answers; every pooled connection is in use, so requests wait for one.",
        })),
        Ok(Ok(DatabaseHealth::Down(e))) => {
            tracing::warn!("health check: database unavailable: {e:#}");
            down()
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer within {PROBE_TIMEOUT:?}");
            down()
        }
        Ok(Err(e)) => {
            tracing::error!("health check could not run: {e}");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unknown"}))
        }
    }
}

fn down() -> HttpResponse {
    HttpResponse::ServiceUnavailable().json(json!({"status": "unavailable", "database": "down"}))
}

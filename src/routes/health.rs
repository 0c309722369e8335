use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db;
use crate::state::AppState;

/// Short, so a load balancer learns quickly that the database is gone.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// 200 only when the database answers a query now; 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let probe = web::block(move || db::ping(&pool, PROBE_TIMEOUT)).await;
    match probe {
        Ok(Ok(())) => HttpResponse::Ok().json(json!({"status": "ok", "database": "ok"})),
        Ok(Err(e)) => {
            tracing::warn!("health check: database unavailable: {e:#}");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unavailable"}))
        }
        Err(e) => {
            tracing::error!("health check could not run: {e}");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unknown"}))
        }
    }
}

//! The JSON API under /api/v1 (DESIGN.md "JSON API v1").

mod houses;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses", web::get().to(houses::list));
}

use actix_web::web;

use super::houses;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Until the dashboard exists, / shows the houses.
    cfg.route("/", web::get().to(houses::index));
}

//! The JSON API under /api/v1: its route table.
//!
//! Each resource module reads its bodies as `serde_json::Value` through
//! [`body`], so every bad field is named, then makes one call into
//! `services` (inside one `state.db` closure) and answers with the resource
//! as GET shows it. The request schemas sit beside the code that reads
//! them; [`openapi`] only assembles the document.

mod accounts;
mod apartments;
mod billing;
mod body;
mod explanation;
mod file_body;
mod houses;
mod meters;
mod normatives;
pub mod openapi;
mod organization;
mod payments;
mod periods;
mod query;
mod readings;
mod receipts;
mod register;
mod reply;
mod schema;
mod tariffs;

use actix_web::web;

use super::extractors::{MAX_HOUSE_BODY, MAX_READINGS_BODY, json_config};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/houses")
            .app_data(json_config(MAX_HOUSE_BODY))
            .route(web::get().to(houses::list))
            .route(web::post().to(houses::create)),
    )
    .service(
        web::resource("/houses/{id}")
            .route(web::get().to(houses::show))
            .route(web::patch().to(houses::update))
            .route(web::delete().to(houses::delete)),
    )
    .route(
        "/houses/{id}/apartments",
        web::post().to(apartments::create),
    )
    .service(
        web::resource("/apartments/{id}")
            .route(web::get().to(apartments::show))
            .route(web::patch().to(apartments::update))
            .route(web::delete().to(apartments::delete)),
    )
    .route("/apartments/{id}/meters", web::post().to(meters::create))
    .route("/apartments/{id}/account", web::put().to(accounts::set))
    .route("/accounts/{number}", web::get().to(accounts::show))
    .route(
        "/accounts/{number}/statement",
        web::get().to(accounts::statement),
    )
    .route("/houses/{id}/balances", web::get().to(accounts::balances))
    .route(
        "/accounts/{number}/receipts/{period}.pdf",
        web::get().to(receipts::account_pdf),
    )
    .route("/payments", web::post().to(payments::create))
    .route("/payments/unmatched", web::get().to(payments::unmatched))
    .service(
        web::resource("/payments/import")
            .app_data(file_body::file_config())
            .route(web::post().to(payments::import)),
    )
    .service(
        web::resource("/payments/{id}")
            .route(web::get().to(payments::show))
            .route(web::delete().to(payments::delete)),
    )
    .route("/payments/{id}/assign", web::post().to(payments::assign))
    .service(
        web::resource("/key-rates")
            .route(web::get().to(payments::key_rates))
            .route(web::post().to(payments::add_key_rate)),
    )
    .route(
        "/key-rates/{id}",
        web::delete().to(payments::delete_key_rate),
    )
    .service(
        web::resource("/organization")
            .route(web::get().to(organization::show))
            .route(web::put().to(organization::set)),
    )
    .service(
        web::resource("/meters/{id}")
            .route(web::get().to(meters::show))
            .route(web::patch().to(meters::update))
            .route(web::delete().to(meters::delete)),
    )
    .route("/meters/{id}/readings", web::get().to(readings::for_meter))
    .route(
        "/houses/{id}/readings",
        web::get().to(readings::house_month),
    )
    .service(
        web::resource("/readings")
            .app_data(json_config(MAX_READINGS_BODY))
            .route(web::post().to(readings::save)),
    )
    .service(
        web::resource("/tariffs")
            .route(web::get().to(tariffs::list))
            .route(web::post().to(tariffs::create)),
    )
    .service(
        web::resource("/tariffs/{id}")
            .route(web::get().to(tariffs::show))
            .route(web::patch().to(tariffs::update))
            .route(web::delete().to(tariffs::delete)),
    )
    .service(
        web::resource("/normatives")
            .route(web::get().to(normatives::list))
            .route(web::post().to(normatives::create)),
    )
    .service(
        web::resource("/normatives/{id}")
            .route(web::get().to(normatives::show))
            .route(web::patch().to(normatives::update))
            .route(web::delete().to(normatives::delete)),
    )
    .service(
        web::resource("/coefficients")
            .route(web::get().to(normatives::list_coefficients))
            .route(web::post().to(normatives::create_coefficient)),
    )
    .service(
        web::resource("/coefficients/{id}")
            .route(web::get().to(normatives::show_coefficient))
            .route(web::patch().to(normatives::update_coefficient))
            .route(web::delete().to(normatives::delete_coefficient)),
    )
    .route(
        "/apartments/{id}/residents",
        web::post().to(apartments::set_residents),
    )
    .route(
        "/meters/{id}/decommission",
        web::post().to(meters::decommission),
    )
    .service(
        web::resource("/houses/{id}/register")
            .app_data(file_body::file_config())
            .route(web::get().to(register::register_download))
            .route(web::post().to(register::register_upload)),
    )
    .route("/houses/{id}/billing-runs", web::post().to(billing::start))
    .route(
        "/houses/{id}/periods/{period}/close",
        web::post().to(periods::close),
    )
    .route(
        "/houses/{id}/periods/{period}/reopen",
        web::post().to(periods::reopen),
    )
    .service(
        web::resource("/billing-runs")
            .route(web::get().to(billing::list))
            .route(web::post().to(billing::start_all)),
    )
    .route("/billing-runs/{id}", web::get().to(billing::show))
    .route("/houses/{id}/charges", web::get().to(billing::charges))
    .route("/openapi.json", web::get().to(openapi::openapi_json));
}

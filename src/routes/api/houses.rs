//! Houses: the list with apartment counts, and a house with its apartments
//! (paged for a large house), meters and last readings.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{self, Json};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::apartments::{ApartmentBody, NewApartmentRequest, new_apartment};
use super::body::{Reader, text};
use super::reply::created;
use super::schema::ErrorBody;
use crate::db::models::{HouseId, HouseSummary};
use crate::db::queries::{self, house_listing};
use crate::domain::input::{self, Checker, MAX_ADDRESS_CHARS};
use crate::domain::{Period, Problem, Service, TimeZone};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::houses::{AddHouse, ChangeHouse};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct HouseListItem {
    id: HouseId,
    address: String,
    /// how many apartments the house has
    apartments: i64,
}

impl From<HouseSummary> for HouseListItem {
    fn from(h: HouseSummary) -> Self {
        Self {
            id: h.id,
            address: h.address,
            apartments: h.apartments,
        }
    }
}

/// Apartments per page when `?per_page` is not given, and at most.
const DEFAULT_PER_PAGE: i64 = 100;
const MAX_PER_PAGE: i64 = 500;
/// Far beyond any house, and offsets stay far from overflow.
const MAX_PAGE: i64 = 1_000_000;

/// A house with its apartments (every one, or a page of them), their meters
/// and the meters' last readings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(examples(json!({
    "id": 1,
    "address": "г. Казань, ул. Пушкина, д. 26",
    "time_zone": "Europe/Moscow",
    "services": ["cold_water", "hot_water", "sewerage", "maintenance"],
    "closed_through": "2026-09",
    "current_period": "2026-10",
    "apartments": [{"id": 101, "number": "1", "area": "54.30",
        "residents": [{"valid_from": null, "count": 2}], "owners": 1, "meter_impossible": false,
        "meters": [
        {"id": 201, "serial": "ХВ-000201", "kind": "cold_water", "initial_reading": "12.500",
         "installed_on": null, "commissioned_on": "2020-03-02", "verified_until": "2026-03-01",
         "decommissioned_on": null, "last_reading": {"period": "2026-10", "value": "15.250"}}
    ]}],
    "total": 2000,
    "page": 1,
    "per_page": 100,
    "links": {"next": "/api/v1/houses/1?page=2&per_page=100", "prev": null}
})))]
pub struct HouseBody {
    id: HouseId,
    address: String,
    /// the IANA name of its time zone (one of Russia's eleven): run times
    /// are shown in it
    time_zone: TimeZone,
    /// what it bills, in this order: cold_water, hot_water, sewerage, maintenance
    services: Vec<Service>,
    /// the last closed month (its readings, runs and charges never change);
    /// null while none is
    closed_through: Option<Period>,
    /// the first open month: the one pages open on
    current_period: Period,
    /// natural number order (2 before 10, "12А" after 12)
    apartments: Vec<ApartmentBody>,
    /// Sent with a page: how many apartments the house has.
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<i64>,
    /// Sent with a page: its number, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<i64>,
    /// Sent with a page: apartments per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<i64>,
    /// Sent with a page: the neighbouring pages (also in the `Link` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<PageLinks>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageLinks {
    /// the next page, null on the last
    next: Option<String>,
    /// the previous page, null on the first
    prev: Option<String>,
}

/// `?page=&per_page=` as sent: read by hand, so a bad value is a 422
/// naming it rather than a parse error.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// the page, from 1 (to 1,000,000); without it a house of at most 500
    /// apartments is answered whole and a larger one by its first page
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1_000_000)]
    page: Option<String>,
    /// apartments per page, 1 to 500 (default 100)
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    per_page: Option<String>,
}

/// Which apartments to answer with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slice {
    /// Every apartment, without paging fields: as before paging existed,
    /// for a house small enough.
    WholeIfSmall,
    Page {
        page: i64,
        per_page: i64,
    },
}

fn read_page(query: &PageQuery) -> Result<Slice, AppError> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let (page, per_page) = (given(&query.page), given(&query.per_page));
    if page.is_none() && per_page.is_none() {
        return Ok(Slice::WholeIfSmall);
    }
    let mut c = Checker::default();
    let page = match page {
        None => Some(1),
        Some(raw) => c.check(
            "page",
            raw.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| format!("Give a page number from 1 to {MAX_PAGE}.")),
        ),
    };
    let per_page = match per_page {
        None => Some(DEFAULT_PER_PAGE),
        Some(raw) => c.check(
            "per_page",
            raw.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                .ok_or_else(|| format!("Give a number of apartments from 1 to {MAX_PER_PAGE}.")),
        ),
    };
    match (page, per_page) {
        (Some(page), Some(per_page)) if c.is_ok() => Ok(Slice::Page { page, per_page }),
        _ => Err(AppError::invalid(c.into_errors())),
    }
}

/// The house with every apartment (natural number order), for the answers
/// of POST and PATCH.
fn load(conn: &mut diesel::PgConnection, id: HouseId) -> Result<HouseBody, AppError> {
    load_slice(conn, id, Slice::WholeIfSmall, true)
}

/// The house with the apartments `slice` asks for: one statement for the
/// page with its meters and last readings, never one per apartment. A
/// house above [`MAX_PER_PAGE`] apartments is answered by its first page
/// unless `whole` (what was just created or changed is shown whole).
fn load_slice(
    conn: &mut diesel::PgConnection,
    id: HouseId,
    slice: Slice,
    whole: bool,
) -> Result<HouseBody, AppError> {
    let house = queries::houses::find(conn, id)?;
    let total = house_listing::apartment_count(conn, id)?;
    let slice = match slice {
        Slice::WholeIfSmall if !whole && total > MAX_PER_PAGE => Slice::Page {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        },
        slice => slice,
    };
    let (offset, limit) = match slice {
        Slice::WholeIfSmall => (0, None),
        Slice::Page { page, per_page } => ((page - 1) * per_page, Some(per_page)),
    };
    let apartments = house_listing::apartments_page(conn, id, offset, limit)?;
    let mut body = HouseBody {
        id: house.id,
        time_zone: house.time_zone,
        current_period: house.current_period(),
        services: house.services,
        closed_through: house.closed_through,
        address: house.address,
        apartments: apartments.into_iter().map(ApartmentBody::nested).collect(),
        total: None,
        page: None,
        per_page: None,
        links: None,
    };
    if let Slice::Page { page, per_page } = slice {
        let link = |page: i64| format!("/api/v1/houses/{id}?page={page}&per_page={per_page}");
        body.total = Some(total);
        body.page = Some(page);
        body.per_page = Some(per_page);
        body.links = Some(PageLinks {
            next: (page * per_page < total).then(|| link(page + 1)),
            prev: (page > 1).then(|| link(page - 1)),
        });
    }
    Ok(body)
}

/// The RFC 8288 `Link` header of a page's neighbours.
fn link_header(links: &PageLinks) -> Option<String> {
    let parts: Vec<String> = [(&links.next, "next"), (&links.prev, "prev")]
        .into_iter()
        .filter_map(|(url, rel)| url.as_ref().map(|url| format!("<{url}>; rel=\"{rel}\"")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// GET /houses
#[utoipa::path(
    get,
    path = "/api/v1/houses",
    tag = "houses",
    summary = "List the houses with their apartment counts",
    responses((status = 200, description = "Every house, by address", body = Vec<HouseListItem>)),
)]
pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<HouseListItem>>, ApiError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Json(houses.into_iter().map(Into::into).collect()))
}

// The schemas below name the address rule's limit as a literal.
const _: () = assert!(MAX_ADDRESS_CHARS == 300, "the schemas' max_length");

/// A new house, with its apartments and their meters, created all or
/// nothing.
#[derive(ToSchema)]
#[schema(examples(
    json!({
        "address": "г. Казань, ул. Пушкина, д. 26",
        "apartments": [
            {"number": "1", "area": "54.30", "meters": [
                {"serial": "ХВ-000201", "kind": "cold_water", "initial_reading": "12.500"},
                {"serial": "ГВ-000201", "kind": "hot_water", "installed_on": "2026-01-15"}
            ]},
            {"number": "2А", "area": 38.5}
        ]
    }),
    json!({"address": "г. Екатеринбург, ул. Ленина, д. 9", "time_zone": "Asia/Yekaterinburg",
           "services": ["cold_water", "maintenance"]})
))]
#[allow(dead_code)] // a schema only: `read_new` reads the body
pub struct NewHouseRequest {
    // The pattern of `domain::input::address`: a visible character and no
    // control characters.
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300,
        examples("г. Казань, ул. Пушкина, д. 26")
    )]
    address: String,
    /// left out: Europe/Moscow
    time_zone: Option<TimeZone>,
    /// at least one; left out: all four
    #[schema(min_items = 1)]
    services: Option<Vec<Service>>,
    /// at least 1,000 apartments fit in one request
    apartments: Option<Vec<NewApartmentRequest>>,
}

/// A house's services: a list of their names, at least one.
fn services(value: &Value) -> Result<Vec<Service>, Problem> {
    let items = value
        .as_array()
        .ok_or_else(|| Problem::from("Must be a list of services."))?;
    let names = items
        .iter()
        .map(|item| item.as_str().ok_or(Problem::ChooseService))
        .collect::<Result<Vec<_>, _>>()?;
    input::services(names)
}

pub(super) fn read_new(body: &Value) -> Result<AddHouse, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let address = r.required(&obj, "address", text(input::address));
    let time_zone = r
        .nullable(&obj, "time_zone", text(input::time_zone))
        .flatten();
    let services = r.nullable(&obj, "services", services).flatten();
    let apartments = r.list(&obj, "apartments", new_apartment);
    let house = address
        .zip(apartments)
        .map(|(address, apartments)| AddHouse {
            address,
            time_zone: time_zone.unwrap_or_default(),
            services: services.unwrap_or_else(|| Service::ALL.to_vec()),
            apartments,
        });
    r.finish(house)
}

/// What to change in a house; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(
    json!({"address": "г. Казань, ул. Баумана, д. 9"}),
    json!({"time_zone": "Europe/Samara", "services": ["cold_water", "hot_water", "maintenance"]})
))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct HouseChangeRequest {
    #[schema(
        nullable = false,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300
    )]
    address: Option<String>,
    #[schema(nullable = false)]
    time_zone: Option<TimeZone>,
    /// at least one; changing them makes the open months' bills stale
    #[schema(nullable = false, min_items = 1)]
    services: Option<Vec<Service>>,
}

pub(super) fn read_change(body: &Value) -> Result<ChangeHouse, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let address = r.optional(&obj, "address", text(input::address));
    let time_zone = r.optional(&obj, "time_zone", text(input::time_zone));
    let services = r.optional(&obj, "services", services);
    r.finish(Some(ChangeHouse {
        address,
        time_zone,
        services,
    }))
}

/// POST /houses: `{address, apartments?: [{number, area, meters?}]}`, all or
/// nothing.
#[utoipa::path(
    post,
    path = "/api/v1/houses",
    tag = "houses",
    summary = "Create a house with its apartments and meters, all or nothing",
    request_body = NewHouseRequest,
    responses(
        (status = 201, description = "The house as GET shows it", body = HouseBody,
            headers(("Location" = String, description = "/api/v1/houses/{id}"))),
        (status = 409, description = "An apartment number or meter serial is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named by its path", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new(&body)?;
    let house = state
        .db(move |conn| {
            let house = services::houses::create(conn, &new)?;
            load(conn, house.id)
        })
        .await?;
    Ok(created(format!("/api/v1/houses/{}", house.id), &house))
}

/// GET /houses/{id}
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "A house with its apartments (paged), meters and last readings",
    description = "Without `page` or `per_page` a house of at most 500 apartments is answered \
        whole, without paging fields; a larger one, or any house asked for a page, is answered \
        by one page with `total`, `page`, `per_page` and `links` (also in a `Link` header). \
        A page past the last has no apartments.",
    params(("id" = i64, Path, description = "House id", example = 1), PageQuery),
    responses(
        (status = 200, description = "The house", body = HouseBody,
            headers(("Link" = String, description = "`<…>; rel=\"next\"`, `<…>; rel=\"prev\"` of a page"))),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 422, description = "`page` or `per_page` is invalid", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = HouseId(path.into_inner());
    let slice = read_page(&query)?;
    let house = state
        .db(move |conn| load_slice(conn, id, slice, false))
        .await?;
    let mut response = HttpResponse::Ok();
    if let Some(link) = house.links.as_ref().and_then(link_header) {
        response.insert_header((header::LINK, link));
    }
    Ok(response.json(&house))
}

/// PATCH /houses/{id}: `{address?, time_zone?, services?}`
#[utoipa::path(
    patch,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "Change a house's address, time zone or services",
    params(("id" = i64, Path, description = "House id", example = 1)),
    request_body = HouseChangeRequest,
    responses(
        (status = 200, description = "The house as GET shows it", body = HouseBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "Another house has this address", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<HouseBody>, ApiError> {
    let id = HouseId(path.into_inner());
    let change = read_change(&body)?;
    let house = state
        .db(move |conn| {
            services::houses::update(conn, id, &change)?;
            load(conn, id)
        })
        .await?;
    Ok(Json(house))
}

/// DELETE /houses/{id}: refused (409) while it has readings or charges.
#[utoipa::path(
    delete,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "Delete a house without readings or charges",
    params(("id" = i64, Path, description = "House id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "The house has readings or charges", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = HouseId(path.into_inner());
    state
        .db(move |conn| services::houses::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_new_house_examples_are_read() {
        assert_examples_read::<NewHouseRequest, _>(read_new);
    }

    #[test]
    fn the_house_change_examples_are_read() {
        assert_examples_read::<HouseChangeRequest, _>(read_change);
    }

    fn query(page: Option<&str>, per_page: Option<&str>) -> PageQuery {
        PageQuery {
            page: page.map(str::to_owned),
            per_page: per_page.map(str::to_owned),
        }
    }

    #[test]
    fn pages_are_read_with_defaults_and_bounds() {
        assert_eq!(read_page(&query(None, None)).unwrap(), Slice::WholeIfSmall);
        assert_eq!(
            read_page(&query(Some(""), None)).unwrap(),
            Slice::WholeIfSmall
        );
        let page = |page, per_page| Slice::Page { page, per_page };
        assert_eq!(read_page(&query(Some("3"), None)).unwrap(), page(3, 100));
        assert_eq!(read_page(&query(None, Some("500"))).unwrap(), page(1, 500));
        for (q, field) in [
            (query(Some("0"), None), "page"),
            (query(Some("x"), None), "page"),
            (query(Some("-1"), None), "page"),
            (query(None, Some("501")), "per_page"),
            (query(None, Some("0")), "per_page"),
        ] {
            let AppError::Invalid { fields, .. } = read_page(&q).unwrap_err() else {
                panic!("{q:?} is not a 422");
            };
            assert!(fields.contains_key(field), "{q:?}: {fields:?}");
        }
    }

    #[test]
    fn the_link_header_names_both_neighbours() {
        let links = PageLinks {
            next: Some("/n".into()),
            prev: Some("/p".into()),
        };
        assert_eq!(
            link_header(&links).unwrap(),
            r#"</n>; rel="next", </p>; rel="prev""#
        );
        let none = PageLinks {
            next: None,
            prev: None,
        };
        assert_eq!(link_header(&none), None);
    }
}

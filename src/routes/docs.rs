//! GET /api/docs: the API's documentation, rendered on the server from the
//! very OpenAPI document /api/v1/openapi.json serves, so the two never
//! disagree. Plain HTML without scripts or external assets: it works offline
//! and under the Content-Security-Policy.

use std::sync::LazyLock;

use actix_web::web::{self, Html};
use askama::Template;
use serde_json::Value;

use super::api::openapi;
use super::page::PageCtx;
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(show));
}

async fn show(ctx: PageCtx) -> Result<Html, AppError> {
    let page = DocsPage { ctx, api: &API };
    Ok(Html::new(page.render()?))
}

#[derive(Template)]
#[template(path = "docs/api.html")]
struct DocsPage {
    ctx: PageCtx,
    api: &'static ApiView,
}

/// The document as the page lists it, built once from its JSON form.
static API: LazyLock<ApiView> = LazyLock::new(|| {
    // Serializing plain data structures cannot fail.
    let doc = serde_json::to_value(openapi::document()).unwrap_or_default();
    ApiView::from_document(&doc)
});

struct ApiView {
    title: String,
    version: String,
    description: String,
    groups: Vec<TagGroup>,
    schemas: Vec<NamedSchema>,
}

/// The operations of one tag, in path order.
struct TagGroup {
    name: String,
    description: String,
    operations: Vec<OperationView>,
}

struct OperationView {
    /// the operationId, also the anchor
    id: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    parameters: Vec<ParameterView>,
    request: Option<BodyView>,
    responses: Vec<ResponseView>,
}

struct ParameterView {
    name: String,
    location: String,
    required: bool,
    description: String,
    schema: SchemaView,
}

struct BodyView {
    content_type: String,
    schema: SchemaView,
}

struct ResponseView {
    status: String,
    description: String,
    body: Option<BodyView>,
    headers: Vec<(String, String)>,
}

/// A schema: a link to a named one (possibly as the items of an array),
/// or the schema itself; `json` is the schema shown, as indented JSON (the
/// named one's, for a link).
struct SchemaView {
    name: Option<String>,
    array_of: bool,
    json: String,
}

struct NamedSchema {
    name: String,
    description: String,
    json: String,
}

const METHODS: [&str; 4] = ["get", "post", "patch", "delete"];

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The component name a `$ref` points to.
fn ref_name(value: &Value) -> Option<String> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
}

impl SchemaView {
    /// `components` are the document's named schemas, to show the linked
    /// one in place too.
    fn new(schema: &Value, components: &Value) -> Self {
        let array_items = (schema.get("type").and_then(Value::as_str) == Some("array"))
            .then(|| schema.get("items").and_then(ref_name))
            .flatten();
        let named = |name: String, array_of| Self {
            json: pretty(components.get(&name).unwrap_or(&Value::Null)),
            name: Some(name),
            array_of,
        };
        match (ref_name(schema), array_items) {
            (Some(name), _) => named(name, false),
            (None, Some(name)) => named(name, true),
            (None, None) => Self {
                name: None,
                array_of: false,
                json: pretty(schema),
            },
        }
    }
}

/// The first content type of a request body or response, and its schema.
fn body(value: &Value, components: &Value) -> Option<BodyView> {
    let (content_type, media) = value.get("content")?.as_object()?.iter().next()?;
    Some(BodyView {
        content_type: content_type.clone(),
        schema: SchemaView::new(media.get("schema").unwrap_or(&Value::Null), components),
    })
}

impl OperationView {
    fn new(method: &str, path: &str, op: &Value, components: &Value) -> Self {
        let parameters = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| ParameterView {
                name: text(p, "name"),
                location: text(p, "in"),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                description: text(p, "description"),
                schema: SchemaView::new(p.get("schema").unwrap_or(&Value::Null), components),
            })
            .collect();
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| ResponseView {
                status: status.clone(),
                description: text(r, "description"),
                body: body(r, components),
                headers: r
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, h)| (name.clone(), text(h, "description")))
                    .collect(),
            })
            .collect();
        Self {
            id: text(op, "operationId"),
            method: method.to_uppercase(),
            path: path.to_owned(),
            summary: text(op, "summary"),
            description: text(op, "description"),
            parameters,
            request: op.get("requestBody").and_then(|b| body(b, components)),
            responses,
        }
    }
}

impl ApiView {
    fn from_document(doc: &Value) -> Self {
        let info = doc.get("info").unwrap_or(&Value::Null);
        let components = doc.pointer("/components/schemas").unwrap_or(&Value::Null);
        let mut groups: Vec<TagGroup> = doc
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|t| TagGroup {
                name: text(t, "name"),
                description: text(t, "description"),
                operations: Vec::new(),
            })
            .collect();
        let paths = doc.get("paths").and_then(Value::as_object).into_iter();
        for (path, item) in paths.flatten() {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let tag = op
                    .get("tags")
                    .and_then(|t| t.get(0))
                    .and_then(Value::as_str)
                    .unwrap_or("other");
                let group = match groups.iter().position(|g| g.name == tag) {
                    Some(i) => &mut groups[i],
                    None => {
                        groups.push(TagGroup {
                            name: tag.to_owned(),
                            description: String::new(),
                            operations: Vec::new(),
                        });
                        groups.last_mut().expect("just pushed")
                    }
                };
                group
                    .operations
                    .push(OperationView::new(method, path, op, components));
            }
        }
        groups.retain(|g| !g.operations.is_empty());
        let schemas = components
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, schema)| NamedSchema {
                name: name.clone(),
                description: text(schema, "description"),
                json: pretty(schema),
            })
            .collect();
        Self {
            title: text(info, "title"),
            version: text(info, "version"),
            description: text(info, "description"),
            groups,
            schemas,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_listed_once_under_its_tag() {
        let api = &*API;
        let ops: Vec<(&str, &str)> = api
            .groups
            .iter()
            .flat_map(|g| {
                g.operations
                    .iter()
                    .map(|o| (o.method.as_str(), o.path.as_str()))
            })
            .collect();
        assert!(ops.contains(&("GET", "/api/v1/houses/{id}")));
        assert!(ops.contains(&("POST", "/api/v1/readings")));
        let mut unique = ops.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ops.len());
        let houses = api.groups.iter().find(|g| g.name == "houses").unwrap();
        assert!(
            houses
                .operations
                .iter()
                .all(|o| o.id.starts_with("houses_"))
        );
    }

    #[test]
    fn named_schemas_are_links_and_others_json() {
        let components = serde_json::json!({"HouseListItem": {"type": "object"}});
        let list = SchemaView::new(
            &serde_json::json!({
                "type": "array", "items": {"$ref": "#/components/schemas/HouseListItem"}
            }),
            &components,
        );
        assert_eq!(list.name.as_deref(), Some("HouseListItem"));
        assert!(list.array_of);
        assert!(list.json.contains("\"object\""), "{}", list.json);
        let plain = SchemaView::new(&serde_json::json!({"type": "integer"}), &components);
        assert_eq!(plain.name, None);
        assert!(plain.json.contains("\"integer\""));
        assert!(API.schemas.iter().any(|s| s.name == "ErrorBody"));
    }
}

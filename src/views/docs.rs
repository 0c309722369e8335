//! The API documentation page: the OpenAPI document as the page lists it,
//! operations grouped by tag and the named schemas, read from the
//! document's JSON form so the page shows exactly what is served.

use askama::Template;
use serde_json::Value;

use super::page::PageCtx;

#[derive(Template)]
#[template(path = "docs/api.html")]
pub struct DocsPage {
    pub ctx: PageCtx,
    pub api: &'static ApiDocs,
}

impl DocsPage {
    pub fn version(&self) -> String {
        self.ctx.locale.text_with(
            "docs-version",
            &[("version", self.api.version.clone().into())],
        )
    }

    /// Where a parameter goes (`path`, `query`, …) as the page names it.
    pub fn location(&self, location: &str) -> String {
        match location {
            "path" => self.ctx.t("docs-in-path"),
            "query" => self.ctx.t("docs-in-query"),
            "header" => self.ctx.t("docs-in-header"),
            "cookie" => self.ctx.t("docs-in-cookie"),
            other => other.to_owned(),
        }
    }
}

pub struct ApiDocs {
    pub title: String,
    pub version: String,
    pub description: String,
    pub groups: Vec<TagGroup>,
    pub schemas: Vec<NamedSchema>,
}

/// The operations of one tag, in path order.
pub struct TagGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<OperationDoc>,
}

pub struct OperationDoc {
    /// the operationId, also the anchor
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub parameters: Vec<ParameterDoc>,
    pub request: Option<BodyDoc>,
    pub responses: Vec<ResponseDoc>,
}

pub struct ParameterDoc {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub description: String,
    pub schema: SchemaDoc,
}

pub struct BodyDoc {
    pub content_type: String,
    pub schema: SchemaDoc,
}

pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub body: Option<BodyDoc>,
    pub headers: Vec<(String, String)>,
}

/// A schema: a link to a named one (possibly as the items of an array),
/// or the schema itself; `json` is the schema shown, as indented JSON (the
/// named one's, for a link).
pub struct SchemaDoc {
    pub name: Option<String>,
    pub array_of: bool,
    pub json: String,
}

pub struct NamedSchema {
    pub name: String,
    pub description: String,
    pub json: String,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

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

impl SchemaDoc {
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
fn body(value: &Value, components: &Value) -> Option<BodyDoc> {
    let (content_type, media) = value.get("content")?.as_object()?.iter().next()?;
    Some(BodyDoc {
        content_type: content_type.clone(),
        schema: SchemaDoc::new(media.get("schema").unwrap_or(&Value::Null), components),
    })
}

impl OperationDoc {
    fn new(method: &str, path: &str, op: &Value, components: &Value) -> Self {
        let parameters = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| ParameterDoc {
                name: text(p, "name"),
                location: text(p, "in"),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                description: text(p, "description"),
                schema: SchemaDoc::new(p.get("schema").unwrap_or(&Value::Null), components),
            })
            .collect();
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| ResponseDoc {
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

impl ApiDocs {
    pub fn from_document(doc: &Value) -> Self {
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
                    .push(OperationDoc::new(method, path, op, components));
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
    fn named_schemas_are_links_and_others_json() {
        let components = serde_json::json!({"HouseListItem": {"type": "object"}});
        let list = SchemaDoc::new(
            &serde_json::json!({
                "type": "array", "items": {"$ref": "#/components/schemas/HouseListItem"}
            }),
            &components,
        );
        assert_eq!(list.name.as_deref(), Some("HouseListItem"));
        assert!(list.array_of);
        assert!(list.json.contains("\"object\""), "{}", list.json);
        let plain = SchemaDoc::new(&serde_json::json!({"type": "integer"}), &components);
        assert_eq!(plain.name, None);
        assert!(plain.json.contains("\"integer\""));
    }
}

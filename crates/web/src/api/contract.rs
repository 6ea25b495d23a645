//! Completes the OpenAPI document with what every operation can answer besides
//! its own outcomes: the errors of its extractors and layers, derived from what
//! the operation declares (who may call it, path ids, query, body, method), each
//! as `application/problem+json` with the `Problem` schema, and the
//! `Idempotency-Key` header that the idempotency layer reads on every POST.
//! Handlers declare only their own outcomes (`409 last_owner`), so the document
//! can neither forget a 401 nor promise a 403 that no caller can get; the web
//! tests check that the declarations match the extractors.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::ErrorCode;

/// A session role in an operation's `security`: the network's operator only
/// (everyone else gets 404, as if the route did not exist).
pub const OPERATOR: &str = "operator";
/// A session role in an operation's `security`: any staff member of the
/// session's active company. A `kernel::Role` name instead (`owner`, `admin`)
/// restricts the operation to people in those roles, refusing others and API
/// keys with 403.
pub const STAFF: &str = "staff";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const PROBLEM_JSON: &str = "application/problem+json";

/// One operation, as `(method, path)`.
pub type OperationKey = (String, String);

/// The operations of a document, e.g. of the money-moving router, whose POSTs
/// require an `Idempotency-Key`.
pub fn operations_of(document: &utoipa::openapi::OpenApi) -> BTreeSet<OperationKey> {
    let document = serde_json::to_value(document).unwrap_or_default();
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item.get(method).is_some() {
                operations.insert((method.to_owned(), path.clone()));
            }
        }
    }
    operations
}

/// The document as served: `document` with every operation completed.
pub fn complete(
    document: &utoipa::openapi::OpenApi,
    key_required: &BTreeSet<OperationKey>,
) -> Value {
    let mut document = serde_json::to_value(document).unwrap_or_default();
    let schemas = document["components"]["schemas"].clone();
    for (path, item) in document["paths"].as_object_mut().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                let key = (method.to_owned(), path.clone());
                let required = key_required.contains(&key);
                complete_operation(operation, &key, required, &schemas);
            }
        }
    }
    document
}

fn complete_operation(
    operation: &mut Value,
    (method, path): &OperationKey,
    key_required: bool,
    schemas: &Value,
) {
    // utoipa names operations after their functions (`list`, `handler`);
    // the document needs them unique.
    operation["operationId"] = json!(operation_id(method, path));
    let parameters = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut);
    for parameter in parameters.into_iter().flatten() {
        never_null(&mut parameter["schema"]);
    }
    let mut codes = caller_errors(operation);
    codes.extend(parameter_errors(operation, schemas));
    codes.extend(body_errors(operation));
    if method == "post" {
        codes.extend(idempotency_errors(operation, key_required));
    }
    let responses = operation["responses"]
        .as_object_mut()
        .expect("utoipa writes responses for every operation");
    for code in codes {
        let status = code.status().as_u16().to_string();
        let response = responses
            .entry(status)
            .or_insert_with(|| json!({"description": ""}));
        mention(response, code);
    }
    for (status, response) in responses.iter_mut() {
        if status.parse::<u16>().is_ok_and(|status| status >= 400) {
            as_problem(response, status);
        }
    }
}

fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .trim_start_matches("/api/v1/")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// What the auth extractors refuse: no credential (401); for a company's
/// staff or API keys, a session without an active company (409) and a role
/// or key scope that does not allow it (403); for the operator's routes, 404
/// to everyone else.
fn caller_errors(operation: &Value) -> Vec<ErrorCode> {
    let requirements = operation["security"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if requirements.is_empty() {
        return Vec::new();
    }
    let session_roles: Vec<&str> = requirements
        .iter()
        .filter_map(|requirement| requirement.get("session")?.as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let keys = requirements
        .iter()
        .any(|requirement| requirement.get("api_key").is_some());
    let company_roles = session_roles
        .iter()
        .any(|role| *role != OPERATOR && *role != STAFF);
    let mut codes = vec![ErrorCode::Unauthenticated];
    if keys || company_roles || session_roles.contains(&STAFF) {
        codes.push(ErrorCode::NoActiveCompany);
    }
    if keys || company_roles {
        codes.push(ErrorCode::Forbidden);
    }
    if session_roles == [OPERATOR] {
        codes.push(ErrorCode::NotFound);
    }
    codes
}

/// `IdPath` refuses an id of the wrong kind and finds nothing for an unknown
/// one; `ApiQuery` refuses unknown or out-of-range parameters. A path
/// parameter with a `pattern` is an id (see `kernel::define_id!`).
fn parameter_errors(operation: &Value, schemas: &Value) -> Vec<ErrorCode> {
    let parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut codes = Vec::new();
    if parameters.iter().any(|parameter| {
        parameter["in"] == "path" && resolve(&parameter["schema"], schemas)["pattern"].is_string()
    }) {
        codes.extend([ErrorCode::InvalidId, ErrorCode::NotFound]);
    }
    if parameters
        .iter()
        .any(|parameter| parameter["in"] == "query")
    {
        codes.push(ErrorCode::InvalidQuery);
    }
    codes
}

/// A query, path or header value is text, never JSON null; utoipa writes an
/// optional parameter's schema as "T or null", which would let a client (or a
/// fuzzer) send a null that no URL can carry.
fn never_null(schema: &mut Value) {
    let null = json!({"type": "null"});
    if let Some(alternatives) = schema["oneOf"].as_array() {
        let rest: Vec<&Value> = alternatives.iter().filter(|s| **s != null).collect();
        if let [only] = rest.as_slice() {
            let mut merged = (*only).clone();
            for (key, value) in schema.as_object().into_iter().flatten() {
                if key != "oneOf" {
                    merged[key] = value.clone();
                }
            }
            *schema = merged;
        }
    }
    if let Some(types) = schema["type"].as_array() {
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if let [only] = rest.as_slice() {
            schema["type"] = only.clone();
        }
    }
}

fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => &schemas[reference.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

/// `ApiJson` refuses another media type, a malformed body and a body over the
/// limit; the raw uploads (images, product files) only the last.
fn body_errors(operation: &Value) -> Vec<ErrorCode> {
    let Some(content) = operation["requestBody"]["content"].as_object() else {
        return Vec::new();
    };
    if content.contains_key("application/json") {
        vec![
            ErrorCode::MalformedBody,
            ErrorCode::BodyTooLarge,
            ErrorCode::UnsupportedMediaType,
        ]
    } else {
        vec![ErrorCode::BodyTooLarge]
    }
}

/// `idempotency::layer` reads the header on every POST (and buffers the body
/// to hash it); `require_key` refuses a money-moving POST without one.
fn idempotency_errors(operation: &mut Value, required: bool) -> Vec<ErrorCode> {
    let header = json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": required,
        "description": if required {
            "Required: a retried request is answered once, with the first answer"
        } else {
            "Makes a retry safe: a retried request is answered once, with the first answer"
        },
        "schema": {"type": "string", "pattern": crate::idempotency::KEY_PATTERN},
    });
    let parameters = operation
        .as_object_mut()
        .expect("an operation is an object")
        .entry("parameters")
        .or_insert_with(|| json!([]));
    if let Some(parameters) = parameters.as_array_mut() {
        parameters.retain(|parameter| {
            !parameter["name"]
                .as_str()
                .is_some_and(|name| name.eq_ignore_ascii_case("idempotency-key"))
        });
        parameters.push(header);
    }
    let mut codes = vec![
        ErrorCode::InvalidIdempotencyKey,
        ErrorCode::IdempotencyKeyInProgress,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::BodyTooLarge,
    ];
    if required {
        codes.push(ErrorCode::IdempotencyKeyRequired);
    }
    codes
}

/// Adds `code` to a response's description unless it names it already.
fn mention(response: &mut Value, code: ErrorCode) {
    let named = format!("`{}`", code.as_str());
    let description = response["description"].as_str().unwrap_or_default();
    if !description.contains(&named) {
        response["description"] = json!(if description.is_empty() {
            named
        } else {
            format!("{description}; {named}")
        });
    }
}

/// An error answer is problem JSON, whatever the handler wrote; a 429 says
/// when to retry.
fn as_problem(response: &mut Value, status: &str) {
    let Some(response) = response.as_object_mut() else {
        return;
    };
    let mut content = Map::new();
    content.insert(
        PROBLEM_JSON.to_owned(),
        json!({"schema": {"$ref": "#/components/schemas/Problem"}}),
    );
    response.insert("content".to_owned(), Value::Object(content));
    if status == "429" {
        response.insert(
            "headers".to_owned(),
            json!({"Retry-After": {
                "description": "Seconds to wait before trying again",
                "required": true,
                "schema": {"type": "integer", "minimum": 1}
            }}),
        );
    }
}

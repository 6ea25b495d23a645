//! The OpenAPI document against the server: every error is documented as
//! problem JSON with a code of its status, ids and keys carry their patterns,
//! enums list exactly the values the server writes, and what each operation
//! declares (who may call, ids, query, body) is what its extractors check: a
//! handler that changes its extractors without its annotation fails here.

use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::{Client, Method};
use serde::Serialize;
use serde_json::{Value, json};
use web::app_test;
use web::error::ErrorCode;
use web::testing::TestApp;

use crate::support::read;

/// One operation of the document.
struct Operation {
    method: Method,
    path: String,
    spec: Value,
}

impl Operation {
    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn parameters(&self) -> impl Iterator<Item = &Value> {
        self.spec["parameters"].as_array().into_iter().flatten()
    }

    fn has_query(&self) -> bool {
        self.parameters()
            .any(|parameter| parameter["in"] == "query")
    }

    fn has_path_id(&self, document: &Value) -> bool {
        self.parameters()
            .any(|parameter| parameter["in"] == "path" && id_prefix(document, parameter).is_some())
    }

    fn json_body(&self) -> bool {
        self.spec["requestBody"]["content"]
            .get("application/json")
            .is_some()
    }

    fn security(&self) -> Vec<(String, Vec<String>)> {
        let requirements = self.spec["security"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        requirements
            .iter()
            .filter_map(Value::as_object)
            .flatten()
            .map(|(scheme, roles)| {
                let roles = roles.as_array().into_iter().flatten();
                (
                    scheme.clone(),
                    roles.filter_map(Value::as_str).map(str::to_owned).collect(),
                )
            })
            .collect()
    }

    /// Acts for a company: its staff through a session, or its API keys.
    fn for_staff(&self) -> bool {
        self.security().iter().any(|(scheme, roles)| {
            scheme == "api_key" || roles.iter().any(|role| role != "operator")
        })
    }

    fn operator_only(&self) -> bool {
        self.security() == [("session".to_owned(), vec!["operator".to_owned()])]
    }

    fn statuses(&self) -> Vec<u16> {
        let responses = self.spec["responses"].as_object().into_iter().flatten();
        responses
            .filter_map(|(status, _)| status.parse().ok())
            .collect()
    }
}

fn operations(document: &Value) -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, spec) in item.as_object().expect("a path item") {
            if let Ok(method) = method.to_uppercase().parse::<Method>() {
                found.push(Operation {
                    method,
                    path: path.clone(),
                    spec: spec.clone(),
                });
            }
        }
    }
    found
}

fn schema_of<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            &document["components"]["schemas"]
                [reference.trim_start_matches("#/components/schemas/")]
        }
        None => schema,
    }
}

/// `prd` for a parameter documented with the pattern `^prd_…$`.
fn id_prefix(document: &Value, parameter: &Value) -> Option<String> {
    let pattern = schema_of(document, &parameter["schema"])["pattern"].as_str()?;
    let prefix = pattern.strip_prefix('^')?.split('_').next()?;
    Some(prefix.to_owned())
}

/// The operation's path with every id well formed (and naming nothing), or
/// with `bad_id` in place of each.
fn url(app: &TestApp, document: &Value, operation: &Operation, bad_id: Option<&str>) -> String {
    let mut path = operation.path.clone();
    for parameter in operation.parameters().filter(|p| p["in"] == "path") {
        let name = parameter["name"].as_str().expect("a name");
        let value = match (id_prefix(document, parameter), bad_id) {
            (Some(_), Some(bad)) => bad.to_owned(),
            (Some(prefix), None) => format!("{prefix}_0000000000000"),
            (None, _) => "sandbox".to_owned(),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    app.url(&path)
}

static NEXT_KEY: AtomicU32 = AtomicU32::new(1);

/// What a probe gets wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    None,
    MalformedId,
    TextBody,
    UnknownParameter,
}

/// Sends the operation with well-formed ids that name nothing, an empty JSON
/// object as its body (or an empty body of its media type), a fresh
/// `Idempotency-Key` on POSTs, and `flaw`.
async fn probe(
    app: &TestApp,
    document: &Value,
    client: &Client,
    operation: &Operation,
    flaw: Flaw,
) -> (u16, Value) {
    let bad_id = (flaw == Flaw::MalformedId).then_some("42");
    let query = if flaw == Flaw::UnknownParameter {
        "?colour=red"
    } else {
        ""
    };
    let url = format!("{}{query}", url(app, document, operation, bad_id));
    let mut request = client.request(operation.method.clone(), url);
    if operation.method == Method::POST {
        let key = format!("contract-{}", NEXT_KEY.fetch_add(1, Ordering::SeqCst));
        request = request.header("idempotency-key", key);
    }
    if let Some(content) = operation.spec["requestBody"]["content"].as_object() {
        let media = content.keys().next().expect("a media type").clone();
        let body = if media == "application/json" {
            "{}"
        } else {
            ""
        };
        let content_type = if flaw == Flaw::TextBody {
            "text/plain".to_owned()
        } else {
            media
        };
        request = request.header("content-type", content_type).body(body);
    }
    read(request.send().await.expect("request")).await
}

fn code_of(answer: &(u16, Value)) -> String {
    answer.1["code"].as_str().unwrap_or("").to_owned()
}

async fn document(app: &TestApp) -> Value {
    let response = app
        .client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("the document");
    response.json().await.expect("JSON")
}

app_test!(
    errors_are_documented_as_problems_of_their_status,
    |app: TestApp| async move {
        let document = document(&app).await;
        let problem = json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
        let mut wrong = Vec::new();
        for operation in operations(&document) {
            for (status, response) in operation.spec["responses"].as_object().expect("responses") {
                let status: u16 = status.parse().expect("a status");
                if status < 400 {
                    continue;
                }
                if response["content"] != problem {
                    wrong.push(format!(
                        "{}: {status} is not problem JSON",
                        operation.name()
                    ));
                }
                let description = response["description"].as_str().unwrap_or("");
                for named in description.split('`').skip(1).step_by(2) {
                    if let Ok(code) = serde_json::from_value::<ErrorCode>(json!(named))
                        && code.status().as_u16() != status
                    {
                        wrong.push(format!("{}: `{named}` is not a {status}", operation.name()));
                    }
                }
            }
            if operation.method == Method::POST {
                let key = operation
                    .parameters()
                    .find(|parameter| parameter["name"] == "Idempotency-Key");
                if key.map(|key| &key["schema"]["pattern"]) != Some(&json!("^[!-~]{1,255}$")) {
                    wrong.push(format!("{}: no Idempotency-Key pattern", operation.name()));
                }
            }
            for parameter in operation.parameters().filter(|p| p["in"] == "path") {
                let name = parameter["name"].as_str().unwrap_or("");
                if name.ends_with("_id") && id_prefix(&document, parameter).is_none() {
                    wrong.push(format!("{}: `{name}` has no id pattern", operation.name()));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        let problem = &document["components"]["schemas"]["Problem"];
        assert_eq!(
            problem["properties"]["code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
        let required = problem["required"].as_array().expect("required fields");
        for optional in ["field", "reason", "rows"] {
            assert!(
                !required.contains(&json!(optional)),
                "{optional} is optional"
            );
        }
    }
);

/// The values a schema of the document lists.
fn documented_values(document: &Value, name: &str) -> Vec<Value> {
    let schema = &document["components"]["schemas"][name];
    schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} is not an enum: {schema}"))
        .clone()
}

fn check_enum<T: Serialize>(document: &Value, name: &str, all: impl IntoIterator<Item = T>) {
    let written: Vec<Value> = all
        .into_iter()
        .map(|value| serde_json::to_value(value).expect("serializes"))
        .collect();
    assert_eq!(documented_values(document, name), written, "{name}");
}

app_test!(
    enums_document_the_values_the_server_writes,
    |app: TestApp| async move {
        let document = document(&app).await;
        check_enum(&document, "CompanySize", identity::CompanySize::ALL);
        check_enum(&document, "Industry", identity::Industry::ALL);
        check_enum(&document, "Role", kernel::Role::ALL);
        check_enum(&document, "ApiScope", identity::ApiScope::ALL);
        check_enum(&document, "ShippingTerms", market::ShippingTerms::ALL);
        check_enum(&document, "Currency", kernel::Currency::all());
        for code in documented_values(&document, "ErrorCode") {
            let parsed: ErrorCode = serde_json::from_value(code.clone()).expect("a code");
            assert_eq!(serde_json::to_value(parsed).unwrap(), code);
        }
    }
);

app_test!(
    declarations_match_what_the_extractors_check,
    |app: TestApp| async move {
        let document = document(&app).await;
        let anonymous = app.client();
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let operator = app.sign_in_operator().await;
        let mut people = 0;
        let mut wrong = Vec::new();
        for operation in operations(&document) {
            let name = operation.name();
            let statuses = operation.statuses();
            // Whoever may call it, it checks that somebody does.
            let answer = probe(&app, &document, &anonymous, &operation, Flaw::None).await;
            let secured = !operation.security().is_empty();
            if secured != (code_of(&answer) == "unauthenticated") {
                wrong.push(format!(
                    "{name}: secured {secured}, anonymous gets {answer:?}"
                ));
            }
            let caller = if operation.operator_only() {
                &operator
            } else {
                &owner.client
            };
            if secured {
                // A person of no company: staff routes want one, operator
                // routes do not exist, a person's own routes serve them. A
                // fresh person each time, since one of them signs out.
                people += 1;
                let (person, _) = app.sign_up(&format!("person-{people}@hanse.test")).await;
                let answer = probe(&app, &document, &person, &operation, Flaw::None).await;
                let expected = if operation.for_staff() {
                    Some("no_active_company")
                } else if operation.operator_only() {
                    Some("not_found")
                } else {
                    None
                };
                let code = code_of(&answer);
                let wanted = match expected {
                    Some(expected) => code == expected,
                    None => code != "no_active_company" && code != "unauthenticated",
                };
                if !wanted {
                    wrong.push(format!("{name}: without a company {answer:?}"));
                }
            }
            // Each extractor the declaration promises refuses its own flaw.
            let flaws = [
                (
                    operation.has_path_id(&document),
                    Flaw::MalformedId,
                    "invalid_id",
                ),
                (
                    operation.json_body(),
                    Flaw::TextBody,
                    "unsupported_media_type",
                ),
                (
                    operation.has_query(),
                    Flaw::UnknownParameter,
                    "invalid_query",
                ),
            ];
            for (_, flaw, code) in flaws.into_iter().filter(|(applies, ..)| *applies) {
                let answer = probe(&app, &document, caller, &operation, flaw).await;
                if code_of(&answer) != code {
                    wrong.push(format!("{name}: {flaw:?} gets {answer:?}"));
                }
            }
            if operation.has_path_id(&document) && !statuses.contains(&404) {
                wrong.push(format!(
                    "{name}: an id that names nothing is not documented"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
);

//! Serverless Framework (v3 and v4) `serverless.yml`: functions with their `http` (REST API)
//! and `httpApi` (HTTP API) events, `cors`, authorizers, `private` (API keys), `url`,
//! `provider.httpApi.cors`, environments, and the gateway responses of `resources`.
//!
//! Variables (`${self:custom.origins}`, `${env:ORIGINS}`, `${ssm:...}`) are holes: only what is
//! literal in the file is checked.

use crate::model::{
    Auth, CorsSetting, Declared, Dialect, EnvVar, Function, FunctionUrl, GatewayResponse, HttpApi,
    HttpRoute, Model, Piece, Place, RestApi, RestMethod, Target, Text,
};
use crate::read::intrinsics::{self, normalize};
use crate::tree::{Key, Node, Value};

/// The REST API's logical id in the stack the framework generates.
const REST_API: &str = "ApiGatewayRestApi";
/// The HTTP API's logical id in the stack the framework generates.
const HTTP_API: &str = "HttpApi";

/// Whether a document is a `serverless.yml`.
pub fn is_serverless(doc: &Node) -> bool {
    doc.get("service").is_some()
        && (doc.get("functions").is_some() || doc.get("provider").is_some())
}

/// Reads a `serverless.yml`.
pub fn read(doc: &Node, file: &str) -> Model {
    let mut model = Model::new(Dialect::Serverless);
    let place = |resource: &str, path: &str, line: u32| Place {
        file: file.to_owned(),
        resource: resource.to_owned(),
        path: path.to_owned(),
        line: Some(line),
    };
    let provider = doc.get("provider");
    let mut rest = RestApi {
        id: REST_API.to_owned(),
        at: place("provider", "apiGateway", provider.map_or(1, |p| p.line)),
        methods: Vec::new(),
        methods_known: true,
        gateway_responses: gateway_responses(doc, file),
        gateway_responses_known: true,
        cors: None,
    };
    let http_cors = provider
        .and_then(|p| p.get("httpApi"))
        .and_then(|h| h.entry("cors"))
        .filter(|(_, cors)| cors.as_bool() != Some(false) && !cors.is_null())
        .map(|(key, cors)| CorsSetting {
            at: place("provider", "httpApi.cors", key.line),
            origins: match cors.as_bool() {
                Some(true) => vec!["*".to_owned()],
                _ => cors
                    .get("allowedOrigins")
                    .and_then(intrinsics::string_list)
                    .unwrap_or_default(),
            },
        });
    let mut http = HttpApi {
        id: HTTP_API.to_owned(),
        cors: http_cors,
        routes: Vec::new(),
        routes_known: true,
    };
    let http_authorizers = provider.and_then(|p| p.at(&["httpApi", "authorizers"]));
    let global_env = provider.and_then(|p| p.get("environment"));

    for (name, function) in doc.get("functions").map(Node::entries).unwrap_or_default() {
        let id = name.name.as_str();
        let resource = format!("functions.{id}");
        let target = Target::Function(id.to_owned());
        model.functions.push(Function {
            id: id.to_owned(),
            env: environment(function.get("environment"), global_env, file, &resource),
        });
        if let Some((key, url)) = function.entry("url")
            && url.as_bool() != Some(false)
        {
            model.function_urls.push(FunctionUrl {
                function: Some(id.to_owned()),
                at: place(&resource, "url", key.line),
                cors: url
                    .entry("cors")
                    .filter(|(_, c)| c.as_bool() != Some(false))
                    .map(|(key, _)| CorsSetting {
                        at: place(&resource, "url.cors", key.line),
                        origins: Vec::new(),
                    }),
                iam: url.get("authorizer").and_then(Node::as_str) == Some("aws_iam"),
            });
        }
        for (i, event) in function
            .get("events")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let declared = Declared::ServerlessEvent(id.to_owned());
            if let Some((key, spec)) = event.entry("http") {
                let at = place(&resource, &format!("events[{i}].http"), key.line);
                let (method, path) = method_and_path(spec);
                let path = format!("/{}", path.trim_start_matches('/'));
                rest.methods.push(RestMethod {
                    path: Some(path.clone()),
                    method: method.clone(),
                    auth: rest_auth(spec),
                    target: target.clone(),
                    at,
                    declared: declared.clone(),
                });
                if let Some((cors_key, cors)) = spec.entry("cors")
                    && cors.as_bool() != Some(false)
                {
                    rest.methods.push(RestMethod {
                        path: Some(path),
                        method: "OPTIONS".to_owned(),
                        auth: Auth::none(),
                        target: Target::Mock { cors_headers: true },
                        at: place(&resource, &format!("events[{i}].http.cors"), cors_key.line),
                        declared,
                    });
                }
            } else if let Some((key, spec)) = event.entry("httpApi") {
                let at = place(&resource, &format!("events[{i}].httpApi"), key.line);
                let route = match spec.as_str() {
                    Some("*") => "$default".to_owned(),
                    _ => {
                        let (method, path) = method_and_path(spec);
                        match (method.as_str(), path.as_str()) {
                            ("ANY", "*") => "$default".to_owned(),
                            _ => format!("{method} /{}", path.trim_start_matches('/')),
                        }
                    }
                };
                http.routes.push(HttpRoute {
                    key: route,
                    auth: http_auth(spec, http_authorizers),
                    target: target.clone(),
                    at,
                    declared,
                });
            }
        }
    }
    // The framework keeps one `OPTIONS` per path: an explicit `options` event wins.
    let explicit: Vec<Option<String>> = rest
        .methods
        .iter()
        .filter(|m| m.method == "OPTIONS" && m.target.is_lambda())
        .map(|m| m.path.clone())
        .collect();
    rest.methods.retain(|m| {
        !(m.method == "OPTIONS" && !m.target.is_lambda() && explicit.contains(&m.path))
    });
    let mut seen: Vec<Option<String>> = Vec::new();
    rest.methods.retain(|m| {
        if m.method != "OPTIONS" || m.target.is_lambda() {
            return true;
        }
        let first = !seen.contains(&m.path);
        seen.push(m.path.clone());
        first
    });
    if !rest.methods.is_empty() {
        model.rest_apis.push(rest);
    }
    if !http.routes.is_empty() {
        model.http_apis.push(http);
    }
    model
}

/// `{method: put, path: notes}` or the short form `PUT notes`.
fn method_and_path(spec: &Node) -> (String, String) {
    if let Some(short) = spec.as_str() {
        let (method, path) = short.split_once(' ').unwrap_or(("ANY", short));
        return (normalize_method(method), path.trim().to_owned());
    }
    let method = spec.get("method").and_then(Node::as_str).unwrap_or("ANY");
    let path = spec.get("path").and_then(Node::as_str).unwrap_or("/");
    (normalize_method(method), path.to_owned())
}

fn normalize_method(method: &str) -> String {
    match method {
        "*" => "ANY".to_owned(),
        method => method.to_ascii_uppercase(),
    }
}

fn rest_auth(spec: &Node) -> Auth {
    let api_key = spec.get("private").and_then(Node::as_bool).unwrap_or(false);
    let authorizer = spec.get("authorizer");
    let (name, needs_header) = match authorizer {
        None => (None, false),
        Some(a) => match a.as_str() {
            Some(text) if text.eq_ignore_ascii_case("aws_iam") => {
                (Some("AWS_IAM".to_owned()), true)
            }
            Some(text) => (Some(text.to_owned()), true),
            None => {
                let kind = a.get("type").and_then(Node::as_str).unwrap_or("token");
                let name = a
                    .get("name")
                    .or_else(|| a.get("arn"))
                    .and_then(Node::as_str)
                    .unwrap_or(kind);
                (Some(name.to_owned()), !kind.eq_ignore_ascii_case("request"))
            }
        },
    };
    Auth {
        authorizer: name,
        api_key,
        needs_header: needs_header || api_key,
    }
}

fn http_auth(spec: &Node, authorizers: Option<&Node>) -> Auth {
    let Some(authorizer) = spec.get("authorizer") else {
        return Auth::none();
    };
    if authorizer.get("type").and_then(Node::as_str) == Some("aws_iam") {
        return Auth {
            authorizer: Some("AWS_IAM".to_owned()),
            api_key: false,
            needs_header: true,
        };
    }
    let name = authorizer
        .get("name")
        .or(Some(authorizer))
        .and_then(Node::as_str)
        .unwrap_or("authorizer");
    let config = authorizers.and_then(|a| a.get(name));
    let kind = config
        .and_then(|c| c.get("type"))
        .and_then(Node::as_str)
        .unwrap_or("jwt");
    let needs_header = kind == "jwt"
        || config
            .and_then(|c| c.get("identitySource"))
            .and_then(intrinsics::string_list)
            .is_some_and(|s| {
                s.iter()
                    .any(|s| s.to_ascii_lowercase().contains("header.authorization"))
            });
    Auth {
        authorizer: Some(name.to_owned()),
        api_key: false,
        needs_header,
    }
}

fn environment(
    own: Option<&Node>,
    global: Option<&Node>,
    file: &str,
    resource: &str,
) -> Vec<EnvVar> {
    let mut env = Vec::new();
    for (name, value) in own.map(Node::entries).unwrap_or_default() {
        env.push(var(name, value, file, resource, "environment"));
    }
    for (name, value) in global.map(Node::entries).unwrap_or_default() {
        if !env.iter().any(|v| v.name == name.name) {
            env.push(var(name, value, file, "provider", "environment"));
        }
    }
    env
}

fn var(name: &Key, value: &Node, file: &str, resource: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.name.clone(),
        value: match &value.value {
            Value::Scalar(text) => variables(text),
            _ => Text::Unknown,
        },
        at: Place {
            file: file.to_owned(),
            resource: resource.to_owned(),
            path: format!("{path}.{}", name.name),
            line: Some(name.line),
        },
    }
}

/// A string with the framework's `${...}` variables as holes (nested ones included).
fn variables(text: &str) -> Text {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        pieces.push(Piece::Literal(rest[..start].to_owned()));
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        pieces.push(Piece::Hole(rest[start..end].to_owned()));
        rest = &rest[end..];
    }
    pieces.push(Piece::Literal(rest.to_owned()));
    normalize(
        pieces
            .into_iter()
            .filter(|p| *p != Piece::Literal(String::new()))
            .collect(),
    )
}

/// `resources.Resources` gateway responses of the framework's REST API.
fn gateway_responses(doc: &Node, file: &str) -> Vec<GatewayResponse> {
    let mut out = Vec::new();
    for (id, resource) in doc
        .at(&["resources", "Resources"])
        .map(Node::entries)
        .unwrap_or_default()
    {
        if resource.get("Type").and_then(Node::as_str) != Some("AWS::ApiGateway::GatewayResponse") {
            continue;
        }
        let props = resource.get("Properties");
        let headers =
            intrinsics::gateway_response_headers(props.and_then(|p| p.get("ResponseParameters")));
        out.push(GatewayResponse {
            kind: props
                .and_then(|p| p.get("ResponseType"))
                .map_or(Text::Unknown, intrinsics::text),
            headers,
            at: Place {
                file: file.to_owned(),
                resource: id.name.clone(),
                path: String::new(),
                line: Some(id.line),
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{InputKind, read_text};
    use crate::rules::{Options, Rule, check};

    fn found(yaml: &str) -> Vec<(Rule, String)> {
        let model = read_text(yaml, "serverless.yml", InputKind::Auto).unwrap();
        check(&model, &Options::default())
            .into_iter()
            .map(|f| (f.rule, format!("{}.{}", f.place.resource, f.place.path)))
            .collect()
    }

    #[test]
    fn cors_true_and_an_authorized_any() {
        let yaml = "service: notes\nprovider:\n  name: aws\n  environment:\n    \
            ALLOWED_ORIGINS: https://app.example.com/\nfunctions:\n  api:\n    handler: bootstrap\n    \
            events:\n      - http: {path: 'notes/{id}', method: put, cors: true}\n      \
            - http:\n          path: '{proxy+}'\n          method: any\n          authorizer: aws_iam\n";
        assert_eq!(
            found(yaml),
            [
                (Rule::GatewayResponseOrigin, "provider.apiGateway".into()),
                (
                    Rule::AllowedOriginsEntry,
                    "provider.environment.ALLOWED_ORIGINS".into()
                ),
                (
                    Rule::GatewayCorsConfig,
                    "functions.api.events[0].http.cors".into()
                ),
                (
                    Rule::PreflightAuthorized,
                    "functions.api.events[1].http".into()
                ),
            ]
        );
    }

    #[test]
    fn http_api_cors_and_routes() {
        let yaml = "service: notes\nprovider:\n  name: aws\n  httpApi:\n    cors: true\nfunctions:\n  \
            api:\n    handler: bootstrap\n    events:\n      - httpApi: '*'\n";
        assert_eq!(
            found(yaml),
            [(Rule::GatewayCorsConfig, "provider.httpApi.cors".into())]
        );
        let without = yaml.replace("  httpApi:\n    cors: true\n", "");
        assert_eq!(found(&without), []);
        assert_eq!(
            variables("https://${self:custom.${opt:stage}.domain} x"),
            Text::Template(vec![
                Piece::Literal("https://".into()),
                Piece::Hole("${self:custom.${opt:stage}.domain}".into()),
                Piece::Literal(" x".into()),
            ])
        );
    }
}

//! An API's OpenAPI definition (SAM's `DefinitionBody`, CloudFormation's `Body`, what the SAM
//! transform generates): its methods with their API Gateway integrations and security, its
//! gateway responses, and `x-amazon-apigateway-cors`.

use crate::model::{
    Auth, CorsSetting, Declared, GatewayResponse, HttpRoute, Place, RestMethod, Target, Text,
};
use crate::read::intrinsics;
use crate::tree::Node;

/// What an OpenAPI definition says.
#[derive(Debug, Default)]
pub struct Definition {
    /// Each operation, as a REST method (`path`, `METHOD`).
    pub methods: Vec<RestMethod>,
    /// Gateway responses (`x-amazon-apigateway-gateway-responses`).
    pub gateway_responses: Vec<GatewayResponse>,
    /// `x-amazon-apigateway-cors` (HTTP APIs).
    pub cors: Option<CorsSetting>,
}

impl Definition {
    /// The operations as HTTP API routes (`/$default` is the `$default` route).
    pub fn http_routes(&self) -> Vec<HttpRoute> {
        self.methods
            .iter()
            .map(|m| HttpRoute {
                key: match m.path.as_deref() {
                    Some("/$default") => "$default".to_owned(),
                    path => format!("{} {}", m.method, path.unwrap_or("?")),
                },
                auth: m.auth.clone(),
                target: m.target.clone(),
                at: m.at.clone(),
                declared: Declared::OpenApi,
            })
            .collect()
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "any",
];

/// Reads `body` (the definition itself), at `place` (its property); `target` resolves an
/// integration's URI to the function behind it.
pub fn read(body: &Node, place: &Place, target: &dyn Fn(&Node) -> Target) -> Definition {
    let mut definition = Definition::default();
    let schemes = body
        .get("securityDefinitions")
        .or_else(|| body.at(&["components", "securitySchemes"]));
    let default_security = body.get("security");
    for (path, item) in body.get("paths").map(Node::entries).unwrap_or_default() {
        for (method, operation) in item.entries() {
            let name = method.name.to_ascii_lowercase();
            let name = name.strip_prefix("x-amazon-apigateway-").unwrap_or(&name);
            let name = name.strip_suffix("-method").unwrap_or(name);
            if !METHODS.contains(&name) {
                continue;
            }
            let security = operation.get("security").or(default_security);
            definition.methods.push(RestMethod {
                path: Some(path.name.clone()),
                method: name.to_ascii_uppercase(),
                auth: security.map_or_else(Auth::none, |s| auth(s, schemes)),
                target: integration(operation, target),
                at: place.at(
                    &format!("{}.paths.{}.{}", place.path, path.name, method.name),
                    Some(method.line),
                ),
                declared: Declared::OpenApi,
            });
        }
    }
    if let Some(responses) = body.get("x-amazon-apigateway-gateway-responses") {
        for (kind, response) in responses.entries() {
            let headers = intrinsics::gateway_response_headers(response.get("responseParameters"));
            definition.gateway_responses.push(GatewayResponse {
                kind: Text::Literal(kind.name.clone()),
                headers,
                at: place.at(
                    &format!(
                        "{}.x-amazon-apigateway-gateway-responses.{}",
                        place.path, kind.name
                    ),
                    Some(kind.line),
                ),
            });
        }
    }
    if let Some((key, cors)) = body.entry("x-amazon-apigateway-cors") {
        definition.cors = Some(CorsSetting {
            at: place.at(
                &format!("{}.x-amazon-apigateway-cors", place.path),
                Some(key.line),
            ),
            origins: cors
                .get("allowOrigins")
                .and_then(intrinsics::string_list)
                .unwrap_or_default(),
        });
    }
    definition
}

fn integration(operation: &Node, target: &dyn Fn(&Node) -> Target) -> Target {
    let Some(integration) = operation.get("x-amazon-apigateway-integration") else {
        return Target::Unknown;
    };
    let kind = integration
        .get("type")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    match kind.as_str() {
        "aws_proxy" => match integration.get("uri").map(target) {
            Some(Target::Function(id)) => Target::Function(id),
            _ => Target::Lambda,
        },
        "mock" => Target::Mock {
            cors_headers: intrinsics::sets_cors_headers(
                integration
                    .get("responses")
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .map(|(_, response)| response),
                "responseParameters",
            ),
        },
        "" => Target::Unknown,
        _ => Target::Other,
    }
}

/// An operation's `security`: alternatives, any of which lets a request through.
fn auth(security: &Node, schemes: Option<&Node>) -> Auth {
    let alternatives = security.items();
    // `[]` or an empty alternative (`{}`) lets requests through without credentials; so does
    // SAM's `NONE` marker.
    if alternatives.is_empty()
        || alternatives.iter().any(|alternative| {
            alternative.entries().is_empty()
                || alternative
                    .entries()
                    .iter()
                    .all(|(name, _)| name.name == "NONE")
        })
    {
        return Auth::none();
    }
    let mut auth = Auth::none();
    for (name, _) in alternatives.iter().flat_map(Node::entries) {
        let scheme = schemes.and_then(|s| s.get(&name.name));
        let kind = scheme
            .and_then(|s| s.get("x-amazon-apigateway-authtype"))
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let authorizer_type = scheme
            .and_then(|s| s.at(&["x-amazon-apigateway-authorizer", "type"]))
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let is_api_key = name.name == "api_key"
            || (scheme
                .and_then(|s| s.get("type"))
                .and_then(Node::as_str)
                .is_some_and(|t| t == "apiKey")
                && kind.is_empty()
                && authorizer_type.is_empty());
        if name.name == "api_key_false" {
            continue;
        }
        if is_api_key {
            auth.api_key = true;
            auth.needs_header = true;
        } else {
            let header = name.name == "AWS_IAM"
                || kind == "awssigv4"
                || kind == "cognito_user_pools"
                || matches!(
                    authorizer_type.as_str(),
                    "token" | "jwt" | "cognito_user_pools"
                )
                || scheme
                    .and_then(|s| s.get("type"))
                    .and_then(Node::as_str)
                    .is_some_and(|t| t == "oauth2" || t == "openIdConnect");
            auth.needs_header |= header;
            auth.authorizer.get_or_insert_with(|| name.name.clone());
        }
    }
    auth
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    #[test]
    fn operations_security_and_mock_cors() {
        let body = yaml::parse(
            "swagger: '2.0'\n\
             securityDefinitions:\n  Cognito: {type: apiKey, name: Authorization, in: header, \
             x-amazon-apigateway-authtype: cognito_user_pools}\n  api_key: {type: apiKey, name: \
             x-api-key, in: header}\n\
             paths:\n  /notes:\n    put:\n      security: [{Cognito: []}]\n      \
             x-amazon-apigateway-integration: {type: aws_proxy, uri: x}\n    options:\n      \
             x-amazon-apigateway-integration:\n        type: mock\n        responses:\n          \
             default:\n            responseParameters:\n              \
             method.response.header.Access-Control-Allow-Origin: \"'*'\"\n  /open:\n    \
             x-amazon-apigateway-any-method:\n      security: [{api_key: []}, {}]\n      \
             x-amazon-apigateway-integration: {type: http_proxy}\n\
             x-amazon-apigateway-gateway-responses:\n  DEFAULT_4XX:\n    responseParameters:\n      \
             gatewayresponse.header.Access-Control-Allow-Origin: method.request.header.Origin\n",
            "t.yaml",
        )
        .unwrap();
        let place = Place {
            file: "t.yaml".into(),
            resource: "Api".into(),
            path: "Properties.DefinitionBody".into(),
            line: Some(1),
        };
        let definition = read(&body, &place, &|_| Target::Function("Fn".into()));
        let summary: Vec<_> = definition
            .methods
            .iter()
            .map(|m| {
                (
                    m.path.clone().unwrap(),
                    m.method.clone(),
                    m.auth.is_required(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("/notes".into(), "PUT".into(), true),
                ("/notes".into(), "OPTIONS".into(), false),
                ("/open".into(), "ANY".into(), false),
            ]
        );
        assert_eq!(definition.methods[0].target, Target::Function("Fn".into()));
        assert!(definition.methods[0].auth.needs_header);
        assert_eq!(
            definition.methods[1].target,
            Target::Mock { cors_headers: true }
        );
        assert_eq!(definition.methods[2].target, Target::Other);
        assert_eq!(definition.gateway_responses.len(), 1);
        assert_eq!(definition.methods[0].at.line, Some(7));
    }
}

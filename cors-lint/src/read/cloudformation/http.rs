//! HTTP APIs written as CloudFormation resources (`AWS::ApiGatewayV2::*`), an OpenAPI `Body`,
//! or a quick-create `Target`.

use std::collections::HashMap;

use super::{Resource, Template};
use crate::model::{Auth, CorsSetting, Declared, HttpApi, HttpRoute, Target};
use crate::read::{intrinsics, openapi};
use crate::tree::Node;

/// Every HTTP (not WebSocket) `AWS::ApiGatewayV2::Api`, with its routes.
pub fn http_apis(t: &Template<'_>) -> Vec<HttpApi> {
    let mut apis: Vec<HttpApi> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for resource in t.of_kind("AWS::ApiGatewayV2::Api") {
        let protocol = resource.prop("ProtocolType").and_then(Node::as_str);
        if protocol.is_some_and(|p| !p.eq_ignore_ascii_case("HTTP")) {
            continue;
        }
        let mut api = HttpApi {
            id: resource.id.to_owned(),
            cors: resource
                .props()
                .entry("CorsConfiguration")
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| CorsSetting {
                    at: t.place(resource, "Properties.CorsConfiguration", key.line),
                    origins: value
                        .get("AllowOrigins")
                        .and_then(intrinsics::string_list)
                        .unwrap_or_default(),
                }),
            routes: Vec::new(),
            routes_known: resource.prop("BodyS3Location").is_none(),
        };
        if let Some((key, target)) = resource.props().entry("Target") {
            api.routes.push(HttpRoute {
                key: "$default".to_owned(),
                auth: Auth::none(),
                target: t.lambda_target(Some(target)),
                at: t.place(resource, "Properties.Target", key.line),
                declared: Declared::QuickCreate,
            });
        }
        if let Some((key, body)) = resource.props().entry("Body") {
            if body.intrinsic().is_some() {
                api.routes_known = false;
            } else {
                let place = t.place(resource, "Properties.Body", key.line);
                let definition = openapi::read(body, &place, &|uri| t.lambda_target(Some(uri)));
                api.routes.extend(definition.http_routes());
                if api.cors.is_none() {
                    api.cors = definition.cors;
                }
            }
        }
        by_id.insert(api.id.clone(), apis.len());
        apis.push(api);
    }
    for resource in t.of_kind("AWS::ApiGatewayV2::Route") {
        let Some(api) = resource
            .prop("ApiId")
            .and_then(|id| t.referenced(id, &["AWS::ApiGatewayV2::Api"]))
            .and_then(|api| by_id.get(api.id))
        else {
            continue;
        };
        let route = route(t, resource);
        apis[*api].routes.push(route);
    }
    apis
}

fn route(t: &Template<'_>, resource: &Resource<'_>) -> HttpRoute {
    let props = resource.props();
    let key = props
        .get("RouteKey")
        .and_then(Node::as_str)
        .unwrap_or("?")
        .to_owned();
    let authorization = props
        .get("AuthorizationType")
        .and_then(Node::as_str)
        .unwrap_or("NONE")
        .to_ascii_uppercase();
    let needs_header = match authorization.as_str() {
        "JWT" | "AWS_IAM" => true,
        "CUSTOM" => props
            .get("AuthorizerId")
            .and_then(|id| t.referenced(id, &["AWS::ApiGatewayV2::Authorizer"]))
            .and_then(|a| a.prop("IdentitySource"))
            .and_then(intrinsics::string_list)
            .is_some_and(|sources| {
                sources
                    .iter()
                    .any(|s| s.to_ascii_lowercase().contains("header.authorization"))
            }),
        _ => false,
    };
    let target = match props.get("Target") {
        Some(target) => match t.referenced(target, &["AWS::ApiGatewayV2::Integration"]) {
            Some(integration) => integration_target(t, integration),
            None => Target::Unknown,
        },
        None => Target::Unknown,
    };
    HttpRoute {
        key,
        auth: Auth {
            authorizer: (authorization != "NONE").then_some(authorization),
            api_key: props
                .get("ApiKeyRequired")
                .and_then(Node::as_bool)
                .unwrap_or(false),
            needs_header,
        },
        target,
        at: t.place(resource, "", resource.line),
        declared: Declared::Resource,
    }
}

fn integration_target(t: &Template<'_>, integration: &Resource<'_>) -> Target {
    let kind = integration
        .prop("IntegrationType")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase();
    match kind.as_str() {
        // With a subtype, AWS_PROXY calls another AWS service (SQS, EventBridge, ...).
        "AWS_PROXY" if integration.prop("IntegrationSubtype").is_none() => {
            t.lambda_target(integration.prop("IntegrationUri"))
        }
        "" => Target::Unknown,
        _ => Target::Other,
    }
}

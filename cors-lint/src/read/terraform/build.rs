//! The model from a Terraform configuration: `aws_lambda_function`, `aws_lambda_function_url`,
//! `aws_api_gateway_*`, `aws_apigatewayv2_*` and `aws_cloudfront_*` resources, linked by their
//! references.

use std::collections::HashMap;

use super::config::{TfBody, TfConfig, TfResource, TfValue, refs};
use crate::model::{
    Auth, CacheBehavior, CorsSetting, Declared, Dialect, EnvVar, Function, FunctionUrl,
    GatewayResponse, HttpApi, HttpRoute, Known, Model, RestApi, RestMethod, Target, Text, Upstream,
};
use crate::read::cloudfront::{self, CacheFacts};
use crate::read::openapi;
use crate::tree::{Key, Node, Value};

/// Builds the model of `config`.
pub fn model(config: &TfConfig, dialect: Dialect) -> Model {
    let mut model = Model::new(dialect);
    for function in config.of_kind("aws_lambda_function") {
        model.functions.push(function_of(config, function));
    }
    for url in config.of_kind("aws_lambda_function_url") {
        model.function_urls.push(FunctionUrl {
            function: url.body.attr("function_name").and_then(|f| function_ref(config, f)),
            at: url.at.clone(),
            cors: url.body.blocks("cors").next().map(|(_, cors, line)| CorsSetting {
                at: url.at.at("cors", *line),
                origins: cors
                    .attr("allow_origins")
                    .and_then(|o| config.strings(o, url))
                    .unwrap_or_default(),
            }),
            iam: matches!(url.body.attr("authorization_type"), Some(TfValue::Str(t)) if t == "AWS_IAM"),
        });
    }
    model.rest_apis = rest_apis(config);
    model.http_apis = http_apis(config);
    model.cache_behaviors = cache_behaviors(config, &model);
    model
}

fn literal(config: &TfConfig, resource: &TfResource, name: &str) -> Option<String> {
    match config.text(resource.body.attr(name)?, resource) {
        Text::Literal(text) => Some(text),
        _ => None,
    }
}

fn function_of(config: &TfConfig, function: &TfResource) -> Function {
    let mut env = Vec::new();
    if let Some((_, environment, _)) = function.body.blocks("environment").next()
        && let Some(TfValue::Object(variables)) = environment.attr("variables")
    {
        let line = environment.attr_line("variables");
        for (name, value) in variables {
            env.push(EnvVar {
                name: name.clone(),
                value: config.text(value, function),
                at: function
                    .at
                    .at(&format!("environment.variables.{name}"), line),
            });
        }
    }
    Function {
        id: function.address.clone(),
        env,
    }
}

/// The function a reference names (`aws_lambda_function.api.invoke_arn`, through aliases).
fn function_ref(config: &TfConfig, value: &TfValue) -> Option<String> {
    let resource = config.referenced(value, &["aws_lambda_function", "aws_lambda_alias"])?;
    if resource.kind == "aws_lambda_alias" {
        return function_ref(config, resource.body.attr("function_name")?);
    }
    Some(
        resource
            .address
            .split('[')
            .next()
            .unwrap_or(&resource.address)
            .to_owned(),
    )
}

fn lambda_target(config: &TfConfig, uri: Option<&TfValue>) -> Target {
    match uri.and_then(|uri| function_ref(config, uri)) {
        Some(id) => Target::Function(id),
        None => Target::Lambda,
    }
}

fn api_address(config: &TfConfig, value: Option<&TfValue>, kinds: &[&str]) -> Option<String> {
    Some(config.referenced(value?, kinds)?.address.clone())
}

fn rest_apis(config: &TfConfig) -> Vec<RestApi> {
    let mut apis: Vec<RestApi> = Vec::new();
    for api in config.of_kind("aws_api_gateway_rest_api") {
        let mut rest = RestApi {
            id: api.address.clone(),
            at: api.at.clone(),
            methods: Vec::new(),
            methods_known: true,
            gateway_responses: Vec::new(),
            gateway_responses_known: true,
            cors: None,
        };
        if let Some(body) = api.body.attr("body") {
            match body_node(body) {
                Some(node) => {
                    let place = api.at.at("body", api.body.attr_line("body"));
                    let definition = openapi::read(&node, &place, &|uri| {
                        uri.as_str()
                            .and_then(|u| function_ref(config, &TfValue::Ref(u.to_owned())))
                            .map_or(Target::Lambda, Target::Function)
                    });
                    rest.methods.extend(definition.methods);
                    rest.gateway_responses.extend(definition.gateway_responses);
                }
                None => {
                    rest.methods_known = false;
                    rest.gateway_responses_known = false;
                }
            }
        }
        apis.push(rest);
    }
    let index: HashMap<String, usize> = apis
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let api_of = |resource: &TfResource| {
        api_address(
            config,
            resource.body.attr("rest_api_id"),
            &["aws_api_gateway_rest_api"],
        )
        .and_then(|a| index.get(&a).copied())
    };

    for method in config.of_kind("aws_api_gateway_method") {
        let Some(api) = api_of(method) else { continue };
        let http_method = literal(config, method, "http_method").unwrap_or_else(|| "?".into());
        let resource_id = method.body.attr("resource_id");
        let authorization = literal(config, method, "authorization")
            .unwrap_or_else(|| "NONE".into())
            .to_ascii_uppercase();
        let api_key = literal(config, method, "api_key_required").as_deref() == Some("true");
        let needs_header = api_key
            || match authorization.as_str() {
                "AWS_IAM" | "COGNITO_USER_POOLS" => true,
                "CUSTOM" => method
                    .body
                    .attr("authorizer_id")
                    .and_then(|a| config.referenced(a, &["aws_api_gateway_authorizer"]))
                    .and_then(|a| literal(config, a, "type"))
                    .is_none_or(|kind| kind != "REQUEST"),
                _ => false,
            };
        let integration = config.of_kind("aws_api_gateway_integration").find(|i| {
            same_ref(i.body.attr("resource_id"), resource_id)
                && integration_method(config, i).as_deref() == Some(http_method.as_str())
        });
        let target = integration.map_or(Target::Unknown, |integration| {
            match literal(config, integration, "type").as_deref() {
                Some("AWS_PROXY") => lambda_target(config, integration.body.attr("uri")),
                Some("MOCK") => Target::Mock {
                    cors_headers: config.of_kind("aws_api_gateway_integration_response").any(|r| {
                        same_ref(r.body.attr("resource_id"), resource_id)
                            && integration_method(config, r).as_deref() == Some(http_method.as_str())
                            && matches!(r.body.attr("response_parameters"), Some(TfValue::Object(p))
                                if p.iter().any(|(k, _)| k.contains("Access-Control-")))
                    }),
                },
                Some(_) => Target::Other,
                None => Target::Unknown,
            }
        });
        let path = resource_id.and_then(|id| rest_path(config, id, 0));
        apis[api].methods.push(RestMethod {
            path,
            method: http_method.to_ascii_uppercase(),
            auth: Auth {
                authorizer: (authorization != "NONE").then_some(authorization),
                api_key,
                needs_header,
            },
            target,
            at: method.at.clone(),
            declared: Declared::Resource,
        });
    }
    for response in config.of_kind("aws_api_gateway_gateway_response") {
        let Some(api) = api_of(response) else {
            continue;
        };
        let headers = match response.body.attr("response_parameters") {
            Some(TfValue::Object(parameters)) => parameters
                .iter()
                .filter_map(|(name, value)| {
                    let header = name.strip_prefix("gatewayresponse.header.")?;
                    Some((header.to_owned(), config.text(value, response)))
                })
                .collect(),
            _ => Vec::new(),
        };
        apis[api].gateway_responses.push(GatewayResponse {
            kind: response
                .body
                .attr("response_type")
                .map_or(Text::Unknown, |t| config.text(t, response)),
            headers,
            at: response.at.clone(),
        });
    }
    apis
}

/// An integration's (or integration response's) `http_method`: literal, or the method's.
fn integration_method(config: &TfConfig, resource: &TfResource) -> Option<String> {
    let value = resource.body.attr("http_method")?;
    if let Text::Literal(method) = config.text(value, resource) {
        return Some(method);
    }
    let method = config.referenced(value, &["aws_api_gateway_method"])?;
    literal(config, method, "http_method")
}

fn same_ref(a: Option<&TfValue>, b: Option<&TfValue>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (!refs(a).is_empty() && refs(a) == refs(b)),
        _ => false,
    }
}

/// The path of a `resource_id`: `/` for the API's root, else the resource's path parts.
fn rest_path(config: &TfConfig, id: &TfValue, depth: usize) -> Option<String> {
    if depth > 64 {
        return None;
    }
    let reference = refs(id).into_iter().next()?;
    if reference.ends_with(".root_resource_id") {
        return Some("/".to_owned());
    }
    let resource = config.referenced(id, &["aws_api_gateway_resource"])?;
    let part = literal(config, resource, "path_part")?;
    let parent = rest_path(config, resource.body.attr("parent_id")?, depth + 1)?;
    Some(format!("{}/{part}", parent.trim_end_matches('/')))
}

/// A `body = jsonencode({...})` (an OpenAPI definition written in HCL) as a tree.
fn body_node(value: &TfValue) -> Option<Node> {
    match value {
        TfValue::Call(name, args) if name == "jsonencode" => args.first().map(node_of),
        _ => None,
    }
}

fn node_of(value: &TfValue) -> Node {
    let value = match value {
        TfValue::Str(text) => Value::Scalar(text.clone()),
        TfValue::Ref(reference) => Value::Scalar(reference.clone()),
        TfValue::List(items) => Value::Seq(items.iter().map(node_of).collect()),
        TfValue::Object(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            line: 0,
                        },
                        node_of(v),
                    )
                })
                .collect(),
        ),
        _ => Value::Null,
    };
    Node::new(value, 0)
}

fn http_apis(config: &TfConfig) -> Vec<HttpApi> {
    let mut apis = Vec::new();
    for api in config.of_kind("aws_apigatewayv2_api") {
        if literal(config, api, "protocol_type").is_some_and(|p| p != "HTTP") {
            continue;
        }
        let mut http = HttpApi {
            id: api.address.clone(),
            cors: api
                .body
                .blocks("cors_configuration")
                .next()
                .map(|(_, cors, line)| CorsSetting {
                    at: api.at.at("cors_configuration", *line),
                    origins: cors
                        .attr("allow_origins")
                        .and_then(|o| config.strings(o, api))
                        .unwrap_or_default(),
                }),
            routes: Vec::new(),
            routes_known: !api.body.dynamic.iter().any(|d| d == "cors_configuration"),
        };
        if let Some(target) = api.body.attr("target") {
            http.routes.push(HttpRoute {
                key: "$default".to_owned(),
                auth: Auth::none(),
                target: lambda_target(config, Some(target)),
                at: api.at.at("target", api.body.attr_line("target")),
                declared: Declared::QuickCreate,
            });
        }
        for route in config.of_kind("aws_apigatewayv2_route") {
            let api_ref = api_address(config, route.body.attr("api_id"), &["aws_apigatewayv2_api"]);
            if api_ref.as_deref() != Some(api.address.as_str()) {
                continue;
            }
            http.routes.push(route_of(config, route));
        }
        apis.push(http);
    }
    apis
}

fn route_of(config: &TfConfig, route: &TfResource) -> HttpRoute {
    let authorization = literal(config, route, "authorization_type")
        .unwrap_or_else(|| "NONE".into())
        .to_ascii_uppercase();
    let needs_header = match authorization.as_str() {
        "JWT" | "AWS_IAM" => true,
        "CUSTOM" => route
            .body
            .attr("authorizer_id")
            .and_then(|a| config.referenced(a, &["aws_apigatewayv2_authorizer"]))
            .and_then(|a| {
                a.body
                    .attr("identity_sources")
                    .and_then(|s| config.strings(s, a))
            })
            .is_some_and(|s| {
                s.iter()
                    .any(|s| s.to_ascii_lowercase().contains("header.authorization"))
            }),
        _ => false,
    };
    let target = match route
        .body
        .attr("target")
        .and_then(|t| config.referenced(t, &["aws_apigatewayv2_integration"]))
    {
        Some(integration) => match literal(config, integration, "integration_type").as_deref() {
            Some("AWS_PROXY") if integration.body.attr("integration_subtype").is_none() => {
                lambda_target(config, integration.body.attr("integration_uri"))
            }
            Some(_) => Target::Other,
            None => Target::Unknown,
        },
        None => Target::Unknown,
    };
    HttpRoute {
        key: literal(config, route, "route_key").unwrap_or_else(|| "?".into()),
        auth: Auth {
            authorizer: (authorization != "NONE").then_some(authorization),
            api_key: literal(config, route, "api_key_required").as_deref() == Some("true"),
            needs_header,
        },
        target,
        at: route.at.clone(),
        declared: Declared::Resource,
    }
}

const API_KINDS: &[&str] = &[
    "aws_api_gateway_rest_api",
    "aws_api_gateway_stage",
    "aws_api_gateway_deployment",
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_stage",
    "aws_lambda_function_url",
];

fn cache_behaviors(config: &TfConfig, model: &Model) -> Vec<CacheBehavior> {
    let mut out = Vec::new();
    for distribution in config.of_kind("aws_cloudfront_distribution") {
        let origins: Vec<(String, Upstream)> = distribution
            .body
            .blocks("origin")
            .filter_map(|(_, origin, _)| {
                let id = match config.text(origin.attr("origin_id")?, distribution) {
                    Text::Literal(id) => id,
                    _ => return None,
                };
                Some((
                    id,
                    upstream(config, model, distribution, origin.attr("domain_name")?)?,
                ))
            })
            .collect();
        let behaviours = distribution
            .body
            .blocks("default_cache_behavior")
            .map(|(_, b, line)| {
                (
                    "*".to_owned(),
                    b,
                    "default_cache_behavior".to_owned(),
                    *line,
                )
            })
            .chain(
                distribution
                    .body
                    .blocks("ordered_cache_behavior")
                    .enumerate()
                    .map(|(i, (_, b, line))| {
                        let pattern = b
                            .attr("path_pattern")
                            .map(|p| config.text(p, distribution))
                            .and_then(|t| t.literal().map(str::to_owned))
                            .unwrap_or_else(|| "?".into());
                        (pattern, b, format!("ordered_cache_behavior[{i}]"), *line)
                    }),
            );
        for (pattern, behaviour, path, line) in behaviours {
            let Some(Text::Literal(target)) = behaviour
                .attr("target_origin_id")
                .map(|t| config.text(t, distribution))
            else {
                continue;
            };
            let Some((_, upstream)) = origins.iter().find(|(id, _)| *id == target) else {
                continue;
            };
            let cache = cache_facts(config, distribution, behaviour);
            let origin_request = behaviour
                .attr("origin_request_policy_id")
                .map(|id| origin_request_facts(config, distribution, id));
            out.push(CacheBehavior {
                distribution: distribution.address.clone(),
                path_pattern: pattern,
                upstream: upstream.clone(),
                allowed_methods: behaviour
                    .attr("allowed_methods")
                    .and_then(|m| config.strings(m, distribution)),
                caches: cache.caches,
                origin_in_key: cache.origin_in_key,
                origin_forwarded: cloudfront::origin_forwarded(cache, origin_request),
                at: distribution.at.at(&path, line),
            });
        }
    }
    out
}

fn upstream(
    config: &TfConfig,
    model: &Model,
    distribution: &TfResource,
    domain: &TfValue,
) -> Option<Upstream> {
    let mut functions = Vec::new();
    let mut found = false;
    for reference in refs(domain) {
        let Some(resource) = config.referenced(&TfValue::Ref(reference), API_KINDS) else {
            continue;
        };
        found = true;
        let api = match resource.kind.as_str() {
            "aws_api_gateway_stage" | "aws_api_gateway_deployment" => api_address(
                config,
                resource.body.attr("rest_api_id"),
                &["aws_api_gateway_rest_api"],
            ),
            "aws_apigatewayv2_stage" => api_address(
                config,
                resource.body.attr("api_id"),
                &["aws_apigatewayv2_api"],
            ),
            _ => Some(resource.address.clone()),
        };
        let Some(api) = api else { continue };
        let mut add = |target: &Target| {
            if let Target::Function(f) = target
                && !functions.contains(f)
            {
                functions.push(f.clone());
            }
        };
        model
            .rest_apis
            .iter()
            .filter(|a| a.id == api)
            .flat_map(|a| &a.methods)
            .for_each(|m| add(&m.target));
        model
            .http_apis
            .iter()
            .filter(|a| a.id == api)
            .flat_map(|a| &a.routes)
            .for_each(|r| add(&r.target));
        for url in model.function_urls.iter().filter(|u| u.at.resource == api) {
            if let Some(f) = &url.function {
                add(&Target::Function(f.clone()));
            }
        }
    }
    if found {
        return Some(Upstream::Api(functions));
    }
    match config.text(domain, distribution) {
        Text::Literal(host) if cloudfront::is_api_host(&host) => Some(Upstream::External),
        _ => None,
    }
}

/// A policy id: a literal id, a resource's, or a data source's managed policy (by name).
enum PolicyRef<'a> {
    Id(String),
    Resource(&'a TfResource),
    Unknown,
}

fn policy_ref<'a>(
    config: &'a TfConfig,
    distribution: &TfResource,
    id: &TfValue,
    kind: &str,
) -> PolicyRef<'a> {
    if let Text::Literal(id) = config.text(id, distribution) {
        return PolicyRef::Id(id);
    }
    match config.referenced(id, &[kind]) {
        Some(resource) if resource.address.starts_with("data.") => {
            match literal(config, resource, "name").or_else(|| literal(config, resource, "id")) {
                Some(name) => PolicyRef::Id(name),
                None => PolicyRef::Unknown,
            }
        }
        Some(resource) => PolicyRef::Resource(resource),
        None => PolicyRef::Unknown,
    }
}

fn cache_facts(config: &TfConfig, distribution: &TfResource, behaviour: &TfBody) -> CacheFacts {
    if let Some(id) = behaviour.attr("cache_policy_id") {
        return match policy_ref(config, distribution, id, "aws_cloudfront_cache_policy") {
            PolicyRef::Id(id) => {
                cloudfront::managed_cache_policy(&id).unwrap_or(CacheFacts::UNKNOWN)
            }
            PolicyRef::Resource(policy) => {
                let headers = policy
                    .body
                    .block("parameters_in_cache_key_and_forwarded_to_origin")
                    .and_then(|p| p.block("headers_config"));
                let list = headers
                    .and_then(|h| h.block("headers"))
                    .and_then(|h| h.attr("items"))
                    .and_then(|items| config.strings(items, policy));
                let behavior = headers
                    .and_then(|h| h.attr("header_behavior"))
                    .map(|b| config.text(b, policy));
                cloudfront::custom_cache_policy(
                    literal(config, policy, "max_ttl").as_deref(),
                    behavior.as_ref().and_then(Text::literal),
                    list.as_deref(),
                )
            }
            PolicyRef::Unknown => CacheFacts::UNKNOWN,
        };
    }
    let Some(forwarded) = behaviour.block("forwarded_values") else {
        return CacheFacts::UNKNOWN;
    };
    let headers = forwarded
        .attr("headers")
        .and_then(|h| config.strings(h, distribution));
    let max_ttl = behaviour
        .attr("max_ttl")
        .map(|t| config.text(t, distribution));
    cloudfront::legacy_forwarded(headers.as_deref(), max_ttl.as_ref().and_then(Text::literal))
}

fn origin_request_facts(config: &TfConfig, distribution: &TfResource, id: &TfValue) -> Known {
    match policy_ref(
        config,
        distribution,
        id,
        "aws_cloudfront_origin_request_policy",
    ) {
        PolicyRef::Id(id) => {
            cloudfront::managed_origin_request_policy(&id).unwrap_or(Known::Unknown)
        }
        PolicyRef::Resource(policy) => {
            let headers = policy.body.block("headers_config");
            let list = headers
                .and_then(|h| h.block("headers"))
                .and_then(|h| h.attr("items"))
                .and_then(|items| config.strings(items, policy));
            let behavior = headers
                .and_then(|h| h.attr("header_behavior"))
                .map(|b| config.text(b, policy));
            cloudfront::custom_origin_request_policy(
                behavior.as_ref().and_then(Text::literal),
                list.as_deref(),
            )
        }
        PolicyRef::Unknown => Known::Unknown,
    }
}

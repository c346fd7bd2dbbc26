//! `aws_cloudfront_distribution`s whose origin is an API or a Function URL: each cache
//! behaviour's methods, cache key and forwarded headers, from managed policies (by id, or by
//! the name of an `aws_cloudfront_*_policy` data source) or the configuration's own.

use super::config::{TfBody, TfConfig, TfResource, TfValue, api_address, literal, refs};
use crate::model::{CacheBehavior, Known, Model, Target, Text, Upstream};
use crate::read::cloudfront::{self, CacheFacts};

const API_KINDS: &[&str] = &[
    "aws_api_gateway_rest_api",
    "aws_api_gateway_stage",
    "aws_api_gateway_deployment",
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_stage",
    "aws_lambda_function_url",
];

pub(super) fn cache_behaviors(config: &TfConfig, model: &Model) -> Vec<CacheBehavior> {
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
                let (behavior, list) = headers_config(config, policy, headers);
                cloudfront::custom_cache_policy(
                    literal(config, policy, "max_ttl").as_deref(),
                    behavior.as_deref(),
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
            let (behavior, list) =
                headers_config(config, policy, policy.body.block("headers_config"));
            cloudfront::custom_origin_request_policy(behavior.as_deref(), list.as_deref())
        }
        PolicyRef::Unknown => Known::Unknown,
    }
}

/// A policy's `headers_config`: its `header_behavior` and its `headers { items }`, when literal.
fn headers_config(
    config: &TfConfig,
    policy: &TfResource,
    headers: Option<&TfBody>,
) -> (Option<String>, Option<Vec<String>>) {
    let list = headers
        .and_then(|h| h.block("headers"))
        .and_then(|h| h.attr("items"))
        .and_then(|items| config.strings(items, policy));
    let behavior = headers
        .and_then(|h| h.attr("header_behavior"))
        .and_then(|b| config.text(b, policy).literal().map(str::to_owned));
    (behavior, list)
}

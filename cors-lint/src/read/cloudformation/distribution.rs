//! `AWS::CloudFront::Distribution`s whose origin is an API or a Function URL: each cache
//! behaviour's methods, cache key and forwarded headers.

use super::{Resource, Template};
use crate::model::{CacheBehavior, Known, Model, Upstream};
use crate::read::cloudfront::{self, CacheFacts};
use crate::read::intrinsics;
use crate::tree::Node;

const API_KINDS: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::Serverless::Api",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Lambda::Url",
];

/// The behaviours of every distribution in front of an API.
pub fn cache_behaviors(t: &Template<'_>, model: &Model) -> Vec<CacheBehavior> {
    let mut out = Vec::new();
    for distribution in t.of_kind("AWS::CloudFront::Distribution") {
        let Some(config) = distribution.prop("DistributionConfig") else {
            continue;
        };
        let origins: Vec<(&str, Upstream)> = config
            .get("Origins")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|origin| {
                let id = origin.get("Id").and_then(Node::as_str)?;
                Some((id, upstream(t, model, origin.get("DomainName")?)?))
            })
            .collect();
        let mut behaviours: Vec<(String, &Node, String, u32)> = Vec::new();
        if let Some((key, default)) = config.entry("DefaultCacheBehavior") {
            let path = "Properties.DistributionConfig.DefaultCacheBehavior".to_owned();
            behaviours.push(("*".to_owned(), default, path, key.line));
        }
        for (i, behaviour) in config
            .get("CacheBehaviors")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let pattern = behaviour
                .get("PathPattern")
                .and_then(Node::as_str)
                .unwrap_or("?");
            let path = format!("Properties.DistributionConfig.CacheBehaviors[{i}]");
            behaviours.push((pattern.to_owned(), behaviour, path, behaviour.line));
        }
        for (pattern, behaviour, path, line) in behaviours {
            let Some(origin) = behaviour.get("TargetOriginId").and_then(Node::as_str) else {
                continue;
            };
            let Some((_, upstream)) = origins.iter().find(|(id, _)| *id == origin) else {
                continue;
            };
            let cache = cache_facts(t, behaviour);
            let origin_request = behaviour
                .get("OriginRequestPolicyId")
                .map(|id| origin_request_facts(t, id));
            out.push(CacheBehavior {
                distribution: distribution.id.to_owned(),
                path_pattern: pattern,
                upstream: upstream.clone(),
                allowed_methods: match behaviour.get("AllowedMethods") {
                    Some(methods) => intrinsics::string_list(methods),
                    None => Some(vec!["GET".to_owned(), "HEAD".to_owned()]),
                },
                caches: cache.caches,
                origin_in_key: cache.origin_in_key,
                origin_forwarded: cloudfront::origin_forwarded(cache, origin_request),
                at: t.place(distribution, &path, line),
            });
        }
    }
    out
}

/// What an origin's `DomainName` points at, when it is an API or a Function URL.
fn upstream(t: &Template<'_>, model: &Model, domain: &Node) -> Option<Upstream> {
    let mut functions = Vec::new();
    let mut found = false;
    for id in intrinsics::refs(domain) {
        let kind = t.get(&id).map(|r| r.kind);
        let api_kind = kind.is_some_and(|k| API_KINDS.contains(&k));
        let behind = functions_behind(model, &id);
        if api_kind || !behind.is_empty() || id == "ServerlessRestApi" || id == "ServerlessHttpApi"
        {
            found = true;
            functions.extend(behind);
        }
    }
    if found {
        return Some(Upstream::Api(functions));
    }
    let host = match intrinsics::text(domain) {
        crate::model::Text::Literal(text) => text,
        crate::model::Text::Template(pieces) => pieces
            .iter()
            .map(|p| match p {
                crate::model::Piece::Literal(text) | crate::model::Piece::Hole(text) => {
                    text.as_str()
                }
            })
            .collect(),
        crate::model::Text::Unknown => return None,
    };
    cloudfront::is_api_host(&host).then_some(Upstream::External)
}

/// The functions behind an API or Function URL of the model (SAM names a function's URL
/// `<Function>Url`).
fn functions_behind(model: &Model, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |target: &crate::model::Target| {
        if let crate::model::Target::Function(f) = target
            && !out.contains(f)
        {
            out.push(f.clone());
        }
    };
    for api in model.rest_apis.iter().filter(|a| a.id == id) {
        api.methods.iter().for_each(|m| add(&m.target));
    }
    for api in model.http_apis.iter().filter(|a| a.id == id) {
        api.routes.iter().for_each(|r| add(&r.target));
    }
    for url in &model.function_urls {
        if let Some(function) = &url.function
            && (url.at.resource == id || format!("{function}Url") == id)
            && !out.contains(function)
        {
            out.push(function.clone());
        }
    }
    out
}

fn cache_facts(t: &Template<'_>, behaviour: &Node) -> CacheFacts {
    if let Some(id) = behaviour.get("CachePolicyId") {
        if let Some(id) = id.as_str() {
            return cloudfront::managed_cache_policy(id).unwrap_or(CacheFacts::UNKNOWN);
        }
        let Some(policy) = t.referenced(id, &["AWS::CloudFront::CachePolicy"]) else {
            return CacheFacts::UNKNOWN;
        };
        return custom_cache(policy);
    }
    let headers = behaviour
        .at(&["ForwardedValues", "Headers"])
        .and_then(intrinsics::string_list);
    if behaviour.get("ForwardedValues").is_none() {
        return CacheFacts::UNKNOWN;
    }
    cloudfront::legacy_forwarded(
        headers.as_deref(),
        behaviour.get("MaxTTL").and_then(Node::as_str),
    )
}

fn custom_cache(policy: &Resource<'_>) -> CacheFacts {
    let config = policy.prop("CachePolicyConfig");
    let headers =
        config.and_then(|c| c.at(&["ParametersInCacheKeyAndForwardedToOrigin", "HeadersConfig"]));
    let list = headers
        .and_then(|h| h.get("Headers"))
        .and_then(intrinsics::string_list);
    cloudfront::custom_cache_policy(
        config.and_then(|c| c.get("MaxTTL")).and_then(Node::as_str),
        headers
            .and_then(|h| h.get("HeaderBehavior"))
            .and_then(Node::as_str),
        list.as_deref(),
    )
}

fn origin_request_facts(t: &Template<'_>, id: &Node) -> Known {
    if let Some(id) = id.as_str() {
        return cloudfront::managed_origin_request_policy(id).unwrap_or(Known::Unknown);
    }
    let Some(policy) = t.referenced(id, &["AWS::CloudFront::OriginRequestPolicy"]) else {
        return Known::Unknown;
    };
    let headers = policy
        .props()
        .at(&["OriginRequestPolicyConfig", "HeadersConfig"]);
    let list = headers
        .and_then(|h| h.get("Headers"))
        .and_then(intrinsics::string_list);
    cloudfront::custom_origin_request_policy(
        headers
            .and_then(|h| h.get("HeaderBehavior"))
            .and_then(Node::as_str),
        list.as_deref(),
    )
}

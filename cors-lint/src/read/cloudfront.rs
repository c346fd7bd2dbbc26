//! CloudFront facts every format shares: AWS's managed cache and origin request policies (by id
//! and by name), and what a policy's settings mean for `Origin`.

use crate::model::Known;

/// What a cache policy does with `Origin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheFacts {
    /// Whether responses are cached at all.
    pub caches: Known,
    /// Whether `Origin` is in the cache key (and so forwarded).
    pub origin_in_key: Known,
}

impl CacheFacts {
    /// Nothing known.
    pub const UNKNOWN: CacheFacts = CacheFacts {
        caches: Known::Unknown,
        origin_in_key: Known::Unknown,
    };
}

/// AWS's managed cache policies: id, name, and whether `Origin` is in their key.
const MANAGED_CACHE: &[(&str, &str, bool, bool)] = &[
    // (id, name, caches, origin in key)
    (
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        "Managed-CachingDisabled",
        false,
        false,
    ),
    (
        "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "Managed-CachingOptimized",
        true,
        false,
    ),
    (
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
        "Managed-CachingOptimizedForUncompressedObjects",
        true,
        false,
    ),
    (
        "2e54312d-136d-493c-8eb9-b001f22f67d2",
        "Managed-Amplify",
        true,
        false,
    ),
    (
        "08627262-05a9-4f76-9ded-b50ca2e3a84f",
        "Managed-Elemental-MediaPackage",
        true,
        true,
    ),
    (
        "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
        "Managed-UseOriginCacheControlHeaders",
        true,
        true,
    ),
    (
        "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
        "Managed-UseOriginCacheControlHeaders-QueryStrings",
        true,
        true,
    ),
];

/// AWS's managed origin request policies: id, name, and whether they forward `Origin`.
const MANAGED_ORIGIN_REQUEST: &[(&str, &str, bool)] = &[
    (
        "216adef6-5c7f-47e4-b989-5492eafa07d3",
        "Managed-AllViewer",
        true,
    ),
    (
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "Managed-AllViewerExceptHostHeader",
        true,
    ),
    (
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        "Managed-AllViewerAndCloudFrontHeaders-2022-06",
        true,
    ),
    (
        "59781a5b-3903-41f3-afcb-af62929ccde1",
        "Managed-CORS-CustomOrigin",
        true,
    ),
    (
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
        "Managed-CORS-S3Origin",
        true,
    ),
    (
        "acba4595-bd28-49b8-b9fe-13317c0390fa",
        "Managed-UserAgentRefererHeaders",
        false,
    ),
    (
        "775133bc-15f2-49f9-abea-afb2e0bf67d2",
        "Managed-Elemental-MediaTailor-PersonalizedManifests",
        true,
    ),
];

/// A managed cache policy, by id or name (`Managed-CachingDisabled`, or without `Managed-`).
pub fn managed_cache_policy(id_or_name: &str) -> Option<CacheFacts> {
    MANAGED_CACHE
        .iter()
        .find(|(id, name, ..)| is(id_or_name, id, name))
        .map(|&(_, _, caches, origin)| CacheFacts {
            caches: known(caches),
            origin_in_key: known(origin),
        })
}

/// Whether a managed origin request policy (by id or name) forwards `Origin`.
pub fn managed_origin_request_policy(id_or_name: &str) -> Option<Known> {
    MANAGED_ORIGIN_REQUEST
        .iter()
        .find(|(id, name, _)| is(id_or_name, id, name))
        .map(|&(_, _, forwards)| known(forwards))
}

fn is(wanted: &str, id: &str, name: &str) -> bool {
    wanted == id || wanted == name || Some(wanted) == name.strip_prefix("Managed-")
}

fn known(value: bool) -> Known {
    if value { Known::Yes } else { Known::No }
}

/// A custom cache policy: its maximum TTL (0 disables caching) and its header settings.
pub fn custom_cache_policy(
    max_ttl: Option<&str>,
    header_behavior: Option<&str>,
    headers: Option<&[String]>,
) -> CacheFacts {
    let caches = match max_ttl.map(str::parse::<u64>) {
        Some(Ok(0)) => Known::No,
        Some(Ok(_)) | None => Known::Yes,
        Some(Err(_)) => Known::Unknown,
    };
    let origin_in_key = match (header_behavior, headers) {
        (Some(behavior), _) if behavior.eq_ignore_ascii_case("none") => Known::No,
        (None, None) => Known::No,
        (_, Some(headers)) => known(has_origin(headers)),
        (Some(_), None) => Known::No,
    };
    CacheFacts {
        caches,
        origin_in_key,
    }
}

/// Whether a custom origin request policy's header settings forward `Origin`.
pub fn custom_origin_request_policy(
    header_behavior: Option<&str>,
    headers: Option<&[String]>,
) -> Known {
    let behavior = header_behavior.unwrap_or("none").to_ascii_lowercase();
    let listed = headers.is_some_and(has_origin);
    match behavior.as_str() {
        "none" => Known::No,
        "allviewer" | "allviewerandwhitelistcloudfront" => Known::Yes,
        "whitelist" => known(listed),
        "allexcept" => known(!listed),
        _ => Known::Unknown,
    }
}

/// The legacy `ForwardedValues` headers: in the cache key and forwarded alike.
pub fn legacy_forwarded(headers: Option<&[String]>, max_ttl: Option<&str>) -> CacheFacts {
    let in_key = headers.is_some_and(|h| has_origin(h) || h.iter().any(|h| h == "*"));
    CacheFacts {
        caches: match max_ttl.map(str::parse::<u64>) {
            Some(Ok(0)) => Known::No,
            Some(Err(_)) => Known::Unknown,
            _ => Known::Yes,
        },
        origin_in_key: known(in_key),
    }
}

fn has_origin(headers: &[String]) -> bool {
    headers.iter().any(|h| h.eq_ignore_ascii_case("origin"))
}

/// Whether a host name is an API Gateway or Function URL endpoint.
pub fn is_api_host(domain: &str) -> bool {
    domain.contains("execute-api") || domain.contains("lambda-url") || domain.contains(".on.aws")
}

/// Whether an origin's `Origin` reaches it: from the cache key, or an origin request policy.
pub fn origin_forwarded(cache: CacheFacts, origin_request: Option<Known>) -> Known {
    match (cache.origin_in_key, origin_request) {
        (Known::Yes, _) | (_, Some(Known::Yes)) => Known::Yes,
        (Known::No, None | Some(Known::No)) => Known::No,
        _ => Known::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_policies_by_id_and_name() {
        assert_eq!(
            managed_cache_policy("Managed-CachingDisabled")
                .unwrap()
                .caches,
            Known::No
        );
        assert_eq!(
            managed_cache_policy("658327ea-f89d-4fab-a63d-7e88639e58f6")
                .unwrap()
                .origin_in_key,
            Known::No
        );
        assert_eq!(
            managed_cache_policy("CachingOptimized").unwrap().caches,
            Known::Yes
        );
        assert_eq!(
            managed_origin_request_policy("b689b0a8-53d0-40ab-baf2-68738e2966ac"),
            Some(Known::Yes)
        );
        assert_eq!(managed_cache_policy("my-own"), None);
    }

    #[test]
    fn custom_policies() {
        let origin = ["Origin".to_owned()];
        assert_eq!(
            custom_cache_policy(Some("3600"), Some("whitelist"), Some(&origin)).origin_in_key,
            Known::Yes
        );
        assert_eq!(custom_cache_policy(Some("0"), None, None).caches, Known::No);
        assert_eq!(
            custom_origin_request_policy(Some("allExcept"), Some(&origin)),
            Known::No
        );
        assert_eq!(
            custom_origin_request_policy(Some("allViewer"), None),
            Known::Yes
        );
        assert_eq!(
            origin_forwarded(custom_cache_policy(None, Some("none"), None), None),
            Known::No
        );
    }
}

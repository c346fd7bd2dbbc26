//! `cdn-origin-not-in-cache-key`: CloudFront in front of an API or Function URL.
//!
//! - `Origin` not forwarded (neither in the cache key nor in an origin request policy): the
//!   function never sees it and answers without CORS headers (error);
//! - responses cached without `Origin` in the cache key: CloudFront ignores `Vary: Origin`, so
//!   one origin's answer is served to another (warning);
//! - the behaviour does not allow `OPTIONS`: CloudFront refuses preflights itself (error).

use super::{Context, Finding, Rule, Severity};
use crate::model::{CacheBehavior, Dialect, Known, Upstream};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let dialect = cx.model.dialect;
    for behaviour in &cx.model.cache_behaviors {
        let selected = match &behaviour.upstream {
            Upstream::Api(functions) if !cx.options.functions.is_empty() => {
                functions.iter().any(|f| cx.selected_function(f))
            }
            Upstream::Api(_) => true,
            Upstream::External => cx.options.functions.is_empty(),
        };
        if !selected {
            continue;
        }
        let name = format!(
            "behaviour `{}` of distribution `{}`",
            behaviour.path_pattern, behaviour.distribution
        );
        if behaviour.origin_forwarded == Known::No {
            let message = format!(
                "{name} forwards the API no `Origin` header (it is neither in the cache key \
                 nor in an origin request policy): the function never sees the page's origin \
                 and answers without CORS headers, so the browser blocks every cross-origin call"
            );
            out.push(cx.finding(
                Rule::CdnOriginNotInCacheKey,
                Severity::Error,
                &behaviour.at,
                message,
                cache_key_fix(dialect),
            ));
        } else if behaviour.caches != Known::No && behaviour.origin_in_key == Known::No {
            let message = format!(
                "{name} caches responses without `Origin` in the cache key: CloudFront ignores \
                 `Vary: Origin`, so a response cached for one origin (with its \
                 `Access-Control-Allow-Origin`, or none) is served to the next origin, whose \
                 browser refuses it"
            );
            out.push(cx.finding(
                Rule::CdnOriginNotInCacheKey,
                Severity::Warning,
                &behaviour.at,
                message,
                cache_key_fix(dialect),
            ));
        }
        if let Some(methods) = &behaviour.allowed_methods
            && !methods.iter().any(|m| m.eq_ignore_ascii_case("OPTIONS"))
        {
            let message = format!(
                "{name} allows only {}: CloudFront refuses preflights (`OPTIONS`) itself, \
                 without CORS headers, so the browser never sends the requests that need one",
                methods.join(", ")
            );
            out.push(cx.finding(
                Rule::CdnOriginNotInCacheKey,
                Severity::Error,
                &behaviour.at,
                message,
                methods_fix(dialect, behaviour),
            ));
        }
    }
}

fn cache_key_fix(dialect: Dialect) -> String {
    match dialect {
        Dialect::Terraform | Dialect::TerraformPlan => {
            "use a cache policy whose `headers_config` whitelists `Origin` (with \
             `Access-Control-Request-Method` and `Access-Control-Request-Headers`), or \
             `Managed-CachingDisabled` with the origin request policy \
             `Managed-AllViewerExceptHostHeader`"
        }
        Dialect::Cdk => {
            "use a `CachePolicy` with `headerBehavior: CacheHeaderBehavior.allowList('Origin', \
             'Access-Control-Request-Method', 'Access-Control-Request-Headers')`, or \
             `CachePolicy.CACHING_DISABLED` with \
             `OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER`"
        }
        _ => {
            "use a cache policy whose `HeadersConfig` whitelists `Origin` (with \
             `Access-Control-Request-Method` and `Access-Control-Request-Headers`), or the \
             managed `CachingDisabled` (4135ea2d-6df8-44a3-9df3-4b5a84be39ad) with the origin \
             request policy `AllViewerExceptHostHeader` (b689b0a8-53d0-40ab-baf2-68738e2966ac)"
        }
    }
    .to_owned()
}

fn methods_fix(dialect: Dialect, behaviour: &CacheBehavior) -> String {
    let _ = behaviour;
    match dialect {
        Dialect::Terraform | Dialect::TerraformPlan => {
            "set `allowed_methods = [\"DELETE\", \"GET\", \"HEAD\", \"OPTIONS\", \"PATCH\", \
             \"POST\", \"PUT\"]`"
        }
        Dialect::Cdk => "set `allowedMethods: AllowedMethods.ALLOW_ALL`",
        _ => "set `AllowedMethods: [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]`",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use crate::read::{InputKind, read_text};
    use crate::rules::{Options, Rule, Severity, check};

    fn found(behaviour: &str) -> Vec<Severity> {
        let template = format!(
            "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      \
             ProtocolType: HTTP\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    \
             Properties:\n      DistributionConfig:\n        Origins:\n          - Id: api\n            \
             DomainName: !Sub '${{Api}}.execute-api.${{AWS::Region}}.amazonaws.com'\n        \
             DefaultCacheBehavior:\n          TargetOriginId: api\n{behaviour}"
        );
        let model = read_text(&template, "t.yaml", InputKind::Auto).unwrap();
        check(&model, &Options::default())
            .into_iter()
            .filter(|f| f.rule == Rule::CdnOriginNotInCacheKey)
            .map(|f| f.severity)
            .collect()
    }

    /// An origin written as a conditional is the API in one of its branches: the behaviour
    /// is checked (its problems hold whenever the API is deployed behind it); an origin that
    /// no branch makes the API is not.
    #[test]
    fn an_origin_that_is_the_api_in_one_branch_of_a_conditional() {
        let terraform = |domain: &str| {
            format!(
                "resource \"aws_apigatewayv2_api\" \"api\" {{\n  protocol_type = \"HTTP\"\n}}\n\
                 resource \"aws_cloudfront_distribution\" \"cdn\" {{\n  origin {{\n    \
                 domain_name = {domain}\n    origin_id = \"api\"\n  }}\n  \
                 default_cache_behavior {{\n    allowed_methods = [\"GET\", \"HEAD\"]\n    \
                 target_origin_id = \"api\"\n    forwarded_values {{\n      \
                 headers = [\"Authorization\"]\n    }}\n  }}\n}}\n"
            )
        };
        let found = |domain: &str| {
            let files = [("main.tf".to_owned(), terraform(domain))];
            let model = crate::read::terraform::read_files(&files).unwrap();
            check(&model, &Options::default())
                .into_iter()
                .filter(|f| f.rule == Rule::CdnOriginNotInCacheKey)
                .count()
        };
        let api = "\"${aws_apigatewayv2_api.api.id}.execute-api.eu-west-1.amazonaws.com\"";
        assert_eq!(found(api), 2, "not forwarding Origin, refusing OPTIONS");
        assert_eq!(found(&format!("var.custom ? var.domain_name : {api}")), 2);
        assert_eq!(found("var.custom ? var.domain_name : var.other_domain"), 0);
    }

    const ALL_METHODS: &str =
        "          AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]\n";

    #[test]
    fn caching_optimized_drops_origin() {
        let behaviour =
            format!("{ALL_METHODS}          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n");
        assert_eq!(found(&behaviour), [Severity::Error]);
        let forwarded = format!(
            "{behaviour}          OriginRequestPolicyId: b689b0a8-53d0-40ab-baf2-68738e2966ac\n"
        );
        assert_eq!(found(&forwarded), [Severity::Warning]);
    }

    #[test]
    fn caching_disabled_with_origin_forwarded_is_fine_but_options_must_be_allowed() {
        let behaviour = "          CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad\n          \
            OriginRequestPolicyId: b689b0a8-53d0-40ab-baf2-68738e2966ac\n";
        assert_eq!(found(&format!("{ALL_METHODS}{behaviour}")), []);
        assert_eq!(
            found(behaviour),
            [Severity::Error],
            "GET and HEAD only by default"
        );
    }
}

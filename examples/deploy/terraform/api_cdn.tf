# Optional (var.api_cdn): CloudFront in front of the REST API.
#
# CloudFront does not honour `Vary: Origin` from the origin: it caches by its cache key alone.
# If `Origin` is not in the cache key, a response cached for one origin (with its
# `Access-Control-Allow-Origin`, or without any for a refused origin) is served to every other
# origin. So the cache policy below puts `Origin` in the key, and with it the two preflight
# request headers that `#[cors]` answers differently on (`Access-Control-Request-Method`, and
# `Access-Control-Request-Headers` when the allowed headers are mirrored).
#
# Responses are cached only when the function sends `Cache-Control` (default TTL 0); cookies
# and query strings are in the key too, so one user's cached answer never reaches another.
# The origin request policy forwards every viewer header but `Host` (API Gateway needs its own
# host name).

resource "aws_cloudfront_cache_policy" "api" {
  count = var.api_cdn ? 1 : 0

  name        = "${var.name}-api-by-origin"
  comment     = "Origin and the preflight headers in the cache key: CloudFront ignores Vary"
  min_ttl     = 0
  default_ttl = 0
  max_ttl     = 3600

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
      }
    }

    cookies_config {
      cookie_behavior = "all"
    }

    query_strings_config {
      query_string_behavior = "all"
    }
  }
}

data "aws_cloudfront_origin_request_policy" "all_viewer_except_host" {
  name = "Managed-AllViewerExceptHostHeader"
}

resource "aws_cloudfront_distribution" "api" {
  count = var.api_cdn ? 1 : 0

  enabled     = true
  comment     = "${var.name} REST API"
  price_class = "PriceClass_100"

  origin {
    origin_id   = "rest-api"
    domain_name = split("/", aws_api_gateway_stage.prod.invoke_url)[2]
    origin_path = "/${aws_api_gateway_stage.prod.stage_name}"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id         = "rest-api"
    viewer_protocol_policy   = "https-only"
    allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods           = ["GET", "HEAD", "OPTIONS"]
    cache_policy_id          = aws_cloudfront_cache_policy.api[0].id
    origin_request_policy_id = data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

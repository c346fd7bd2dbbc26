# The frontend: a private S3 bucket served over HTTPS by CloudFront (origin access control).
#
# Tamás Sallai's article "How to setup CORS for Lambda Proxy integration" (2019), whose scenario
# this deploys, served the page from the bucket's website endpoint, which is plain http:
# `http://<bucket>.s3-website-<region>.amazonaws.com`. cors-runtime refuses an http://
# origin on a non-loopback host when credentials are allowed (the cookie would travel in clear
# and could be replayed), so the page is served by CloudFront over https instead and the
# function allows exactly `https://<distribution>.cloudfront.net`.

resource "aws_s3_bucket" "frontend" {
  bucket_prefix = "${var.name}-frontend-"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "frontend" {
  bucket                  = aws_s3_bucket.frontend.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudfront_origin_access_control" "frontend" {
  name                              = "${var.name}-frontend"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

data "aws_cloudfront_cache_policy" "caching_optimized" {
  name = "Managed-CachingOptimized"
}

resource "aws_cloudfront_distribution" "frontend" {
  enabled             = true
  comment             = "${var.name} frontend"
  default_root_object = "index.html"
  price_class         = "PriceClass_100"

  origin {
    origin_id                = "frontend-bucket"
    domain_name              = aws_s3_bucket.frontend.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.frontend.id
  }

  default_cache_behavior {
    target_origin_id       = "frontend-bucket"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = data.aws_cloudfront_cache_policy.caching_optimized.id
    compress               = true
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

data "aws_iam_policy_document" "frontend_bucket" {
  statement {
    sid       = "CloudFrontReadsTheFrontend"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.frontend.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.frontend.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "frontend" {
  bucket     = aws_s3_bucket.frontend.id
  policy     = data.aws_iam_policy_document.frontend_bucket.json
  depends_on = [aws_s3_bucket_public_access_block.frontend]
}

resource "aws_s3_object" "index" {
  bucket        = aws_s3_bucket.frontend.id
  key           = "index.html"
  source        = "${path.module}/frontend/index.html"
  etag          = filemd5("${path.module}/frontend/index.html")
  content_type  = "text/html; charset=utf-8"
  cache_control = "no-cache"
}

# Where the page finds the APIs: written here because their URLs exist only after apply.
resource "aws_s3_object" "config" {
  bucket        = aws_s3_bucket.frontend.id
  key           = "config.json"
  content_type  = "application/json"
  cache_control = "no-cache"
  content = jsonencode({
    rest_api     = aws_api_gateway_stage.prod.invoke_url
    http_api     = aws_apigatewayv2_stage.default.invoke_url
    function_url = aws_lambda_function_url.api.function_url
    stream_url   = aws_lambda_function_url.stream.function_url
    api_cdn      = var.api_cdn ? "https://${aws_cloudfront_distribution.api[0].domain_name}" : null
  })
}

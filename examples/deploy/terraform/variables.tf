variable "region" {
  description = "AWS region of the functions and the APIs."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "cors-runtime-demo"
}

variable "api_bin" {
  description = "The example binary behind the REST API, the HTTP API and the buffered Function URL (`cargo lambda build` puts it in target/lambda/<bin>/bootstrap.zip). Both read ALLOWED_ORIGINS and allow credentials."
  type        = string
  default     = "cookie-api"

  validation {
    condition     = contains(["cookie-api", "notes-api"], var.api_bin)
    error_message = "api_bin must be cookie-api or notes-api: the examples that read ALLOWED_ORIGINS."
  }
}

variable "lambda_zip_dir" {
  description = "Directory holding <bin>/bootstrap.zip; null for the workspace's target/lambda."
  type        = string
  default     = null
}

variable "extra_allowed_origins" {
  description = "Origins allowed besides the CloudFront frontend, exactly as browsers send them: scheme://host[:port], lowercase, no path, no trailing slash. https only, except http on a loopback host for local development (cors-runtime refuses other http origins with credentials at cold start)."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for origin in var.extra_allowed_origins :
      can(regex("^https://[a-z0-9.-]+(:[0-9]{1,5})?$", origin)) ||
      can(regex("^http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?$", origin))
    ])
    error_message = "Each extra origin is https://host[:port] (lowercase, no path, no trailing slash), or http:// on localhost, 127.0.0.1 or [::1]."
  }
}

variable "cookie_attributes" {
  description = "COOKIE_ATTRIBUTES for cookie-api's session cookie. The frontend (*.cloudfront.net) and the API (*.execute-api.amazonaws.com, *.on.aws) are different sites, so the cookie needs SameSite=None; Secure. With custom domains on one site (app.example.com, api.example.com) use SameSite=Lax."
  type        = string
  default     = "Path=/; HttpOnly; Secure; SameSite=None"
}

variable "api_cdn" {
  description = "Also put the REST API behind a CloudFront distribution of its own, with Origin in the cache key (see api_cdn.tf)."
  type        = bool
  default     = false
}

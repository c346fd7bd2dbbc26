# The AWS provider is pinned to 6.28 or later (and below 7). Since October 2025 a public
# (auth type NONE) Lambda Function URL needs two resource-policy statements:
# `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` with `lambda:InvokedViaFunctionUrl`.
# `aws_lambda_function_url` adds both on creation from 6.28.0 on (5.x adds only the first, and
# its `aws_lambda_permission` cannot express the second): with a 5.x provider every request to
# a newly created Function URL is answered 403.
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }
}

provider "aws" {
  region = var.region
}

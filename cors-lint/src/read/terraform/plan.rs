//! Terraform plans.

use crate::model::{Dialect, Model};
use crate::tree::Node;

/// Whether a document is a Terraform plan.
pub fn is_plan(doc: &Node) -> bool {
    doc.get("planned_values").is_some() || (doc.get("format_version").is_some() && doc.get("terraform_version").is_some())
}

/// Reads a plan.
pub fn read(_doc: &Node, _file: &str) -> Model {
    Model::new(Dialect::TerraformPlan)
}

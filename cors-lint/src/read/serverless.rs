//! Serverless Framework `serverless.yml`.

use crate::model::{Dialect, Model};
use crate::tree::Node;

/// Whether a document is a `serverless.yml`.
pub fn is_serverless(doc: &Node) -> bool {
    doc.get("service").is_some() && (doc.get("functions").is_some() || doc.get("provider").is_some())
}

/// Reads a `serverless.yml`.
pub fn read(_doc: &Node, _file: &str) -> Model {
    Model::new(Dialect::Serverless)
}

//! Terraform.

pub mod plan;

use std::path::Path;

use crate::model::{Dialect, Model};
use crate::read::ReadError;

/// Reads every `.tf` file of a directory.
pub fn read_dir(_dir: &Path) -> Result<Model, ReadError> {
    Ok(Model::new(Dialect::Terraform))
}

/// Reads `.tf` files (name, text).
pub fn read_files(_files: &[(String, String)]) -> Result<Model, ReadError> {
    Ok(Model::new(Dialect::Terraform))
}

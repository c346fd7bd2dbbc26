//! Terraform: `.tf` files (one, or every one of a directory) and plans (`terraform show -json`),
//! read into one configuration ([`config`]) from which [`build`] makes the model.

mod build;
mod config;
mod distribution;
mod hcl;
pub mod plan;

use std::path::Path;

use crate::model::{Dialect, Model, Text};
use crate::read::{ReadError, suppress};
use config::{TfConfig, TfValue};

/// Reads every `.tf` file of a directory (not its subdirectories, which are other modules).
pub fn read_dir(dir: &Path) -> Result<Model, ReadError> {
    let error = |message: String| ReadError {
        file: dir.display().to_string(),
        line: None,
        column: None,
        message,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| error(format!("cannot read the directory: {e}")))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "tf") && path.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(error(
            "has no `.tf` file: give a directory of Terraform files, or a template file".into(),
        ));
    }
    let mut files = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| ReadError {
            file: file.clone(),
            line: None,
            column: None,
            message: format!("cannot read it as UTF-8 text: {e}"),
        })?;
        files.push((file, text));
    }
    read_files(&files)
}

/// Reads `.tf` files, given as (name, text).
pub fn read_files(files: &[(String, String)]) -> Result<Model, ReadError> {
    let mut config = TfConfig::default();
    for (file, text) in files {
        hcl::read_file(&mut config, file, text)?;
    }
    expand_for_each(&mut config);
    let mut model = build::model(&config, Dialect::Terraform);
    for (file, text) in files {
        model
            .suppressions
            .extend(suppress::from_comments(text, file));
    }
    Ok(model)
}

/// One resource per key of a literal `for_each`, with `each.key` and `each.value` bound.
fn expand_for_each(config: &mut TfConfig) {
    let mut expanded = Vec::with_capacity(config.resources.len());
    for resource in &config.resources {
        let keys: Option<Vec<(String, String)>> = match resource.body.attr("for_each") {
            Some(TfValue::Object(entries)) => entries
                .iter()
                .map(|(key, value)| match config.text(value, resource) {
                    Text::Literal(value) => Some((key.clone(), value)),
                    _ => None,
                })
                .collect(),
            Some(value) => config
                .strings(value, resource)
                .map(|keys| keys.into_iter().map(|k| (k.clone(), k)).collect()),
            None => None,
        };
        match keys {
            Some(keys) => {
                for (key, value) in keys {
                    let mut instance = resource.clone();
                    instance.address = format!("{}[\"{key}\"]", resource.address);
                    instance.at.resource = instance.address.clone();
                    instance.each = Some((key, value));
                    expanded.push(instance);
                }
            }
            None => expanded.push(resource.clone()),
        }
    }
    config.resources = expanded;
}

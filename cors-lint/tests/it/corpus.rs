//! Public templates from public repositories, each labelled by hand with the findings it should
//! give (rule and resource). `tests/corpus/sources.json` lists each one's repository, path,
//! commit and licence, its labels, and a review note where the label needs one; the templates
//! themselves go in `tests/corpus/files/` (kept out of this repository's history). The test
//! asserts every template's findings exactly and prints precision and recall over all labels.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cors_lint::{InputKind, Options, lint_path};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[test]
fn corpus_findings_match_their_labels() {
    let sources: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(corpus_dir().join("sources.json")).expect("sources.json"),
    )
    .expect("sources.json is JSON");
    assert!(sources.len() >= 30, "{} templates", sources.len());
    let files = corpus_dir().join("files");
    if !files.is_dir() {
        eprintln!(
            "corpus: skipped, {} is missing: put the templates sources.json lists there",
            files.display()
        );
        return;
    }
    let (mut true_positives, mut false_positives, mut false_negatives) = (0, 0, 0);
    let mut mismatches = Vec::new();
    let mut read = 0;
    for source in &sources {
        let file = source["file"].as_str().expect("file");
        assert!(source["license"].as_str().is_some_and(|l| {
            ["MIT", "MIT-0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause"].contains(&l)
        }));
        let path = files.join(file);
        if !path.exists() {
            eprintln!("corpus: {file} is missing, skipped");
            continue;
        }
        read += 1;
        let expected: BTreeSet<(String, String)> = source["expected"]
            .as_array()
            .expect("expected")
            .iter()
            .map(|e| {
                (
                    e["rule"].as_str().unwrap().to_owned(),
                    e["resource"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let findings = lint_path(&path, InputKind::Auto, &Options::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let found: BTreeSet<(String, String)> = findings
            .iter()
            .map(|f| (f.rule.id().to_owned(), f.place.resource.clone()))
            .collect();
        true_positives += found.intersection(&expected).count();
        false_positives += found.difference(&expected).count();
        false_negatives += expected.difference(&found).count();
        if found != expected {
            mismatches.push(format!(
                "{file}:\n  unexpected {:?}\n  missing {:?}",
                found.difference(&expected).collect::<Vec<_>>(),
                expected.difference(&found).collect::<Vec<_>>()
            ));
        }
    }
    let ratio = |a: usize, b: usize| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    eprintln!(
        "corpus: {read} templates, {true_positives} labelled findings found, {false_positives} \
         false positives, {false_negatives} missed: precision {:.3}, recall {:.3}",
        ratio(true_positives, false_positives),
        ratio(true_positives, false_negatives),
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Agreement with labels written by a second reviewer without the linter
/// (`tests/corpus/independent-review.json`), per template and rule: printed as precision and
/// recall, and every disagreement must have its reading written down there.
#[test]
fn corpus_agrees_with_an_independent_review_or_says_why_not() {
    let review: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus_dir().join("independent-review.json"))
            .expect("independent-review.json"),
    )
    .expect("independent-review.json is JSON");
    let files = corpus_dir().join("files");
    if !files.is_dir() {
        eprintln!(
            "independent review: skipped, {} is missing",
            files.display()
        );
        return;
    }
    let adjudicated: BTreeSet<(String, String)> = review["adjudicated"]
        .as_array()
        .expect("adjudicated")
        .iter()
        .map(|a| {
            (
                a["file"].as_str().unwrap().to_owned(),
                a["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (mut both, mut only_linter, mut only_review) = (0, 0, 0);
    let mut unexplained = Vec::new();
    for label in review["labels"].as_array().expect("labels") {
        let file = label["file"].as_str().expect("file");
        let path = files.join(file);
        if !path.exists() {
            continue;
        }
        let reviewed: BTreeSet<String> = label["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        let linted: BTreeSet<String> = lint_path(&path, InputKind::Auto, &Options::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .iter()
            .map(|f| f.rule.id().to_owned())
            .collect();
        both += linted.intersection(&reviewed).count();
        only_linter += linted.difference(&reviewed).count();
        only_review += reviewed.difference(&linted).count();
        for rule in linted.symmetric_difference(&reviewed) {
            if !adjudicated.contains(&(file.to_owned(), rule.clone())) {
                unexplained.push(format!("{file}: {rule}"));
            }
        }
    }
    eprintln!(
        "independent review: {both} (template, rule) pairs agree, {only_linter} found by the \
         linter only, {only_review} by the review only: precision {:.3}, recall {:.3} before \
         reading the {} disagreements (tests/corpus/independent-review.json)",
        both as f64 / (both + only_linter).max(1) as f64,
        both as f64 / (both + only_review).max(1) as f64,
        adjudicated.len(),
    );
    assert!(
        unexplained.is_empty(),
        "disagreements without a reading: {unexplained:?}"
    );
}

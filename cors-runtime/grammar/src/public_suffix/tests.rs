//! The table's generator, and the tests that the committed table is the list.
//!
//! `PSL=overwrite cargo test -p cors-grammar --lib public_suffix` writes `table.rs` from the
//! `data/rules.txt` of the `psl` crate that `Cargo.lock` has (found with `cargo metadata`);
//! without `PSL=overwrite` the test fails if the committed table differs from what the list gives.
//!
//! The lookups are checked against two references on every rule of the list (the rule's name,
//! a name one label under it, under a wildcard and an exception, their parents) and on generated
//! hosts (labels of the list and others, unlisted top-level domains):
//!
//! - the list's algorithm (<https://publicsuffix.org/list/>) written plainly, over sets of rules:
//!   the table must agree with it everywhere;
//! - the `psl` crate, which the project used before the table: the table agrees with it
//!   everywhere but on names where `psl` does not apply a `*.` rule to a label that is also the
//!   start of a longer rule (`psl` gives `app` for `mtls.run.app`, under `*.run.app` and
//!   `*.mtls.run.app`; the list's algorithm gives `mtls.run.app`). Those names are listed by the
//!   test, each checked to be of that kind.
//!
//! `a_broken_table_is_caught` runs the same checks on tables broken on purpose (a rule left out,
//! a flag cleared, a label's byte changed) and requires each to fail.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

/// What a line of the list says about a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// `name`: the name is a public suffix.
    Rule,
    /// `*.name`: every name one label under `name` is.
    Wildcard,
    /// `!name`: the name is not, though a wildcard says so.
    Exception,
}

/// The rules of the list, their names in ASCII (punycode), as the table and its references read
/// them.
#[derive(Debug)]
struct List {
    /// The `psl` crate's version the list comes from.
    version: String,
    /// Every rule: its kind and its name (without `*.` or `!`).
    rules: Vec<(Kind, String)>,
}

/// `data/rules.txt` of the `psl` package in `Cargo.lock`, and the package's version.
fn psl_rules_file() -> (PathBuf, String) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let metadata = |offline: bool| {
        let mut command = std::process::Command::new(&cargo);
        command.args(["metadata", "--format-version", "1", "--manifest-path"]);
        command.arg(&manifest);
        if offline {
            command.arg("--offline");
        }
        command.output().ok().filter(|out| out.status.success())
    };
    let output = metadata(true)
        .or_else(|| metadata(false))
        .expect("`cargo metadata` runs (it finds the `psl` package's files)");
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("`cargo metadata` prints JSON");
    let packages: Vec<&serde_json::Value> = metadata["packages"]
        .as_array()
        .expect("`cargo metadata` lists packages")
        .iter()
        .filter(|package| package["name"] == "psl")
        .collect();
    let [package] = packages[..] else {
        panic!(
            "one `psl` package in the dependency graph, not {}",
            packages.len()
        );
    };
    let manifest_path = Path::new(package["manifest_path"].as_str().expect("a manifest path"));
    let version = package["version"].as_str().expect("a version").to_owned();
    (
        manifest_path
            .parent()
            .expect("the package's directory")
            .join("data/rules.txt"),
        version,
    )
}

/// The list, read once.
fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        let (path, version) = psl_rules_file();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        List {
            version,
            rules: parse_rules(&text),
        }
    })
}

/// The rules of a `rules.txt` (one a line; `//` comments and blank lines skipped), their names
/// converted to ASCII as a browser's URL parser converts a host.
fn parse_rules(text: &str) -> Vec<(Kind, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .map(|line| {
            let (kind, name) = if let Some(name) = line.strip_prefix("*.") {
                (Kind::Wildcard, name)
            } else if let Some(name) = line.strip_prefix('!') {
                (Kind::Exception, name)
            } else {
                (Kind::Rule, line)
            };
            let ascii = idna::domain_to_ascii(name)
                .unwrap_or_else(|e| panic!("rule `{line}`: not a domain name: {e:?}"));
            assert!(
                !ascii.is_empty()
                    && ascii.split('.').all(|label| {
                        (1..=63).contains(&label.len())
                            && label
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    }),
                "rule `{line}` ({ascii}): the table holds lowercase LDH labels of 1 to 63 bytes"
            );
            (kind, ascii)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

/// What the generator puts before the labels, so that the 8 bytes before any label's end can be
/// read.
const LABELS_PADDING: &[u8; 8] = b"........";

/// A table in vectors, as the generator builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OwnedTable {
    seed: u64,
    labels: Vec<u8>,
    /// The nodes' words (packed in 5 bytes each only where the table is read: [`Self::table`]).
    nodes: Vec<u64>,
    /// `nodes` in 5 bytes each.
    packed: Vec<[u8; 5]>,
    pilots: Vec<u16>,
}

impl OwnedTable {
    fn table(&self) -> Table<'_> {
        Table {
            seed: self.seed,
            labels: &self.labels,
            nodes: &self.packed,
            pilots: &self.pilots,
        }
    }

    /// The table with its nodes' words `nodes`.
    fn with_nodes(mut self, nodes: Vec<u64>) -> Self {
        self.packed = nodes
            .iter()
            .map(|&word| {
                let packed = five_bytes(&[word])[0];
                assert_eq!(node_word(packed), word, "a node's word has 40 bits");
                packed
            })
            .collect();
        self.nodes = nodes;
        self
    }
}

/// One name of the trie while it is built.
#[derive(Debug, Default)]
struct TrieNode {
    label: String,
    parent: Option<usize>,
    children: BTreeMap<String, usize>,
    flags: u64,
}

/// The trie of `rules`, nodes in the order they are first met (deterministic: the rules'
/// order).
fn trie(rules: &[(Kind, String)]) -> Vec<TrieNode> {
    let mut nodes: Vec<TrieNode> = Vec::new();
    let mut top: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, name) in rules {
        let mut at: Option<usize> = None;
        for label in name.rsplit('.') {
            let new = nodes.len();
            let children = match at {
                None => &mut top,
                Some(parent) => &mut nodes[parent].children,
            };
            let next = match children.get(label) {
                Some(&index) => index,
                None => {
                    let index = new;
                    children.insert(label.to_owned(), index);
                    nodes.push(TrieNode {
                        label: label.to_owned(),
                        parent: at,
                        ..TrieNode::default()
                    });
                    index
                }
            };
            at = Some(next);
        }
        let node = at.expect("a rule has a label");
        nodes[node].flags |= match kind {
            Kind::Rule => RULE,
            Kind::Wildcard => WILDCARD,
            Kind::Exception => EXCEPTION,
        };
    }
    for node in &mut nodes {
        if node.flags & EXCEPTION != 0 {
            assert!(
                node.parent.is_some() && node.children.is_empty(),
                "an exception is under a name and has no rule below it"
            );
        }
        if !node.children.is_empty() || node.flags & WILDCARD != 0 {
            node.flags |= BELOW;
        }
    }
    nodes
}

/// The hash of each node's name (its labels from the right, see [`hash_word`]), from `seed`.
fn name_hashes(nodes: &[TrieNode], seed: u64) -> Vec<u64> {
    let mut hashes: Vec<u64> = Vec::with_capacity(nodes.len());
    for node in nodes {
        // A parent is always met before its children.
        let state = node.parent.map_or(seed, |parent| hashes[parent]);
        hashes.push(label_hash(state, node.label.as_bytes()));
    }
    hashes
}

/// Names per bucket of the perfect hash, on average.
const NAMES_PER_BUCKET: usize = 5;

/// A minimal perfect hash of `hashes` as [`slot`] reads it: the pilots, and each name's slot.
/// `None` when some bucket finds no pilot (another seed then).
///
/// PTHash's search: buckets from the largest, each given the first pilot that puts all its
/// names in free slots, distinct.
fn perfect_hash(hashes: &[u64]) -> Option<(Vec<u16>, Vec<usize>)> {
    let len = hashes.len();
    let buckets = len.div_ceil(NAMES_PER_BUCKET);
    let mut by_bucket: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (key, &hash) in hashes.iter().enumerate() {
        // As `slot` picks the bucket.
        by_bucket[(((hash >> 32) * buckets as u64) >> 32) as usize].push(key);
    }
    let mut order: Vec<usize> = (0..buckets).collect();
    // The largest buckets first, while the table is empty; stable, so deterministic.
    order.sort_by_key(|&bucket| std::cmp::Reverse(by_bucket[bucket].len()));

    let mut pilots = vec![0u16; buckets];
    let mut slot_of = vec![usize::MAX; len];
    let mut taken = vec![false; len];
    let mut placed: Vec<usize> = Vec::new();
    'buckets: for bucket in order {
        let keys = &by_bucket[bucket];
        'pilots: for pilot in 0..=u16::MAX {
            pilots[bucket] = pilot;
            placed.clear();
            for &key in keys {
                let at = slot(hashes[key], &pilots, len);
                if taken[at] || placed.contains(&at) {
                    continue 'pilots;
                }
                placed.push(at);
            }
            for (&key, &at) in keys.iter().zip(&placed) {
                taken[at] = true;
                slot_of[key] = at;
            }
            continue 'buckets;
        }
        return None;
    }
    Some((pilots, slot_of))
}

/// Every distinct label in one byte string, each once and a label that occurs in another (or
/// across the end of the text so far) not repeated: the labels, longest first, appended unless
/// already there, overlapping the end where they can. Returns the text and each label's offset.
fn pack_labels<'a>(labels: impl Iterator<Item = &'a str>) -> (String, BTreeMap<&'a str, usize>) {
    let distinct: BTreeSet<&str> = labels.collect();
    let mut order: Vec<&str> = distinct.into_iter().collect();
    order.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let mut text = String::from_utf8(LABELS_PADDING.to_vec()).unwrap();
    let mut offsets = BTreeMap::new();
    for label in order {
        let offset = match text.find(label) {
            Some(offset) => offset,
            None => {
                let overlap = (1..label.len())
                    .rev()
                    .find(|&k| text.ends_with(&label[..k]))
                    .unwrap_or(0);
                text.push_str(&label[overlap..]);
                text.len() - label.len()
            }
        };
        offsets.insert(label, offset);
    }
    (text, offsets)
}

/// The table of `rules`.
fn generate(rules: &[(Kind, String)]) -> OwnedTable {
    let nodes = trie(rules);
    assert!(
        nodes.len() < usize::from(ROOT),
        "{} nodes: a node's index has 14 bits, below {ROOT}",
        nodes.len()
    );
    let (text, offsets) = pack_labels(nodes.iter().map(|node| node.label.as_str()));
    assert!(
        text.len() < 1 << 16,
        "{} bytes of labels: an offset has 16 bits",
        text.len()
    );

    // The first seed whose hashes are distinct and give a perfect hash.
    let (seed, pilots, slot_of) = (1u64..)
        .find_map(|attempt| {
            let seed = attempt.wrapping_mul(HASH_MULTIPLIER);
            let hashes = name_hashes(&nodes, seed);
            let distinct: HashSet<u64> = hashes.iter().copied().collect();
            if distinct.len() != hashes.len() {
                return None;
            }
            let (pilots, slot_of) = perfect_hash(&hashes)?;
            Some((seed, pilots, slot_of))
        })
        .expect("some seed works");

    let mut table_nodes = vec![0u64; nodes.len()];
    for (index, node) in nodes.iter().enumerate() {
        let len = node.label.len() as u64;
        let end = (offsets[node.label.as_str()] as u64 + len) << END_SHIFT;
        let parent = node
            .parent
            .map_or(u64::from(ROOT), |parent| slot_of[parent] as u64);
        table_nodes[slot_of[index]] = parent | len << LENGTH_SHIFT | node.flags | end;
    }
    OwnedTable {
        seed,
        labels: text.into_bytes(),
        nodes: Vec::new(),
        packed: Vec::new(),
        pilots,
    }
    .with_nodes(table_nodes)
}

/// `table.rs` for `table`.
fn render(table: &OwnedTable, list: &List) -> String {
    fn numbers<T: std::fmt::Display>(out: &mut String, values: &[T]) {
        let mut line = String::new();
        for value in values {
            let item = format!("{value},");
            if line.len() + 1 + item.len() > 99 {
                writeln!(out, "   {line}").unwrap();
                line.clear();
            }
            line.push(' ');
            line.push_str(&item);
        }
        if !line.is_empty() {
            writeln!(out, "   {line}").unwrap();
        }
    }

    let rules = list.rules.len();
    let (nodes, labels, buckets) = (table.nodes.len(), table.labels.len(), table.pilots.len());
    let bytes = labels + 5 * nodes + 2 * buckets;
    let mut out = String::new();
    writeln!(
        out,
        "// @generated by `PSL=overwrite cargo test -p cors-grammar --lib public_suffix` from the \
         `data/rules.txt` of\n\
         // the `psl` crate {version} ({rules} rules). Do not edit: see `../public_suffix.rs` for \
         the format.\n\
         //\n\
         // {nodes} nodes, {labels} bytes of labels, {buckets} buckets: {bytes} bytes.\n\
         \n\
         use super::Table;\n\
         \n\
         pub(super) const TABLE: Table<'static> = Table {{\n    \
             seed: {seed:#018x},\n    \
             labels: &LABELS,\n    \
             nodes: &NODES,\n    \
             pilots: &PILOTS,\n\
         }};\n\
         \n\
         static LABELS: [u8; {labels}] = *b\"\\",
        version = list.version,
        seed = table.seed,
    )
    .unwrap();
    // Labels are letters, digits and hyphens: nothing to escape, and no whitespace for the
    // line continuations to eat.
    for line in table.labels.chunks(96) {
        writeln!(out, "    {}\\", std::str::from_utf8(line).unwrap()).unwrap();
    }
    out.push_str("\";\n\n");
    writeln!(
        out,
        "// Each node's word (40 bits), in 5 bytes.\n\
         static NODES: [[u8; 5]; {nodes}] = super::five_bytes(&["
    )
    .unwrap();
    numbers(&mut out, &table.nodes);
    out.push_str("]);\n\n");
    writeln!(out, "static PILOTS: [u16; {buckets}] = [").unwrap();
    numbers(&mut out, &table.pilots);
    out.push_str("];\n");
    out
}

/// The committed table.
fn table_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/public_suffix/table.rs")
}

#[test]
fn the_committed_table_is_generated_from_the_list() {
    let list = list();
    let generated = render(&generate(&list.rules), list);
    let path = table_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == committed {
        return;
    }
    if std::env::var_os("PSL").is_some_and(|mode| mode == "overwrite") {
        std::fs::write(&path, &generated).expect("the table is writable");
        eprintln!("wrote {}", path.display());
        return;
    }
    let line = generated
        .lines()
        .zip(committed.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(generated.lines().count().min(committed.lines().count()));
    panic!(
        "{} is not what the list of `psl` {} gives (first difference on line {}); regenerate it \
         with `PSL=overwrite cargo test -p cors-grammar --lib public_suffix` and read the diff",
        path.display(),
        list.version,
        line + 1
    );
}

// ---------------------------------------------------------------------------------------------
// The references
// ---------------------------------------------------------------------------------------------

/// The list's algorithm, written plainly over sets of names.
#[derive(Debug, Default)]
struct Reference {
    rules: HashSet<String>,
    wildcards: HashSet<String>,
    exceptions: HashSet<String>,
    /// Every name some rule is strictly under: the names a rule's name ends with (for `*.base`,
    /// `base` and the names it ends with).
    above_rules: HashSet<String>,
}

impl Reference {
    fn new(rules: &[(Kind, String)]) -> Self {
        let mut reference = Reference::default();
        for (kind, name) in rules {
            match kind {
                Kind::Rule => &mut reference.rules,
                Kind::Wildcard => &mut reference.wildcards,
                Kind::Exception => &mut reference.exceptions,
            }
            .insert(name.clone());
            let mut above = match kind {
                Kind::Wildcard => Some(name.as_str()),
                Kind::Rule | Kind::Exception => name.split_once('.').map(|(_, parent)| parent),
            };
            while let Some(name) = above {
                reference.above_rules.insert(name.to_owned());
                above = name.split_once('.').map(|(_, parent)| parent);
            }
        }
        reference
    }

    /// The public suffix of `name` (no trailing dot), per <https://publicsuffix.org/list/>:
    /// "If more than one rule matches, the prevailing rule is the one which is an exception
    /// rule. If there is no matching exception rule, the prevailing rule is the one with the
    /// most labels. If the prevailing rule is a exception rule, modify it by removing the
    /// leftmost label." If no rule matches, the prevailing rule is `*`.
    fn suffix<'a>(&self, name: &'a str) -> Option<&'a str> {
        let labels: Vec<&str> = name.split('.').collect();
        // The tail of `name` with its last `n` labels.
        let tail = |n: usize| -> &'a str {
            let skipped: usize = labels[..labels.len() - n].iter().map(|l| l.len() + 1).sum();
            &name[skipped..]
        };
        let mut prevailing = 1;
        for n in 1..=labels.len() {
            if self.exceptions.contains(tail(n)) {
                return Some(tail(n - 1)).filter(|s| !s.is_empty());
            }
            if self.rules.contains(tail(n)) || (n >= 2 && self.wildcards.contains(tail(n - 1))) {
                prevailing = n;
            }
        }
        Some(tail(prevailing)).filter(|s| !s.is_empty())
    }

    /// Whether some rule names a name strictly under `domain`.
    fn has_rules_below(&self, domain: &str) -> bool {
        self.above_rules.contains(domain)
    }
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| Reference::new(&list().rules))
}

/// `psl`'s answer, as the module gave it before the table.
fn psl_suffix(host: &str) -> Option<&str> {
    let found = psl::suffix(host.as_bytes())?;
    host.get(host.len() - found.as_bytes().len()..)
}

/// `psl`'s answer to `has_rules_below`, as the module gave it before the table: whether `psl`'s
/// lookup asks for the label after `domain`'s.
fn psl_has_rules_below(domain: &str) -> bool {
    use psl::Psl as _;

    struct Probe<'a> {
        labels: std::str::RSplit<'a, char>,
        asked_below: bool,
    }
    impl<'a> Iterator for Probe<'a> {
        type Item = &'a [u8];

        fn next(&mut self) -> Option<&'a [u8]> {
            match self.labels.next() {
                Some(label) => Some(label.as_bytes()),
                None if !self.asked_below => {
                    self.asked_below = true;
                    Some(b"\0")
                }
                None => None,
            }
        }
    }

    let mut probe = Probe {
        labels: domain.rsplit('.'),
        asked_below: false,
    };
    psl::List.find(&mut probe);
    probe.asked_below
}

/// Whether `psl`'s answer for `name` differs from the list's in the one known way: the list's
/// prevailing rule is `*.parent` matching a label that some longer rule also starts with (so
/// `psl`'s generated code has a branch for that label, and there forgets the wildcard), and
/// `psl` gives a shorter suffix.
fn psl_misses_a_wildcard(name: &str, list_suffix: &str, psl: Option<&str>) -> bool {
    let reference = reference();
    let Some((_, parent)) = list_suffix.split_once('.') else {
        return false;
    };
    reference.wildcards.contains(parent)
        && !reference.rules.contains(list_suffix)
        && reference.has_rules_below(list_suffix)
        && psl.is_none_or(|psl| psl.len() < list_suffix.len())
        && name.ends_with(list_suffix)
}

/// What is wrong with `table` on `names`: every disagreement with the list's algorithm, and
/// with `psl` beyond the known difference (which goes to `psl_differences`).
fn disagreements<'n>(
    table: Table<'_>,
    names: impl IntoIterator<Item = &'n str>,
    psl_differences: &mut BTreeSet<String>,
) -> Vec<String> {
    let reference = reference();
    let mut wrong = Vec::new();
    for name in names {
        let ours = table.suffix(name);
        let list = reference.suffix(name);
        let psl = psl_suffix(name);
        if ours != list {
            wrong.push(format!(
                "suffix({name:?}): table {ours:?}, list {list:?}, psl {psl:?}"
            ));
        } else if ours != psl {
            if list.is_some_and(|list| psl_misses_a_wildcard(name, list, psl)) {
                psl_differences.insert(format!("{name}: {list:?} (psl {psl:?})"));
            } else {
                wrong.push(format!("suffix({name:?}): table {ours:?}, psl {psl:?}"));
            }
        }
        let below = table
            .descend(name.as_bytes())
            .is_some_and(|(_, node)| node & BELOW != 0);
        let list_below = reference.has_rules_below(name);
        let psl_below = psl_has_rules_below(name);
        if below != list_below || below != psl_below {
            wrong.push(format!(
                "has_rules_below({name:?}): table {below}, list {list_below}, psl {psl_below}"
            ));
        }
    }
    wrong
}

/// For every rule: its name, names one label under it (a label no rule has, labels many rules
/// have), two labels under it, the names it is under; three labels under a wildcard's base.
fn names_from_rules(rules: &[(Kind, String)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (kind, name) in rules {
        let mut add = |name: String| {
            names.insert(name);
        };
        add(name.clone());
        for label in ["zz9-unlisted", "www", "city", "x"] {
            add(format!("{label}.{name}"));
        }
        add(format!("a.b.{name}"));
        let mut above = name.as_str();
        while let Some((_, parent)) = above.split_once('.') {
            add(parent.to_owned());
            above = parent;
        }
        if *kind == Kind::Wildcard {
            add(format!("c.d.e.{name}"));
        }
    }
    names
}

fn check_names(table: Table<'_>, names: &BTreeSet<String>) -> (Vec<String>, BTreeSet<String>) {
    let mut psl_differences = BTreeSet::new();
    let wrong = disagreements(
        table,
        names.iter().map(String::as_str),
        &mut psl_differences,
    );
    (wrong, psl_differences)
}

#[test]
fn the_table_follows_the_list_on_every_rule() {
    let names = names_from_rules(&list().rules);
    let (wrong, psl_differences) = check_names(table::TABLE, &names);
    assert!(
        wrong.is_empty(),
        "{} of {} names:\n{}",
        wrong.len(),
        names.len(),
        wrong.join("\n")
    );
    eprintln!(
        "{} names agree with the list's algorithm; with `psl` but for {}:\n{}",
        names.len(),
        psl_differences.len(),
        psl_differences
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A lookup from a domain's place in the list gives what the whole lookup gives, for every name
/// of `names_from_rules` and each domain it is under that has rules below.
#[test]
fn lookups_under_a_domain_with_rules_below_are_whole_lookups() {
    let mut checked = 0;
    for name in names_from_rules(&list().rules) {
        let whole = suffix(&name).map_or(0, str::len);
        let mut domain = name.as_str();
        while let Some((_, parent)) = domain.split_once('.') {
            domain = parent;
            assert_eq!(
                RulesBelow::new(domain).is_some(),
                has_rules_below(domain),
                "{domain}"
            );
            if let Some(below) = RulesBelow::new(domain) {
                assert_eq!(
                    below.suffix_len(),
                    suffix(domain).map_or(0, str::len),
                    "{domain}"
                );
                assert_eq!(
                    below.suffix_len_under(&name),
                    whole,
                    "{name} under {domain}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn odd_names_as_psl_has_them() {
    for name in [
        "",
        ".",
        "..",
        "com.",
        "a.com.",
        "a..com",
        ".com",
        "..com",
        "ck",
        ".ck",
        "www.ck",
        "x.www.ck",
        "a.b.ck",
        "city.kawasaki.jp",
        "x.city.kawasaki.jp",
        "kawasaki.jp",
        "x.kawasaki.jp",
        "-",
        "a-.b",
        "xn--",
        "localhost.",
        "s3.amazonaws.com.",
    ] {
        assert_eq!(table::TABLE.suffix(name), psl_suffix(name), "{name:?}");
        assert_eq!(has_rules_below(name), psl_has_rules_below(name), "{name:?}");
    }
}

#[test]
fn a_broken_table_is_caught() {
    let list = list();
    let names = names_from_rules(&list.rules);
    let good = generate(&list.rules);
    assert_eq!(good.table().nodes.len(), table::TABLE.nodes.len());

    // A rule left out: `s3.amazonaws.com`.
    let without: Vec<(Kind, String)> = list
        .rules
        .iter()
        .filter(|(_, name)| name != "s3.amazonaws.com")
        .cloned()
        .collect();
    assert!(without.len() < list.rules.len());
    let mut broken = vec![("a rule left out", generate(&without))];

    // A flag cleared on one node, for each flag: the first node that has it.
    for (what, flag) in [
        ("a rule flag cleared", RULE),
        ("a wildcard flag cleared", WILDCARD),
        ("an exception flag cleared", EXCEPTION),
        ("a below flag cleared", BELOW),
    ] {
        let mut nodes = good.nodes.clone();
        let node = nodes
            .iter()
            .position(|node| node & flag != 0)
            .expect("some node has the flag");
        nodes[node] &= !flag;
        broken.push((what, good.clone().with_nodes(nodes)));
    }

    // One byte of a label changed.
    let mut table = good.clone();
    let at = table.labels.len() / 2;
    table.labels[at] = if table.labels[at] == b'q' { b'r' } else { b'q' };
    broken.push(("a label's byte changed", table));

    for (what, table) in &broken {
        let (wrong, _) = check_names(table.table(), &names);
        assert!(!wrong.is_empty(), "{what}: not caught");
        eprintln!("{what}: {} disagreements, e.g. {}", wrong.len(), wrong[0]);
    }
}

/// The old unit tests of this module, kept as examples.
#[test]
fn suffixes_as_the_list_has_them() {
    for (host, want) in [
        ("example.com", "com"),
        ("a.b.example.com", "com"),
        ("amazonaws.com", "com"),
        ("s3.amazonaws.com", "s3.amazonaws.com"),
        ("bucket.s3.amazonaws.com", "s3.amazonaws.com"),
        ("me.github.io", "github.io"),
        ("pr-evil.vercel.app", "vercel.app"),
        ("example.co.uk", "co.uk"),
        // A wildcard rule (`*.sch.uk`): every name directly under `sch.uk` is a suffix.
        ("school.sch.uk", "school.sch.uk"),
        ("sch.uk", "uk"),
        // An exception (`!city.kawasaki.jp`, under `*.kawasaki.jp`).
        ("city.kawasaki.jp", "kawasaki.jp"),
        ("www.city.kawasaki.jp", "kawasaki.jp"),
        ("town.kawasaki.jp", "town.kawasaki.jp"),
        // An internationalized rule, in punycode (`公司.cn`).
        ("a.xn--55qx5d.cn", "xn--55qx5d.cn"),
        // The default rule: an unlisted top-level domain is a suffix.
        ("localhost", "localhost"),
        ("a.b.localhost", "localhost"),
        ("example.internal", "internal"),
    ] {
        assert_eq!(suffix(host), Some(want), "{host}");
    }
    assert_eq!(suffix(""), None);
    for (domain, below) in [
        ("com", true),
        ("uk", true),
        ("amazonaws.com", true),
        ("s3.amazonaws.com", false),
        ("compute.amazonaws.com", true),
        ("sch.uk", true),
        ("kawasaki.jp", true),
        ("github.io", false),
        ("example.com", false),
        ("preview.example.com", false),
        ("me.github.io", false),
        ("example.co.uk", false),
        ("localhost", false),
        ("dev.localhost", false),
        ("example.internal", false),
    ] {
        assert_eq!(has_rules_below(domain), below, "{domain}");
    }
    assert!(is_public_suffix("co.uk"));
    assert!(!is_public_suffix("amazonaws.com"));
}

/// Every label of the list, for generated names.
fn list_labels() -> Vec<String> {
    let labels: BTreeSet<&str> = list()
        .rules
        .iter()
        .flat_map(|(_, name)| name.split('.'))
        .collect();
    labels.into_iter().map(str::to_owned).collect()
}

/// A label: one of the list's, or one of a few letters and digits (rarely in the list).
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(list_labels()),
        1 => "[a-z0-9][a-z0-9-]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Names of the list's labels in any order, and names under a rule's name.
    #[test]
    fn generated_names_follow_the_list(
        labels in proptest::collection::vec(label(), 1..6),
        rule in proptest::sample::select(
            list().rules.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>()
        ),
        under in proptest::collection::vec(label(), 0..3),
    ) {
        let mixed = labels.join(".");
        let mut under = under;
        under.push(rule);
        let below = under.join(".");
        let mut ignored = BTreeSet::new();
        let wrong = disagreements(table::TABLE, [mixed.as_str(), below.as_str()], &mut ignored);
        prop_assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// An unlisted top-level domain is its own suffix, with no rule below it.
    #[test]
    fn unlisted_top_level_domains_are_suffixes(
        tld in "[a-z][a-z0-9-]{0,10}[a-z0-9]",
        labels in proptest::collection::vec(label(), 0..3),
    ) {
        prop_assume!(!list().rules.iter().any(|(_, name)| name.rsplit('.').next() == Some(tld.as_str())));
        let mut labels = labels;
        labels.push(tld.clone());
        let name = labels.join(".");
        prop_assert_eq!(suffix(&name), Some(tld.as_str()));
        prop_assert_eq!(psl_suffix(&name), Some(tld.as_str()));
        prop_assert!(!has_rules_below(&name));
        prop_assert!(!has_rules_below(&tld));
    }

    /// Without a rule below a domain, every name under it has the domain's public suffix:
    /// what lets the runtime skip the lookup for such a pattern base.
    #[test]
    fn without_rules_below_names_under_a_domain_share_its_suffix(
        labels in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "www", "s3", "bucket", "compute", "eu-west-1", "execute-api", "sch",
                "city", "x", "github", "co", "blogspot", "app", "1",
            ]),
            1..4,
        ),
        base in proptest::sample::select(vec![
            "com", "uk", "jp", "io", "app", "example.com", "amazonaws.com",
            "s3.amazonaws.com", "compute.amazonaws.com", "eu-west-1.amazonaws.com",
            "sch.uk", "kawasaki.jp", "github.io", "me.github.io", "vercel.app",
            "example.co.uk", "co.uk", "localhost", "example.internal",
        ]),
    ) {
        let name = format!("{}.{base}", labels.join("."));
        if !has_rules_below(base) {
            prop_assert_eq!(suffix(&name), suffix(base), "{}", name);
        }
    }
}

//! The Public Suffix List: every use of it in the project goes through this module.
//!
//! Anyone can register a name directly under a public suffix (`com`, `co.uk`, `github.io`,
//! `s3.amazonaws.com`), so a pattern must never reach across one: the grammar refuses `*.` and
//! `**.` directly under a public suffix, and the runtime checks that a host a pattern's
//! wildcard matches has the same public suffix as the pattern's base (`bucket.s3.amazonaws.com`
//! does not match `**.amazonaws.com`, nor `s3.amazonaws.com` `*.amazonaws.com`).
//!
//! The list is Mozilla's, as the `psl` crate ships it (its `data/rules.txt`), read with the
//! list's own algorithm (<https://publicsuffix.org/list/>): the longest matching rule wins, `*.`
//! stands for one label, an exception (`!`) wins over every other rule, and the default rule `*`
//! makes an unlisted top-level domain (`localhost`, `internal`) its own public suffix. Only this
//! module reads the list, so another source can replace it without touching the rules that use
//! it.
//!
//! # The table
//!
//! `public_suffix/table.rs` is generated from that file (`PSL=overwrite cargo test -p
//! cors-grammar --lib public_suffix`; without `PSL=overwrite` the test checks that the committed
//! table is what the list gives, and that lookups agree with the `psl` crate and with the list's
//! algorithm written plainly). It is a trie of the rules' labels from the right, one node per
//! name some rule ends at or goes through (`com`, `amazonaws.com`, `s3.amazonaws.com`, …: 10,851
//! for 10,397 rules), in three arrays (102 KB):
//!
//! - `labels`: the text of every node's label, each distinct label once (a label that occurs
//!   inside another, or across the end of the one before, is not repeated): 43 KB;
//! - `nodes`: 40 bits (5 bytes) per node: its parent's index (14 bits), its label's length (6)
//!   and end in `labels` (16), and four flags (a rule ends here, a `*.` rule is directly under
//!   it, it is an exception `!`, some rule is below it): 54 KB;
//! - `pilots`: a minimal perfect hash of the nodes' names (PTHash's scheme: a bucket per 5
//!   names, a 16-bit pilot per bucket), which gives every node its index: 4 KB.
//!
//! A lookup reads the host's labels from the right, 8 bytes at a time (finding the dot before
//! each label and hashing the label's bytes in one pass; the hash of a name extends its
//! parent's), and finds each label's node in one step: the perfect hash gives the only node the
//! name can be, which is then checked (same parent, same length, same bytes), so a name no rule
//! mentions is never mistaken for one. No allocation, no search; the walk stops at the first
//! label the list has nothing for, or at a node with no rule below it.
//!
//! Input is a domain name as the rest of the project has it: lowercase ASCII, punycode for an
//! internationalized label (the table has the rules' Unicode labels in punycode only). Any other
//! input gets the answer the list gives for it byte for byte (an unlisted top-level label is
//! its own suffix).

/// The generated table (see the module's documentation).
#[rustfmt::skip]
mod table;
#[cfg(test)]
mod tests;

/// The public suffix of `host`: a domain name in lowercase ASCII (punycode for an
/// internationalized name), without a trailing dot. The suffix is a tail of `host` made of whole
/// labels; `None` only for an empty name.
///
/// ```
/// use cors_grammar::public_suffix::suffix;
///
/// assert_eq!(suffix("a.b.example.com"), Some("com"));
/// assert_eq!(suffix("bucket.s3.amazonaws.com"), Some("s3.amazonaws.com"));
/// assert_eq!(suffix("app.example.co.uk"), Some("co.uk"));
/// assert_eq!(suffix("dev.localhost"), Some("localhost"));
/// ```
#[must_use]
pub fn suffix(host: &str) -> Option<&str> {
    table::TABLE.suffix(host)
}

/// Whether `domain` is itself a public suffix, where anyone can register names.
///
/// ```
/// use cors_grammar::public_suffix::is_public_suffix;
///
/// assert!(is_public_suffix("github.io"));
/// assert!(!is_public_suffix("me.github.io"));
/// ```
#[must_use]
pub fn is_public_suffix(domain: &str) -> bool {
    suffix(domain) == Some(domain)
}

/// Whether the list has a rule for some name strictly under `domain` (a lowercase ASCII domain
/// name without a trailing dot). Only then can a name under `domain` have another public suffix
/// than `domain` itself: without such a rule, the rule that decides a name's suffix is the one
/// that decides `domain`'s.
///
/// ```
/// use cors_grammar::public_suffix::has_rules_below;
///
/// assert!(has_rules_below("amazonaws.com")); // s3.amazonaws.com, …
/// assert!(!has_rules_below("example.com"));
/// assert!(!has_rules_below("localhost"));
/// ```
#[must_use]
pub fn has_rules_below(domain: &str) -> bool {
    table::TABLE
        .descend(domain.as_bytes())
        .is_some_and(|(_, node)| node & BELOW != 0)
}

/// A domain the list has rules below (`amazonaws.com`: [`has_rules_below`]), read once, so that
/// the public suffix of a name under it costs the labels before it only.
///
/// ```
/// use cors_grammar::public_suffix::{RulesBelow, suffix};
///
/// let amazonaws = RulesBelow::new("amazonaws.com").unwrap();
/// assert_eq!(amazonaws.suffix_len(), "com".len());
/// for host in ["a.preview.amazonaws.com", "bucket.s3.amazonaws.com"] {
///     assert_eq!(amazonaws.suffix_len_under(host), suffix(host).unwrap().len());
/// }
/// assert_eq!(RulesBelow::new("example.com"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RulesBelow {
    /// Where the lookup of a name under the domain is when the domain's labels are read.
    cursor: Cursor,
    /// The domain's length.
    len: usize,
}

impl RulesBelow {
    /// `domain` (lowercase ASCII, no trailing dot) read, if the list has rules below it.
    #[must_use]
    pub fn new(domain: &str) -> Option<RulesBelow> {
        let (cursor, node) = table::TABLE.descend(domain.as_bytes())?;
        (node & BELOW != 0).then_some(RulesBelow {
            cursor,
            len: domain.len(),
        })
    }

    /// The length of the domain's own public suffix.
    #[must_use]
    pub fn suffix_len(&self) -> usize {
        self.cursor.suffix_len
    }

    /// The length of the public suffix of `name`, a name under the domain (it ends with `.` and
    /// the domain; otherwise the whole name is looked up): `suffix(name).map_or(0, str::len)`.
    #[must_use]
    pub fn suffix_len_under(&self, name: impl AsRef<[u8]>) -> usize {
        let bytes = name.as_ref();
        match bytes.len().checked_sub(self.len + 1) {
            Some(end) if bytes[end] == b'.' => table::TABLE.walk(bytes, end, self.cursor),
            _ => table::TABLE.suffix_len(bytes),
        }
    }
}

/// Where a lookup is after the labels it has read (from the right).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    /// The hash of the name read.
    state: u64,
    /// Its node's index (`ROOT` before the first label), and `WILDCARD` if a `*.` rule is under
    /// it (the default rule `*` is one under the root).
    parent: u64,
    /// The length of the public suffix found so far (counted from the end).
    suffix_len: usize,
}

/// A node's parent (its index; [`ROOT`] for a top-level name): bits 0–13 of its word.
const PARENT_MASK: u64 = 0x3fff;
/// A node's label length (1 to 63): bits 14–19.
const LENGTH_SHIFT: u32 = 14;
/// A node's flag: a rule ends at its name.
const RULE: u64 = 1 << 20;
/// A node's flag: a `*.` rule is directly under its name.
const WILDCARD: u64 = 1 << 21;
/// A node's flag: its name is an exception rule (`!`).
const EXCEPTION: u64 = 1 << 22;
/// A node's flag: some rule (of any kind) is strictly under its name.
const BELOW: u64 = 1 << 23;
/// Where a node's label ends in [`Table::labels`]: bits 24–39 (the word's last bits: a node is
/// 5 bytes in the table).
const END_SHIFT: u32 = 24;
/// The parent of the list's top-level names: no node (and the bound on the number of nodes).
const ROOT: u16 = 0x3fff;
/// The multiplier of the names' hash, and of the perfect hash's mixing (odd; the 64-bit golden
/// ratio).
const HASH_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
/// `.` in every byte.
const DOTS: u64 = u64::from_le_bytes(*b"........");
/// `0x7f` in every byte.
const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The Public Suffix List as a trie in flat arrays (see the module's documentation). Generic
/// over where the arrays live only so that the tests can build tables of their own.
#[derive(Clone, Copy, Debug)]
struct Table<'a> {
    /// The hash of the empty name (chosen by the generator so that the perfect hash exists).
    seed: u64,
    /// Label text, after 8 bytes of padding (so that the 8 bytes before any label's end can be
    /// read); each node's label is a slice of it.
    labels: &'a [u8],
    /// Per node, its word in 5 bytes (see [`node_word`]): its parent, its label's length, its
    /// flags and where its label ends in `labels` (see [`PARENT_MASK`] and the next constants).
    nodes: &'a [[u8; 5]],
    /// Per bucket of the perfect hash: the pilot that places its names (see [`slot`]).
    pilots: &'a [u16],
}

/// A node's word from its 5 bytes in [`Table::nodes`] (little-endian).
#[inline(always)]
fn node_word(bytes: [u8; 5]) -> u64 {
    let [a, b, c, d, e] = bytes;
    u64::from(u32::from_le_bytes([a, b, c, d])) | u64::from(e) << 32
}

/// The nodes' words in 5 bytes each (their 40 bits: the generated table lists the words, and
/// this packs them at compile time).
const fn five_bytes<const N: usize>(words: &[u64; N]) -> [[u8; 5]; N] {
    let mut bytes = [[0; 5]; N];
    let mut i = 0;
    while i < N {
        let [a, b, c, d, e, ..] = words[i].to_le_bytes();
        bytes[i] = [a, b, c, d, e];
        i += 1;
    }
    bytes
}

/// The hash of a name extended by 8 bytes of a label (or fewer, zero-extended) to its left.
///
/// A name's hash starts from [`Table::seed`] and takes each label from the right, each label's
/// bytes in words of 8 from its end, then the rest of its first bytes (`len % 8` of them,
/// possibly none) as one last word: [`label_hash`] spells it out.
#[inline(always)]
fn hash_word(state: u64, word: u64) -> u64 {
    (state ^ word).wrapping_mul(HASH_MULTIPLIER)
}

/// `state` extended by `label`, as [`Table::read_label`] reads it in words (what the generator
/// computes).
#[cfg(test)]
fn label_hash(mut state: u64, label: &[u8]) -> u64 {
    let words = label.rchunks_exact(8);
    let first = words.remainder();
    for word in words {
        state = hash_word(state, u64::from_le_bytes(word.try_into().unwrap()));
    }
    let mut tail = [0; 8];
    tail[..first.len()].copy_from_slice(first);
    hash_word(state, u64::from_le_bytes(tail))
}

/// Where a name of hash `state` is among `len` nodes, given the pilots of the perfect hash
/// (PTHash's scheme: the name's bucket is picked by its hash, and the bucket's pilot, chosen by
/// the generator, moves the names of the bucket to free places).
#[inline(always)]
fn slot(state: u64, pilots: &[u16], len: usize) -> usize {
    // `(x >> 32) * n >> 32` is below `n`, without a division.
    let bucket = (((state >> 32) * pilots.len() as u64) >> 32) as usize;
    let pilot = u64::from(pilots[bucket]).wrapping_mul(HASH_MULTIPLIER);
    let mixed = (state ^ state >> 32 ^ pilot).wrapping_mul(HASH_MULTIPLIER);
    (((mixed >> 32) * len as u64) >> 32) as usize
}

/// The 8 bytes of `bytes` before `end` (little-endian: `bytes[end - 1]` is the top byte), or
/// `None` when `end < 8`.
#[inline(always)]
fn word_before(bytes: &[u8], end: usize) -> Option<u64> {
    let word = bytes.get(end.checked_sub(8)?..end)?;
    Some(u64::from_le_bytes(word.try_into().ok()?))
}

/// `0x80` in each byte of `word` that is a `.`, `0` in every other (exact: no borrow from one
/// byte to the next).
#[inline(always)]
fn dots_in(word: u64) -> u64 {
    let x = word ^ DOTS;
    !(((x & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | x | LOW_SEVEN)
}

/// A label of a name being read from the right.
#[derive(Clone, Copy)]
struct Label {
    /// Where it starts in the name.
    start: usize,
    /// Where it ends (before the dot the previous label started after, or at the name's end).
    end: usize,
    /// The 8 bytes of the name before `end` (those before the name's start read as dots): its
    /// last bytes at the top.
    last: u64,
}

impl Table<'_> {
    /// [`suffix`] by this table.
    fn suffix<'h>(&self, host: &'h str) -> Option<&'h str> {
        // A trailing dot (a fully qualified name) stays on the suffix, as the `psl` crate kept
        // it.
        let bytes = host.as_bytes();
        let dot = usize::from(bytes.last() == Some(&b'.'));
        let len = self.suffix_len(&bytes[..bytes.len() - dot]) + dot;
        if len == 0 {
            return None;
        }
        // The suffix is a tail of `host` that starts after a `.` (or at its start), so a
        // character boundary: slicing keeps the `&str` without checking its bytes again.
        host.get(host.len() - len..)
    }

    /// The 8 bytes of `name` before `end`, those before its start read as dots (`head` is
    /// `name[..end]`).
    #[inline(always)]
    fn word_at(name: &[u8], head: &[u8]) -> u64 {
        let end = head.len();
        if let Some(word) = word_before(head, end) {
            return word;
        }
        // Fewer than 8 bytes before `end`: the name's start is in this word.
        if end == 0 {
            return DOTS;
        }
        if let Some(first) = word_before(name, 8) {
            // `end` in 1..8: the name's first `end` bytes at the top, dots below.
            return first << (8 * (8 - end)) | DOTS >> (8 * end);
        }
        let mut word = DOTS;
        for &byte in head {
            word = word >> 8 | u64::from(byte) << 56;
        }
        word
    }

    /// The label of `name` that ends at `end`, with `state` extended by it.
    #[inline(always)]
    fn read_label(name: &[u8], end: usize, mut state: u64) -> (Label, u64) {
        let head = &name[..end];
        let last = Self::word_at(name, head);
        let mut word = last;
        let mut at = end;
        loop {
            let dots = dots_in(word);
            if dots != 0 {
                // The last dot is at byte `dot`: the label's first bytes are those above it.
                let dot = (63 - dots.leading_zeros()) / 8;
                let first = (word >> (8 * dot)) >> 8;
                let start = at - (7 - dot) as usize;
                return (Label { start, end, last }, hash_word(state, first));
            }
            // A whole word of the label (so `at >= 8`).
            state = hash_word(state, word);
            at -= 8;
            word = Self::word_at(name, &head[..at]);
        }
    }

    /// The node of `label` under the node `parent`, given the hash of the name they make: its
    /// index and its word, or `None` when no rule mentions that name.
    #[inline(always)]
    fn child(&self, state: u64, parent: u64, name: &[u8], label: Label) -> Option<(u64, u64)> {
        let index = slot(state, self.pilots, self.nodes.len());
        let node = node_word(self.nodes[index]);
        let len = label.end - label.start;
        // Same parent and same length (a length of 64 or more is never equal).
        if node & (PARENT_MASK | 63 << LENGTH_SHIFT) != parent | (len as u64) << LENGTH_SHIFT {
            return None;
        }
        // The label's last bytes (up to 8), then its words before them, the first one
        // overlapping them when the length is not a multiple of 8.
        let end = (node >> END_SHIFT) as usize;
        let unequal = word_before(self.labels, end)? ^ label.last;
        // Of a label shorter than 8 bytes, the word's bytes below it are not the label's.
        if unequal >> (8 * 8usize.saturating_sub(len)) != 0 {
            return None;
        }
        let mut back = 8;
        while back < len {
            back = (back + 8).min(len);
            if word_before(self.labels, end - back + 8)? != word_before(name, label.end - back + 8)?
            {
                return None;
            }
        }
        Some((index as u64, node))
    }

    /// The length in bytes of the public suffix of `name` (no trailing dot), by the list's
    /// algorithm; 0 only for an empty name.
    fn suffix_len(&self, name: &[u8]) -> usize {
        let start = Cursor {
            state: self.seed,
            parent: u64::from(ROOT) | WILDCARD,
            suffix_len: 0,
        };
        self.walk(name, name.len(), start)
    }

    /// [`Table::suffix_len`] from the label of `name` that ends at `end`, the labels after it
    /// (if any) having led to `cursor`.
    #[inline(always)]
    fn walk(&self, name: &[u8], mut end: usize, cursor: Cursor) -> usize {
        let Cursor {
            mut state,
            mut parent,
            suffix_len,
        } = cursor;
        // Where the public suffix found so far starts.
        let mut suffix = name.len() - suffix_len;
        loop {
            let (label, next_state) = Self::read_label(name, end, state);
            state = next_state;
            if parent & WILDCARD != 0 {
                suffix = label.start;
            }
            let Some((index, node)) = self.child(state, parent & PARENT_MASK, name, label) else {
                break;
            };
            if node & EXCEPTION != 0 {
                // `!label.parent` wins over every other rule: the suffix is the parent's name.
                suffix = (end + 1).min(name.len());
                break;
            }
            if node & RULE != 0 {
                suffix = label.start;
            }
            if label.start == 0 || node & BELOW == 0 {
                // No label left, or no rule below this name.
                break;
            }
            parent = index | (node & WILDCARD);
            end = label.start - 1;
        }
        name.len() - suffix
    }

    /// Where the lookup of a name under `domain` is after reading `domain`'s labels, and
    /// `domain`'s node; `None` when the list has nothing for some label of it, or no rule below
    /// a name before its end (nor, then, below `domain`).
    fn descend(&self, domain: &[u8]) -> Option<(Cursor, u64)> {
        let mut state = self.seed;
        let mut parent = u64::from(ROOT) | WILDCARD;
        let mut suffix = domain.len();
        let mut end = domain.len();
        loop {
            let (label, next_state) = Self::read_label(domain, end, state);
            state = next_state;
            if parent & WILDCARD != 0 {
                suffix = label.start;
            }
            let (index, node) = self.child(state, parent & PARENT_MASK, domain, label)?;
            if node & EXCEPTION != 0 {
                // Never a rule below an exception.
                return None;
            }
            if node & RULE != 0 {
                suffix = label.start;
            }
            parent = index | (node & WILDCARD);
            if label.start == 0 {
                let suffix_len = domain.len() - suffix;
                return Some((
                    Cursor {
                        state,
                        parent,
                        suffix_len,
                    },
                    node,
                ));
            }
            if node & BELOW == 0 {
                return None;
            }
            end = label.start - 1;
        }
    }
}

//! What one public-suffix lookup costs: the table (`cors_grammar::public_suffix`) against the
//! `psl` crate it replaced, on the hosts the runtime looks up.
//!
//! ```sh
//! cargo bench -p cors-grammar --bench public_suffix
//! ```
//!
//! For each host and each of `suffix` (table), `psl::suffix`, `has_rules_below` (table) and,
//! under `amazonaws.com`, `RulesBelow::suffix_len_under` (the lookup the runtime makes per
//! request on a `**.amazonaws.com` match: only the labels before the base): the instructions
//! per lookup (valgrind's callgrind, if `valgrind` is on `PATH`: the bench starts
//! itself under it once per case and collects only inside `measured_lookups`, 1,000 lookups
//! after a warm-up), and nanoseconds per lookup (the median of 21 runs of 100,000 lookups).

use std::hint::black_box;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use cors_grammar::public_suffix::RulesBelow;

/// Set in the child processes that run under callgrind: the case to run.
const CASE_VAR: &str = "PSL_BENCH_CASE";
const LOOKUPS: usize = 1_000;

const HOSTS: &[&str] = &[
    "example.com",
    "pr-1234.preview.example.com",
    "a.example.co.uk",
    "pr-1234.preview.amazonaws.com",
    "bucket.s3.amazonaws.com",
    "abc.execute-api.eu-west-1.amazonaws.com",
    "app.localhost",
    "x.city.kawasaki.jp",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Table,
    Psl,
    TableRulesBelow,
    UnderAmazonaws,
}

const LOOKUP_KINDS: &[(&str, Lookup)] = &[
    ("table suffix", Lookup::Table),
    ("psl::suffix", Lookup::Psl),
    ("table has_rules_below", Lookup::TableRulesBelow),
    (
        "table, from `amazonaws.com` (`RulesBelow::suffix_len_under`)",
        Lookup::UnderAmazonaws,
    ),
];

/// `amazonaws.com`'s place in the list, found once (as the runtime does when it builds a
/// policy).
fn amazonaws() -> &'static RulesBelow {
    static AMAZONAWS: OnceLock<RulesBelow> = OnceLock::new();
    AMAZONAWS.get_or_init(|| RulesBelow::new("amazonaws.com").expect("rules below amazonaws.com"))
}

#[inline(never)]
fn lookup(kind: Lookup, host: &str) -> usize {
    match kind {
        Lookup::Table => cors_grammar::public_suffix::suffix(host).map_or(0, str::len),
        Lookup::Psl => psl::suffix(host.as_bytes()).map_or(0, |s| s.as_bytes().len()),
        Lookup::TableRulesBelow => usize::from(cors_grammar::public_suffix::has_rules_below(host)),
        Lookup::UnderAmazonaws => amazonaws().suffix_len_under(host),
    }
}

/// The only function callgrind collects in.
#[inline(never)]
fn measured_lookups(kind: Lookup, host: &str) -> usize {
    let mut total = 0;
    for _ in 0..LOOKUPS {
        total += lookup(kind, black_box(host));
    }
    total
}

fn main() {
    if let Ok(case) = std::env::var(CASE_VAR) {
        let (kind, host) = case.split_once(' ').expect("`kind host`");
        let kind = LOOKUP_KINDS[kind.parse::<usize>().expect("a kind")].1;
        amazonaws();
        for _ in 0..10 {
            black_box(lookup(kind, black_box(host)));
        }
        black_box(measured_lookups(kind, host));
        return;
    }
    // `cargo test --benches` runs each lookup once.
    if !std::env::args().any(|arg| arg == "--bench") {
        for (_, kind) in LOOKUP_KINDS {
            for host in HOSTS {
                black_box(lookup(*kind, host));
            }
        }
        return;
    }

    let valgrind = Command::new("valgrind").arg("--version").output().is_ok();
    if !valgrind {
        eprintln!("valgrind not found: no instruction counts");
    }
    let out_dir = std::env::temp_dir().join(format!("psl-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("a scratch directory");
    println!("| host | lookup | instructions/lookup | ns/lookup | answer |");
    println!("| --- | --- | ---: | ---: | --- |");
    for host in HOSTS {
        for (index, (name, kind)) in LOOKUP_KINDS.iter().enumerate() {
            if *kind == Lookup::UnderAmazonaws && !host.ends_with(".amazonaws.com") {
                continue;
            }
            let instructions = if valgrind {
                let out = out_dir.join(format!("callgrind.{index}.out"));
                let status = Command::new("valgrind")
                    .arg("--tool=callgrind")
                    .arg("--toggle-collect=*measured_lookups*")
                    .arg(format!("--callgrind-out-file={}", out.display()))
                    .arg(std::env::current_exe().expect("the bench's path"))
                    .env(CASE_VAR, format!("{index} {host}"))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("run valgrind");
                assert!(status.success(), "callgrind failed");
                let text = std::fs::read_to_string(&out).expect("callgrind output");
                let total: f64 = text
                    .lines()
                    .find_map(|line| line.strip_prefix("totals: "))
                    .and_then(|total| total.trim().parse().ok())
                    .expect("callgrind totals");
                format!("{:.0}", total / LOOKUPS as f64)
            } else {
                String::new()
            };
            let mut runs: Vec<f64> = (0..21)
                .map(|_| {
                    let start = Instant::now();
                    for _ in 0..100_000 {
                        black_box(lookup(*kind, black_box(host)));
                    }
                    start.elapsed().as_nanos() as f64 / 100_000.0
                })
                .collect();
            runs.sort_by(f64::total_cmp);
            let answer = match kind {
                Lookup::Table => format!("{:?}", cors_grammar::public_suffix::suffix(host)),
                Lookup::Psl => format!("{:?}", psl::suffix_str(host)),
                Lookup::TableRulesBelow => {
                    format!("{}", cors_grammar::public_suffix::has_rules_below(host))
                }
                Lookup::UnderAmazonaws => format!("{} bytes", amazonaws().suffix_len_under(host)),
            };
            println!(
                "| `{host}` | {name} | {instructions} | {:.1} | {answer} |",
                runs[runs.len() / 2]
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}

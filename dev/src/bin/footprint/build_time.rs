//! `footprint build`: clean release builds of `plain` and `with-cors` with `--timings`,
//! alternately, and the report of what `with-cors` adds, unit by unit.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::checkout::Checkout;
use crate::command::{Result, cargo_in, run_cargo};
use crate::project::Project;

/// The units of `cargo-timing.html`: its script's `const UNIT_DATA = [...]` array, whose
/// entries have `name`, `version`, `target` (`""` for a library, ` name "bin"`, ` build
/// script`, ...) and `duration` (seconds). The project's own binary is renamed `(the function)`.
fn timing_units(html: &str, own_package: &str) -> Result<Vec<(String, f64)>> {
    let start = html
        .find("const UNIT_DATA = ")
        .ok_or("no `const UNIT_DATA = ` in the timing report: has cargo changed its format?")?;
    let json = &html[start + "const UNIT_DATA = ".len()..];
    let units: Vec<Value> = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .ok_or("an empty UNIT_DATA in the timing report")?
        .map_err(|e| format!("UNIT_DATA in the timing report is not JSON: {e}"))?;
    units
        .iter()
        .map(|unit| {
            let (Some(name), Some(version), Some(target), Some(seconds)) = (
                unit["name"].as_str(),
                unit["version"].as_str(),
                unit["target"].as_str(),
                unit["duration"].as_f64(),
            ) else {
                return Err(format!("unexpected unit in the timing report: {unit}"));
            };
            let label = if name == own_package {
                "(the function)".to_owned()
            } else {
                format!("{name} v{version}{target}")
            };
            Ok((label, seconds))
        })
        .collect()
}

/// One clean build's figures.
#[derive(Debug)]
struct Round {
    wall: Duration,
    /// The CPU time (user and system) of the build's processes, when known.
    cpu: Option<f64>,
    /// The 1-minute load average when the build ended, when known.
    load: Option<f64>,
    /// Per unit name: how many units have it, and their time added up. A crate can be built
    /// twice: for the host, as a dependency of a proc macro or build script (with the
    /// `build-override` profile), and for the binary.
    units: BTreeMap<String, (usize, f64)>,
}

impl Round {
    fn summed(&self) -> f64 {
        self.units.values().map(|unit| unit.1).sum()
    }
}

fn clean_build(project: Project, dir: &Path, round: usize, rounds: usize) -> Result<Round> {
    let target = dir.join("target");
    if target.exists() {
        fs::remove_dir_all(&target)
            .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
    }
    let (started, cpu_before) = (Instant::now(), children_cpu_time());
    run_cargo(
        cargo_in(dir)
            .args([
                "build",
                "--release",
                "--offline",
                "--timings",
                "--target-dir",
            ])
            .arg(&target),
        &format!("clean build of {} (round {round}/{rounds})", project.name()),
    )?;
    let wall = started.elapsed();
    let cpu = Option::zip(children_cpu_time(), cpu_before).map(|(after, before)| after - before);
    let html_path = target.join("cargo-timings/cargo-timing.html");
    let html = fs::read_to_string(&html_path)
        .map_err(|e| format!("cannot read the timing report {}: {e}", html_path.display()))?;
    let mut units = BTreeMap::<String, (usize, f64)>::new();
    for (label, seconds) in timing_units(&html, &project.package())? {
        let entry = units.entry(label).or_default();
        *entry = (entry.0 + 1, entry.1 + seconds);
    }
    let load = fs::read_to_string("/proc/loadavg").ok();
    let load = load.and_then(|l| l.split_whitespace().next()?.parse().ok());
    Ok(Round {
        wall,
        cpu,
        load,
        units,
    })
}

/// The CPU time (user and system, in seconds) of this process's finished children and their
/// own finished children: `cutime` and `cstime` of `/proc/self/stat`, in clock ticks
/// (`getconf CLK_TCK`). `None` where there is no `/proc` (not Linux).
fn children_cpu_time() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (in parentheses, which may hold spaces), from the
    // third: `cutime` and `cstime` are the 16th and 17th.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    let per_second = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<f64>()
                .ok()
        })
        .unwrap_or(100.0);
    Some(ticks / per_second)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// One unit name's time in every round of `plain` (`[0]`) and `with-cors` (`[1]`), `None` in
/// a round without it.
#[derive(Debug)]
struct UnitTimes<'a> {
    label: &'a str,
    times: [Vec<Option<f64>>; 2],
    /// How many units have the name, at most, in each project.
    counts: [usize; 2],
}

impl UnitTimes<'_> {
    /// The label, with `×2` for a crate built twice (`×1 → ×2` where only with-cors builds it
    /// twice).
    fn name(&self) -> String {
        match self.counts {
            [0 | 1, 0 | 1] => self.label.to_owned(),
            [plain, cors] if plain == cors || plain == 0 => format!("{} ×{cors}", self.label),
            [plain, cors] => format!("{} ×{plain} → ×{cors}", self.label),
        }
    }

    /// Whether with-cors builds it and plain does not, or builds it more often.
    fn added(&self) -> bool {
        self.counts[1] > self.counts[0]
    }

    /// The median over the rounds that have the unit.
    fn median(&self, project: usize) -> Option<f64> {
        let present: Vec<f64> = self.times[project].iter().flatten().copied().collect();
        (!present.is_empty()).then(|| median(present))
    }

    /// with-cors − plain, of the medians.
    fn delta(&self) -> f64 {
        self.median(1).unwrap_or(0.0) - self.median(0).unwrap_or(0.0)
    }
}

fn seconds(time: Option<f64>) -> String {
    time.map_or("—".to_owned(), |t| format!("{t:.2}"))
}

pub(crate) fn build(checkout: &Checkout, out: &Path, rounds: usize) -> Result<String> {
    let mut notes = String::new();
    let projects = [Project::Plain, Project::WithCors];
    let dirs = projects
        .iter()
        .map(|project| project.set_up(checkout, out, &mut notes))
        .collect::<Result<Vec<_>>>()?;
    let started = Instant::now();
    // results[p][r]: the rounds alternate between the projects, so that the machine's noise
    // falls on both.
    let mut results: [Vec<Round>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        for (p, project) in projects.iter().enumerate() {
            results[p].push(clean_build(*project, &dirs[p], round, rounds)?);
        }
    }
    let header = format!(
        "# Footprint: clean release build\n\n{}{notes}\n{rounds} rounds, {:.0} s \
         in all. Summed unit time: the durations of every unit of `cargo build --timings` added \
         up.\n\n",
        checkout.header(),
        started.elapsed().as_secs_f64()
    );
    Ok(build_report(header, &results))
}

/// The report of `build` after `header`, from `results[p][r]` (`p`: plain, with-cors; `r`: the
/// round).
fn build_report(mut report: String, results: &[Vec<Round>; 2]) -> String {
    report.push_str(
        "| round | project | summed unit time (s) | CPU time (s) | wall (s) | units | load |\n\
         |---|---|---:|---:|---:|---:|---:|\n",
    );
    for (round, pair) in results[0].iter().zip(&results[1]).enumerate() {
        for (project, r) in [("plain", pair.0), ("with-cors", pair.1)] {
            let (summed, cpu, wall) = (r.summed(), seconds(r.cpu), r.wall.as_secs_f64());
            let units: usize = r.units.values().map(|unit| unit.0).sum();
            let load = r.load.map_or("—".to_owned(), |l| format!("{l:.1}"));
            let _ = writeln!(
                report,
                "| {} | {project} | {summed:.1} | {cpu} | {wall:.1} | {units} | {load} |",
                round + 1
            );
        }
    }
    report.push_str(
        "\n## Medians\n\n| | plain | with-cors | with-cors − plain |\n|---|---:|---:|---:|\n",
    );
    type Metric = fn(&Round) -> Option<f64>;
    let metrics: [(&str, Metric); 3] = [
        ("summed unit time (s)", |r| Some(r.summed())),
        ("CPU time (s)", |r| r.cpu),
        ("wall (s)", |r| Some(r.wall.as_secs_f64())),
    ];
    for (name, metric) in metrics {
        let [plain, cors] = [0, 1].map(|p| {
            let values: Vec<f64> = results[p].iter().filter_map(metric).collect();
            (!values.is_empty()).then(|| median(values))
        });
        let delta = Option::zip(cors, plain).map(|(cors, plain)| cors - plain);
        let (plain, cors) = (seconds(plain), seconds(cors));
        let delta = delta.map_or("—".to_owned(), |d| format!("{d:+.2}"));
        let _ = writeln!(report, "| {name} | {plain} | {cors} | {delta} |");
    }

    let labels: BTreeSet<&String> = results
        .iter()
        .flatten()
        .flat_map(|r| r.units.keys())
        .collect();
    let mut units: Vec<UnitTimes<'_>> = labels
        .into_iter()
        .map(|label| {
            let unit = |p: usize| results[p].iter().map(|r| r.units.get(label).copied());
            UnitTimes {
                label,
                times: [0, 1].map(|p| unit(p).map(|u| Some(u?.1)).collect()),
                counts: [0, 1].map(|p| unit(p).map(|u| u.map_or(0, |u| u.0)).max().unwrap_or(0)),
            }
        })
        .collect();
    units.sort_by(|a, b| b.delta().total_cmp(&a.delta()).then(a.label.cmp(b.label)));

    let row = |report: &mut String, unit: &UnitTimes<'_>| {
        let (plain, cors) = (seconds(unit.median(0)), seconds(unit.median(1)));
        let (name, delta) = (unit.name(), unit.delta());
        let _ = writeln!(report, "| {name} | {plain} | {cors} | {delta:+.2} |");
    };
    report.push_str(
        "\n## What with-cors adds: the units only it builds, or builds more often (medians)\n\n\
         `×2`: built twice, for the host (under a proc macro or build script) and for the binary; \
         the times added.\n\n| unit | plain (s) | with-cors (s) | Δ (s) |\n|---|---:|---:|---:|\n",
    );
    let added: Vec<&UnitTimes<'_>> = units.iter().filter(|u| u.added()).collect();
    for unit in &added {
        row(&mut report, unit);
    }
    let total: f64 = added.iter().map(|u| u.delta()).sum();
    let _ = writeln!(report, "| **in all** | | | {total:+.2} |");
    report.push_str(
        "\nThe units both build, slower in with-cors by over 0.5 s and 10 % (medians; mostly \
         noise when the machine is busy):\n\n\
         | unit | plain (s) | with-cors (s) | Δ (s) |\n|---|---:|---:|---:|\n",
    );
    let slower = |u: &&UnitTimes<'_>| {
        !u.added() && u.delta() > 0.5 && u.delta() > 0.1 * u.median(0).unwrap_or(0.0)
    };
    for unit in units.iter().filter(slower) {
        row(&mut report, unit);
    }
    report.push_str("\nThe library's own units (medians, with-cors):\n\n");
    for package in ["cors-macro", "cors-grammar", "cors-runtime"] {
        let own: Vec<&UnitTimes<'_>> = units
            .iter()
            .filter(|u| u.label.starts_with(&format!("{package} v")))
            .collect();
        let total: f64 = own.iter().filter_map(|u| u.median(1)).sum();
        let names: Vec<String> = own.iter().map(|u| u.name()).collect();
        let _ = writeln!(report, "- `{package}`: {total:.2} s ({})", names.join(", "));
    }

    report.push_str(
        "\n## Every unit, per round (s: round 1 / 2 / ...; — when absent)\n\n\
         | unit | plain | with-cors | Δ of medians |\n|---|---|---|---:|\n",
    );
    for unit in &units {
        let [plain, cors] = &unit.times.each_ref().map(|times| {
            times
                .iter()
                .map(|&t| seconds(t))
                .collect::<Vec<_>>()
                .join(" / ")
        });
        let _ = writeln!(
            report,
            "| {} | {plain} | {cors} | {:+.2} |",
            unit.name(),
            unit.delta()
        );
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_a_timing_report() {
        let html = r#"<script>
DURATION = 1;
const UNIT_DATA = [
  {"i": 0, "name": "itoa", "version": "1.0.19", "mode": "todo", "target": "",
   "start": 0.11, "duration": 0.2, "sections": [["frontend", {"start": 0.0, "end": 0.12}]]},
  {"i": 1, "name": "fn-plain", "version": "0.1.0", "mode": "todo",
   "target": " fn-plain \"bin\"", "start": 0.31, "duration": 0.12, "sections": null}
];
const CONCURRENCY_DATA = [];"#;
        let units = timing_units(html, "fn-plain").unwrap();
        let units: Vec<_> = units
            .iter()
            .map(|(label, time)| (label.as_str(), *time))
            .collect();
        assert_eq!(units, [("itoa v1.0.19", 0.2), ("(the function)", 0.12)]);
        assert!(timing_units("<html></html>", "fn-plain").is_err());
        assert!(timing_units("const UNIT_DATA = [{\"name\": 1}];", "fn-plain").is_err());
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0]), 2.5);
    }

    #[test]
    fn a_build_report() {
        let round = |macro_time: Option<f64>| Round {
            wall: Duration::from_secs(60),
            cpu: None,
            load: Some(2.0),
            units: [
                ("tokio v1.0.0", Some(10.0)),
                ("cors-macro v0.1.0", macro_time),
            ]
            .into_iter()
            .filter_map(|(label, time)| Some((label.to_owned(), (1, time?))))
            .collect(),
        };
        let results = [
            vec![round(None), round(None)],
            vec![round(Some(2.0)), round(Some(4.0))],
        ];
        let report = build_report(String::new(), &results);
        assert!(
            report.contains("| summed unit time (s) | 10.00 | 13.00 | +3.00 |"),
            "{report}"
        );
        assert!(
            report.contains("| cors-macro v0.1.0 | — | 3.00 | +3.00 |"),
            "{report}"
        );
        assert!(
            report.contains("- `cors-macro`: 3.00 s (cors-macro v0.1.0)"),
            "{report}"
        );
    }
}

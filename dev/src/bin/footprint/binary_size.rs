//! `footprint size`: the stripped release binaries of the three projects side by side, the ELF
//! sections that differ, and (with `cargo bloat`) the `.text` bytes per crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use cors_dev::workspace::cargo;
use serde_json::Value;

use crate::checkout::Checkout;
use crate::command::{Result, cargo_in, run_cargo};
use crate::project::Project;

pub(crate) fn size(checkout: &Checkout, out: &Path) -> Result<String> {
    let projects = [Project::Plain, Project::WithCors, Project::TowerHttp];
    let target = out.join("target-size");
    let mut notes = String::new();
    let mut binaries = Vec::new();
    for project in projects {
        let dir = project.set_up(checkout, out, &mut notes)?;
        let build = ["build", "--release", "--offline", "--target-dir"];
        let what = format!("building {}", project.name());
        run_cargo(cargo_in(&dir).args(build).arg(&target), &what)?;
        let binary = target.join("release").join(project.package());
        let bytes = fs::read(&binary)
            .map_err(|e| format!("no binary at {} after the build: {e}", binary.display()))?;
        binaries.push(bytes);
    }
    let mut report = format!(
        "# Footprint: binary size\n\n{}{notes}\n\
         | project | stripped binary (bytes) | Δ vs plain (bytes) | Δ (KiB) | Δ (%) |\n\
         |---|---:|---:|---:|---:|\n",
        checkout.header()
    );
    let plain = binaries[0].len() as f64;
    for (project, binary) in projects.iter().zip(&binaries) {
        let delta = binary.len() as f64 - plain;
        let (kib, percent) = (delta / 1024.0, 100.0 * delta / plain);
        let name = project.name();
        let _ = writeln!(
            report,
            "| {name} | {} | {delta:+} | {kib:+.1} | {percent:+.1} |",
            binary.len()
        );
    }

    // Where the bytes are: the sections that differ (ELF only).
    let sections: Option<Vec<BTreeMap<String, u64>>> =
        binaries.iter().map(|b| elf_sections(b)).collect();
    if let Some(sections) = sections {
        let names: BTreeSet<&String> = sections.iter().flat_map(|s| s.keys()).collect();
        let size = |p: usize, name: &String| sections[p].get(name).copied().unwrap_or(0) as i64;
        let mut rows: Vec<(&String, [i64; 3])> = names
            .into_iter()
            .map(|name| (name, [0, 1, 2].map(|p| size(p, name))))
            .filter(|(_, [plain, cors, tower])| plain != cors || plain != tower)
            .collect();
        rows.sort_by_key(|&(name, [plain, cors, _])| (plain - cors, name));
        report.push_str(
            "\n## Sections that differ (stripped binaries, bytes)\n\n\
             | section | plain | with-cors | Δ | tower-http | Δ |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for (name, [plain, cors, tower]) in rows {
            let (d_cors, d_tower) = (cors - plain, tower - plain);
            let _ = writeln!(
                report,
                "| {name} | {plain} | {cors} | {d_cors:+} | {tower} | {d_tower:+} |"
            );
        }
    }

    let has_bloat = Command::new(cargo()).args(["bloat", "--version"]).output();
    if !has_bloat.is_ok_and(|o| o.status.success()) {
        report.push_str(
            "\n`cargo bloat` is not installed (`cargo install cargo-bloat`): no sizes per crate.\n",
        );
        return Ok(report);
    }
    let bloat_target = out.join("target-bloat");
    let mut crates = Vec::new();
    for project in [Project::Plain, Project::WithCors] {
        let json = run_cargo(
            cargo_in(&out.join(project.name()))
                .args([
                    "bloat",
                    "--release",
                    "--crates",
                    "-n",
                    "0",
                    "--message-format",
                    "json",
                ])
                .arg("--target-dir")
                .arg(&bloat_target)
                // bloat reads the symbol table: the same build, not stripped.
                .env("CARGO_PROFILE_RELEASE_STRIP", "false")
                .env("CARGO_NET_OFFLINE", "true"),
            &format!("cargo bloat on {}", project.name()),
        )?;
        crates.push(bloat_crates(&json, &project.package().replace('-', "_"))?);
    }
    report.push_str(&bloat_table(&crates[0], &crates[1]));
    Ok(report)
}

/// The file bytes of each section of a 64-bit little-endian ELF file (`None` for another
/// format, or a file too short for its headers): `.bss`-like sections take none.
fn elf_sections(file: &[u8]) -> Option<BTreeMap<String, u64>> {
    let bytes = |at: usize, n: usize| file.get(at..at.checked_add(n)?);
    let u16_at = |at| Some(u16::from_le_bytes(bytes(at, 2)?.try_into().ok()?) as usize);
    let u32_at = |at| Some(u32::from_le_bytes(bytes(at, 4)?.try_into().ok()?));
    let u64_at = |at| Some(u64::from_le_bytes(bytes(at, 8)?.try_into().ok()?));
    if bytes(0, 6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let (offset, entry, count) = (
        usize::try_from(u64_at(0x28)?).ok()?,
        u16_at(0x3a)?,
        u16_at(0x3c)?,
    );
    // A header's place, within the file (so that adding a field's offset cannot overflow).
    let header = |i: usize| {
        let at = offset.checked_add(i.checked_mul(entry)?)?;
        (at < file.len()).then_some(at)
    };
    let names = usize::try_from(u64_at(header(u16_at(0x3e)?)? + 0x18)?).ok()?;
    let mut sections = BTreeMap::new();
    for i in 1..count {
        let at = header(i)?;
        const SHT_NOBITS: u32 = 8;
        if u32_at(at + 4)? == SHT_NOBITS {
            continue;
        }
        let name_at = names.checked_add(u32_at(at)? as usize)?;
        let name = file.get(name_at..)?.split(|&b| b == 0).next()?;
        *sections
            .entry(String::from_utf8_lossy(name).into_owned())
            .or_default() += u64_at(at + 0x20)?;
    }
    Some(sections)
}

/// The `.text` bytes per crate from `cargo bloat --crates --message-format json`, the
/// project's own crate renamed `(the function)` so that the projects compare.
fn bloat_crates(json: &str, own_crate: &str) -> Result<BTreeMap<String, i64>> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| format!("`cargo bloat` printed no JSON ({e}): is it an old version?"))?;
    let mut crates = BTreeMap::new();
    for entry in value["crates"].as_array().into_iter().flatten() {
        let (Some(name), Some(size)) = (entry["name"].as_str(), entry["size"].as_i64()) else {
            return Err(format!("unexpected entry in `cargo bloat`'s JSON: {entry}"));
        };
        let name = if name == own_crate {
            "(the function)"
        } else {
            name
        };
        *crates.entry(name.to_owned()).or_default() += size;
    }
    let total = value["text-section-size"].as_i64().unwrap_or_default();
    crates.insert(TEXT_TOTAL.to_owned(), total);
    Ok(crates)
}

/// The key of [`bloat_crates`]'s `.text` size.
const TEXT_TOTAL: &str = "**.text, in all**";

/// The crates side by side: those that differ by decreasing difference, then the others by
/// size; 30 rows at most, the rest summed up.
fn bloat_table(plain: &BTreeMap<String, i64>, cors: &BTreeMap<String, i64>) -> String {
    let names: BTreeSet<&String> = plain.keys().chain(cors.keys()).collect();
    let size = |map: &BTreeMap<String, i64>, name: &str| map.get(name).copied().unwrap_or(0);
    let mut rows: Vec<(String, i64, i64)> = names
        .into_iter()
        .filter(|name| *name != TEXT_TOTAL)
        .map(|name| (name.clone(), size(plain, name), size(cors, name)))
        .collect();
    rows.sort_by_key(|(name, plain, cors)| (cors == plain, plain - cors, -plain, name.clone()));
    if rows.len() > 30 {
        let rest = rows.split_off(29);
        let (plain, cors) = rest
            .iter()
            .fold((0, 0), |(p, c), row| (p + row.1, c + row.2));
        rows.push((format!("{} more crates", rest.len()), plain, cors));
    }
    rows.push((
        TEXT_TOTAL.to_owned(),
        size(plain, TEXT_TOTAL),
        size(cors, TEXT_TOTAL),
    ));
    let mut table = "\n## Size per crate (`cargo bloat --crates`: `.text` only, symbols kept)\n\n\
                     | crate | plain (bytes) | with-cors (bytes) | Δ (bytes) |\n|---|---:|---:|---:|\n"
        .to_owned();
    for (name, plain, cors) in rows {
        let _ = writeln!(table, "| {name} | {plain} | {cors} | {:+} |", cors - plain);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_of_an_elf_file() {
        assert_eq!(elf_sections(b"\x7fELF\x02\x01 too short"), None);
        assert_eq!(elf_sections(b"MZ not an ELF file"), None);
        #[cfg(all(
            target_os = "linux",
            target_pointer_width = "64",
            target_endian = "little"
        ))]
        {
            let exe = fs::read(std::env::current_exe().unwrap()).unwrap();
            let sections = elf_sections(&exe).unwrap();
            assert!(sections[".text"] > 0, "{sections:?}");
            assert!(!sections.contains_key(".bss"), "{sections:?}");
        }
    }
}

//! Local processes, from `/proc` (Linux): a free port for a server to take, whether a process
//! tree listens on it, and stopping a process tree (children that moved to a session of their
//! own included).

use std::fs;
use std::io;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// Whether `127.0.0.1:port` is listened on by process `root` or one of its descendants
/// (from `/proc/net/tcp` and the processes' file descriptors).
pub fn listening_in_tree(root: u32, port: u16) -> bool {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return false;
    };
    let local = format!("0100007F:{port:04X}");
    // Columns: sl local_address rem_address st ... inode (the 10th).
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.len() > 9 && cols[1] == local && cols[3] == "0A")
        .map(|cols| format!("socket:[{}]", cols[9]))
        .collect();
    if inodes.is_empty() {
        return false;
    }
    std::iter::once(root).chain(descendants(root)).any(|pid| {
        fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                fs::read_link(fd.path())
                    .is_ok_and(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
            })
        })
    })
}

/// Whether process `pid` exists and is not a zombie.
pub fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// All descendants of `root` (children, their children, ...), from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parent_of.push((pid, ppid));
            }
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parent_of
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    found.remove(0);
    found
}

fn send_signal(signal: &str, targets: &[String]) {
    if targets.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .args(targets)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Stops `child` (started with `process_group(0)`), its process group and every
/// descendant, including those that moved to a session of their own: `SIGTERM` first, then
/// `SIGKILL` for whatever is still alive after `grace`. Reaps `child`.
pub fn stop_process_tree(child: &mut Child, grace: Duration) {
    let pid = child.id();
    if let Ok(Some(_)) = child.try_wait() {
        // Already gone; its group may still hold processes.
        send_signal("KILL", &[format!("-{pid}")]);
        return;
    }
    let tree = descendants(pid);
    let mut targets = vec![format!("-{pid}"), pid.to_string()];
    targets.extend(tree.iter().map(u32::to_string));
    send_signal("TERM", &targets);

    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        let child_done = matches!(child.try_wait(), Ok(Some(_)));
        if child_done && !tree.iter().any(|p| process_alive(*p)) {
            send_signal("KILL", &[format!("-{pid}")]);
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let mut leftovers = vec![format!("-{pid}"), pid.to_string()];
    leftovers.extend(
        tree.iter()
            .filter(|p| process_alive(**p))
            .map(u32::to_string),
    );
    send_signal("KILL", &leftovers);
    let _ = child.wait();
}

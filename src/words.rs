//! Counts in the words a user reads: "1 page", "2 pages".

/// `n` and `noun` in the number `n` takes (`noun` + `s` past one).
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A size in the largest binary unit that keeps a whole number in front: `512 bytes`,
/// `3.4 KiB`, `12.0 MiB`.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if n < 1024 {
        return count(n as usize, "byte");
    }
    let mut size = n as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::bytes(1), "1 byte");
        assert_eq!(super::bytes(512), "512 bytes");
        assert_eq!(super::bytes(3482), "3.4 KiB");
        assert_eq!(super::bytes(12 << 20), "12.0 MiB");
    }
}

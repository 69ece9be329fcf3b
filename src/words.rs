//! Counts in the words a user reads: "1 page", "2 pages".

/// `n` and `noun` in the number `n` takes (`noun` + `s` past one).
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

//! Coverage against the plan's targets (issue 11): the rules of what counts, read from
//! `content/coverage.toml` (rules.rs), and what a household adds to the counts of its
//! village, commune and province (count.rs).

pub mod count;
pub mod rules;

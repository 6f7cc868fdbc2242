//! The server's integration tests, one module per subject, built as one test binary.
//!
//! Why one binary: each file under `tests/` is its own crate, and each of those compiled
//! the generic web stack (axum, sqlx, leptos) over again and linked it whole — seventeen
//! times per run. CI has a time limit; one crate compiles and links it once. The tests
//! still run in parallel, and those that look at whole tables use a database of their
//! own (`common::fresh_databases`), so running them side by side changes nothing.
//!
//! `cargo test -p server --test all <module>` runs one subject.

mod common;

mod api_fuzz;
mod ask;
mod content;
mod coverage_db;
mod handover_db;
mod hardening;
mod household_api;
mod households_db;
mod manifest;
mod mentoring_db;
mod migration;
mod pages;
mod people_db;
mod people_pages;
mod precache;
mod records_db;
mod restore_drill;
mod scale_out;
mod sync_api;
mod sync_convergence;
mod sync_db;
mod team_db;

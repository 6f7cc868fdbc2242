//! Plain Rust rules of Học Số: what a lesson is, how a quiz is graded, how progress
//! grows. No browser, no database: everything here is unit-tested natively.

pub mod ask;
pub mod checklist;
pub mod code;
pub mod content;
pub mod cookies;
pub mod event;
pub mod lesson;
pub mod locale;
pub mod mentor;
pub mod person;
pub mod profile;
pub mod progress;
pub mod quiz;
pub mod review;
pub mod role;
pub mod speech;
pub mod time;
pub mod visit;

//! One file per route: what a person sees there.

pub mod family;
pub mod home;
pub mod lesson;
pub mod market;
pub mod me;
pub mod not_found;
pub mod offline;
pub mod track;

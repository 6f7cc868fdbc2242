//! One file per route: what a person sees there.

pub mod account;
pub mod areas;
pub mod ask;
pub mod coverage;
pub mod family;
pub mod home;
pub mod invitations;
pub mod invite;
pub mod lesson;
pub mod market;
pub mod me;
pub mod mentees;
pub mod not_found;
pub mod offline;
pub mod placement;
pub mod sign_in;
pub mod team;
pub mod track;

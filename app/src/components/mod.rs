//! Reusable pieces of the interface. Files named after islands hold the only code that
//! runs in the browser; everything else renders once, on the server.

pub mod ask_box;
pub mod checklist_ticks;
pub mod checklist_view;
pub mod continue_card;
pub mod dom;
pub mod frame;
pub mod household_panel;
pub mod icon;
pub mod lesson_list;
pub mod lesson_marks;
pub mod not_for_you;
pub mod notice;
pub mod placement_check;
pub mod profiles;
pub mod quiz;
pub mod read_aloud;
pub mod record_forms;
pub mod steps;

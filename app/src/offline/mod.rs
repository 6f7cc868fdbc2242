//! What the device keeps for itself: progress and checklist ticks, in the browser's
//! storage. On the server there is no device, so reads are empty and writes do nothing;
//! islands only call these from effects and event handlers, which run in the browser.

pub mod store;

//! What the device keeps for itself. Every action is an event in IndexedDB, shared with
//! the service worker that sends it; what a person sees is the fold of those events by
//! the domain rules. On the server there is no device: reads are empty, writes do
//! nothing (islands only call these from effects and handlers, which run in browsers).

#[cfg(feature = "hydrate")]
mod idb;
pub mod store;

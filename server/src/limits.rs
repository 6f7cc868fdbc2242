//! How often a client, and everyone together, may try the doors a stranger could guess
//! at: registering a phone and joining a household with a family code. Token buckets in
//! this process take the first blow of a flood without touching the database; failed
//! family codes are also counted in the database, so the limit on guessing holds across
//! every server behind a load balancer.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Door {
    Register,
    Join,
    /// Signing in, and using an invitation code.
    SignIn,
}

/// Per minute, with bursts up to the same number.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub register_per_client: u32,
    pub register_overall: u32,
    pub join_per_client: u32,
    pub join_overall: u32,
    /// Wrong family codes across all servers, per minute.
    pub failed_joins_overall: i64,
    pub sign_in_per_client: u32,
    pub sign_in_overall: u32,
}

impl Default for Policy {
    /// A village campaign registers a few dozen phones behind one address in minutes;
    /// typed codes are rarer, and wrong ones rarer still.
    fn default() -> Self {
        Policy {
            register_per_client: 30,
            register_overall: 1200,
            join_per_client: 10,
            join_overall: 600,
            // Codes have 50 bits and live an hour: even this many wrong ones a minute find
            // one of 10,000 live codes about once in 300 years; set lower, one client
            // with many addresses could lock every family out.
            failed_joins_overall: 1000,
            sign_in_per_client: 10,
            sign_in_overall: 600,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(per_minute: u32, now: Instant) -> Bucket {
        Bucket {
            tokens: per_minute as f64,
            at: now,
        }
    }

    /// Takes one token, or says how long until one is there.
    fn take(&mut self, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let rate = per_minute as f64 / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(per_minute as f64);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / rate.max(1e-9),
            ))
        }
    }
}

/// Clients forgotten once this many are remembered (their buckets would be full again
/// after a minute anyway).
const MAX_CLIENTS: usize = 100_000;

pub struct Limits {
    pub policy: Policy,
    clients: Mutex<Clients>,
    overall: Mutex<HashMap<Door, Bucket>>,
}

#[derive(Default)]
struct Clients {
    buckets: HashMap<(Door, IpAddr), Bucket>,
    swept: Option<Instant>,
}

/// The client a limit counts: an IPv4 address, or an IPv6 /64 (one subscriber's whole
/// network, which a single phone can hop around in).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

impl Limits {
    pub fn new(policy: Policy) -> Limits {
        Limits {
            policy,
            clients: Mutex::default(),
            overall: Mutex::default(),
        }
    }

    /// One try at `door` by `client`: allowed, or how long to wait.
    pub fn check(&self, door: Door, client: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let (per_client, overall) = match door {
            Door::Register => (
                self.policy.register_per_client,
                self.policy.register_overall,
            ),
            Door::Join => (self.policy.join_per_client, self.policy.join_overall),
            Door::SignIn => (self.policy.sign_in_per_client, self.policy.sign_in_overall),
        };
        // Everyone's bucket first: a flood from many addresses is refused before it can
        // fill the per-client table.
        self.overall
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(door)
            .or_insert_with(|| Bucket::full(overall, now))
            .take(overall, now)?;
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let key = (door, client_key(client));
        if !clients.buckets.contains_key(&key) && clients.buckets.len() >= MAX_CLIENTS {
            // Full: forget clients idle for a minute (their buckets are full again), at
            // most once a second; while it stays full, new clients wait.
            if clients
                .swept
                .is_none_or(|at| now.saturating_duration_since(at) >= Duration::from_secs(1))
            {
                clients.swept = Some(now);
                clients
                    .buckets
                    .retain(|_, b| now.saturating_duration_since(b.at) < Duration::from_secs(60));
            }
            if clients.buckets.len() >= MAX_CLIENTS {
                return Err(Duration::from_secs(5));
            }
        }
        clients
            .buckets
            .entry(key)
            .or_insert_with(|| Bucket::full(per_client, now))
            .take(per_client, now)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(Policy::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_burst_then_waits_and_others_still_pass() {
        let limits = Limits::new(Policy {
            join_per_client: 3,
            ..Policy::default()
        });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limits.check(Door::Join, a).is_ok());
        }
        let wait = limits.check(Door::Join, a).unwrap_err();
        assert!(
            wait > Duration::from_secs(10) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(limits.check(Door::Join, b).is_ok());
        assert!(
            limits.check(Door::Register, a).is_ok(),
            "doors are counted apart"
        );
    }

    #[test]
    fn everyone_together_is_limited_too() {
        let limits = Limits::new(Policy {
            register_overall: 2,
            ..Policy::default()
        });
        assert!(limits
            .check(Door::Register, "10.0.0.1".parse().unwrap())
            .is_ok());
        assert!(limits
            .check(Door::Register, "10.0.0.2".parse().unwrap())
            .is_ok());
        assert!(limits
            .check(Door::Register, "10.0.0.3".parse().unwrap())
            .is_err());
    }
}

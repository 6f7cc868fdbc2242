//! Start-up settings, from flags or environment, with defaults that run on a fresh
//! machine: SQLite under ./data, the release site under ./target/site.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "hocso",
    about = "Học Số: digital-literacy lessons that work offline"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HOCSO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Database: postgres://… for PostgreSQL; when absent, SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where the embedded SQLite database lives.
    #[arg(long, env = "HOCSO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The built site (wasm, CSS, icons, service worker) made by cargo-leptos.
    #[arg(long, env = "HOCSO_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Lessons, checklists and interface strings.
    #[arg(long, env = "HOCSO_CONTENT_DIR", default_value = "content")]
    pub content_dir: PathBuf,
    /// Log filter, e.g. "info" or "server=debug,sqlx=warn".
    #[arg(long, env = "HOCSO_LOG", default_value = "info")]
    pub log: String,
    /// Behind a proxy: the header carrying the client's address ("x-forwarded-for",
    /// "x-real-ip"), for the rate limits. Only set it when a proxy always sets it.
    #[arg(long, env = "HOCSO_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// The site is reached over HTTPS (a TLS proxy in front): cookies are Secure and
    /// browsers are told to use HTTPS only (HSTS).
    #[arg(long, env = "HOCSO_HTTPS", default_value_t = false)]
    pub https: bool,
    /// The address people reach the site at ("https://hocso.example.vn"): invitation links
    /// use it, and form posts must come from it. Without it, the request's Host header
    /// (a proxy must pass the public one on) and HOCSO_HTTPS say.
    #[arg(long, env = "HOCSO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Requests served at once; more get 503 until one finishes.
    #[arg(long, env = "HOCSO_MAX_REQUESTS", default_value_t = crate::state::MAX_REQUESTS)]
    pub max_requests: usize,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Serve the app (what the server does when no command is given).
    Serve,
    /// Delete the households none of whose phones has synced for this many days, with
    /// everything of them (docs/DEPLOY.md: retention). Run it daily.
    Retention {
        /// Days of silence after which a household's data is deleted.
        #[arg(long, env = "HOCSO_RETENTION_DAYS", default_value_t = 730)]
        silent_days: u32,
        /// Only say what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Province administrators' accounts, kept on the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Clone, Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator (the first one, who then invites officials in the app).
    /// The password is read from standard input, never from the command line.
    Create {
        /// Phone number or username to sign in with.
        #[arg(long)]
        login: String,
        /// The name shown to others.
        #[arg(long)]
        name: String,
    },
    /// Set a new password for an account nobody invited (an administrator made here).
    /// The password is read from standard input.
    Password {
        #[arg(long)]
        login: String,
    },
}

impl Config {
    /// The database to use: the given URL, else a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("hocso.db").display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_in_the_data_directory_by_default() {
        let config = Config::parse_from(["hocso", "--data-dir", "/tmp/x"]);
        assert_eq!(config.database_url(), "sqlite:///tmp/x/hocso.db?mode=rwc");
        assert_eq!(config.addr.port(), 3000);
        assert!(config.command.is_none());
    }

    #[test]
    fn the_first_administrator_is_made_on_the_command_line() {
        let config = Config::parse_from([
            "hocso",
            "admin",
            "create",
            "--login",
            "0912345678",
            "--name",
            "Chị Lan",
        ]);
        assert!(matches!(
            config.command,
            Some(Command::Admin {
                command: AdminCommand::Create { .. }
            })
        ));
    }

    #[test]
    fn retention_is_a_command_with_a_default_period() {
        let config = Config::parse_from(["hocso", "retention", "--dry-run"]);
        assert!(matches!(
            config.command,
            Some(Command::Retention {
                silent_days: 730,
                dry_run: true
            })
        ));
    }
}

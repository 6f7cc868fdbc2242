//! Start-up: read the configuration, load the content, open the database, then serve —
//! or run the command asked for (`retention`).

use clap::Parser;
use server::config::{AdminCommand, Command, Config};
use server::db::Db;
use server::state::AppState;

#[tokio::main]
async fn main() {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log))
        .init();
    let result = match config.command.clone() {
        None | Some(Command::Serve) => serve(config).await,
        Some(Command::Retention {
            silent_days,
            dry_run,
        }) => retention(config, silent_days, dry_run).await,
        Some(Command::Admin { command }) => admin(config, command).await,
    };
    if let Err(err) = result {
        tracing::error!("{err}");
        eprintln!("hocso: {err}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let content = server::content::load(&config.content_dir)?;
    let missing = server::routes::api::error::missing_messages(&content);
    if !missing.is_empty() {
        return Err(format!(
            "the content lacks the API's words:\n  {}",
            missing.join("\n  ")
        )
        .into());
    }
    tracing::info!(
        lessons = content.lessons.len(),
        languages = content.locales.len(),
        "content loaded from {}",
        config.content_dir.display()
    );
    // What the coverage reports count: checked now, so a broken rule stops the start
    // rather than a report.
    let coverage = server::coverage::rules::load(&config.content_dir, &content)?;
    let province = server::places::load(&config.content_dir)?;
    let db = Db::connect(&config.database_url()).await?;
    tracing::info!(engine = ?db.engine, "database ready");
    let seeded = server::db::areas::seed(&db, &province, server::db::now_ms()).await?;
    if seeded > 0 {
        tracing::info!(
            areas = seeded,
            "loaded {} and its communes into a new database",
            province.name
        );
    }
    let mut state = AppState::new(db, content, &config.site_root, config.addr);
    state.https = config.https;
    state.public_origin = config
        .public_url
        .as_deref()
        .filter(|u| !u.is_empty())
        .map(|u| u.trim_end_matches('/').to_string());
    state.requests = std::sync::Arc::new(tokio::sync::Semaphore::new(config.max_requests));
    state.client_ip_header = match config.client_ip_header.as_deref() {
        Some(name) if !name.is_empty() => Some(name.parse()?),
        _ => None,
    };
    // The coverage summaries follow the events in the background (db/coverage.rs): a
    // push pays nothing for them. Several servers may each run it: the work is the same.
    state.coverage = Some(std::sync::Arc::new(coverage.clone()));
    tokio::spawn(server::coverage::keep_up(state.db.clone(), coverage));
    let app = server::routes::router(state);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("Học Số listening on http://{}", config.addr);
    server::serve::serve(listener, app, server::serve::HEADER_READ_TIMEOUT, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

async fn retention(
    config: Config,
    silent_days: u32,
    dry_run: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(&config.database_url()).await?;
    let report = server::retention::run(&db, silent_days, dry_run, server::db::now_ms()).await?;
    println!(
        "{} {} household(s) silent for {silent_days} days{}",
        if dry_run { "would delete" } else { "deleted" },
        report.households,
        if dry_run {
            String::new()
        } else {
            format!(" ({} events, {} devices)", report.events, report.devices)
        }
    );
    Ok(())
}

async fn admin(config: Config, command: AdminCommand) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(&config.database_url()).await?;
    let province = server::places::load(&config.content_dir)?;
    server::db::areas::seed(&db, &province, server::db::now_ms()).await?;
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    match command {
        AdminCommand::Create { login, name } => {
            let account = server::db::accounts::create_admin(
                &db,
                &login,
                &name,
                password,
                server::db::now_ms(),
            )
            .await?;
            println!(
                "administrator {} ({}) created",
                account.display_name, account.login
            );
        }
        AdminCommand::Password { login } => {
            let account = server::db::accounts::by_login(&db, &login)
                .await?
                .filter(|a| a.invited_by.is_none())
                .ok_or(
                    "no account nobody invited signs in with that name; ask whoever invited it",
                )?;
            server::db::accounts::set_password(
                &db,
                &account.account_id,
                password,
                server::db::now_ms(),
            )
            .await?;
            println!(
                "new password set for {}; every session of it has ended",
                account.login
            );
        }
    }
    Ok(())
}

//! Start-up: read the configuration, load the content, open the database, serve.

use axum::serve::ListenerExt;
use clap::Parser;
use server::config::Config;
use server::db::Db;
use server::state::AppState;

#[tokio::main]
async fn main() {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log))
        .init();
    if let Err(err) = run(config).await {
        tracing::error!("{err}");
        eprintln!("hocso: {err}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let content = server::content::load(&config.content_dir)?;
    tracing::info!(
        lessons = content.lessons.len(),
        languages = content.locales.len(),
        "content loaded from {}",
        config.content_dir.display()
    );
    let db = Db::connect(&config.database_url()).await?;
    tracing::info!(engine = ?db.engine, "database ready");
    let state = AppState::new(db, content, &config.site_root, config.addr);
    let app = server::routes::router(state);
    // No Nagle delay: a file's headers and body leave as separate writes, and waiting
    // for the client's ACK between them cost every static file ~40 ms.
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!("Học Số listening on http://{}", config.addr);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

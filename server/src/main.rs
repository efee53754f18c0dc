//! `kairr-server`: run from the repository root with no arguments, it serves
//! the built front end and demo data on http://127.0.0.1:8080.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use clap::Parser;
use kairr_server::settings::Settings;
use kairr_server::startup::Application;

/// Command line.
#[derive(Debug, Parser)]
#[command(version, about = "KAIRR portal server")]
struct Cli {
    /// TOML settings file (default: ./kairr.toml when present).
    #[arg(long, env = "KAIRR_CONFIG")]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config)?;
    kairr_server::telemetry::init(settings.log_format);
    tracing::info!(?settings, "starting");
    let app = Application::build(settings).await?;
    tracing::info!("KAIRR portal on http://{} (demo data)", app.addr);
    app.run().await
}

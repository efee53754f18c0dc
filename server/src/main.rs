//! `kairr-server`: run from the repository root with no arguments, it serves
//! the built front end and demo data on http://127.0.0.1:8080.
//! `kairr-server create-admin --username NAME` creates the first admin.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kairr_server::settings::Settings;
use kairr_server::startup::Application;

/// Command line.
#[derive(Debug, Parser)]
#[command(version, about = "KAIRR portal server")]
struct Cli {
    /// TOML settings file (default: ./kairr.toml when present).
    #[arg(long, env = "KAIRR_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Create (or reset) an admin account. The password is read from
    /// `KAIRR_ADMIN_PASSWORD` or, when unset, from the first line of stdin.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "Administrator")]
        display_name: String,
        #[arg(long, default_value = "KAIRR")]
        organisation: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config)?;
    kairr_server::telemetry::init(settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(?settings, "starting");
            let app = Application::build(settings).await?;
            tracing::info!("KAIRR portal on http://{} (demo data)", app.addr);
            app.run().await
        }
        Command::CreateAdmin { username, display_name, organisation } => {
            let password = match std::env::var("KAIRR_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            kairr_server::startup::create_admin(&settings, &username, &display_name, &organisation, &password).await?;
            println!("admin account {username:?} is ready");
            Ok(())
        }
    }
}

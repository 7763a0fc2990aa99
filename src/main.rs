//! Server entry point: read the configuration, start logging, run the command. Everything
//! else lives in the library.

use tohu::server::config::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = match Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&cli.config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    tohu::server::cli::run(cli).await
}

//! Server entry point: read the configuration, start logging, run the command. Everything
//! else lives in the library.

use tohu::server::config::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = match Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    tohu::server::trace::init(&cli.config.log, cli.config.log_format);
    tohu::server::cli::run(cli).await
}

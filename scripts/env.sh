# Sourced by the scripts: tool paths for cargo-leptos with no_downloads.
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# Sourced by the scripts: tool paths for cargo-leptos with no_downloads.
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# The WASM names each dependency's source file in its panic locations, under this
# machine's cargo home (`/root/.cargo/registry/src/index.crates.io-…/leptos-0.8.23/…`),
# so the same code measured a few hundred bytes apart from one checkout to another
# (end2end/budget.json). Trimmed to the registry's own name, the build is the same
# everywhere, whether or not the registry has been downloaded yet.
REMAP="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src="
case " ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} " in
  *" $REMAP "*) ;;
  *) export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:+$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS }$REMAP" ;;
esac
unset REMAP

# Sourced by the scripts: tool paths for cargo-leptos with no_downloads.
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

# The WASM names each dependency's source file in its panic locations, under this
# machine's cargo home (`/root/.cargo/registry/src/index.crates.io-…/leptos-0.8.23/…`),
# so the same code measured a few hundred bytes apart from one checkout to another
# (end2end/budget.json). Trimmed to the crate's own path, the build is the same everywhere.
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [[ -d "$registry" ]] || continue
  case " ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} " in
    *" --remap-path-prefix=$registry= "*) ;;
    *) CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} --remap-path-prefix=$registry=" ;;
  esac
done
if [[ -n "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-}" ]]; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS# }"
fi

//! The WASM entry point. Pages are rendered on the server and work without JavaScript; the
//! browser runs only the islands (`#[island]` in the `app` crate): the profile menus, the
//! bell, the person's menu, the organisation wizard's memory and the procedure form. The
//! islands script calls `hydrate`, then each island's own entry point.
//!
//! Once the islands of the page are interactive, `<body>` gets `data-hydrated="true"`: tests
//! and styles can tell an interactive page from a server-rendered one. An island whose code
//! is a chunk of its own (marked `data-hydrates-later`) sets it itself once it runs.
use leptos::prelude::{document, set_timeout};
use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported by the `app` crate; linking it brings them into the WASM.
use app as _;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands script hydrates the page's islands right after this call, in the same
    // task: a zero-delay timer runs once they all are.
    set_timeout(
        || {
            let later = document()
                .query_selector("[data-hydrates-later]")
                .ok()
                .flatten()
                .is_some();
            if let (false, Some(body)) = (later, document().body()) {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}

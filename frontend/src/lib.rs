//! The WASM entry point: hydrates the server-rendered page.
//!
//! Pages are lazy routes (split into WASM chunks of their own), so hydration is asynchronous:
//! it waits for the chunk of the page shown. Once the whole page is interactive, `<body>`
//! gets `data-hydrated="true"`: tests and styles can tell a hydrated page from a
//! server-rendered one.
#![recursion_limit = "256"]
use leptos::prelude::document;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = document().body() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let mounted = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        mounted.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

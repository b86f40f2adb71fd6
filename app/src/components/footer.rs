use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="footer-inner">
                <nav aria-label=move || t_string!(i18n, site.footer_label)>
                    <ul class="footer-links">
                        <li>
                            <A href="/help">{t!(i18n, footer.help)}</A>
                        </li>
                        <li>
                            <A href="/terms">{t!(i18n, footer.terms)}</A>
                        </li>
                        <li>
                            <A href="/accessibility">{t!(i18n, footer.accessibility)}</A>
                        </li>
                    </ul>
                </nav>
                <p class="footer-tagline">{t!(i18n, site.tagline)}</p>
            </div>
        </footer>
    }
}

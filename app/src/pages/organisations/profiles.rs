//! `/profiles`: the person's profiles and memberships.
use super::helpers::kind_from;
use crate::api::organisations::my_organisations;
use crate::components::PageTitle;
use crate::domain::OrgKind;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/profiles/{kind}`: what the banner's icon lists, as a page (without JavaScript the icon
/// leads here).
#[component]
pub fn ProfilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let kind = Memo::new(move |_| kind_from(&params.read().get("kind").unwrap_or_default()));
    let profiles = Resource::new(|| (), |_| my_organisations());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, banner.profiles_label) />
        <div class="content">
            <h1>
                {move || match kind.get() {
                    OrgKind::Association => t_string!(i18n, banner.profiles_title_association),
                    OrgKind::Entreprise => t_string!(i18n, banner.profiles_title_entreprise),
                }}
            </h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let kind = kind.get();
                    let list: Vec<_> = profiles
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|org| org.kind == kind)
                        .collect();
                    view! {
                        {list.is_empty().then(|| view! {
                            <p>
                                {match kind {
                                    OrgKind::Association => t_string!(i18n, banner.none_association),
                                    OrgKind::Entreprise => t_string!(i18n, banner.none_entreprise),
                                }}
                            </p>
                        })}
                        <ul class="card-list">
                            {list
                                .into_iter()
                                .map(|org| view! {
                                    <li class="card">
                                        <p class="card-title">{org.name}</p>
                                        <p>{t!(i18n, wizard.bce)} " " {org.bce}</p>
                                        // A whole-page post: every page then acts for this profile.
                                        <form method="post" action="/api/switch_profile">
                                            <input type="hidden" name="organisation" value=org.id.to_string() />
                                            <button type="submit" class="button button-primary">
                                                {t!(i18n, banner.choose)}
                                            </button>
                                        </form>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                        <p>
                            <a class="button button-secondary" href=format!("/organisations/new?kind={}", kind.code())>
                                {match kind {
                                    OrgKind::Association => t_string!(i18n, banner.create_association),
                                    OrgKind::Entreprise => t_string!(i18n, banner.create_entreprise),
                                }}
                            </a>
                        </p>
                    }
                })}
            </Suspense>
        </div>
    }
}

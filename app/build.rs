//! Generates the `i18n` module from `locales/*.json` (leptos_i18n) and fails the build when
//! the three locale files do not hold exactly the same keys.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::collections::BTreeSet;
use std::error::Error;
use std::path::{Path, PathBuf};

const DEFAULT_LOCALE: &str = "fr";
const OTHER_LOCALES: [&str; 2] = ["nl", "en"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let locales_dir = manifest_dir.join("locales");

    check_same_keys(&locales_dir)?;

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    // `interpolate_display`: strings with values (e-mails) can be rendered to text.
    let mut cfg =
        Config::new(DEFAULT_LOCALE)?.parse_options(ParseOptions::new().interpolate_display(true));
    for locale in OTHER_LOCALES {
        cfg = cfg.add_locale(locale)?;
    }
    let translations = TranslationsInfos::parse_at_dir(&manifest_dir, cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}

/// Every key of every locale file must exist in every other one: a missing translation is a
/// build error, not a silent fallback to French.
fn check_same_keys(dir: &Path) -> Result<(), Box<dyn Error>> {
    let keys_of = |locale: &str| -> Result<BTreeSet<String>, Box<dyn Error>> {
        let path = dir.join(format!("{locale}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
        let mut keys = BTreeSet::new();
        collect_keys(&value, String::new(), &mut keys);
        Ok(keys)
    };
    let reference = keys_of(DEFAULT_LOCALE)?;
    let mut problems = Vec::new();
    for locale in OTHER_LOCALES {
        let keys = keys_of(locale)?;
        for missing in reference.difference(&keys) {
            problems.push(format!("locales/{locale}.json lacks the key `{missing}`"));
        }
        for extra in keys.difference(&reference) {
            problems.push(format!(
                "locales/{locale}.json has the key `{extra}` that locales/{DEFAULT_LOCALE}.json lacks"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        for problem in &problems {
            println!("cargo::error={problem}");
        }
        Err(format!("{} translation key problem(s)", problems.len()).into())
    }
}

fn collect_keys(value: &serde_json::Value, prefix: String, keys: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect_keys(child, path, keys);
            }
        }
        _ => {
            keys.insert(prefix);
        }
    }
}

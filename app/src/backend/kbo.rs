//! The company register's open data (KBO/BCE): what the wizard knows of a number before
//! anyone registered it.
use super::Db;
use crate::domain::{BceNumber, OrgKind};
use crate::error::AppError;

/// What the register says of an enterprise number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownEnterprise {
    pub name: String,
    /// From the legal form: an ASBL/VZW, AISBL or foundation is an association.
    pub kind: Option<OrgKind>,
}

/// Legal forms (codes of the KBO's `JuridicalForm`) that the espace calls associations:
/// ASBL/VZW (017), AISBL/IVZW (018), foundations (026, 029), and the older 016.
const ASSOCIATION_FORMS: [&str; 5] = ["016", "017", "018", "026", "029"];

pub fn kind_of_form(juridical_form: Option<&str>) -> Option<OrgKind> {
    let form = juridical_form?.trim();
    if form.is_empty() {
        return None;
    }
    Some(if ASSOCIATION_FORMS.contains(&form) {
        OrgKind::Association
    } else {
        OrgKind::Entreprise
    })
}

pub async fn lookup(db: &Db, number: &BceNumber) -> Result<Option<KnownEnterprise>, AppError> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, juridical_form FROM kbo_enterprise WHERE bce = $1")
            .bind(number.digits())
            .fetch_optional(db)
            .await?;
    let Some((name, form)) = row else {
        return Ok(None);
    };
    Ok(name
        .filter(|n| !n.trim().is_empty())
        .map(|name| KnownEnterprise {
            name,
            kind: kind_of_form(form.as_deref()),
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_say_association_or_entreprise() {
        assert_eq!(kind_of_form(Some("017")), Some(OrgKind::Association));
        assert_eq!(kind_of_form(Some("014")), Some(OrgKind::Entreprise));
        assert_eq!(kind_of_form(Some("")), None);
        assert_eq!(kind_of_form(None), None);
    }
}

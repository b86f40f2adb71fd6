//! Numbers as people read them.
use crate::domain::Lang;

/// A file's size as people read it, in their language: `12 Ko`, `1,5 Mo` in French,
/// `1,5 MB` in Dutch, `1.5 MB` in English.
pub fn size_text(bytes: i64, lang: Lang) -> String {
    let (kilo, mega, comma) = match lang {
        Lang::Fr => ("Ko", "Mo", true),
        Lang::Nl => ("KB", "MB", true),
        Lang::En => ("KB", "MB", false),
    };
    if bytes >= 1024 * 1024 {
        let number = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let number = if comma {
            number.replace('.', ",")
        } else {
            number
        };
        format!("{number} {mega}")
    } else {
        format!("{} {kilo}", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_persons_language() {
        assert_eq!(size_text(12 * 1024, Lang::Fr), "12 Ko");
        assert_eq!(size_text(1, Lang::Nl), "1 KB");
        assert_eq!(size_text(3 * 1024 * 1024 / 2, Lang::Fr), "1,5 Mo");
        assert_eq!(size_text(3 * 1024 * 1024 / 2, Lang::Nl), "1,5 MB");
        assert_eq!(size_text(3 * 1024 * 1024 / 2, Lang::En), "1.5 MB");
    }
}

//! The small value types of people and companies, each parsed from user input
//! with a field-specific error.

use serde::{Deserialize, Serialize};

use crate::error::{IdentityError, Result};

/// The languages Hanse speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    pub fn parse(text: &str) -> Option<Language> {
        match text {
            "zh-CN" => Some(Language::ZhCn),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// An IANA time zone name such as `Asia/Shanghai`, checked against the tz database.
pub fn parse_time_zone(text: &str) -> Result<String> {
    let name = text.trim();
    if name.len() <= 64 && jiff::tz::TimeZone::get(name).is_ok() {
        Ok(name.to_owned())
    } else {
        Err(IdentityError::invalid(
            "time_zone",
            "unknown_time_zone",
            "use a time zone name such as Asia/Shanghai",
        ))
    }
}

/// Trims and checks a required free-text field's length in characters.
pub fn required_text(field: &'static str, text: &str, max_chars: usize) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(IdentityError::invalid(
            field,
            "required",
            "this field is required",
        ));
    }
    if trimmed.chars().count() > max_chars {
        return Err(IdentityError::invalid(
            field,
            "too_long",
            format!("at most {max_chars} characters"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err(IdentityError::invalid(
            field,
            "control_characters",
            "remove control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Like [`required_text`], but empty means absent.
pub fn optional_text(
    field: &'static str,
    text: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(field, text, max_chars).map(Some),
    }
}

/// A mobile number in international form: `+`, country code and digits; spaces
/// and dashes that people type are removed.
pub fn parse_mobile(text: &str) -> Result<String> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or("");
    if (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
    {
        Ok(compact)
    } else {
        Err(IdentityError::invalid(
            "mobile",
            "invalid_mobile",
            "use the international form, e.g. +86 138 0013 8000",
        ))
    }
}

/// An ISO 3166-1 alpha-2 country code, e.g. `CN`, `DE`.
pub fn parse_country(text: &str) -> Result<String> {
    let code = text.trim().to_ascii_uppercase();
    if COUNTRIES.contains(&code.as_str()) {
        Ok(code)
    } else {
        Err(IdentityError::invalid(
            "country",
            "unknown_country",
            "use a two-letter ISO country code such as CN or DE",
        ))
    }
}

/// ISO 3166-1 alpha-2 codes of the countries members come from.
const COUNTRIES: &[&str] = &[
    "AE", "AR", "AT", "AU", "BD", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EG",
    "ES", "FI", "FR", "GB", "GR", "HK", "HU", "ID", "IE", "IL", "IN", "IT", "JP", "KE", "KH", "KR",
    "KZ", "LK", "MA", "MO", "MX", "MY", "NG", "NL", "NO", "NZ", "PE", "PH", "PK", "PL", "PT", "RO",
    "RU", "SA", "SE", "SG", "TH", "TR", "TW", "UA", "US", "UZ", "VN", "ZA",
];

macro_rules! text_enum {
    ($(#[doc = $doc:literal])* $name:ident, $field:literal, $error:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        // Written by hand: utoipa's derive does not see a `serde(rename)` made by
        // this macro and would document the variant names instead of the texts.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!($($doc),*).trim()))
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Result<$name> {
                match text.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(IdentityError::invalid($field, $error, concat!("one of: ", $($text, " "),+))),
                }
            }
        }
    };
}

text_enum!(
    /// Head count bands, as banks and trade fairs ask for them.
    CompanySize, "size", "unknown_size" {
        Micro = "1-9",
        Small = "10-49",
        Medium = "50-249",
        Large = "250-999",
        Enterprise = "1000+",
    }
);

text_enum!(
    /// The industry a company mainly works in.
    Industry, "industry", "unknown_industry" {
        ConsumerElectronics = "consumer_electronics",
        TextilesApparel = "textiles_apparel",
        SmallCommodities = "small_commodities",
        Machinery = "machinery",
        Packaging = "packaging",
        HomeGarden = "home_garden",
        Chemicals = "chemicals",
        FoodAgriculture = "food_agriculture",
        AutoParts = "auto_parts",
        BuildingMaterials = "building_materials",
        Furniture = "furniture",
        Logistics = "logistics",
        Wholesale = "wholesale_import_export",
        Other = "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers() {
        assert_eq!(parse_mobile("+86 138-0013-8000").unwrap(), "+8613800138000");
        assert!(
            parse_mobile("13800138000").is_err(),
            "needs the country code"
        );
        assert!(parse_mobile("+86 abc").is_err());
    }

    #[test]
    fn time_zones_come_from_the_tz_database() {
        assert!(parse_time_zone("Asia/Shanghai").is_ok());
        assert!(parse_time_zone("Europe/Berlin").is_ok());
        assert!(parse_time_zone("Europe/Hamburg").is_err());
    }

    #[test]
    fn enums_round_trip() {
        for size in CompanySize::ALL {
            assert_eq!(CompanySize::parse(size.as_str()).unwrap(), *size);
        }
        assert!(Industry::parse("astrology").is_err());
    }
}

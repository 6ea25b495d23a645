//! Translations: Fluent message catalogs in zh-CN and en, chosen by the person's
//! setting, else a `hanse_lang` cookie, else `Accept-Language`.

use std::collections::HashMap;

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use identity::Language;
use unic_langid::LanguageIdentifier;

/// The cookie a visitor's language choice is kept in before signing in.
pub const LANGUAGE_COOKIE: &str = "hanse_lang";

const CATALOGS: &[(Language, &str)] = &[
    (Language::En, include_str!("../locales/en/main.ftl")),
    (Language::ZhCn, include_str!("../locales/zh-CN/main.ftl")),
];

/// All catalogs, parsed once at start-up.
pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl Default for I18n {
    fn default() -> Self {
        let bundles = CATALOGS
            .iter()
            .map(|(language, source)| {
                let id: LanguageIdentifier = language.as_str().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks around placeables confuse plain-text mail and tests.
                bundle.set_use_isolating(false);
                let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(
                    |(resource, errors)| {
                        tracing::error!(
                            language = language.as_str(),
                            ?errors,
                            "translation catalog has errors"
                        );
                        resource
                    },
                );
                if let Err(errors) = bundle.add_resource(resource) {
                    tracing::error!(
                        language = language.as_str(),
                        ?errors,
                        "duplicate translation keys"
                    );
                }
                (language.as_str(), bundle)
            })
            .collect();
        I18n { bundles }
    }
}

impl I18n {
    /// The message `key` in `language`, with arguments; the key itself when
    /// missing, so a gap shows on the page rather than an empty space.
    pub fn message(&self, language: Language, key: &str, args: &[(&str, &str)]) -> String {
        let Some(bundle) = self.bundles.get(language.as_str()) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        let mut errors = vec![];
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// Keys present in one catalog but missing in another.
    pub fn missing_keys(&self) -> Vec<String> {
        let keys = |source: &str| -> Vec<String> {
            source
                .lines()
                .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_owned()))
                .filter(|key| !key.is_empty() && !key.starts_with('#') && !key.starts_with(' '))
                .collect()
        };
        let (english, chinese) = (keys(CATALOGS[0].1), keys(CATALOGS[1].1));
        let mut missing: Vec<String> = english
            .iter()
            .filter(|k| !chinese.contains(k))
            .cloned()
            .collect();
        missing.extend(chinese.iter().filter(|k| !english.contains(k)).cloned());
        missing
    }
}

/// The language for a request: the signed-in person's, else the cookie's, else
/// the best match of `Accept-Language`, else English.
pub fn negotiate(headers: &HeaderMap, person: Option<Language>) -> Language {
    if let Some(language) = person {
        return language;
    }
    let jar = CookieJar::from_headers(headers);
    if let Some(language) = jar
        .get(LANGUAGE_COOKIE)
        .and_then(|c| Language::parse(c.value()))
    {
        return language;
    }
    let accepted = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let requested = fluent_langneg::accepted_languages::parse(accepted);
    let available: Vec<LanguageIdentifier> = CATALOGS
        .iter()
        .filter_map(|(language, _)| language.as_str().parse().ok())
        .collect();
    let default: LanguageIdentifier = "en".parse().unwrap_or_default();
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    match chosen.first().map(|id| id.language.as_str()) {
        Some("zh") => Language::ZhCn,
        _ => Language::En,
    }
}

//! `site.yaml`: who the clinic is, which theme to use, and the clinic's
//! legal and clinical wording. Disclaimer texts live here once, so that no
//! article carries its own copy that could drift.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// The public address, used for canonical links, the sitemap and the feed.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    pub description: Option<String>,
    pub clinic: Clinic,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Topic id to the name patients see, e.g. `ptsd: PTSD`.
    #[serde(default)]
    pub topics: BTreeMap<String, String>,
    #[serde(default)]
    pub disclaimers: BTreeMap<String, Disclaimer>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clinic {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Shown on every page when the clinic is not a real one.
    pub notice: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disclaimer {
    pub title: String,
    /// Markdown.
    pub text: String,
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_theme() -> String {
    "clinic".to_owned()
}

impl SiteConfig {
    /// `base_url` with exactly one trailing slash, so paths can be appended.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

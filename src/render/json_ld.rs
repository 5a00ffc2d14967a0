//! Schema.org structured data, so search engines and assistive tools can
//! tell a reviewed medical page from any other: `MedicalWebPage` for each
//! article, `MedicalClinic` for the clinic on the home page. Built with serde
//! rather than in a template, so every value is escaped correctly.

use serde_json::{Value, json};

use crate::load::{Page, Site};
use crate::render::context::permalink;
use crate::render::markdown::Numbering;

/// Schema.org data of an article for search engines: a MedicalWebPage with its reviewer, dates and citations.
pub fn article(site: &Site<'_>, page: &Page<'_>, numbering: &Numbering<'_>) -> String {
    let front = &page.front;
    let review = front.review.as_ref();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": front.title,
        "url": permalink(site, &page.output_path),
        "inLanguage": site.config.language,
        "medicalAudience": { "@type": "MedicalAudience", "audienceType": "Patient" },
        "publisher": clinic(site),
    });
    let fields = data.as_object_mut().expect("built as an object");
    if let Some(summary) = &front.summary {
        fields.insert("description".into(), json!(summary));
    }
    if let Some(reviewed_on) = review.and_then(|r| r.reviewed_on) {
        fields.insert("lastReviewed".into(), json!(reviewed_on.iso()));
    }
    if let Some(reviewer) = review.and_then(|r| r.reviewed_by.as_deref()) {
        fields.insert(
            "reviewedBy".into(),
            json!({ "@type": "Person", "name": reviewer }),
        );
    }
    let about: Vec<Value> = front
        .topics
        .iter()
        .filter_map(|id| site.config.topics.get(id))
        .map(|name| json!({ "@type": "Thing", "name": name }))
        .collect();
    if !about.is_empty() {
        fields.insert("about".into(), Value::Array(about));
    }
    let citations: Vec<Value> = numbering
        .ordered
        .iter()
        .map(|reference| {
            let mut work = json!({ "@type": "CreativeWork" });
            let work_fields = work.as_object_mut().expect("built as an object");
            if let Some(title) = &reference.title {
                work_fields.insert("name".into(), json!(title));
            }
            if !reference.authors.is_empty() {
                work_fields.insert("author".into(), json!(reference.authors.join(", ")));
            }
            if let Some(source) = &reference.source {
                work_fields.insert("isPartOf".into(), json!(source));
            }
            if let Some(year) = reference.year {
                work_fields.insert("datePublished".into(), json!(year.to_string()));
            }
            let address = reference
                .doi
                .as_ref()
                .map(|doi| format!("https://doi.org/{doi}"))
                .or_else(|| reference.url.clone())
                .or_else(|| {
                    reference
                        .pmid
                        .as_ref()
                        .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"))
                });
            if let Some(address) = address {
                work_fields.insert("url".into(), json!(address));
            }
            work
        })
        .collect();
    if !citations.is_empty() {
        fields.insert("citation".into(), Value::Array(citations));
    }
    for_script(&data)
}

/// Schema.org data of the home page: the clinic as a MedicalClinic with its address.
pub fn home(site: &Site<'_>) -> String {
    let mut data = clinic(site);
    let fields = data.as_object_mut().expect("built as an object");
    fields.insert("@context".into(), json!("https://schema.org"));
    fields.insert("url".into(), json!(site.config.base_url()));
    for_script(&data)
}

fn clinic(site: &Site<'_>) -> Value {
    let clinic = &site.config.clinic;
    let mut data = json!({ "@type": "MedicalClinic", "name": clinic.name });
    let fields = data.as_object_mut().expect("built as an object");
    if let Some(address) = &clinic.address {
        fields.insert("address".into(), json!(address));
    }
    if let Some(phone) = &clinic.phone {
        fields.insert("telephone".into(), json!(phone));
    }
    data
}

/// JSON that can sit inside `<script>`: no `</script>` or `<!--` can close
/// or confuse the element, whatever the content says.
fn for_script(data: &Value) -> String {
    serde_json::to_string(data)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

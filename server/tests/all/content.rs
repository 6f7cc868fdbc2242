//! The content in `content/` is fit to publish: every language complete, every quiz
//! answerable, every link resolving.

use std::path::Path;

fn content_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

#[test]
fn the_shipped_content_has_no_problems() {
    let content = server::content::load_unchecked(&content_dir()).expect("content parses");
    let problems = content.problems();
    assert!(
        problems.is_empty(),
        "content problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_curriculum_covers_every_track_and_the_planned_topics() {
    let content = server::content::load(&content_dir()).expect("content loads");
    assert!(
        content.lessons.len() >= 40,
        "only {} lessons; the curriculum promises 40",
        content.lessons.len()
    );
    for track in &content.tracks {
        let n = content.lessons_in(&track.id).count();
        assert!(n >= 5, "{} has only {n} lessons", track.id);
    }
    // The topics the provincial plan asks for, each by the lesson that teaches it.
    for id in [
        "smartphone-basics",
        "wifi-mobile-data",
        "zalo-safety",
        "scam-calls",
        "fake-sms-sites",
        "passwords-otp",
        "two-step-verification",
        "vneid-install",
        "vneid-level2",
        "vneid-documents",
        "health-book",
        "public-service-portal",
        "vietqr-payment",
        "digital-bank-savings",
        "sell-online",
        "health-appointment",
        "ai-assistant-safely",
        "privacy-rights",
        "guide-family",
    ] {
        assert!(content.lesson(id).is_some(), "no lesson {id}");
    }
    for lesson in &content.lessons {
        assert!(lesson.text.contains_key("vi") && lesson.text.contains_key("en"));
    }
}

#[test]
fn a_broken_quiz_answer_is_caught_before_publishing() {
    let mut content = server::content::load(&content_dir()).expect("content loads");
    content.lessons[0].answers[0] = 9;
    let problems = content.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("answer 9 is not an option")),
        "{problems:?}"
    );
}

#[test]
fn a_missing_translation_is_caught_before_publishing() {
    let mut content = server::content::load(&content_dir()).expect("content loads");
    content.lessons[1].text.remove("en");
    content.ui.get_mut("en").unwrap().remove("home.title");
    let problems = content.problems();
    assert!(
        problems.iter().any(|p| p.contains("no en text")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("`home.title`")),
        "{problems:?}"
    );
}

#[test]
fn a_checklist_link_to_a_missing_lesson_is_caught() {
    let mut content = server::content::load(&content_dir()).expect("content loads");
    content.checklists[0].items[0].lesson = "no-such-lesson".into();
    let problems = content.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no-such-lesson does not exist")),
        "{problems:?}"
    );
}

#[test]
fn every_illustration_exists_and_stays_small() {
    let content = server::content::load(&content_dir()).expect("content loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/img/lessons");
    let mut total = 0;
    for lesson in &content.lessons {
        let Some(file) = &lesson.image else { continue };
        let svg = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("lesson {}: image {file}: {e}", lesson.id));
        // A picture a phone pays for on pre-paid data: a few hundred bytes of line
        // drawing, never a script.
        assert!(svg.len() <= 4096, "{file} is {} bytes", svg.len());
        assert!(!svg.contains("<script"), "{file} holds a script");
        total += svg.len();
    }
    assert!(total > 0, "no lesson has an illustration");
}

#[test]
fn the_content_has_every_sentence_the_api_shows_and_one_consent_version() {
    let content = server::content::load(&content_dir()).expect("content loads");
    assert_eq!(
        server::routes::api::error::missing_messages(&content),
        Vec::<String>::new()
    );
    let mut edited = content.clone();
    edited
        .ui
        .get_mut("en")
        .unwrap()
        .insert("consent.version".into(), "1999-01-01".into());
    assert!(
        edited
            .problems()
            .iter()
            .any(|p| p.contains("consent.version")),
        "a translation with another consent version is caught"
    );
}

/// The protocol's kinds are one list in code; the document a phone maker reads names
/// every one of them, and the stylesheet has a colour for every name in the palette.
#[test]
fn the_documents_and_the_stylesheet_follow_the_lists_in_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let sync = std::fs::read_to_string(root.join("docs/SYNC.md")).unwrap();
    for kind in app::domain::event::Kind::ALL {
        assert!(
            sync.contains(&format!("`{}`", kind.as_str())),
            "docs/SYNC.md lacks {}",
            kind.as_str()
        );
    }
    for reason in app::domain::event::Reason::ALL {
        assert!(
            sync.contains(&format!("`{}`", reason.code())),
            "docs/SYNC.md lacks {}",
            reason.code()
        );
    }
    for refusal in server::routes::api::error::Refusal::ALL {
        assert!(
            sync.contains(refusal.code()),
            "docs/SYNC.md lacks the refusal {}",
            refusal.code()
        );
    }
    let css = std::fs::read_to_string(root.join("style/main.css")).unwrap();
    for (name, hex) in app::domain::profile::PALETTE {
        assert!(
            css.contains(&format!(
                ".avatar[data-color=\"{name}\"] {{ background: {hex}; }}"
            )),
            "style/main.css lacks the colour {name}"
        );
    }
}

#[test]
fn the_coverage_rules_name_real_lessons_and_items_and_the_plans_targets() {
    let content = server::content::load(&content_dir()).expect("content loads");
    let rules = server::coverage::rules::load(&content_dir(), &content).expect("rules load");
    assert_eq!(
        rules.basic_skills_lessons.len(),
        content.lessons_in("core").count(),
        "basic skills: the whole common core"
    );
    assert!(rules.family_items.len() >= 5 && rules.trader_items.len() >= 5);
    for lang in content.locale_codes() {
        let t = &rules.texts[lang];
        assert!(
            !t.basic_skills.is_empty() && !t.identity.is_empty(),
            "{lang}"
        );
    }
    // The plan's province targets (section III): loaded by default.
    let target = |measure: &str, year: i32| {
        rules
            .targets
            .iter()
            .find(|t| t.measure == measure && t.year == year)
            .unwrap_or_else(|| panic!("no target {measure} {year}"))
            .clone()
    };
    assert_eq!(target("adults_basic_skills", 2025).percent, Some(80));
    assert_eq!(target("identity_confirmed", 2025).count, Some(170_000));
    assert_eq!(target("identity_confirmed", 2026).count, Some(250_000));
    assert_eq!(target("workers_basic_skills", 2026).percent, Some(100));
}

/// A missed review sends the person back to the step that answers the question: for
/// questions whose step a reader can tell, the ranking finds it in both languages.
#[test]
fn a_missed_review_leads_to_the_step_that_answers_it() {
    let content = server::content::load_unchecked(&content_dir()).expect("content parses");
    let step = |id: &str, lang: &str, q: usize| {
        app::domain::review::answering_steps(content.lesson(id).unwrap(), lang)[q]
    };
    for lang in ["vi", "en"] {
        // Open an app: tap once (step 2); the battery: the status bar (5); home: the
        // round button (4).
        assert_eq!(step("smartphone-basics", lang, 0), 2, "{lang}");
        assert_eq!(step("smartphone-basics", lang, 1), 5, "{lang}");
        assert_eq!(step("smartphone-basics", lang, 2), 4, "{lang}");
        // An OTP asked for (3); two-step verification (4).
        assert_eq!(step("passwords-otp", lang, 1), 3, "{lang}");
        assert_eq!(step("passwords-otp", lang, 2), 4, "{lang}");
    }
}

//! The household's part of the Tôi page: what leaves the phone and why (the consent,
//! versioned), the family code and joining, the family's phones with a way to remove
//! one, export, and deletion. Rendered here in the reader's language; `public/household.js`
//! (loaded by this page only) wakes it, because everything here talks to the server
//! through the service worker, which holds the phone's credentials.

use crate::ui::use_ui;
use leptos::prelude::*;

/// The points of the consent text, in order (content/ui: `consent.<key>`).
const CONSENT_POINTS: [&str; 4] = ["what", "why", "keep", "rights"];

#[component]
pub fn HouseholdPanel() -> impl IntoView {
    let ui = use_ui();
    let t = |key: &str| ui.t(key);
    let version = ui.content.consent_version().to_string();
    let points = CONSENT_POINTS
        .iter()
        .map(|key| view! { <li>{ui.t(&format!("consent.{key}"))}</li> })
        .collect_view();
    view! {
        <section class="card household" id="household" aria-labelledby="household-h"
            data-need-network=t("me.need_network") data-failed=t("me.failed") data-done=t("me.done")>
            <h2 id="household-h">{t("me.household")}</h2>
            <p>{t("me.household_intro")}</p>
            <div id="household-alert" class="alert" role="alert" hidden
                data-removed=t("me.alert_removed") data-deleted=t("me.alert_deleted")
                data-unrecognised=t("me.alert_unrecognised") data-refused=t("me.alert_refused")>
                <p class="alert-text"></p>
                <button type="button" data-act="restart" hidden>{t("me.restart")}</button>
                <button type="button" data-act="seen" hidden>{t("me.seen")}</button>
            </div>

            <div id="consent" data-version=version.clone()>
                <h3>{t("consent.title")}</h3>
                <ul class="consent-points">{points}</ul>
                <p class="meta">{t("consent.version_line").replace("{version}", &version)}</p>
                <form id="consent-form" hidden>
                    <label for="device-label">{t("consent.label")}</label>
                    <input id="device-label" name="label" maxlength="40" autocomplete="off"/>
                    <div class="buttons">
                        <button type="submit" class="primary">{t("consent.accept")}</button>
                        <button type="button" data-act="decline">{t("consent.decline")}</button>
                    </div>
                </form>
                <p id="consent-given" hidden data-template=t("consent.given")></p>
                <p id="consent-declined" hidden>{t("consent.declined")}</p>
                <button type="button" data-act="withdraw" hidden>{t("consent.withdraw")}</button>
            </div>

            <div id="household-tools" hidden>
                <h3>{t("me.code_title")}</h3>
                <p id="household-code" data-template=t("me.household_code") hidden></p>
                <button type="button" data-act="code">{t("me.code_button")}</button>
                <form id="join-form">
                    <label for="join-code">{t("me.join_label")}</label>
                    <input id="join-code" name="code" autocomplete="off" autocapitalize="characters" maxlength="14" required/>
                    <button type="submit">{t("me.join_button")}</button>
                </form>

                <h3>{t("me.devices")}</h3>
                <button type="button" data-act="devices">{t("me.devices_show")}</button>
                <p id="devices-state" role="status" data-loading=t("me.loading")
                    data-empty=t("me.devices_empty")></p>
                <ul id="devices" class="devices" data-this=t("me.device_this")
                    data-unnamed=t("me.device_unnamed") data-seen=t("me.device_seen")
                    data-remove=t("me.device_remove")></ul>
                <div id="remove-confirm" class="confirm" hidden>
                    <p data-template=t("me.remove_confirm")></p>
                    <div class="buttons">
                        <button type="button" class="danger" data-act="remove-yes">{t("me.remove_yes")}</button>
                        <button type="button" data-act="remove-no">{t("me.cancel")}</button>
                    </div>
                </div>

            </div>

            <About/>
            <Pairing/>

            // What the server holds can be read and deleted even after consent is
            // withdrawn: shown whenever this phone is registered.
            <div id="household-data" hidden>
                <h3>{t("me.export_title")}</h3>
                <p>{t("me.export_intro")}</p>
                <div class="buttons">
                    <button type="button" data-act="export-json">{t("me.export_json")}</button>
                    <button type="button" data-act="export-csv">{t("me.export_csv")}</button>
                </div>

                <h3>{t("me.delete_title")}</h3>
                <p>{t("me.delete_intro")}</p>
                <button type="button" data-act="delete">{t("me.delete_button")}</button>
                <form id="delete-confirm" class="confirm" hidden>
                    <fieldset>
                        <legend>{t("me.delete_choice")}</legend>
                        <label class="option">
                            <input type="radio" name="erase" value="keep" checked/>
                            <span>{t("me.delete_keep")}</span>
                        </label>
                        <label class="option">
                            <input type="radio" name="erase" value="erase"/>
                            <span>{t("me.delete_erase")}</span>
                        </label>
                    </fieldset>
                    <p>{t("me.delete_warning")}</p>
                    <div class="buttons">
                        <button type="submit" class="danger">{t("me.delete_yes")}</button>
                        <button type="button" data-act="delete-no">{t("me.cancel")}</button>
                    </div>
                </form>
            </div>
            <p id="household-message" role="status" hidden></p>
            <p id="storage-usage" data-template=t("me.storage")></p>
        </section>
        <script src="/household.js" defer></script>
    }
}

/// What a volunteer will see, in order (content/ui: `pairing.sees.<key>`).
const PAIRING_SEES: [&str; 4] = ["names", "details", "lessons", "checklists"];

/// The household's volunteers: those it agreed to (with a way to end each, after a
/// confirmation), agreements waiting for a connection, and the form to agree to a
/// volunteer's pairing code after reading what the volunteer will see. Shown whatever
/// the consent to send, so a household that opened a volunteer's QR code reads it all;
/// agreeing needs that consent first (said when it is missing).
#[component]
fn Pairing() -> impl IntoView {
    let ui = use_ui();
    let t = |key: &str| ui.t(key);
    let version = ui.t("pairing.version");
    let sees = PAIRING_SEES
        .iter()
        .map(|key| view! { <li>{ui.t(&format!("pairing.sees.{key}"))}</li> })
        .collect_view();
    view! {
        <div id="pairing" data-version=version.clone() data-pending=t("pairing.pending")
            data-handoff=t("pairing.handoff") data-left=t("pairing.left") data-offer=t("pairing.offer")
            data-offer-yes=t("pairing.offer_yes") data-offer-no=t("pairing.offer_no")
            data-mentor=t("pairing.mentor") data-none=t("pairing.none") data-end=t("pairing.end")
            data-need-consent=t("pairing.need_consent") data-bad-code=t("pairing.bad_code")
            data-scan-failed=t("pairing.scan_failed") data-scan-stop=t("pairing.scan_stop")>
            <h3>{t("pairing.title")}</h3>
            <p>{t("pairing.intro")}</p>
            // Says "loading" until the worker answers, then who (or "nobody yet"): the
            // line is there from the start, so the page below it does not move.
            <p id="mentors-state" role="status">{t("me.loading")}</p>
            <ul id="mentors" class="devices"></ul>
            <div id="end-confirm" class="confirm" hidden>
                <p data-template=t("pairing.end_confirm")></p>
                <div class="buttons">
                    <button type="button" class="danger" data-act="end-yes">{t("pairing.end_yes")}</button>
                    <button type="button" data-act="end-no">{t("me.cancel")}</button>
                </div>
            </div>
            <form id="pair-form">
                <label for="pair-code">{t("pairing.code_label")}</label>
                <input id="pair-code" name="code" autocomplete="off" autocapitalize="characters" maxlength="14" required/>
                <button type="button" data-act="scan" hidden>{t("pairing.scan")}</button>
                <video id="pair-video" hidden muted playsinline></video>
                <h4>{t("pairing.sees_title")}</h4>
                <ul class="consent-points">{sees}</ul>
                <p>{t("pairing.sees.not")}</p>
                <p class="meta">{t("pairing.who")}</p>
                <p class="meta">{t("consent.version_line").replace("{version}", &version)}</p>
                <button type="submit" class="primary">{t("pairing.agree")}</button>
            </form>
        </div>
    }
}

/// The person using the phone now may say their age band and group (both optional):
/// recorded as their own event, sent with the rest, counted by the coverage reports.
/// `public/household.js` shows what they last said and saves a change.
#[component]
fn About() -> impl IntoView {
    use crate::domain::person::{AGE_BANDS, GROUPS};
    let ui = use_ui();
    let options = |prefix: &str, codes: &[&str]| {
        let none = view! { <option value="">{ui.t("person.not_said")}</option> };
        let rest = codes
            .iter()
            .map(
                |c| view! { <option value=c.to_string()>{ui.t(&format!("{prefix}.{c}"))}</option> },
            )
            .collect_view();
        view! { {none}{rest} }
    };
    view! {
        <form id="details-form">
            <h3>{ui.t("person.title")}</h3>
            <p>{ui.t("person.intro")}</p>
            <label for="age-band">{ui.t("person.age_label")}</label>
            <select id="age-band" name="age_band">{options("person.age", &AGE_BANDS)}</select>
            <label for="person-group">{ui.t("person.group_label")}</label>
            <select id="person-group" name="group">{options("person.group", &GROUPS)}</select>
            <button type="submit">{ui.t("person.save")}</button>
        </form>
    }
}

//! Tôi (me): language and text size, the people on this phone, the household (consent,
//! family code, phones, export, deletion), and the one-digital-identity checklist.

use crate::components::checklist_view::{ChecklistView, DIGITAL_IDENTITY};
use crate::components::frame::{Frame, Tab};
use crate::components::household_panel::HouseholdPanel;
use crate::components::profiles::Profiles;
use crate::domain::locale::TextSize;
use crate::ui::use_ui;
use leptos::prelude::*;

/// Where the preferences form posts; the server sets the cookies and sends the reader
/// back. A plain form, so it works before (or without) the WebAssembly.
pub const PREFS_PATH: &str = "/prefs";

#[component]
pub fn MePage() -> impl IntoView {
    let ui = use_ui();
    let langs = ui
        .content
        .locales
        .iter()
        .map(|l| {
            let checked = l.code == ui.prefs.lang;
            view! {
                <label class="option">
                    <input type="radio" name="lang" value=l.code.clone() checked=checked/>
                    <span lang=l.code.clone()>{l.name.clone()}</span>
                </label>
            }
        })
        .collect_view();
    let sizes = TextSize::ALL
        .into_iter()
        .map(|s| {
            let checked = s == ui.prefs.size;
            view! {
                <label class=format!("option size-sample-{}", s.code())>
                    <input type="radio" name="size" value=s.code() checked=checked/>
                    <span>{ui.t(&format!("me.size.{}", s.code()))}</span>
                </label>
            }
        })
        .collect_view();
    let (unnamed, current, switch) = (
        ui.t("me.profile_unnamed"),
        ui.t("me.profile_current"),
        ui.t("me.profile_switch"),
    );
    let (add, name) = (ui.t("me.profile_add"), ui.t("me.profile_name"));
    view! {
        <Frame title=ui.t("me.title") tab=Tab::Me>
            <form class="card prefs" method="post" action=PREFS_PATH data-prefs="">
                <input type="hidden" name="back" value="/me"/>
                <fieldset>
                    <legend>{ui.t("me.language")}</legend>
                    {langs}
                </fieldset>
                <fieldset>
                    <legend>{ui.t("me.text_size")}</legend>
                    {sizes}
                </fieldset>
                <button type="submit" class="primary">{ui.t("me.save")}</button>
            </form>
            <section class="card" aria-labelledby="profiles-h">
                <h2 id="profiles-h">{ui.t("me.profiles")}</h2>
                <Profiles>
                    <div class="people" data-unnamed=unnamed data-current=current data-switch=switch>
                        <ul class="profiles"></ul>
                        <form class="add-profile">
                            <label for="profile-name">{name}</label>
                            <input id="profile-name" maxlength="40" autocomplete="off"/>
                            <button type="submit">{add}</button>
                        </form>
                    </div>
                </Profiles>
            </section>
            <section class="card" id="read-aloud" aria-labelledby="read-aloud-h">
                <h2 id="read-aloud-h">{ui.t("me.voice")}</h2>
                <p>{ui.t("me.voice_intro")}</p>
                <p>{ui.t("me.voice_add")}</p>
                <p>{ui.t("me.voice_offline")}</p>
            </section>
            <HouseholdPanel/>
            <ChecklistView id=DIGITAL_IDENTITY/>
            <p class="card"><a href=crate::pages::sign_in::SIGN_IN_PATH>{ui.t("people.me_link")}</a></p>
        </Frame>
    }
}

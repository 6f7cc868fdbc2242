//! Read-aloud (issue 12): the phone's own voice (the Web Speech API) reads a lesson or a
//! checklist — one block, or all of them — sentence by sentence, highlighting the
//! sentence it reads. No audio is shipped. Where the phone has no voice for the page's
//! language, or only one that needs a signal, the bar says so and how to add one.
//!
//! The server renders the text already cut into sentences (`Said`), a "Listen" button at
//! the top of each block (`SayButton`) and the bar (`ReadAloudBar`); the island wakes the
//! bar and reads what the buttons point at. Until it finds a voice the buttons and the
//! bar's controls keep their place but are not shown (`data-say-ready` shows them), so
//! the page never jumps when they appear; without JavaScript they take no room. Blocks
//! are spread over the page, inside other islands (the steps, the quiz, the ticks), so
//! the island reads within its scope — the nearest `[data-say-scope]` around the bar, or
//! the page's `main` — rather than only inside its own root.

use super::dom;
use crate::domain::speech::{pick_voice, sentences, Pace, Voice};
use crate::ui::use_ui;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, SpeechSynthesis, SpeechSynthesisUtterance, SpeechSynthesisVoice};

/// `text` cut into the sentences the voice reads one at a time, each in a
/// `span.sentence` the page highlights while it is read.
#[component]
pub fn Said(#[prop(into)] text: String) -> impl IntoView {
    let parts = sentences(&text)
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let space = (i > 0).then_some(" ");
            view! { {space}<span class="sentence">{s.to_string()}</span> }
        })
        .collect_view();
    view! { {parts} }
}

/// The "Listen" button of a block (an element marked `data-say`): first in the block,
/// an icon at its top right (drawn by the CSS from `/img/speaker.svg`: in every block of
/// 80 lesson pages, inline SVG would cost the precache more than the file), named for
/// screen readers.
#[component]
pub fn SayButton() -> impl IntoView {
    let ui = use_ui();
    view! {
        <button type="button" class="say-one" data-say-one>
            <span class="visually-hidden">{ui.t("say.one")}</span>
        </button>
    }
}

/// The bar: read everything in the scope (`all` names it: the lesson, the list), slow or
/// normal, stop; and a note where the phone has no voice of the language on it, linking
/// to the Tôi page's section on voices (`VOICE_HELP`). One note serves both cases (no
/// voice: shown in the controls' place; a voice that needs a signal: shown once reading
/// starts), in one short line: every lesson page carries it, in both languages, in the
/// precache.
#[component]
pub fn ReadAloudBar(all: &'static str) -> impl IntoView {
    let ui = use_ui();
    view! {
        <ReadAloud>
            <div class="read-aloud" data-lang=ui.lang().to_string()>
                <div class="say-controls">
                    <button type="button" data-say-all>{ui.t(all)}</button>
                    <button type="button" data-say-slow aria-pressed="false">{ui.t("say.slow")}</button>
                    <button type="button" data-say-stop hidden>{ui.t("say.stop")}</button>
                </div>
                <p class="say-note" hidden>
                    <a href=VOICE_HELP>{ui.t("say.no_voice")}</a>
                </p>
            </div>
        </ReadAloud>
    }
}

/// Where the Tôi page says how to add a voice, or keep one for reading offline.
pub const VOICE_HELP: &str = "/me#read-aloud";

/// Island around `ReadAloudBar`'s markup. The blocks it reads are outside it, so it
/// hears clicks on the whole page and acts on those in its scope; it finds its bar by
/// class (a page has one), which keeps the wasm free of `NodeRef`'s reactive machinery.
#[island]
fn ReadAloud(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        if let Some(bar) = dom::all(".read-aloud").into_iter().next() {
            wake(bar);
        }
    });
    let handle = window_event_listener(leptos::ev::click, move |ev| clicked(&ev));
    // The bar lives as long as the page.
    std::mem::forget(handle);
    children()
}

/// What the island keeps between events: one reader a page.
struct Reader {
    bar: Option<Element>,
    voice: Option<SpeechSynthesisVoice>,
    pace: Pace,
    /// Sentences still to read, the next one last.
    queue: Vec<Element>,
    /// The sentence being read, and its utterance (kept alive until it ends: some
    /// browsers drop an utterance's events once nothing holds it).
    current: Option<(Element, SpeechSynthesisUtterance)>,
    /// Bumped by every new reading and by stop, so a cancelled utterance's late "end"
    /// does not move the next reading on.
    turn: u32,
}

thread_local! {
    static READER: RefCell<Reader> = const {
        RefCell::new(Reader {
            bar: None,
            voice: None,
            pace: Pace::Normal,
            queue: Vec::new(),
            current: None,
            turn: 0,
        })
    };
}

/// How long to wait for a phone that lists its voices late (`voiceschanged`).
const VOICES_WAIT_MS: u64 = 2000;

fn synth() -> Option<SpeechSynthesis> {
    let synth = window().speech_synthesis().ok()?;
    (!synth.is_undefined() && !synth.is_null()).then_some(synth)
}

/// Finds a voice for the bar's language and shows the controls, or says why not.
fn wake(bar: Element) {
    READER.with(|r| r.borrow_mut().bar = Some(bar.clone()));
    let Some(synth) = synth() else {
        note(&bar, true, true);
        return;
    };
    if choose_voice(&synth, &bar) {
        return;
    }
    // Chrome lists its voices only after `voiceschanged` (which may fire more than once,
    // as voices are added); a phone with none never fires it.
    let again = {
        let (synth, bar) = (synth.clone(), bar.clone());
        Closure::<dyn FnMut()>::new(move || {
            choose_voice(&synth, &bar);
        })
        .into_js_value()
    };
    synth.set_onvoiceschanged(Some(again.unchecked_ref()));
    set_timeout(
        move || {
            if READER.with(|r| r.borrow().voice.is_none()) {
                note(&bar, true, true);
            }
        },
        std::time::Duration::from_millis(VOICES_WAIT_MS),
    );
}

/// Picks the voice for the bar's language; true when there is one (and the controls show).
fn choose_voice(synth: &SpeechSynthesis, bar: &Element) -> bool {
    let listed: Vec<SpeechSynthesisVoice> = synth
        .get_voices()
        .iter()
        .map(|v| v.unchecked_into())
        .collect();
    let voices: Vec<Voice> = listed
        .iter()
        .map(|v| Voice {
            lang: v.lang(),
            local: v.local_service(),
            default: v.default(),
        })
        .collect();
    let Some(i) = pick_voice(&voices, &dom::data(bar, "data-lang")) else {
        return false;
    };
    note(bar, false, false);
    dom::mark(&scope(bar), "data-say-ready", Some(""));
    READER.with(|r| r.borrow_mut().voice = listed.into_iter().nth(i));
    true
}

/// Shows or hides the note; `instead` puts it in the controls' place (no voice at all).
fn note(bar: &Element, shown: bool, instead: bool) {
    dom::mark(bar, "data-say-voiceless", instead.then_some(""));
    if let Some(p) = dom::find(bar, ".say-note") {
        dom::mark(&p, "hidden", (!shown).then_some(""));
    }
}

/// Where the bar reads: its `[data-say-scope]`, or the page's `main`.
fn scope(bar: &Element) -> Element {
    bar.closest("[data-say-scope], main")
        .ok()
        .flatten()
        .unwrap_or_else(|| bar.clone())
}

fn clicked(ev: &web_sys::MouseEvent) {
    let Some(bar) = READER.with(|r| r.borrow().bar.clone()) else {
        return;
    };
    let scope = scope(&bar);
    if let Some(button) = dom::closest(ev, "[data-say-one]") {
        if let Some(block) = button.closest("[data-say]").ok().flatten() {
            if scope.contains(Some(&block)) {
                read(vec![block]);
            }
        }
    } else if dom::closest(ev, "[data-say-all]").is_some_and(|b| bar.contains(Some(&b))) {
        // Every step shows while all is read (the CSS reads the mark).
        dom::mark(&scope, "data-say-all", Some(""));
        read(dom::all_in(&scope, "[data-say]"));
    } else if dom::closest(ev, "[data-say-stop]").is_some_and(|b| bar.contains(Some(&b))) {
        stop();
    } else if let Some(slow) = dom::closest(ev, "[data-say-slow]") {
        if bar.contains(Some(&slow)) {
            let pace = READER.with(|r| {
                let mut r = r.borrow_mut();
                r.pace = match r.pace {
                    Pace::Normal => Pace::Slow,
                    Pace::Slow => Pace::Normal,
                };
                r.pace
            });
            dom::mark(
                &slow,
                "aria-pressed",
                Some(if pace == Pace::Slow { "true" } else { "false" }),
            );
        }
    }
}

/// Reads the sentences of `blocks` that are shown, in order, from the first; what was
/// being read stops. A question's verdict is read once the quiz is checked, never before
/// (hidden, it would give the answer away).
fn read(blocks: Vec<Element>) {
    let mut queue: Vec<Element> = blocks
        .iter()
        .flat_map(|block| dom::all_in(block, ".sentence"))
        .filter(|s| {
            s.dyn_ref::<web_sys::HtmlElement>()
                .is_some_and(|s| s.offset_parent().is_some())
        })
        .collect();
    queue.reverse();
    let turn = READER.with(|r| {
        let mut r = r.borrow_mut();
        r.turn = r.turn.wrapping_add(1);
        r.queue = queue;
        r.turn
    });
    if let Some(synth) = synth() {
        synth.cancel();
    }
    unmark_current();
    if let Some(bar) = READER.with(|r| r.borrow().bar.clone()) {
        if let Some(stop) = dom::find(&bar, "[data-say-stop]") {
            dom::mark(&stop, "hidden", None);
        }
        let online = READER.with(|r| {
            r.borrow()
                .voice
                .as_ref()
                .is_some_and(|v| !v.local_service())
        });
        if online {
            note(&bar, true, false);
        }
    }
    next(turn);
}

/// Reads the next sentence of turn `turn`, or ends the reading.
fn next(turn: u32) {
    // The end of a cancelled utterance can come late, after another reading began: it
    // must not touch that one (not even its highlight).
    if READER.with(|r| r.borrow().turn != turn) {
        return;
    }
    unmark_current();
    let (sentence, voice, pace) = READER.with(|r| {
        let mut r = r.borrow_mut();
        (r.queue.pop(), r.voice.clone(), r.pace)
    });
    let (Some(sentence), Some(synth)) = (sentence, synth()) else {
        finished();
        return;
    };
    let Ok(utterance) =
        SpeechSynthesisUtterance::new_with_text(&sentence.text_content().unwrap_or_default())
    else {
        finished();
        return;
    };
    if let Some(voice) = &voice {
        utterance.set_lang(&voice.lang());
        utterance.set_voice(Some(voice));
    }
    utterance.set_rate(pace.rate());
    let done = Closure::<dyn FnMut()>::new(move || next(turn)).into_js_value();
    utterance.set_onend(Some(done.unchecked_ref()));
    utterance.set_onerror(Some(done.unchecked_ref()));
    dom::mark(&sentence, "data-reading", Some(""));
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    sentence.scroll_into_view_with_scroll_into_view_options(&options);
    synth.speak(&utterance);
    READER.with(|r| r.borrow_mut().current = Some((sentence, utterance)));
}

fn unmark_current() {
    if let Some((sentence, _)) = READER.with(|r| r.borrow_mut().current.take()) {
        dom::mark(&sentence, "data-reading", None);
    }
}

/// Stops reading: nothing more is read, nothing stays highlighted.
fn stop() {
    READER.with(|r| {
        let mut r = r.borrow_mut();
        r.turn = r.turn.wrapping_add(1);
        r.queue.clear();
    });
    if let Some(synth) = synth() {
        synth.cancel();
    }
    unmark_current();
    finished();
}

/// The reading is over: the stop button goes, the steps go back to one at a time.
fn finished() {
    let Some(bar) = READER.with(|r| r.borrow().bar.clone()) else {
        return;
    };
    if let Some(stop) = dom::find(&bar, "[data-say-stop]") {
        // Hidden with the focus on it (pressed, or reached by keyboard while the reading
        // ran to its end), it would drop the focus to the top of the page: the focus
        // stays in the bar.
        let focused = document().active_element().is_some_and(|a| a == stop);
        dom::mark(&stop, "hidden", Some(""));
        if focused {
            if let Some(all) = dom::find(&bar, "[data-say-all]") {
                dom::focus(&all);
            }
        }
    }
    dom::mark(&scope(&bar), "data-say-all", None);
}

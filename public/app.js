// Page glue for the service worker: install it, offer updates, ask it to sync at the
// right moments, show the sync status, and keep preference changes working offline.
// The words come from the words script of the page's language (/words/<lang>.js).
(() => {
  const sw = navigator.serviceWorker;
  const $ = (sel) => document.querySelector(sel);
  // The page's words for this script, in its language (/words/<lang>.js, loaded just
  // before; app/src/ui.rs SCRIPT_WORDS lists them).
  const word = (key) => (self.HOCSO_WORDS || {})[key] || "";
  // Without its words (the script did not load) an offer would be nameless buttons:
  // it is not shown.
  const worded = (el) => !!el && [...el.querySelectorAll("[data-word]")].every((w) => word(w.dataset.word));
  for (const el of document.querySelectorAll("[data-word]")) el.textContent = word(el.dataset.word);

  // Wake the islands. The page links the release's wasm and its JS glue (hashed names);
  // load them, start the reactive system, then walk the page and hand each
  // <leptos-island> to the wasm export named in its data-component. An island inside
  // another island's server-rendered children (<leptos-children>) waits for the outer
  // one, which leaves a callback on the children element to run first.
  const glue = $("link[rel=modulepreload]");
  const wasm = $("link[rel=preload][type='application/wasm']");
  async function wake(node, mod, childHooks) {
    for (const el of node.children) {
      if (el.localName === "leptos-island") {
        const hook = childHooks[childHooks.length - 1];
        if (hook) hook();
        const island = mod[el.dataset.component];
        if (island) await island(el);
        else console.warn(`no wasm export for island ${el.dataset.component}`);
        await wake(el, mod, childHooks);
      } else if (el.localName === "leptos-children") {
        childHooks.push(el.$$on_hydrate);
        await wake(el, mod, childHooks);
        childHooks.pop();
      } else {
        await wake(el, mod, childHooks);
      }
    }
  }
  if (glue && wasm) {
    import(glue.href)
      .then(async (mod) => {
        await mod.default({ module_or_path: wasm.href });
        mod.hydrate();
        await wake(document.body, mod, []);
        // A mark that the islands are awake: browser tests wait for it, not for time.
        document.documentElement.dataset.hydrated = "1";
      })
      .catch((err) => {
        // Show the page as it is without JavaScript: every step, every answer.
        document.documentElement.classList.remove("js");
        console.error("islands did not start", err);
      });
  }

  // Preferences: set the cookies here, so switching works with no network; the server
  // reads the same cookies on the next page it renders.
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-prefs]")) return;
    ev.preventDefault();
    const data = new FormData(form, ev.submitter);
    const year = 365 * 24 * 3600;
    for (const [field, cookie] of [["lang", "hocso_lang"], ["size", "hocso_size"]]) {
      const value = data.get(field);
      const secure = location.protocol === "https:" ? "; Secure" : "";
      if (value) document.cookie = `${cookie}=${value}; Path=/; Max-Age=${year}; SameSite=Lax${secure}`;
    }
    // Only an address on this site (as the server's same_site_path checks).
    const back = data.get("back") || location.pathname;
    const onSite = /^\/(?!\/)[\x21-\x7e]*$/.test(back) && !back.includes("\\");
    location.assign(onSite ? back : "/");
  });

  // Offer to install when the browser allows it: the app then opens full-screen from the
  // home screen, like any other app on the phone.
  // "Not now" is remembered for a week, so the offer does not nag on every page.
  let installEvent = null;
  const LATER_KEY = "hocso.install-later";
  const WEEK_MS = 7 * 24 * 3600 * 1000;
  window.addEventListener("beforeinstallprompt", (ev) => {
    ev.preventDefault();
    installEvent = ev;
    const later = Number(localStorage.getItem(LATER_KEY) || 0);
    const banner = $("#install-banner");
    if (worded(banner) && Date.now() - later > WEEK_MS) banner.hidden = false;
  });
  document.addEventListener("click", async (ev) => {
    const choice = ev.target.closest("#install-banner [data-install]");
    if (!choice) return;
    $("#install-banner").hidden = true;
    if (choice.dataset.install === "later") {
      localStorage.setItem(LATER_KEY, String(Date.now()));
      return;
    }
    if (!installEvent) return;
    installEvent.prompt();
    await installEvent.userChoice.catch(() => {});
    installEvent = null;
  });
  window.addEventListener("appinstalled", () => { const b = $("#install-banner"); if (b) b.hidden = true; });

  const status = $("#sync-status");
  function show(s) {
    if (!status || !s) return;
    const time = s.at ? new Date(s.at).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }) : "";
    const attention = s.state === "blocked" || s.refused > 0;
    const template = word(
      attention ? "sync.attention" :
      s.state === "no-consent" ? "sync.no_consent" :
      s.state === "failed" ? "sync.failed" :
      s.pending > 0 ? "sync.waiting" :
      s.state === "synced" ? "sync.synced" : "sync.local");
    if (!template) return;
    status.hidden = false;
    status.textContent = template.replace("{n}", s.pending).replace("{time}", time);
    status.dataset.state = attention || s.state === "failed" ? "failed" : s.pending > 0 ? "waiting" : "ok";
  }
  window.addEventListener("hocso:status", (ev) => show(ev.detail));

  if (!sw) return;
  sw.register("/sw.js").then((reg) => {
    const banner = $("#update-banner");
    const offer = () => {
      if (reg.waiting && sw.controller && worded(banner)) banner.hidden = false;
    };
    offer();
    reg.addEventListener("updatefound", () => {
      reg.installing && reg.installing.addEventListener("statechange", offer);
    });
    banner && banner.querySelector("button").addEventListener("click", () => {
      reg.waiting && reg.waiting.postMessage({ type: "skip-waiting" });
    });
    // Check for a new release when the app comes back to the foreground.
    document.addEventListener("visibilitychange", () => { if (!document.hidden) reg.update().catch(() => {}); });
  });
  let reloading = false;
  sw.addEventListener("controllerchange", () => {
    // Only after the person asked for the update: never swap files under them.
    if (sw.controller && !reloading && $("#update-banner") && !$("#update-banner").hidden) {
      reloading = true;
      location.reload();
    }
  });

  const syncNow = async () => {
    const reg = await sw.ready;
    reg.active && reg.active.postMessage({ type: "sync" });
    if (reg.sync) reg.sync.register("hocso-sync").catch(() => {});
  };
  sw.addEventListener("message", (ev) => {
    const msg = ev.data || {};
    if (msg.type === "sync-status") show(msg);
    if (msg.type === "received") window.dispatchEvent(new CustomEvent("hocso:received"));
  });
  // The page's store announces each recorded action (app/src/offline/store.rs).
  window.addEventListener("hocso:recorded", syncNow);
  window.addEventListener("online", syncNow);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) syncNow(); });
  syncNow();

  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
})();

// A signed-in volunteer's pages and records with no signal (issue 10), inside the service
// worker (served after sw.js, sw-sync.js and sw-household.js as one script; `M`,
// `pageKey`, `RELEASE_HEADER`, `uuid` and `req2p` are theirs).
//
// - The account's pages (ACCOUNT_PAGES) are kept after each visit online, in a cache of
//   their own named after the release (a new release drops it with the old cache, so a
//   kept page never names another release's files), and shown from it with no signal.
//   They are never kept for anyone else: signing out (here or everywhere), and signing
//   in as anyone, first sends what waits while the old session still works, then deletes
//   that cache once the server has answered; a page the server no longer gives (the
//   session ended) is deleted too.
// - A record form (a sign-off, a visit, a community session) posted with no signal is
//   kept in IndexedDB (database "hocso-account") with its event id (made when it was
//   submitted, public/account.js) and answered with the page, which says it waits. It is
//   posted again at every sync with that same id, so the server stores it once however
//   often it arrives. The server's answer (where it leads, sent short), decides:
//   recorded, or refused for good (the household ended the link, a value it does not
//   take), leaves the store; busy, signed out, or another account signed in (each form
//   names the account it was drawn for) keeps it — until its own volunteer signs in
//   again. Signing out deletes the store only when nothing is left in it.
// - A record about a household that has just agreed, named by its household code, is
//   refused as `not_paired_yet` until that household's phone has synced: kept the same
//   way, even when the form was sent with signal (as is one answered "signed out" or
//   "busy"). Nothing waits more than 30 days.

const ACCOUNT_CACHE = "hocso-account-" + M.version;
const ACCOUNT_PAGES = ["/account", "/mentees", "/team"];
// A sign-off, a visit, a community session.
const RECORD_PATH = /^\/(mentees\/[^/]+\/confirm|mentees\/visit|sessions)$/;
const SESSION_PATHS = ["/sign-in", "/sign-out", "/sign-out-everywhere"];

/// Called by sw.js for a page that came from the network.
async function keepAccountPage(url, res, lang) {
  if (!ACCOUNT_PAGES.includes(url.pathname)) return;
  // Sent to sign in: the session ended, and its pages must not open offline either.
  if (res.type === "opaqueredirect" || res.redirected) return forgetPages();
  if (!res.ok) return;
  if (res.headers.get(RELEASE_HEADER) !== M.version) return;
  // After a form, the page carries that form's one-time notice: keep a plain copy instead.
  const plain = url.search ? await fetch(url.pathname, { credentials: "same-origin" }) : res.clone();
  if (!plain.ok || plain.redirected || plain.headers.get(RELEASE_HEADER) !== M.version) return;
  await (await caches.open(ACCOUNT_CACHE)).put(pageKey(url.pathname, lang), plain);
}

/// Called by sw.js when a page could not be fetched.
async function accountPage(url, lang) {
  if (!ACCOUNT_PAGES.includes(url.pathname)) return undefined;
  // `caches.match` with a name, not `caches.open`: a signed-out phone gets no empty cache.
  return caches.match(pageKey(url.pathname, lang), { cacheName: ACCOUNT_CACHE });
}

function openRecords() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("hocso-account", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("records", { keyPath: "id" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withRecords(mode, work) {
  const db = await openRecords();
  try {
    const t = db.transaction(["records"], mode);
    const done = new Promise((resolve, reject) => { t.oncomplete = resolve; t.onerror = () => reject(t.error); t.onabort = () => reject(t.error); });
    const out = await work(t.objectStore("records"));
    await done;
    return out;
  } finally {
    db.close();
  }
}

/// What waits to be sent. Asking never makes the database: a phone signed out (or
/// never signed in) keeps nothing of an account, not even an empty store.
async function waitingRecords() {
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : ["hocso-account"];
  if (!names.includes("hocso-account")) return [];
  return withRecords("readonly", (s) => req2p(s.getAll()));
}

/// Where a form's answer sends the reader: `/mentees?m=confirmed`.
function redirectTo(path, query) {
  return Response.redirect(`${path}?${query}`, 303);
}

/// Posts a kept or submitted record form; returns the answer and where it leads
/// (`/mentees?m=confirmed`; null for an answer that is not a form's, a 503 say). Asked
/// for the short answer (server/src/routes/people/mod.rs): the page it leads to is not
/// downloaded here.
async function postRecord(path, body) {
  const res = await fetch(path, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-hocso-answer-only": "1" },
    credentials: "same-origin",
    redirect: "manual",
  });
  const to = res.headers.get("x-hocso-to");
  return { res, to: to ? new URL(to, location.origin) : null };
}

async function keepRecordForm(req, url) {
  const body = await req.clone().text();
  let note = "offline=queued";
  let signIn = null;
  try {
    const { res, to } = await postRecord(url.pathname, body);
    if (to && to.origin !== location.origin) return Response.error();
    const refused = to && to.searchParams.get("e");
    // Kept, as with no signal, when the server says "not now": busy, signed out, another
    // account's form, or a household named by its code whose agreement has not reached
    // it yet; and on a server error.
    const later = to ? to.pathname === "/sign-in" || KEEP_ON.includes(refused) : res.status >= 500;
    if (!later) return to ? Response.redirect(to.href, 303) : res;
    if (refused === WAIT_FOR_HOUSEHOLD) note = "offline=paired_later";
    if (to && to.pathname === "/sign-in") signIn = to;
  } catch (_) {}
  const form = new URLSearchParams(body);
  // The form's own id (a resend of what reached the server stays one record), unless a
  // waiting record has it already.
  const waiting = await waitingRecords();
  if (!form.get("event") || waiting.some((r) => r.id === form.get("event"))) form.set("event", uuid());
  const id = form.get("event");
  await withRecords("readwrite", (s) => { s.put({ id, path: url.pathname, body: form.toString(), at: Date.now() }); });
  // Back to the page the form was on (a lead records sessions on the team page).
  const from = req.referrer ? new URL(req.referrer).pathname : "";
  // Signed out meanwhile: to the sign-in page; the record goes once signed in again.
  if (signIn) return Response.redirect(signIn.href, 303);
  return redirectTo(ACCOUNT_PAGES.includes(from) ? from : "/mentees", note);
}

// The household a record names by its code has not synced its agreement yet.
const WAIT_FOR_HOUSEHOLD = "not_paired_yet";
// How long a record waits at most, whatever the reason: a mistyped household code, or
// an account closed since (its phone is never signed in again), would keep households'
// notes on the phone for ever. The server's LATE_AGREEMENT_MS, 30 days.
const RECORD_KEEP_MS = 30 * 24 * 3600 * 1000;
// Refusals that say "not now" rather than "never".
const KEEP_ON = ["unavailable", "other_account", WAIT_FOR_HOUSEHOLD];

let sendingRecords = null;

/// Posts every waiting record; one at a time, and never two senders at once.
function sendRecords() {
  sendingRecords ||= (async () => {
    try {
      for (const r of await waitingRecords()) {
        let answer;
        try {
          answer = (await postRecord(r.path, r.body)).to;
        } catch (_) {
          return; // still no signal
        }
        const refused = answer && answer.searchParams.get("e");
        const done = Boolean(answer) && ACCOUNT_PAGES.includes(answer.pathname) &&
          (answer.searchParams.has("m") || (refused && !KEEP_ON.includes(refused)));
        // Busy, signed out, or another account's: kept for later — up to RECORD_KEEP_MS.
        if (!done && Date.now() - r.at <= RECORD_KEEP_MS) continue;
        await withRecords("readwrite", (s) => { s.delete(r.id); });
      }
    } finally {
      sendingRecords = null;
    }
  })();
  return sendingRecords;
}

/// Deletes the account's pages kept on this phone.
async function forgetPages() {
  for (const key of await caches.keys()) {
    if (key.startsWith("hocso-account-")) await caches.delete(key);
  }
}

/// Deletes the pages, and the records store if nothing waits in it.
async function forgetAccount() {
  await forgetPages();
  if ((await waitingRecords()).length) return;
  await new Promise((resolve) => {
    const del = indexedDB.deleteDatabase("hocso-account");
    del.onsuccess = del.onerror = del.onblocked = () => resolve();
  });
}

async function sessionChange(req, url) {
  // What waits goes first, while the session still works.
  await sendRecords();
  let res;
  try {
    res = await fetch(req);
  } catch (_) {
    // No signal. Signing out: the server cannot end the session, so the pages would open
    // again for whoever holds the phone, and records not yet sent would be lost — say
    // so instead. Signing in: nothing changed; the offline page says why.
    if (url.pathname !== "/sign-in") return redirectTo("/account", "offline=sign_out");
    return (await caches.match(pageKey("/offline", await currentLang()))) || Response.error();
  }
  await forgetAccount();
  return res;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "POST" || url.origin !== location.origin) return;
  if (SESSION_PATHS.includes(url.pathname)) event.respondWith(sessionChange(req, url));
  else if (RECORD_PATH.test(url.pathname)) event.respondWith(keepRecordForm(req, url));
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "sync") event.waitUntil(sendRecords().catch(() => {}));
  const port = event.ports && event.ports[0];
  if (port && msg.type === "account-records") {
    // The page asks while it waits for signal: each time there is some, try to send.
    if (self.navigator.onLine) event.waitUntil(sendRecords().catch(() => {}));
    event.waitUntil(waitingRecords().then(
      (all) => port.postMessage({ ok: true, value: all.length }),
      () => port.postMessage({ ok: true, value: 0 }),
    ));
  }
});

// Học Số service worker. The server puts `self.HOCSO` above this code: this release's
// version, its files with content hashes, its pages and languages, and the version of
// the consent text a person must accept before anything leaves the phone.
//
// - Install keeps every file (checked against its hash) and every page of this release
//   (checked by the release header) in one cache named after the version; if any of it
//   fails, the half-filled cache is thrown away and the install fails whole. Activate
//   deletes the caches of other versions. A page and the files it names therefore
//   always come from the same release.
// - Hashed files: cache first. Pages: network first with a short timeout, then the
//   cache, then the offline page; a page from the network is kept only if it belongs to
//   this worker's release. The API: network only, never cached.
// - Sync (protocol version 2, docs/SYNC.md): sends the device's outbox (IndexedDB,
//   written by the page) to /api/v2/sync, marks what the server acknowledged, keeps
//   what it refused (shown, never counted), and stores what the household's other
//   phones sent. Nothing is sent before the person has accepted the consent text.

const M = self.HOCSO || { version: "dev", assets: [], pages: [], langs: ["vi"], consent: "" };
const CACHE = "hocso-" + M.version;
const PAGE_TIMEOUT_MS = 3500;
const RELEASE_HEADER = "x-hocso-release";
const API = "/api/v2";

const pageKey = (path, lang) => `${path}?lang=${lang}`;

async function currentLang() {
  try {
    const c = self.cookieStore && (await self.cookieStore.get("hocso_lang"));
    if (c && M.langs.includes(c.value)) return c.value;
  } catch (_) {}
  return M.langs[0] || "vi";
}

const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/// The revision the server computed for a file: the first 8 bytes of its SHA-256.
async function revision(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes)).slice(0, 16);
}

async function fill(cache) {
  await Promise.all(M.assets.map(async (a) => {
    // Revalidate: an unhashed file (app.js, the icon) in the HTTP cache may be older.
    const res = await fetch(a.url, { cache: "no-cache" });
    if (!res.ok) throw new Error(`${a.url}: HTTP ${res.status}`);
    if ((await revision(await res.clone().arrayBuffer())) !== a.revision) {
      throw new Error(`${a.url} is not this release's file`);
    }
    await cache.put(a.url, res);
  }));
  for (const lang of M.langs) {
    for (const path of M.pages) {
      const res = await fetch(pageKey(path, lang), { credentials: "omit", cache: "no-cache" });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      if (res.headers.get(RELEASE_HEADER) !== M.version) throw new Error(`${path} is another release's page`);
      await cache.put(pageKey(path, lang), res);
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    try {
      await fill(await caches.open(CACHE));
    } catch (err) {
      // Never leave a half-filled cache: the browser tries the whole install again later.
      await caches.delete(CACHE);
      throw err;
    }
    // The first install has nothing to replace; later ones wait for the person.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("hocso-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    event.respondWith(page(req, url));
  } else {
    event.respondWith(asset(req));
  }
});

async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req, { ignoreSearch: true });
  return hit || fetch(req);
}

async function page(req, url) {
  const cache = await caches.open(CACHE);
  const lang = await currentLang();
  const key = pageKey(url.pathname, lang);
  try {
    const res = await Promise.race([
      fetch(req),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), PAGE_TIMEOUT_MS)),
    ]);
    // While a new release waits, the network already serves its pages: they name its
    // files, which this cache does not hold, so they are shown but never kept here.
    const ours = res.headers.get(RELEASE_HEADER) === M.version;
    if (res.ok && ours && M.pages.includes(url.pathname)) await cache.put(key, res.clone());
    return res;
  } catch (_) {
    return (await cache.match(key)) || (await cache.match(pageKey("/offline", lang))) ||
      new Response("Offline", { status: 503, headers: { "content-type": "text/plain" } });
  }
}

// ---- the device store, shared with the page (app/src/offline/store.rs) ----

// Outbox states of an event: waiting, acknowledged by the server, refused by it.
const WAITING = 0, SENT = 1, REFUSED = 2;

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("hocso", 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("events")) db.createObjectStore("events", { keyPath: "event_id" });
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function tx(db, stores, mode, work) {
  return new Promise((resolve, reject) => {
    const t = db.transaction(stores, mode);
    let out;
    Promise.resolve(work(t)).then((v) => { out = v; });
    t.oncomplete = () => resolve(out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

const req2p = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

const getMeta = (db, key) =>
  tx(db, ["meta"], "readonly", (t) => req2p(t.objectStore("meta").get(key)).then((r) => r && r.value));
const putMeta = (db, key, value) =>
  tx(db, ["meta"], "readwrite", (t) => { t.objectStore("meta").put({ key, value }); });
const deleteMeta = (db, key) =>
  tx(db, ["meta"], "readwrite", (t) => { t.objectStore("meta").delete(key); });
const allEvents = (db) => tx(db, ["events"], "readonly", (t) => req2p(t.objectStore("events").getAll()));

const randomHex = (n) => hex(crypto.getRandomValues(new Uint8Array(n)));
const uuid = () => crypto.randomUUID();

/// A name for this phone the family will recognise in its list, until they give one.
function defaultLabel() {
  const ua = self.navigator.userAgent || "";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iPhone" : /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "Mac" : /Linux/.test(ua) ? "Linux" : "";
  return os.slice(0, 40);
}

/// The device as stored, brought forward from protocol version 1 if need be: such a
/// phone was registered with a server-made secret, which still opens its household.
async function stored(db) {
  let device = await getMeta(db, "device");
  if (device && device.secret && device.household_id && device.registered === undefined) {
    device = { ...device, registered: true };
    await putMeta(db, "device", device);
    await deleteMeta(db, "cursor");
  }
  return device;
}

/// This phone's identity, made here if the page has not made one yet. The secret is
/// kept before it is ever sent: a registration whose answer is lost is asked again
/// with the same id and secret, and the server answers the same. One transaction, so an
/// id the page makes at the same moment is never overwritten.
async function identity(db) {
  await stored(db);
  return tx(db, ["meta"], "readwrite", (t) => {
    const store = t.objectStore("meta");
    return req2p(store.get("device")).then((row) => {
      const device = row && row.value;
      if (device && device.device_id && device.secret) return device;
      const made = { ...(device || {}), device_id: (device && device.device_id) || uuid(), secret: randomHex(32), registered: false };
      store.put({ key: "device", value: made });
      return made;
    });
  });
}

// ---- talking to the server ----

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || (status === 0 ? "offline" : "unavailable");
    this.messages = (body && body.messages) || null;
  }
}

async function call(method, path, body, device) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (device) headers.authorization = `Bearer ${device.device_id}.${device.secret}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (_) {
    throw new ApiError(0, null);
  }
  const type = res.headers.get("content-type") || "";
  const payload = type.includes("json") ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof payload === "object" ? payload : null);
  return payload;
}

async function register(db, device, consent) {
  if (device.registered) return device;
  const body = { device_id: device.device_id, secret: device.secret, label: device.label || defaultLabel(), consent: consent.version };
  if (device.join_code_wanted) body.join_code = device.join_code_wanted;
  if (device.recover && device.household_id && device.cert) body.recover = { household_id: device.household_id, cert: device.cert };
  let reg;
  try {
    reg = await call("POST", API + "/devices", body);
  } catch (err) {
    if (err.code === "unknown_join_code" && device.join_code_wanted) {
      const { join_code_wanted, ...rest } = device;
      await putMeta(db, "device", rest);
    }
    throw err;
  }
  const { join_code_wanted, recover, ...rest } = device;
  const registered = { ...rest, registered: true, household_id: reg.household_id, cert: reg.cert };
  await putMeta(db, "device", registered);
  if (join_code_wanted) await deleteMeta(db, "cursor");
  if (reg.join_code) await putMeta(db, "code", { join_code: reg.join_code, expires_ms: reg.code_expires_ms });
  return registered;
}

const strip = ({ sent, code, messages, seen, ...e }) => e;

/// Marks every event this phone made and the server acknowledged as waiting again: for
/// a phone that starts over with a new household, which has none of them.
async function resendAll(db, deviceId) {
  const again = (await allEvents(db)).filter((e) => e.device_id === deviceId && e.sent === SENT);
  await tx(db, ["events"], "readwrite", (t) => { for (const e of again) t.objectStore("events").put({ ...e, sent: WAITING }); });
}

/// Set when the person withdraws consent: a sync in progress stops before its next batch.
let stopRequested = false;

/// Sends what waits and pulls what the family's other phones sent, until both are done.
async function exchange(db, device, consent) {
  const mine = (e) => e.device_id === device.device_id;
  let pending = (await allEvents(db)).filter((e) => mine(e) && e.sent === WAITING);
  let cursor = (await getMeta(db, "cursor")) || null;
  if (typeof cursor !== "object") cursor = null; // a version 1 cursor means nothing now
  let more = true;
  // 100 events (about 30 KB) upload in seconds even on 2G, well inside the server's
  // limits on a request; after a batch the server could not read, one at a time.
  let size = 100;
  while (pending.length > 0 || more) {
    if (stopRequested) break;
    const batch = pending.slice(0, size);
    let res;
    try {
      res = await call("POST", API + "/sync", { events: batch.map(strip), cursor, consent: consent.version }, device);
    } catch (err) {
      if (err.status !== 400 || batch.length === 0) throw err;
      if (batch.length > 1) { size = 1; continue; }
      // This one event cannot be read by the server (a phone bug): keep it, refused,
      // so the rest can go.
      await tx(db, ["events"], "readwrite", (t) => {
        t.objectStore("events").put({ ...batch[0], sent: REFUSED, code: err.code, messages: err.messages });
      });
      pending = pending.slice(1);
      continue;
    }
    device = { ...device, household_id: res.household_id, cert: res.cert };
    await tx(db, ["events", "meta"], "readwrite", (t) => {
      const store = t.objectStore("events");
      const byId = new Map(batch.map((e) => [e.event_id, e]));
      for (const r of res.results) {
        const e = byId.get(r.event_id);
        if (!e) continue;
        // Forgotten from the outbox only once the server has answered for it.
        store.put(r.status === "rejected"
          ? { ...e, sent: REFUSED, code: r.code, messages: r.messages || null }
          : { ...e, sent: SENT });
      }
      for (const e of res.events) store.put({ ...e, sent: SENT });
      t.objectStore("meta").put({ key: "cursor", value: res.cursor });
      t.objectStore("meta").put({ key: "device", value: device });
    });
    pending = pending.slice(batch.length);
    if (res.reset) {
      // The server is an older copy than what this phone saw (a restore from backup):
      // send again everything this phone made, then pull the family's from the start.
      const again = (await allEvents(db)).filter((e) => mine(e) && e.sent === SENT);
      const known = new Set(pending.map((e) => e.event_id));
      pending = pending.concat(again.filter((e) => !known.has(e.event_id)));
    }
    cursor = res.cursor;
    more = res.more;
  }
  return device;
}

async function syncOnce() {
  const db = await openDb();
  const blocked = await getMeta(db, "blocked");
  const consent = await getMeta(db, "consent");
  const device = await stored(db);
  const waiting = device
    ? (await allEvents(db)).filter((e) => e.device_id === device.device_id && e.sent === WAITING).length
    : 0;
  if (blocked) return status(db, { state: "blocked", blocked, pending: waiting });
  if (!consent || consent.version !== M.consent) return status(db, { state: "no-consent", pending: waiting });
  if (!navigator.onLine) return status(db, { state: "local", pending: waiting });
  // Nothing recorded and no family to join: nothing to send or receive yet.
  if (!device || (!device.registered && waiting === 0 && !device.join_code_wanted)) {
    return status(db, { state: "local", pending: 0 });
  }
  try {
    let me = await register(db, await identity(db), consent);
    try {
      me = await exchange(db, me, consent);
    } catch (err) {
      if (err.code !== "unknown_device") throw err;
      // The server does not know this phone: it was restored from a backup made before
      // the phone registered. The membership certificate brings it back into its family.
      if (!me.cert || !me.household_id) {
        await putMeta(db, "blocked", "unrecognised");
        return status(db, { state: "blocked", blocked: "unrecognised", pending: waiting });
      }
      me = await register(db, { ...me, registered: false, recover: true }, consent);
      me = await exchange(db, me, consent);
    }
    await notify({ type: "received" });
    return status(db, { state: "synced", at: Date.now(), pending: 0 });
  } catch (err) {
    const why = { device_removed: "removed", household_deleted: "deleted", bad_certificate: "unrecognised", already_registered: "taken" }[err.code];
    if (why) {
      await putMeta(db, "blocked", why);
      return status(db, { state: "blocked", blocked: why, pending: waiting });
    }
    return status(db, { state: "failed", at: Date.now(), pending: waiting, error: err.code, messages: err.messages });
  }
}

/// Tells every page how things stand: the state, what waits, what the server refused
/// and has not been seen by the person yet, and the family code while it is valid.
async function status(db, s) {
  const all = await allEvents(db);
  const refused = all.filter((e) => e.sent === REFUSED && !e.seen).sort((a, b) => a.at_ms - b.at_ms);
  s.refused = refused.length;
  if (refused.length) s.refused_messages = refused[refused.length - 1].messages;
  const code = await getMeta(db, "code");
  if (code && code.expires_ms > Date.now()) {
    s.join_code = code.join_code;
    s.code_expires_ms = code.expires_ms;
  }
  const consent = await getMeta(db, "consent");
  if (consent) s.consent = consent;
  await putMeta(db, "status", s);
  await notify({ type: "sync-status", ...s });
  return s;
}

async function notify(msg) {
  for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage(msg);
}

// One thing at a time touches the phone's identity, cursor and outbox: a sync, or what
// the page asked for. Otherwise a sync in flight could write back a device or a cursor
// the page had just erased or changed.
let queue = Promise.resolve();
function serial(work) {
  const run = queue.then(work);
  queue = run.catch(() => {});
  return run;
}

// At most one sync waits in the queue; a sync asked for while one runs comes after it
// (something may have been recorded since it read the outbox).
let waitingSync = null;
function sync() {
  if (!waitingSync) {
    waitingSync = serial(() => {
      waitingSync = null;
      stopRequested = false;
      return syncOnce();
    });
  }
  return waitingSync;
}

// ---- what the page asks for (public/household.js) ----

async function registered(db) {
  const consent = await getMeta(db, "consent");
  if (!consent) throw new ApiError(428, { error: "consent_required" });
  const device = await register(db, await identity(db), consent);
  return device;
}

const ops = {
  async consent(db, { version, label }) {
    if (version !== M.consent) throw new ApiError(428, { error: "consent_required" });
    await putMeta(db, "consent", { version, at_ms: Date.now() });
    const device = await identity(db);
    if (typeof label === "string" && label.trim()) await putMeta(db, "device", { ...device, label: label.trim().slice(0, 40) });
    return true;
  },
  async decline(db) {
    await deleteMeta(db, "consent");
    return true;
  },
  async join(db, { code }) {
    const consent = await getMeta(db, "consent");
    if (!consent) throw new ApiError(428, { error: "consent_required" });
    let device = await identity(db);
    if (device.registered) {
      const reg = await call("POST", API + "/devices/join", { join_code: code }, device);
      await putMeta(db, "device", { ...device, household_id: reg.household_id, cert: reg.cert });
      await deleteMeta(db, "cursor");
      await deleteMeta(db, "code");
    } else {
      await putMeta(db, "device", { ...device, join_code_wanted: code });
      await register(db, { ...device, join_code_wanted: code }, consent);
    }
    return true;
  },
  async code(db) {
    const device = await registered(db);
    const res = await call("POST", API + "/household/code", {}, device);
    await putMeta(db, "code", { join_code: res.join_code, expires_ms: res.code_expires_ms });
    return res;
  },
  async devices(db) {
    return call("GET", API + "/household/devices", undefined, await registered(db));
  },
  async remove(db, { device_id }) {
    await call("DELETE", `${API}/household/devices/${encodeURIComponent(device_id)}`, undefined, await registered(db));
    return true;
  },
  async export(db, { format }) {
    const path = format === "csv" ? "/household/export.csv" : "/household/export";
    const body = await call("GET", API + path, undefined, await registered(db));
    return typeof body === "string" ? body : JSON.stringify(body, null, 2);
  },
  async delete(db, { erase }) {
    const device = await getMeta(db, "device");
    if (device && device.registered) await call("DELETE", API + "/household", undefined, device);
    if (erase) {
      await tx(db, ["events", "meta"], "readwrite", (t) => { t.objectStore("events").clear(); t.objectStore("meta").clear(); });
    } else {
      // Kept on this phone only: nothing is sent until the person agrees again, and
      // then everything goes to a new household.
      await deleteMeta(db, "consent");
      await deleteMeta(db, "cursor");
      await deleteMeta(db, "code");
      if (device) {
        await putMeta(db, "device", { device_id: device.device_id, secret: device.secret, registered: false, label: device.label });
        await resendAll(db, device.device_id);
      }
    }
    await deleteMeta(db, "blocked");
    return true;
  },
  async restart(db) {
    // After this phone was removed, its family deleted, or the server lost it: start
    // again as a new household, sending everything this phone made. A removed phone's id
    // can never come back, nor one the server holds with another secret: those start
    // with a new id, and the old id's events stay on this phone only.
    const blocked = await getMeta(db, "blocked");
    const device = await getMeta(db, "device");
    const fresh = !device || blocked === "removed" || blocked === "taken";
    const keep = fresh ? { device_id: uuid(), secret: randomHex(32) } : { device_id: device.device_id, secret: device.secret };
    await putMeta(db, "device", { ...keep, registered: false, label: device && device.label });
    if (fresh && device) {
      // The old id can never send again: what it recorded is recorded anew under the new
      // one (same actions, same times), so it reaches the new household.
      const old = (await allEvents(db)).filter((e) => e.device_id === device.device_id && e.sent !== REFUSED);
      await tx(db, ["events"], "readwrite", (t) => {
        const store = t.objectStore("events");
        for (const e of old) {
          store.delete(e.event_id);
          store.put({ ...strip(e), event_id: uuid(), device_id: keep.device_id, sent: WAITING });
        }
      });
    } else if (!fresh) {
      await resendAll(db, keep.device_id);
    }
    await deleteMeta(db, "blocked");
    await deleteMeta(db, "cursor");
    await deleteMeta(db, "code");
    return true;
  },
  async seen(db) {
    const refused = (await allEvents(db)).filter((e) => e.sent === REFUSED && !e.seen);
    await tx(db, ["events"], "readwrite", (t) => { for (const e of refused) t.objectStore("events").put({ ...e, seen: true }); });
    return true;
  },
  async status(db) {
    const s = (await getMeta(db, "status")) || {};
    return { ...s, consent: (await getMeta(db, "consent")) || null };
  },
};

self.addEventListener("sync", (event) => {
  // A failed attempt rejects, so the browser tries again later by itself.
  if (event.tag === "hocso-sync") {
    event.waitUntil(sync().then((s) => { if (s && s.state === "failed") throw new Error("sync failed; retry later"); }));
  }
});

// What the page only reads runs at once; the rest waits its turn, then the phone syncs.
const READ_ONLY = new Set(["status"]);

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "skip-waiting") self.skipWaiting();
  if (msg.type === "sync") event.waitUntil(sync());
  if (msg.type === "decline") stopRequested = true;
  const port = event.ports && event.ports[0];
  const op = ops[msg.type];
  if (port && op) {
    event.waitUntil((async () => {
      try {
        const work = async () => op(await openDb(), msg);
        const value = await (READ_ONLY.has(msg.type) ? work() : serial(work));
        port.postMessage({ ok: true, value });
        if (!READ_ONLY.has(msg.type)) await sync();
      } catch (err) {
        port.postMessage({ ok: false, error: { code: err.code || "unavailable", status: err.status || 0, messages: err.messages || null } });
        if (!READ_ONLY.has(msg.type)) await sync();
      }
    })());
  }
});

// Học Số service worker. The server puts `self.HOCSO` above this code: this release's
// version, its files with content hashes, its pages and languages.
//
// - Install keeps every file and every page (in every language) in one cache named
//   after the version; activate deletes the caches of other versions. A page and the
//   files it names therefore always come from the same release.
// - Hashed files: cache first. Pages: network first with a short timeout, then the
//   cache, then the offline page. Sync requests: network only, never cached.
// - Sync: sends the device's outbox (IndexedDB, written by the page) to /api/v1/sync,
//   marks what the server acknowledged, stores what the household's other phones sent.

const M = self.HOCSO || { version: "dev", assets: [], pages: [], langs: ["vi"] };
const CACHE = "hocso-" + M.version;
const PAGE_TIMEOUT_MS = 3500;

const pageKey = (path, lang) => `${path}?lang=${lang}`;

async function currentLang() {
  try {
    const c = self.cookieStore && (await self.cookieStore.get("hocso_lang"));
    if (c && M.langs.includes(c.value)) return c.value;
  } catch (_) {}
  return M.langs[0] || "vi";
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(M.assets.map((a) => a.url));
    for (const lang of M.langs) {
      for (const path of M.pages) {
        const res = await fetch(pageKey(path, lang), { credentials: "omit" });
        if (res.ok) await cache.put(pageKey(path, lang), res);
      }
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
    if (res.ok && M.pages.includes(url.pathname)) await cache.put(key, res.clone());
    return res;
  } catch (_) {
    return (await cache.match(key)) || (await cache.match(pageKey("/offline", lang))) ||
      new Response("Offline", { status: 503, headers: { "content-type": "text/plain" } });
  }
}

// ---- the device store, shared with the page (app/src/offline/store.rs) ----

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

async function getMeta(db, key) {
  return tx(db, ["meta"], "readonly", (t) => req2p(t.objectStore("meta").get(key)).then((r) => r && r.value));
}

async function putMeta(db, key, value) {
  return tx(db, ["meta"], "readwrite", (t) => { t.objectStore("meta").put({ key, value }); });
}

// ---- sync ----

let running = null;

async function post(path, body, auth) {
  const headers = { "content-type": "application/json" };
  if (auth) headers.authorization = `Bearer ${auth}`;
  const res = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  let json = null;
  try { json = await res.json(); } catch (_) {}
  if (!res.ok) {
    const err = new Error((json && json.message_en) || `HTTP ${res.status}`);
    err.status = res.status;
    err.code = json && json.error;
    throw err;
  }
  return json;
}

async function ensureRegistered(db, device) {
  if (device.secret) return device;
  const reg = await post("/api/v1/devices", { device_id: device.device_id, join_code: device.join_code_wanted || null });
  const registered = { device_id: reg.device_id, secret: reg.secret, household_id: reg.household_id, join_code: reg.join_code };
  await putMeta(db, "device", registered);
  await putMeta(db, "cursor", 0);
  return registered;
}

async function syncOnce() {
  const db = await openDb();
  let device = await getMeta(db, "device");
  const all = await tx(db, ["events"], "readonly", (t) => req2p(t.objectStore("events").getAll()));
  const mine = (e) => device && e.device_id === device.device_id;
  let pending = all.filter((e) => e.sent === 0 && mine(e));
  if (!navigator.onLine) return status(db, { state: "local", pending: pending.length });
  if (!device || (!device.secret && pending.length === 0 && !device.join_code_wanted)) {
    return status(db, { state: "local", pending: 0 });
  }
  try {
    device = await ensureRegistered(db, device);
    const auth = `${device.device_id}.${device.secret}`;
    let more = true;
    while (pending.length > 0 || more) {
      const batch = pending.slice(0, 500);
      const cursor = (await getMeta(db, "cursor")) || 0;
      const res = await post("/api/v1/sync", { events: batch.map(({ sent, reason, ...e }) => e), cursor }, auth);
      await tx(db, ["events", "meta"], "readwrite", (t) => {
        const store = t.objectStore("events");
        const byId = new Map(batch.map((e) => [e.event_id, e]));
        for (const r of res.results) {
          const e = byId.get(r.event_id);
          if (!e) continue;
          // Forgotten from the outbox only once the server has answered for it.
          store.put(r.status === "rejected" ? { ...e, sent: 2, reason: r.reason } : { ...e, sent: 1 });
        }
        for (const e of res.events) store.put({ ...e, sent: 1 });
        t.objectStore("meta").put({ key: "cursor", value: res.cursor });
      });
      pending = pending.slice(batch.length);
      more = res.more;
    }
    await notify({ type: "received" });
    return status(db, { state: "synced", at: Date.now(), pending: 0 });
  } catch (err) {
    if (err.status === 401) await putMeta(db, "device", { device_id: device.device_id });
    return status(db, { state: "failed", at: Date.now(), pending: pending.length, error: err.message });
  }
}

async function status(db, s) {
  const device = await getMeta(db, "device");
  if (device && device.join_code) s.join_code = device.join_code;
  await putMeta(db, "status", s);
  await notify({ type: "sync-status", ...s });
  return s;
}

async function notify(msg) {
  for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage(msg);
}

function sync() {
  if (!running) running = syncOnce().finally(() => { running = null; });
  return running;
}

async function join(code) {
  const db = await openDb();
  let device = (await getMeta(db, "device")) || { device_id: null };
  if (device.secret) {
    const res = await post("/api/v1/devices/join", { join_code: code }, `${device.device_id}.${device.secret}`);
    device = { ...device, household_id: res.household_id, join_code: res.join_code };
    await putMeta(db, "device", device);
    await putMeta(db, "cursor", 0);
  } else {
    // A phone that has recorded nothing yet has no id: make it here.
    await putMeta(db, "device", { device_id: device.device_id || crypto.randomUUID(), join_code_wanted: code });
  }
  return sync();
}

self.addEventListener("sync", (event) => {
  if (event.tag === "hocso-sync") event.waitUntil(sync());
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "skip-waiting") self.skipWaiting();
  if (msg.type === "sync") event.waitUntil(sync());
  if (msg.type === "join") {
    event.waitUntil(join(msg.code).catch((err) => notify({ type: "join-failed", error: err.message, code: err.code })));
  }
});

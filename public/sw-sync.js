// Học Số sync, inside the service worker (served after public/sw.js as one script;
// `M` and `hex` are that file's). Protocol version 2 (docs/SYNC.md): sends the device's outbox (IndexedDB,
// written by the page) to /api/v2/sync, marks what the server acknowledged, keeps what
// it refused (shown to the person, never counted), and stores what the household's
// other phones sent. Nothing is sent before the person has accepted the consent text.

const API = "/api/v2";

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
/// Agreements with volunteers are not sent again: they were the old household's, and a
/// new one has not agreed to anyone.
async function resendAll(db, deviceId) {
  const again = (await allEvents(db)).filter((e) => e.device_id === deviceId && e.sent === SENT && !PAIRING_KINDS.includes(e.kind));
  await tx(db, ["events"], "readwrite", (t) => { for (const e of again) t.objectStore("events").put({ ...e, sent: WAITING }); });
}

/// Set the moment the person withdraws consent (before the withdrawal's turn in the
/// queue comes): no sync sends anything from then on, until they agree again.
let withdrawn = false;

/// Sends what waits and pulls what the family's other phones sent, until both are done.
/// Returns the device, and whether it stopped because consent was withdrawn.
async function exchange(db, device, consent) {
  const mine = (e) => e.device_id === device.device_id;
  const waiting = async () => (await allEvents(db)).filter((e) => mine(e) && e.sent === WAITING);
  let pending = await waiting();
  let cursor = (await getMeta(db, "cursor")) || null;
  if (typeof cursor !== "object") cursor = null; // a version 1 cursor means nothing now
  let more = true;
  // 100 events (about 30 KB) upload in seconds even on 2G, well inside the server's
  // limits on a request; after a batch the server could not read, one at a time.
  let size = 100;
  while (pending.length > 0 || more) {
    if (withdrawn) return { device, stopped: true };
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
      if (!res.reset) return;
      // The server is an older copy than what this phone saw (a restore from backup),
      // or this phone's place in it is void: everything this phone made waits to be sent
      // again — written with the new cursor, so an attempt cut short still resends it.
      return req2p(store.getAll()).then((all) => {
        for (const e of all) if (mine(e) && e.sent === SENT) store.put({ ...e, sent: WAITING });
      });
    });
    pending = res.reset ? await waiting() : pending.slice(batch.length);
    cursor = res.cursor;
    more = res.more;
  }
  return { device, stopped: false };
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
  if (withdrawn || !consent || consent.version !== M.consent) {
    if (navigator.onLine) await sendEndings(db).catch(() => {});
    return status(db, { state: "no-consent", pending: waiting });
  }
  if (!navigator.onLine) return status(db, { state: "local", pending: waiting });
  // Nothing recorded and no family to join: nothing to send or receive yet.
  if (!device || (!device.registered && waiting === 0 && !device.join_code_wanted)) {
    return status(db, { state: "local", pending: 0 });
  }
  try {
    let me = await register(db, await identity(db), consent);
    let done;
    try {
      done = await exchange(db, me, consent);
    } catch (err) {
      if (err.code !== "unknown_device") throw err;
      // The server does not know this phone: it was restored from a backup made before
      // the phone registered. The membership certificate brings it back into its family.
      if (!me.cert || !me.household_id) {
        await putMeta(db, "blocked", "unrecognised");
        return status(db, { state: "blocked", blocked: "unrecognised", pending: waiting });
      }
      me = await register(db, { ...me, registered: false, recover: true }, consent);
      done = await exchange(db, me, consent);
    }
    await notify({ type: "received" });
    const left = (await allEvents(db)).filter((e) => e.device_id === me.device_id && e.sent === WAITING).length;
    if (done.stopped) return status(db, { state: "no-consent", pending: left });
    return status(db, { state: "synced", at: Date.now(), pending: left });
  } catch (err) {
    const why = { device_removed: "removed", household_deleted: "deleted", bad_certificate: "unrecognised", already_registered: "taken" }[err.code];
    if (why) {
      await putMeta(db, "blocked", why);
      return status(db, { state: "blocked", blocked: why, pending: waiting });
    }
    return status(db, { state: "failed", at: Date.now(), pending: waiting, error: err.code, messages: err.messages });
  }
}

const PAIRING_KINDS = ["mentor_paired", "mentor_ended"];

/// Sends this phone's waiting endings of volunteer links at once, on their own route:
/// it needs no consent to send (an ending says nothing about anyone), so a family that
/// withdrew its consent, or whose consent text changed, still ends a link.
async function sendEndings(db) {
  const device = await getMeta(db, "device");
  if (!device || !device.registered || !navigator.onLine) return;
  const endings = (await allEvents(db)).filter((e) => e.kind === "mentor_ended" && e.device_id === device.device_id && e.sent === WAITING);
  if (!endings.length) return;
  const results = await call("POST", API + "/household/mentors/end", { events: endings.map(strip) }, device);
  await tx(db, ["events"], "readwrite", (t) => {
    const byId = new Map(endings.map((e) => [e.event_id, e]));
    for (const r of results) {
      const e = byId.get(r.event_id);
      if (e) t.objectStore("events").put(r.status === "rejected" ? { ...e, sent: REFUSED, code: r.code, messages: r.messages || null } : { ...e, sent: SENT });
    }
  });
}

/// After joining another family: this phone's agreements with volunteers stay with the
/// household it left (the server keeps them there), so they are no longer this
/// family's to show or send again.
async function forgetLinks(db, deviceId) {
  const mine = (await allEvents(db)).filter((e) => PAIRING_KINDS.includes(e.kind) && e.device_id === deviceId);
  await tx(db, ["events"], "readwrite", (t) => { for (const e of mine) t.objectStore("events").delete(e.event_id); });
  await deleteMeta(db, "mentors");
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
  if (consent && !withdrawn) s.consent = consent;
  const device = await getMeta(db, "device");
  // The server holds something of this phone's household: it can be exported or deleted
  // even after consent is withdrawn.
  s.registered = Boolean(device && device.registered);
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
      return syncOnce();
    });
  }
  return waitingSync;
}

// What the Tôi page asks of the server (public/household.js), done inside the service
// worker (served after sw.js and sw-sync.js as one script, using sw-sync.js's store,
// calls and queue): the worker holds the phone's credentials, so the page never does.

async function registered(db) {
  const consent = await getMeta(db, "consent");
  if (!consent) throw new ApiError(428, { error: "consent_required" });
  const device = await register(db, await identity(db), consent);
  return device;
}

/// Pairing codes as the server makes them: ten of its 32 characters (no 0/O, 1/I).
const PAIRING_CODE = /^[A-HJ-NP-Z2-9]{10}$/;

/// Records an event of the person `profile_id` in the outbox, as the page records its
/// own (app/src/offline/store.rs): it reaches the server, and the family's phones, with
/// the next sync.
async function record(db, profile_id, kind, payload, at_ms = Date.now()) {
  const device = await identity(db);
  const event = { event_id: uuid(), device_id: device.device_id, profile_id, kind, schema_version: 1, at_ms, payload, sent: WAITING };
  await tx(db, ["events"], "readwrite", (t) => { t.objectStore("events").put(event); });
}

/// The household code of an agreement, which the volunteer types when their phone has
/// no signal: five characters of the event id's last 25 bits, in the codes' alphabet
/// (app/src/domain/mentor.rs `handoff_of`; the browser scenario in end2end/tests/mentoring.test.mjs
/// shows that the two agree).
const HANDOFF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
function handoffOf(eventId) {
  const bits = parseInt(eventId.replace(/-/g, "").slice(-8), 16) & 0x1ffffff;
  let out = "";
  for (let i = 4; i >= 0; i--) out += HANDOFF_ALPHABET[(bits >>> (i * 5)) & 31];
  return out;
}

/// Ends the household's link made with `code`. Stamped after the agreement the server
/// knows of, so a phone whose clock runs behind still ends it (the latest word wins).
async function endLink(db, code, profile_id) {
  const known = ((await getMeta(db, "mentors")) || []).find((m) => m.code === code);
  await record(db, profile_id, "mentor_ended", { code }, Math.max(Date.now(), known ? known.at_ms + 1 : 0));
}

const ops = {
  async consent(db, { version, label }) {
    if (version !== M.consent) throw new ApiError(428, { error: "consent_required" });
    withdrawn = false;
    await putMeta(db, "consent", { version, at_ms: Date.now() });
    const device = await identity(db);
    if (typeof label === "string" && label.trim()) await putMeta(db, "device", { ...device, label: label.trim().slice(0, 40) });
    return true;
  },
  async decline(db, { profile_id }) {
    await deleteMeta(db, "consent");
    // Nothing more is sent about the family: the volunteers it agreed to stop seeing it.
    for (const m of (await getMeta(db, "mentors")) || []) {
      if (m.active) await endLink(db, m.code, profile_id || uuid());
    }
    await sendEndings(db).catch(() => {});
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
      await forgetLinks(db, device.device_id);
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
    // Reading what the server holds needs no consent to send: only a registration.
    const device = await getMeta(db, "device");
    if (!device || !device.registered) throw new ApiError(404, { error: "not_found" });
    const path = format === "csv" ? "/household/export.csv" : "/household/export";
    const body = await call("GET", API + path, undefined, device);
    return typeof body === "string" ? body : JSON.stringify(body, null, 2);
  },
  async delete(db, { erase }) {
    const device = await getMeta(db, "device");
    if (device && device.registered) {
      try {
        await call("DELETE", API + "/household", undefined, device);
      } catch (err) {
        // Already gone from the server (deleted on another phone, this phone removed, or
        // an earlier answer lost): what is on this phone is still the person's to handle.
        if (!["unknown_device", "device_removed", "household_deleted"].includes(err.code)) throw err;
      }
    }
    if (erase) {
      await tx(db, ["events", "meta"], "readwrite", (t) => { t.objectStore("events").clear(); t.objectStore("meta").clear(); });
    } else {
      // Kept on this phone only: nothing is sent until the person agrees again, and
      // then everything this phone made goes to a new household (what the family's other
      // phones made stays on this phone only).
      await deleteMeta(db, "consent");
      await deleteMeta(db, "cursor");
      await deleteMeta(db, "code");
      if (device) {
        await putMeta(db, "device", { device_id: device.device_id, secret: device.secret, registered: false, label: device.label });
        await resendAll(db, device.device_id);
      }
    }
    await deleteMeta(db, "blocked");
    await deleteMeta(db, "mentors");
    await deleteMeta(db, "offers");
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
      const old = (await allEvents(db)).filter((e) => e.device_id === device.device_id && e.sent !== REFUSED && !PAIRING_KINDS.includes(e.kind));
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
    await deleteMeta(db, "mentors");
    await deleteMeta(db, "offers");
    return true;
  },
  async seen(db) {
    const refused = (await allEvents(db)).filter((e) => e.sent === REFUSED && !e.seen);
    await tx(db, ["events"], "readwrite", (t) => { for (const e of refused) t.objectStore("events").put({ ...e, seen: true }); });
    return true;
  },
  async pair(db, { code, consent, profile_id }) {
    if (!(await getMeta(db, "consent"))) throw new ApiError(428, { error: "consent_required" });
    if (!PAIRING_CODE.test(code || "")) throw new ApiError(400, { error: "bad_code" });
    await record(db, profile_id, "mentor_paired", { code, consent });
    return true;
  },
  async details(db, { profile_id, age_band, group }) {
    await record(db, profile_id, "person_details", { age_band: age_band || "", group: group || "" });
    return true;
  },
  /// What the person last said: the save every phone keeps, the greatest by (time,
  /// device id, event id) — app/src/domain/person.rs.
  async details_of(db, { profile_id }) {
    const saves = (await allEvents(db))
      .filter((e) => e.kind === "person_details" && e.profile_id === profile_id && e.sent !== REFUSED)
      .map((e) => [e.at_ms, e.device_id, e.event_id, e.payload]);
    saves.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1));
    return saves.length ? saves[saves.length - 1][3] : { age_band: "", group: "" };
  },
  async unpair(db, { code, profile_id }) {
    await endLink(db, code, profile_id);
    // Recorded either way: sent now if the network allows, else with the next sync.
    await sendEndings(db).catch(() => {});
    return true;
  },
  /// The household's volunteers as the server last said (asked again when online),
  /// and the agreements and endings this phone has not sent yet.
  async mentors(db) {
    const device = await getMeta(db, "device");
    let known = null;
    let offers = null;
    if (device && device.registered && navigator.onLine) {
      try {
        known = await call("GET", API + "/household/mentors", undefined, device);
        await putMeta(db, "mentors", known);
        offers = await call("GET", API + "/household/offers", undefined, device);
        await putMeta(db, "offers", offers);
      } catch (_) {}
    }
    if (!known) known = (await getMeta(db, "mentors")) || [];
    if (!offers) offers = (await getMeta(db, "offers")) || [];
    const events = await allEvents(db);
    // An offer answered on this phone (agreed or declined) is not asked again.
    const answered = new Set(events.filter((e) => PAIRING_KINDS.includes(e.kind)).map((e) => e.payload.code));
    // The household code of the latest agreement to each code (any of the family's phones).
    const handoff = {};
    for (const e of events.filter((e) => e.kind === "mentor_paired").sort((a, b) => a.at_ms - b.at_ms)) {
      handoff[e.payload.code] = handoffOf(e.event_id);
    }
    const waiting = events
      .filter((e) => PAIRING_KINDS.includes(e.kind) && e.sent === WAITING)
      .map((e) => ({ kind: e.kind, code: e.payload.code, at_ms: e.at_ms, handoff: handoff[e.payload.code] }));
    return {
      mentors: known.map((m) => ({ ...m, handoff: handoff[m.code] })),
      waiting,
      offers: offers.filter((o) => !answered.has(o.code) && o.expires_ms > Date.now()),
    };
  },
  async status(db) {
    const s = (await getMeta(db, "status")) || {};
    const device = await getMeta(db, "device");
    const consent = withdrawn ? null : await getMeta(db, "consent");
    return { ...s, consent: consent || null, registered: Boolean(device && device.registered) };
  },
};

self.addEventListener("sync", (event) => {
  // A failed attempt rejects, so the browser tries again later by itself.
  if (event.tag === "hocso-sync") {
    event.waitUntil(sync().then((s) => { if (s && s.state === "failed") throw new Error("sync failed; retry later"); }));
  }
});

// What the page only reads runs at once; the rest waits its turn, then the phone syncs.
const READ_ONLY = new Set(["status", "mentors", "details_of"]);

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "skip-waiting") self.skipWaiting();
  if (msg.type === "sync") event.waitUntil(sync());
  if (msg.type === "decline") withdrawn = true;
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

// The household part of the Tôi page (app/src/components/household_panel.rs): consent,
// the family code and joining, the family's phones, export and deletion. Every request
// goes through the service worker, which holds this phone's credentials
// (public/sw-household.js, `ops`); the words come from data-* attributes the server
// rendered in the reader's language, and a refusal is shown in that language from the
// server's messages.
(() => {
  const box = document.getElementById("household");
  const sw = navigator.serviceWorker;
  if (!box || !sw) return;
  const $ = (sel) => box.querySelector(sel);
  const lang = document.documentElement.lang;
  const fill = (template, values) =>
    Object.entries(values).reduce((t, [k, v]) => t.split(`{${k}}`).join(v), template || "");
  const when = (ms) => new Date(ms).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });

  /// Asks the worker to do `type`; resolves with its answer or rejects with
  /// {code, status, messages}. A worker that does not answer (an older release's, which
  /// knows no such request) is given up on after a minute.
  async function ask(type, data = {}) {
    const reg = await sw.ready;
    return new Promise((resolve, reject) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => reject({ code: "unavailable" }), 60_000);
      channel.port1.onmessage = (ev) => {
        clearTimeout(timer);
        ev.data.ok ? resolve(ev.data.value) : reject(ev.data.error);
      };
      reg.active.postMessage({ type, ...data }, [channel.port2]);
    });
  }

  const message = $("#household-message");
  function say(text, failed = false) {
    message.textContent = text;
    message.classList.toggle("error", failed);
    message.hidden = !text;
  }
  function sayError(err) {
    if (err && err.code === "offline") return say(box.dataset.needNetwork, true);
    const reason = (err && err.messages && (err.messages[lang] || err.messages.vi)) || (err && err.code) || "";
    say(fill(box.dataset.failed, { reason }), true);
  }
  /// Runs `work` with its button disabled, showing progress and the outcome.
  async function busy(button, work) {
    if (button) button.disabled = true;
    say($("#devices-state").dataset.loading);
    try {
      await work();
    } catch (err) {
      sayError(err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---- how things stand: consent, the alert, the family code ----
  const consentForm = $("#consent-form");
  function show(s) {
    const consent = s && s.consent;
    const agreed = Boolean(consent && consent.version === $("#consent").dataset.version);
    consentForm.hidden = agreed;
    $("#consent-given").hidden = !agreed;
    $("[data-act=withdraw]").hidden = !agreed;
    $("#consent-declined").hidden = agreed || !(s && s.declined);
    $("#household-tools").hidden = !agreed;
    $("#household-data").hidden = !(agreed || (s && s.registered));
    if (agreed) {
      $("#consent-given").textContent = fill($("#consent-given").dataset.template, { date: when(consent.at_ms), version: consent.version });
    }
    const code = $("#household-code");
    if (s && s.join_code && s.code_expires_ms > Date.now()) {
      const grouped = s.join_code.length === 10 ? `${s.join_code.slice(0, 5)}-${s.join_code.slice(5)}` : s.join_code;
      code.textContent = fill(code.dataset.template, { code: grouped, time: when(s.code_expires_ms) });
      code.hidden = false;
    } else {
      code.hidden = true;
    }
    const alert = $("#household-alert");
    let text = "";
    if (s && s.state === "blocked") text = alert.dataset[s.blocked] || alert.dataset.unrecognised;
    else if (s && s.refused > 0) {
      const m = s.refused_messages || {};
      text = fill(alert.dataset.refused, { n: s.refused, reason: m[lang] || m.vi || "" });
    }
    alert.querySelector(".alert-text").textContent = text;
    alert.querySelector("[data-act=restart]").hidden = !(s && s.state === "blocked");
    alert.querySelector("[data-act=seen]").hidden = !(s && s.state !== "blocked" && s.refused > 0);
    alert.hidden = !text;
  }
  let declined = false;
  const refresh = async () => {
    try {
      const s = await ask("status");
      show({ ...(s || {}), declined });
    } catch (_) {}
  };
  sw.addEventListener("message", (ev) => {
    if (ev.data && ev.data.type === "sync-status") show({ ...ev.data, declined });
  });
  refresh();

  consentForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const button = consentForm.querySelector("button[type=submit]");
    busy(button, async () => {
      await ask("consent", { version: $("#consent").dataset.version, label: $("#device-label").value });
      say("");
      await refresh();
    });
  });

  // ---- the family's phones ----
  const list = $("#devices");
  const state = $("#devices-state");
  let removing = null;
  async function loadDevices() {
    state.textContent = state.dataset.loading;
    list.replaceChildren();
    const { devices, this_device } = await ask("devices");
    state.textContent = devices.length ? "" : state.dataset.empty;
    for (const d of devices) {
      const li = document.createElement("li");
      li.className = "device";
      const name = document.createElement("span");
      name.className = "device-name";
      name.textContent = d.label || list.dataset.unnamed;
      const seen = document.createElement("span");
      seen.className = "meta";
      seen.textContent = fill(list.dataset.seen, { time: when(d.last_seen_ms) });
      li.append(name, seen);
      if (d.device_id === this_device) {
        const mark = document.createElement("span");
        mark.className = "badge-current";
        mark.textContent = list.dataset.this;
        li.append(mark);
      } else {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.dataset.act = "remove";
        remove.dataset.device = d.device_id;
        remove.dataset.name = name.textContent;
        remove.textContent = list.dataset.remove;
        remove.setAttribute("aria-label", `${list.dataset.remove}: ${name.textContent}`);
        li.append(remove);
      }
      list.append(li);
    }
    say("");
  }

  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const confirmRemove = $("#remove-confirm");
  const confirmDelete = $("#delete-confirm");
  box.addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    if (act === "decline" || act === "withdraw") {
      busy(button, async () => {
        await ask("decline", { profile_id: person() });
        declined = true;
        say("");
        await refresh();
      });
    } else if (act === "code") {
      busy(button, async () => {
        await ask("code");
        say("");
        await refresh();
      });
    } else if (act === "devices") {
      busy(button, loadDevices);
    } else if (act === "remove") {
      removing = button.dataset.device;
      const text = confirmRemove.querySelector("p");
      text.textContent = fill(text.dataset.template, { name: button.dataset.name });
      confirmRemove.hidden = false;
      confirmRemove.querySelector("[data-act=remove-no]").focus();
    } else if (act === "remove-no") {
      confirmRemove.hidden = true;
      removing = null;
    } else if (act === "remove-yes") {
      busy(button, async () => {
        await ask("remove", { device_id: removing });
        confirmRemove.hidden = true;
        removing = null;
        await loadDevices();
        say(box.dataset.done);
      });
    } else if (act === "export-json" || act === "export-csv") {
      const csv = act === "export-csv";
      busy(button, async () => {
        const text = await ask("export", { format: csv ? "csv" : "json" });
        // Reading the answer as text drops the byte order mark spreadsheets need to
        // read the CSV as UTF-8 (Vietnamese): put it back.
        const body = csv ? "\ufeff" + text.replace(/^\ufeff/, "") : text;
        download(body, csv ? "hocso-household.csv" : "hocso-household.json", csv ? "text/csv;charset=utf-8" : "application/json");
        say(box.dataset.done);
      });
    } else if (act === "delete") {
      confirmDelete.hidden = false;
      confirmDelete.querySelector("[data-act=delete-no]").focus();
    } else if (act === "delete-no") {
      confirmDelete.hidden = true;
    } else if (act === "restart") {
      busy(button, async () => {
        await ask("restart");
        say("");
        await refresh();
      });
    } else if (act === "seen") {
      busy(button, async () => {
        await ask("seen");
        say("");
        await refresh();
      });
    }
  });

  confirmDelete.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const erase = new FormData(confirmDelete).get("erase") === "erase";
    busy(confirmDelete.querySelector("button[type=submit]"), async () => {
      await ask("delete", { erase });
      confirmDelete.hidden = true;
      if (erase) {
        // Nothing of the household is left on this phone either: its people too.
        for (const key of ["hocso.profile", "hocso.last"]) localStorage.removeItem(key);
        location.reload();
        return;
      }
      say(box.dataset.done);
      await refresh();
    });
  });

  $("#join-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const code = new FormData(ev.target).get("code").trim().toUpperCase();
    busy(ev.target.querySelector("button"), async () => {
      await ask("join", { code });
      ev.target.reset();
      say(box.dataset.done);
      await refresh();
    });
  });

  // ---- the household's volunteers ----
  const pairing = $("#pairing");
  const pairForm = $("#pair-form");
  const mentorList = $("#mentors");
  const mentorState = $("#mentors-state");
  const confirmEnd = $("#end-confirm");
  let ending = null;
  /// The person using this phone now, as the lessons record them (made here on a
  /// phone where nobody has learned yet, as the page would).
  function person() {
    let id = (localStorage.getItem("hocso.profile") || "").replace(/"/g, "");
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem("hocso.profile", id);
    }
    return id;
  }
  const grouped = (code) => (code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code);
  /// The household code a volunteer with no signal types to name this household.
  function handoffLine(code) {
    const line = document.createElement("span");
    line.className = "handoff";
    line.textContent = fill(pairing.dataset.handoff, { handoff: code });
    return line;
  }
  async function loadMentors() {
    let answer;
    try {
      answer = await ask("mentors");
    } catch (_) {
      answer = { mentors: [], waiting: [], offers: [] };
    }
    const endingNow = new Set(answer.waiting.filter((w) => w.kind === "mentor_ended").map((w) => w.code));
    const items = [];
    // A volunteer the commune offers in place of one who left: the family decides here.
    for (const o of answer.offers || []) {
      const li = document.createElement("li");
      li.className = "device mentor offer";
      const text = document.createElement("span");
      text.textContent = fill(pairing.dataset.offer, { name: o.name, replaces: o.replaces });
      const buttons = document.createElement("div");
      buttons.className = "buttons";
      for (const [act, label] of [["offer-yes", pairing.dataset.offerYes], ["offer-no", pairing.dataset.offerNo]]) {
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.act = act;
        b.dataset.code = o.code;
        b.textContent = label;
        b.setAttribute("aria-label", `${label}: ${o.name}`);
        if (act === "offer-yes") b.className = "primary";
        buttons.append(b);
      }
      li.append(text, buttons);
      items.push(li);
    }
    for (const m of answer.mentors) {
      if (!m.active || endingNow.has(m.code)) continue;
      const li = document.createElement("li");
      li.className = "device mentor";
      const name = document.createElement("span");
      name.className = "device-name";
      const who = m.left ? fill(pairing.dataset.left, { name: m.name }) : m.name;
      name.textContent = fill(pairing.dataset.mentor, { name: who, date: when(m.at_ms) });
      if (m.handoff && !m.left) name.append(handoffLine(m.handoff));
      const end = document.createElement("button");
      end.type = "button";
      end.dataset.act = "end";
      end.dataset.code = m.code;
      end.dataset.name = m.name;
      end.textContent = pairing.dataset.end;
      end.setAttribute("aria-label", `${pairing.dataset.end}: ${m.name}`);
      li.append(name, end);
      items.push(li);
    }
    for (const w of answer.waiting) {
      if (w.kind !== "mentor_paired") continue;
      const li = document.createElement("li");
      li.className = "device mentor pending";
      li.textContent = fill(pairing.dataset.pending, { code: grouped(w.code) });
      if (w.handoff) li.append(handoffLine(w.handoff));
      items.push(li);
    }
    mentorList.replaceChildren(...items);
    mentorState.textContent = items.length ? "" : pairing.dataset.none;
  }
  sw.addEventListener("message", (ev) => {
    if (ev.data && ev.data.type === "sync-status") loadMentors();
  });
  loadMentors();

  // A volunteer's QR code opens this page as /me?pair=CODE: the code is filled in, and
  // the household reads what the volunteer will see before agreeing.
  const offered = new URLSearchParams(location.search).get("pair");
  if (offered) {
    $("#pair-code").value = grouped(offered.toUpperCase().slice(0, 14));
    pairing.scrollIntoView();
  }

  pairForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const code = $("#pair-code").value.replace(/[\s-]/g, "").toUpperCase();
    if (!/^[A-HJ-NP-Z2-9]{10}$/.test(code)) return say(pairing.dataset.badCode, true);
    busy(pairForm.querySelector("button[type=submit]"), async () => {
      try {
        await ask("pair", { code, consent: pairing.dataset.version, profile_id: person() });
      } catch (err) {
        if (err && err.code === "consent_required") return say(pairing.dataset.needConsent, true);
        throw err;
      }
      pairForm.reset();
      say(box.dataset.done);
      await loadMentors();
    });
  });

  pairing.addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    if (act === "end") {
      ending = button.dataset.code;
      const text = confirmEnd.querySelector("p");
      text.textContent = fill(text.dataset.template, { name: button.dataset.name });
      confirmEnd.hidden = false;
      confirmEnd.querySelector("[data-act=end-no]").focus();
    } else if (act === "end-no") {
      confirmEnd.hidden = true;
      ending = null;
    } else if (act === "end-yes") {
      busy(button, async () => {
        await ask("unpair", { code: ending, profile_id: person() });
        confirmEnd.hidden = true;
        ending = null;
        say(box.dataset.done);
        await loadMentors();
      });
    } else if (act === "offer-yes" || act === "offer-no") {
      // Agreeing is the same agreement as to a typed code, after the same text (above);
      // declining ends that code, so the offer is not shown again on any phone.
      busy(button, async () => {
        const code = button.dataset.code;
        try {
          if (act === "offer-yes") await ask("pair", { code, consent: pairing.dataset.version, profile_id: person() });
          else await ask("unpair", { code, profile_id: person() });
        } catch (err) {
          if (err && err.code === "consent_required") return say(pairing.dataset.needConsent, true);
          throw err;
        }
        say(box.dataset.done);
        await loadMentors();
      });
    } else if (act === "scan") {
      scan(button);
    }
  });

  // Scanning with the phone's own barcode reader where the browser has one (Chrome on
  // Android); elsewhere the button stays hidden and the code is typed, or the QR code
  // is opened with the camera app.
  const scanButton = pairing.querySelector("[data-act=scan]");
  const video = $("#pair-video");
  let scanning = null;
  if ("BarcodeDetector" in window && navigator.mediaDevices) scanButton.hidden = false;
  async function scan(button) {
    if (scanning) return scanning.stop();
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (_) {
      return say(pairing.dataset.scanFailed, true);
    }
    const label = button.textContent;
    let timer = null;
    scanning = {
      stop() {
        clearTimeout(timer);
        for (const track of stream.getTracks()) track.stop();
        video.hidden = true;
        button.textContent = label;
        scanning = null;
      },
    };
    let detector;
    try {
      detector = new BarcodeDetector({ formats: ["qr_code"] });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
    } catch (_) {
      // The camera is never left running when the reader cannot start.
      scanning.stop();
      return say(pairing.dataset.scanFailed, true);
    }
    button.textContent = pairing.dataset.scanStop;
    const look = async () => {
      if (!scanning) return;
      try {
        const found = await detector.detect(video);
        for (const f of found) {
          const code = f.rawValue.includes("pair=")
            ? new URL(f.rawValue, location.href).searchParams.get("pair")
            : f.rawValue;
          if (code) {
            $("#pair-code").value = grouped(code.toUpperCase());
            scanning.stop();
            return;
          }
        }
      } catch (_) {}
      timer = setTimeout(look, 300);
    };
    look();
  }

  // ---- the person's age band and group ----
  const details = $("#details-form");
  ask("details_of", { profile_id: person() }).then((d) => {
    details.elements.age_band.value = d.age_band || "";
    details.elements.group.value = d.group || "";
  }).catch(() => {});
  details.addEventListener("submit", (ev) => {
    ev.preventDefault();
    busy(details.querySelector("button"), async () => {
      await ask("details", { profile_id: person(), age_band: details.elements.age_band.value, group: details.elements.group.value });
      say(box.dataset.done);
    });
  });

  const usage = $("#storage-usage");
  if (navigator.storage && navigator.storage.estimate) {
    navigator.storage.estimate().then(({ usage: used }) => {
      usage.textContent = usage.dataset.template.replace("{kb}", Math.round((used || 0) / 1024));
    });
  }
})();

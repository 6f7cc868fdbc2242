// The signed-in pages' record forms and notes (public/sw-account.js keeps the pages and
// the records with no signal): each record gets a fresh id when sent; `?offline=<code>`
// shows the matching note — a record kept to send later, a sign-out that needs signal —
// and the number of records still waiting is asked of the worker, again when signal
// returns; once they have all gone, the page is fetched again to show them.
(() => {
  const notes = document.getElementById("offline-notes");
  const sw = navigator.serviceWorker;
  if (!notes) return;

  // Each record gets its id when it is sent, not when the page was drawn: a page shown
  // from the phone's copy carries ids that may be used already. The button then stays
  // pressed, so a second tap does not make a second record; a resend of the same post
  // (the answer was lost) keeps its id and stays one record.
  for (const form of document.querySelectorAll("form")) {
    const id = form.querySelector("input[name=event]");
    if (!id) continue;
    form.addEventListener("submit", () => {
      if (crypto.randomUUID) id.value = crypto.randomUUID();
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
  // A page kept from an earlier day offers that day; the phone's today is better.
  const d = new Date();
  const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  for (const day of document.querySelectorAll("input[type=date]")) if (day.value && day.value < today) day.value = today;

  const what = new URLSearchParams(location.search).get("offline");
  for (const p of notes.querySelectorAll("[data-note]")) {
    if (p.dataset.note === what) p.hidden = notes.hidden = false;
  }
  const line = notes.querySelector("[data-records]");
  let before = 0;
  const ask = async () => {
    if (!sw || !line) return;
    const reg = await sw.ready;
    if (!reg.active) return;
    const n = await new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve((e.data && e.data.value) || 0);
      reg.active.postMessage({ type: "account-records" }, [ch.port2]);
      setTimeout(() => resolve(before), 3000);
    });
    line.textContent = line.dataset.records.replace("{n}", n);
    line.hidden = n === 0;
    if (n) notes.hidden = false;
    if (before > 0 && n === 0 && navigator.onLine) location.replace(location.pathname);
    before = n;
  };
  ask();
  // Back in signal, the worker sends them (app.js asks it to sync): watch them go.
  let watching = null;
  window.addEventListener("online", () => {
    clearInterval(watching);
    let tries = 0;
    watching = setInterval(() => {
      if (++tries > 30 || (before === 0 && tries > 1)) clearInterval(watching);
      ask();
    }, 2000);
  });
})();

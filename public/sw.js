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
// - Sync (protocol version 2, docs/SYNC.md) is in sw-sync.js, what the Tôi page asks of
//   the server in sw-household.js, and a signed-in volunteer's pages and records with no
//   signal in sw-account.js; the server serves the four files as one script
//   (server/src/precache.rs), so they share `M` and `hex` from this one.

const M = self.HOCSO || { version: "dev", assets: [], pages: [], langs: ["vi"], consent: "" };
const CACHE = "hocso-" + M.version;
const PAGE_TIMEOUT_MS = 3500;
const RELEASE_HEADER = "x-hocso-release";

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
    event.respondWith(page(req, url, event));
  } else {
    event.respondWith(asset(req));
  }
});

async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req, { ignoreSearch: true });
  return hit || fetch(req);
}

// A page is kept only as its plain address: `/ask?q=…` holds one person's question and
// its answers, and kept as "the Hỏi page" it would show them to the next person offline.
const plain = (url) => [...url.searchParams.keys()].every((k) => k === "lang");

async function page(req, url, event) {
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
    if (res.ok && ours && M.pages.includes(url.pathname) && plain(url)) await cache.put(key, res.clone());
    else event.waitUntil(keepAccountPage(url, res.clone(), lang).catch(() => {}));
    return res;
  } catch (_) {
    return (await cache.match(key)) || (await accountPage(url, lang)) ||
      (await cache.match(pageKey("/offline", lang))) ||
      new Response("Offline", { status: 503, headers: { "content-type": "text/plain" } });
  }
}

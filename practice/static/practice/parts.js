// A recording sent in parts while it records, so a slow or broken connection loses nothing.
//
// Each chunk MediaRecorder hands over becomes a numbered part of a "take" (a random name this
// page chooses). Parts are kept in the browser (IndexedDB, and memory where IndexedDB is not
// available) until the server confirms them, sent one after another with retries, and the
// take is completed by naming how many parts it has; the server answers 409 with the parts it
// is missing, which are sent again. A take interrupted by a reload or a crash is finished by
// the next practice page that loads (`resumePendingTakes`). The server's rules: the first
// part inside the question's time, the rest within its part grace; a part sent twice is
// stored once.

const DB_NAME = "medpath-practice-takes";
const RETRY_MS = [500, 1000, 2000, 4000, 8000];

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export function newTake() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

function openStore() {
  return new Promise((resolve) => {
    if (!window.indexedDB) return resolve(null);
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("parts", { keyPath: "key" });
      request.result.createObjectStore("takes", { keyPath: "take" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

function run(db, store, mode, work) {
  if (!db) return Promise.resolve(null);
  return new Promise((resolve) => {
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : null);
    tx.onerror = () => resolve(null);
  });
}

const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

async function post(url, body, type) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": type, "X-CSRFToken": csrfToken() },
        body,
      });
      const answer = await response.json().catch(() => ({}));
      // A 4xx is the server's final word (too late, not a recording); retrying changes nothing.
      if (response.ok || (response.status < 500 && response.status !== 409)) {
        return { ok: response.ok, status: response.status, answer };
      }
      if (response.status === 409) return { ok: false, status: 409, answer };
    } catch {
      // no connection: try again below
    }
    if (attempt >= RETRY_MS.length) return { ok: false, status: 0, answer: {} };
    await sleep(RETRY_MS[attempt]);
  }
}

export class TakeUploader {
  // `base` is the question's address up to `/takes/`; `onState` hears progress for the page.
  constructor(base, onState) {
    this.base = base;
    this.take = newTake();
    this.onState = onState;
    this.parts = [];
    this.sent = new Set();
    this.queue = Promise.resolve();
    this.failed = null;
    this.dbReady = openStore();
    this.remember(null);
  }

  // What a later page needs to finish this take: where it goes, and how many parts so far.
  remember(total) {
    const record = { take: this.take, base: this.base, total, count: this.parts.length };
    return this.dbReady.then((db) => run(db, "takes", "readwrite", (s) => s.put(record)));
  }

  url(path) {
    return `${this.base}${this.take}/${path}`;
  }

  add(blob) {
    const number = this.parts.length;
    this.parts.push(blob);
    this.dbReady.then((db) =>
      run(db, "parts", "readwrite", (s) =>
        s.put({ key: `${this.take}:${number}`, take: this.take, number, blob }),
      ),
    );
    this.remember(null);
    this.queue = this.queue.then(() => this.send(number));
    return this.queue;
  }

  async send(number) {
    if (this.failed || this.sent.has(number)) return;
    this.report();
    const result = await post(this.url(`parts/${number}/`), this.parts[number], "application/octet-stream");
    if (result.ok) {
      this.sent.add(number);
      const db = await this.dbReady;
      await run(db, "parts", "readwrite", (s) => s.delete(`${this.take}:${number}`));
    } else if (result.status && result.status !== 409) {
      this.failed = result.answer.detail || "The recording could not be kept.";
    }
    this.report();
  }

  report() {
    const total = this.parts.reduce((sum, blob) => sum + blob.size, 0) || 1;
    const done = [...this.sent].reduce((sum, n) => sum + this.parts[n].size, 0);
    this.onState({ percent: Math.round((done / total) * 100), failed: this.failed });
  }

  // Every part sent, then the take completed; resolves with a message for the page.
  async finish() {
    const db = await this.dbReady;
    await this.remember(this.parts.length);
    await this.queue;
    if (this.failed) return { ok: false, message: this.failed };
    for (let round = 0; round < 3; round += 1) {
      const result = await post(
        this.url("complete/"),
        JSON.stringify({ parts: this.parts.length }),
        "application/json",
      );
      if (result.ok) {
        await run(db, "takes", "readwrite", (s) => s.delete(this.take));
        return { ok: true, message: "Answer saved." };
      }
      if (result.status !== 409) {
        return {
          ok: false,
          message: result.answer.detail || "Not saved yet: we will keep trying when you are back online.",
        };
      }
      for (const number of result.answer.missing || []) {
        this.sent.delete(number);
        await this.send(number);
      }
    }
    return { ok: false, message: "Not saved yet: we will keep trying." };
  }
}

// Finish any take a reload or crash interrupted (its parts are still in this browser).
export async function resumePendingTakes() {
  const db = await openStore();
  if (!db) return;
  const takes = (await run(db, "takes", "readonly", (s) => s.getAll())) || [];
  const parts = (await run(db, "parts", "readonly", (s) => s.getAll())) || [];
  for (const pending of takes) {
    const mine = parts.filter((part) => part.take === pending.take).sort((a, b) => a.number - b.number);
    for (const part of mine) {
      const url = `${pending.base}${pending.take}/parts/${part.number}/`;
      const result = await post(url, part.blob, "application/octet-stream");
      if (result.ok || result.status) {
        await run(db, "parts", "readwrite", (s) => s.delete(part.key));
      }
    }
    const total = pending.total ?? pending.count;
    if (total) {
      await post(`${pending.base}${pending.take}/complete/`, JSON.stringify({ parts: total }), "application/json");
    }
    await run(db, "takes", "readwrite", (s) => s.delete(pending.take));
  }
}

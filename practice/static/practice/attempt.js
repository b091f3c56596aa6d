// The practice test page: a countdown kept from the server's numbers, and autosave.
//
// The server is the clock: the page carries the seconds left when it was rendered
// (data-seconds-left), and this module counts down from there with the monotonic clock, so
// the device's own date never matters. At zero it saves what is pending and loads the test
// again; the server has closed the scenario by then and shows the next one. Screen readers
// hear the time at 2 minutes, 1 minute and 30 seconds (a polite live region), not every tick.
//
// Answers save every few seconds while they change and when a box loses focus, as JSON with
// the CSRF token and the version the box last saved; a 409 "stale" means another tab saved a
// newer text, and this tab then stops saving that box rather than overwrite it. Without
// JavaScript the form posts normally. A recorded answer (recorder.js) is stopped and uploaded
// before the page moves on.

import { resumePendingTakes } from "./parts.js";
import { canRecord, setUpRecorder } from "./recorder.js";

const ANNOUNCE_AT = [120, 60, 30];
const AUTOSAVE_MS = 4000;

function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, "0")}`;
}

function spoken(seconds) {
  if (seconds >= 60) {
    const minutes = Math.round(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"} left`;
  }
  return `${seconds} seconds left`;
}

function startTimer(box, beforeLeaving) {
  const left = Number(box.dataset.secondsLeft);
  const total = Math.max(Number(box.dataset.totalSeconds) || left, 1);
  const clockEl = box.querySelector("[data-timer-clock]");
  const fill = box.querySelector("[data-timer-fill]");
  const announce = box.querySelector("[data-timer-announce]");
  const phase = box.dataset.phase;
  const started = performance.now();
  const pending = ANNOUNCE_AT.filter((mark) => mark < left);
  let finished = false;

  function tick() {
    const remaining = left - (performance.now() - started) / 1000;
    clockEl.textContent = clock(remaining);
    if (fill) fill.style.width = `${Math.max(0, Math.min(100, (remaining / total) * 100))}%`;
    box.classList.toggle("practice-timer--low", remaining <= 30);
    while (pending.length && remaining <= pending[0]) {
      const mark = pending.shift();
      if (announce && phase === "answering") announce.textContent = spoken(mark);
    }
    if (remaining <= 0 && !finished) {
      finished = true;
      if (announce) {
        announce.textContent =
          phase === "answering" ? "Time is up. Opening the next part." : "Time is up.";
      }
      Promise.resolve(beforeLeaving()).finally(() => {
        window.location.assign(box.dataset.nextUrl);
      });
      return;
    }
    window.setTimeout(tick, 250);
  }
  tick();
}

function csrfToken(form) {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function wordCount(text) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length;
}

function setUpAutosave(form) {
  const url = form.dataset.saveUrl;
  const position = Number(form.dataset.position);
  const boxes = [...form.querySelectorAll("[data-answer]")];
  const state = new Map();

  for (const box of boxes) {
    const index = box.dataset.index;
    const versionInput = form.querySelector(`[data-version-for="${index}"]`);
    const entry = {
      box,
      index: Number(index),
      versionInput,
      // What the server rendered, not what is in the box now: text typed before this module
      // ran (a slow connection) differs from it and is saved like any other change.
      saved: box.defaultValue,
      inFlight: null,
      blocked: false,
      status: form.querySelector(`[data-status-for="${index}"]`),
      error: form.querySelector(`[data-error-for="${index}"]`),
      words: form.querySelector(`[data-words-for="${index}"]`),
    };
    state.set(box, entry);
    box.addEventListener("input", () => {
      const n = wordCount(box.value);
      entry.words.textContent = `${n} word${n === 1 ? "" : "s"}`;
      entry.status.textContent = entry.blocked ? "" : "Not saved yet";
    });
    box.addEventListener("blur", () => save(entry));
  }

  async function save(entry) {
    if (entry.blocked) return;
    if (entry.inFlight) {
      await entry.inFlight;
    }
    const text = entry.box.value;
    if (text === entry.saved) return;
    entry.inFlight = send(entry, text).finally(() => {
      entry.inFlight = null;
    });
    await entry.inFlight;
  }

  async function send(entry, text) {
    entry.status.textContent = "Saving…";
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": csrfToken(form),
        },
        body: JSON.stringify({
          position,
          index: entry.index,
          text,
          version: Number(entry.versionInput.value),
        }),
      });
    } catch {
      entry.status.textContent = "Not saved: no connection. Trying again…";
      return;
    }
    let body = {};
    try {
      body = await response.json();
    } catch {
      body = {};
    }
    if (response.ok) {
      entry.saved = text;
      entry.versionInput.value = body.version;
      entry.status.textContent = "Saved";
      entry.error.textContent = "";
      return;
    }
    if (body.code === "stale" || body.code === "too_late") {
      entry.blocked = true;
      entry.status.textContent = "";
    }
    entry.error.textContent = body.detail || "Your answer could not be saved.";
  }

  function saveAll() {
    return Promise.all([...state.values()].map((entry) => save(entry)));
  }

  window.setInterval(saveAll, Number(form.dataset.autosaveMs) || AUTOSAVE_MS);

  // Submitting with JavaScript: save first, so the form's versions are the latest.
  form.addEventListener("submit", (event) => {
    if (form.dataset.flushed) return;
    event.preventDefault();
    const submitter = event.submitter;
    saveAll().finally(() => {
      form.dataset.flushed = "1";
      if (submitter && submitter.name) {
        const carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = submitter.name;
        carry.value = submitter.value;
        form.append(carry);
      }
      form.submit();
    });
  });

  return saveAll;
}

const form = document.querySelector("[data-practice-form]");
const saveAll = form ? setUpAutosave(form) : () => Promise.resolve();
const panel = document.querySelector("[data-recorder]");
const recorder = panel && canRecord() ? setUpRecorder(panel) : null;
const timer = document.querySelector("[data-practice-timer]");
if (timer) {
  startTimer(timer, () => Promise.all([saveAll(), recorder ? recorder.flush() : null]));
}

// A take a reload or a crash cut off is finished from here (its parts wait in this browser).
resumePendingTakes();
